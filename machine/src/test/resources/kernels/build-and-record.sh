#!/bin/sh
# Rebuild the Flatland test kernels and record QEMU's output as the oracle.
#
#   ./build-and-record.sh                 rebuild all kernels, record <name>.expected/.status
#   ./build-and-record.sh --compare       rebuild nothing; re-run QEMU and diff against the
#                                         committed .expected/.status files (exit 1 on mismatch)
#   ./build-and-record.sh [--compare] NAME...   only the named kernels
#
# QEMU is always run from this directory with a relative -kernel path (NAME.elf), because
# QEMU puts the kernel path in front of the Multiboot command line (see mbinfo).
# Extra QEMU arguments for a kernel are read from NAME.args (one line, shell-quoted).
set -eu
cd "$(dirname "$0")"

KERNELS="alu paging rings pit strings smc mbinfo misc realmode gates iobitmap x87detect taskswitch unassigned a20 lowload pitirr serial4 handoff lapic"
CC=${CC:-gcc}
LD=${LD:-ld}
QEMU=${QEMU:-qemu-system-i386}
CFLAGS="-m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-builtin \
 -fno-asynchronous-unwind-tables -mno-sse -mno-mmx -mno-80387 -O2 -g0 -Wall -Werror"
LDFLAGS="-m elf_i386 --build-id=none -nostdlib --no-warn-rwx-segments"

compare=0
if [ "${1:-}" = "--compare" ]; then compare=1; shift; fi
if [ $# -gt 0 ]; then KERNELS="$*"; fi

build() {
    name=$1
    obj=$(mktemp -d)
    $CC $CFLAGS -c src/common/entry.S -o "$obj/entry.o"
    $CC $CFLAGS -Isrc/common -c src/common/rt.c -o "$obj/rt.o"
    $CC $CFLAGS -Isrc/common -c "src/$name.c" -o "$obj/$name.o"
    extra=""
    if [ -f "src/$name.S" ]; then
        $CC $CFLAGS -c "src/$name.S" -o "$obj/${name}_s.o"
        extra="$obj/${name}_s.o"
    fi
    # A kernel that must load elsewhere than 1 MiB has its own linker script, src/NAME.ld.
    script=src/common/link.ld
    if [ -f "src/$name.ld" ]; then script="src/$name.ld"; fi
    $LD $LDFLAGS -T "$script" -o "$name.elf" "$obj/entry.o" "$obj/rt.o" "$obj/$name.o" $extra
    rm -rf "$obj"
}

run() {   # run NAME OUTFILE; prints QEMU's exit status
    name=$1 out=$2
    args=""
    if [ -f "$name.args" ]; then args=$(cat "$name.args"); fi
    set +e
    eval "timeout 20 $QEMU -kernel $name.elf -serial stdio -display none -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -m 64 $args" </dev/null >"$out"
    st=$?
    set -e
    echo $st
}

fail=0
for k in $KERNELS; do
    if [ $compare -eq 0 ]; then
        build "$k"
        st=$(run "$k" "$k.expected")
        echo "$st" > "$k.status"
        echo "$k: status $st, $(wc -l < "$k.expected") lines"
    else
        tmp=$(mktemp)
        st=$(run "$k" "$tmp")
        if [ "$st" = "$(cat "$k.status")" ] && cmp -s "$tmp" "$k.expected"; then
            echo "$k: OK (status $st)"
        else
            echo "$k: MISMATCH (status $st, expected $(cat "$k.status"))"
            diff "$k.expected" "$tmp" | head -20 || true
            fail=1
        fi
        rm -f "$tmp"
    fi
done
exit $fail
