#!/usr/bin/env bash
# Builds the differential x87 fuzz kernels and records QEMU's output for them:
#   build-fpu.sh             regenerate, rebuild and re-record every seed below
#   build-fpu.sh --compare   re-run QEMU on the committed kernels and diff with the recordings
# Seed 4 includes transcendental instructions (not all bit-identical in Flatland).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../resources/fuzz
seeds="1 2 3 4"
count=2000
cflags="-m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-builtin -fno-asynchronous-unwind-tables -mno-sse -mno-mmx -mno-80387 -O2 -g0 -Wall -Werror"
qemu() { timeout 60 qemu-system-i386 -kernel "$1" -serial stdio -display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -m 64 || echo $? > "$2"; }
mkdir -p "$out"
if [ "${1:-}" = "--compare" ]; then
  rc=0
  for s in $seeds; do
    k=$out/fpu-fuzz-$s
    st=$(mktemp); echo 0 > "$st"
    qemu "$k.elf" "$st" > "$k.now"
    if cmp -s "$k.now" "$k.expected" && cmp -s "$st" "$k.status"; then echo "same: fpu-fuzz-$s"; else echo "DIFFERENT: fpu-fuzz-$s"; rc=1; fi
    rm -f "$k.now" "$st"
  done
  exit $rc
fi
tmp=$(mktemp -d)
gcc $cflags -c "$here/fpu_runtime.c" -o "$tmp/runtime.o"
for s in $seeds; do
  extra=""
  if [ "$s" = 4 ]; then extra=trans; fi
  python3 "$here/gen_fpu_fuzz.py" "$s" "$count" $extra > "$tmp/f$s.S"
  gcc -m32 -c "$tmp/f$s.S" -o "$tmp/f$s.o"
  ld -m elf_i386 --build-id=none -nostdlib --no-warn-rwx-segments -T "$here/link.ld" "$tmp/f$s.o" "$tmp/runtime.o" -o "$out/fpu-fuzz-$s.elf"
  echo 0 > "$out/fpu-fuzz-$s.status"
  qemu "$out/fpu-fuzz-$s.elf" "$out/fpu-fuzz-$s.status" > "$out/fpu-fuzz-$s.expected"
  echo "fpu-fuzz-$s: $(wc -l < "$out/fpu-fuzz-$s.expected") lines, status $(cat "$out/fpu-fuzz-$s.status")"
done
rm -rf "$tmp"
