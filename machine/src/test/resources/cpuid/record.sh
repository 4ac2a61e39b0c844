#!/bin/sh
# Rebuilds probe.elf and records what qemu-system-i386 (7.2) reports for each -cpu model:
# <model>.expected (the pc machine; qemu64+umip.expected for -cpu qemu64,+umip) and isapc.expected (-M isapc with its default CPU).
set -eu
cd "$(dirname "$0")"
QEMU=${QEMU:-qemu-system-i386}
obj=$(mktemp -d)
gcc -m32 -ffreestanding -fno-pic -fno-pie -fno-stack-protector -nostdlib -O1 -c probe.c -o "$obj/probe_c.o"
gcc -m32 -c probe.S -o "$obj/probe_s.o"
ld -m elf_i386 --build-id=none -nostdlib -z noexecstack -Ttext 0x100000 -o probe.elf "$obj/probe_s.o" "$obj/probe_c.o"
rm -rf "$obj"
run() {
    out=$1; shift
    set +e
    $QEMU -nodefaults -display none -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel probe.elf "$@" \
        > "$out" 2>/dev/null
    status=$?
    set -e
    [ "$status" = 33 ] || { echo "$out: QEMU exit status $status" >&2; exit 1; }
}
for cpu in qemu32 pentium pentium2 pentium3 486 max qemu64 qemu64,+umip; do
    run "$(echo "$cpu" | tr -d ,).expected" -M pc -cpu "$cpu"
done
run isapc.expected -M isapc
