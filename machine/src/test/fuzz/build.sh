#!/usr/bin/env bash
# Builds the differential fuzz kernels and records QEMU's output for them.
#   build.sh [alu|fpu|all]             regenerate, rebuild and re-record every seed of the family
#   build.sh [alu|fpu|all] --compare   re-run QEMU on the committed kernels and diff with the recordings
# alu: gen_alu_fuzz.py + runtime.c, 4 seeds x 1500 cases. fpu: gen_fpu_fuzz.py + fpu_runtime.c,
# 4 seeds x 2000 cases; seed 4 adds transcendental instructions (not all bit-identical in Flatland).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../resources/fuzz
family=all
case "${1:-}" in alu|fpu|all) family=$1; shift ;; esac
compare=0
[ "${1:-}" = "--compare" ] && compare=1
seeds="1 2 3 4"
cflags="-m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-builtin -fno-asynchronous-unwind-tables -mno-sse -mno-mmx -mno-80387 -O2 -g0 -Wall -Werror"
qemu() { timeout 60 qemu-system-i386 -kernel "$1" -serial stdio -display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -m 64 || echo $? > "$2"; }
mkdir -p "$out"
rc=0

run_family() { # name generator runtime count
  local name=$1 gen=$2 runtime=$3 count=$4
  if [ $compare = 1 ]; then
    for s in $seeds; do
      local k=$out/$name-$s st
      st=$(mktemp); echo 0 > "$st"
      qemu "$k.elf" "$st" > "$k.now"
      if cmp -s "$k.now" "$k.expected" && cmp -s "$st" "$k.status"; then echo "same: $name-$s"; else echo "DIFFERENT: $name-$s"; rc=1; fi
      rm -f "$k.now" "$st"
    done
    return
  fi
  local tmp
  tmp=$(mktemp -d)
  gcc $cflags -c "$here/$runtime" -o "$tmp/runtime.o"
  for s in $seeds; do
    local extra=""
    if [ "$name" = fpu-fuzz ] && [ "$s" = 4 ]; then extra=trans; fi
    python3 "$here/$gen" "$s" "$count" $extra > "$tmp/f$s.S"
    gcc -m32 -c "$tmp/f$s.S" -o "$tmp/f$s.o"
    ld -m elf_i386 --build-id=none -nostdlib --no-warn-rwx-segments -T "$here/link.ld" "$tmp/f$s.o" "$tmp/runtime.o" -o "$out/$name-$s.elf"
    echo 0 > "$out/$name-$s.status"
    qemu "$out/$name-$s.elf" "$out/$name-$s.status" > "$out/$name-$s.expected"
    echo "$name-$s: $(wc -l < "$out/$name-$s.expected") lines, status $(cat "$out/$name-$s.status")"
  done
  rm -rf "$tmp"
}

case $family in alu|all) run_family alu-fuzz gen_alu_fuzz.py runtime.c 1500 ;; esac
case $family in fpu|all) run_family fpu-fuzz gen_fpu_fuzz.py fpu_runtime.c 2000 ;; esac
exit $rc
