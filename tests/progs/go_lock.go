// go_lock [N [SIZE]]: the per-allocation mlock loop of lock_loop.c in Go, through the standard
// library's raw system calls (syscall.Mlock, Madvise, Munlock: no libc, so the preload library
// sees none of them): N slices of SIZE bytes (32) locked one by one, an MADV_DONTDUMP at an unaligned
// address (EINVAL), then every slice unlocked. Prints how far it got; exits 1 at the first
// failing mlock.
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

const madvDontdump = 16 // MADV_DONTDUMP, not in package syscall

func lockAll(n, size int) [][]byte {
	keep := make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		b := make([]byte, size)
		if err := syscall.Mlock(b); err != nil { // go_lock: mlock site
			fmt.Printf("mlock failed at i=%d: %v\n", i, err)
			os.Exit(1)
		}
		keep = append(keep, b)
	}
	return keep
}

func main() {
	n := 100
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	size := 32
	if len(os.Args) > 2 {
		size, _ = strconv.Atoi(os.Args[2])
	}
	keep := lockAll(n, size)
	b := make([]byte, 64)
	err := syscall.Madvise(b[1:], madvDontdump) // go_lock: madvise site
	fmt.Printf("madvise unaligned: %v\n", err)
	for _, k := range keep {
		syscall.Munlock(k) // go_lock: munlock site
	}
	fmt.Printf("locked %d\n", n)
}
