#!/bin/sh
# Usage: ./run.sh "workload=boot ..." [timeout-seconds]
# Boots build/ under qemu-system-i386 with the spec's standard invocation.
D=${KM_DIR:-$(dirname "$0")/build}
exec timeout "${2:-60}" qemu-system-i386 -m 128M -kernel $D/kernel \
  -initrd "$D/pm,$D/rs,$D/vm,$D/echo,$D/init" -append "$1" -serial stdio \
  -display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
