// trace_loop.go: bench/trace_loop.c's lock loop in Go (syscall.Mlock/Munlock, raw system calls),
// for make bench-trace when go is installed: the frame-pointer unwinder's cost.
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

func main() {
	n := 20000
	if len(os.Args) > 2 {
		n, _ = strconv.Atoi(os.Args[2])
	}
	page, err := syscall.Mmap(-1, 0, os.Getpagesize(), syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS)
	if err != nil {
		os.Exit(1)
	}
	page[0] = 1
	t0 := time.Now()
	for i := 0; i < n; i++ {
		if syscall.Mlock(page) != nil || syscall.Munlock(page) != nil {
			fmt.Println("trace_loop: mlock failed")
			os.Exit(1)
		}
	}
	fmt.Printf("trace_loop: %.1f ns/call\n", float64(time.Since(t0).Nanoseconds())/float64(2*n))
}
