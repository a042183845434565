#!/bin/sh
# A log can name any file as a module, and the report reads the debug information of each (issue
# 10, item 15): a 1 MiB ELF file whose compressed .debug_info says, truly, that it holds 1 GiB made
# the report decompress all of it (about 1 GB of memory per file; 4 files, 4.2-5.3 GB). Now a
# module file with more debug information than the budget (--debug-budget, 256 MiB) is not read,
# a separate debug file that would take its module over it is not used, and the report says so.
#
# The files: symprog without its debug information, plus a .debug_info of 1 GiB of zeros made of
# 1024 concatenated zlib streams of 1 MiB each (libelf inflates them one after the other), as an
# SHF_COMPRESSED section (Elf64_Chdr ch_size 1 GiB) or a GNU .zdebug_info ("ZLIB" + size), and as
# the separate debug file that a stripped symprog's .gnu_debuglink names.
#
# The bound on the report's peak RSS: 128 MiB. Reading the four logs needs about 6 MiB; reading a
# single one of the sections would need 1024 MiB (measured before the budget: 1,054,412 KiB).
. "$top_srcdir/tests/report/report-lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found (it builds the test files)"
command -v objcopy >/dev/null 2>&1 || skip_all "objcopy (binutils) not found"
[ -x "$top_builddir/tests/report/symprog" ] || skip_all "symprog not built"
plan 11

python3 - "$tmp/chdr" "$tmp/gnu" <<'PY' || bail_out "python3 could not write the sections"
import struct, sys, zlib
size = 1 << 30
streams = zlib.compress(bytes(1 << 20), 9) * (size >> 20)
open(sys.argv[1], "wb").write(struct.pack("<IIQQ", 1, 0, size, 1) + streams)  # ELFCOMPRESS_ZLIB
open(sys.argv[2], "wb").write(b"ZLIB" + struct.pack(">Q", size) + streams)
PY

# setflag FILE: mark its .debug_info SHF_COMPRESSED (objcopy adds it as a plain section).
setflag() {
	python3 - "$1" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
shoff, = struct.unpack_from("<Q", b, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", b, 0x3a)
stroff, = struct.unpack_from("<Q", b, shoff + shstrndx * shentsize + 0x18)
for i in range(shnum):
    h = shoff + i * shentsize
    name, = struct.unpack_from("<I", b, h)
    if b[stroff + name:b.index(b"\0", stroff + name)] == b".debug_info":
        struct.pack_into("<Q", b, h + 8, struct.unpack_from("<Q", b, h + 8)[0] | 0x800)
open(sys.argv[1], "wb").write(b)
PY
}

prog=$top_builddir/tests/report/symprog
mkdir "$tmp/logs" "$tmp/sep"
objcopy --strip-debug "$prog" "$tmp/plain" || bail_out "objcopy --strip-debug failed"
for i in 1 2 3; do
	objcopy --add-section .debug_info="$tmp/chdr" --set-section-flags .debug_info=readonly,debug \
		"$tmp/plain" "$tmp/bomb$i" && setflag "$tmp/bomb$i" || bail_out "cannot make bomb$i"
done
objcopy --add-section .zdebug_info="$tmp/gnu" --set-section-flags .zdebug_info=readonly,debug \
	"$tmp/plain" "$tmp/bomb4" || bail_out "cannot make bomb4"
# a stripped program whose .gnu_debuglink names a debug file with the bomb
cp "$tmp/bomb1" "$tmp/sep/symprog.debug"
objcopy --add-gnu-debuglink="$tmp/sep/symprog.debug" "$tmp/plain" "$tmp/sep/symprog" ||
	bail_out "objcopy --add-gnu-debuglink failed"
for i in 1 2 3 4; do
	symprog_log "$tmp/logs/memaudit.bomb$i.400$i.log" -e "s|$prog|$tmp/bomb$i|g" \
		-e "s/\"pid\":4000/\"pid\":400$i/" || bail_out "cannot write the logs"
done
symprog_log "$tmp/logs/memaudit.sep.4005.log" -e "s|$prog|$tmp/sep/symprog|g" \
	-e "s/\"pid\":4000/\"pid\":4005/"

# peak_kib ARGS...: run memaudit-report ARGS (stdout in $tmp/out); print its peak RSS in KiB.
peak_kib() {
	python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out:
    subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL, timeout=120)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$tmp/out" "$report" "$@"
}

kib=$(peak_kib --format json "$tmp/logs")
[ -n "$kib" ] && [ "$kib" -lt 131072 ]
ok $? "five modules with 1 GiB of compressed debug information each: peak RSS ${kib:-?} KiB < 128 MiB"
for i in 1 2 3 4; do
	jq_ok "$tmp/out" "[.processes[] | select(.pid == 400$i) | .notes[]
		| select(startswith(\"symbols of $tmp/bomb$i skipped: debug information of 1024 MiB over the budget of 256 MiB\"))]
		| length == 1" "bomb$i: the JSON report says its symbols were skipped, and why"
done
jq_ok "$tmp/out" "[.processes[] | select(.pid == 4001) | .sites[].frames[0]
	| select(.module == \"$tmp/bomb1\" and .function == null)] | length > 0" \
	"...its frames show module+offset"
jq_ok "$tmp/out" "[.processes[] | select(.pid == 4005) | .notes[]
	| select(startswith(\"debug symbols of $tmp/sep/symprog skipped: its separate debug file has debug information of 1024 MiB\"))]
	| length == 1" "a separate debug file over the budget: not used, and the report says so"
jq_ok "$tmp/out" '[.processes[] | select(.pid == 4005) | .sites[].frames[].function]
	| index("lock_secret") != null' "...the module's own symbol table still names its functions"

run_report --format text "$tmp/logs/memaudit.bomb4.4004.log"
tr '\n' ' ' <"$tmp/out" | tr -s ' ' >"$tmp/joined" # the note is wrapped at 100 columns
grep_ok "$tmp/joined" "note: symbols of $tmp/bomb4 skipped: debug information of 1024 MiB over the budget of 256 MiB" \
	"the text report says it too (a .zdebug_info section)"

run_report --debug-budget lots "$tmp/logs"
is "$rc" 2 "--debug-budget needs a number: status 2"
run_report --format json --debug-budget 0 "$(fixture basic.jsonl)"
is "$rc" 1 "--debug-budget 0 is a budget (no debug information at all)"
done_testing
