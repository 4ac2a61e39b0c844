#!/bin/sh
# Records what gdb prints when kmain.gdb runs against qemu-system-i386 on the kernel model's
# prebuilt images (GdbEndToEndTest compares Flatland's session with it).
#   ./record-qemu.sh [PORT]      (run from this directory; needs qemu-system-i386 and gdb)
set -eu
PORT=${1:-23470}
D=../../../../../kernel-model/prebuilt
timeout 60 qemu-system-i386 -m 128M -kernel $D/kernel -initrd "$D/pm,$D/rs,$D/vm,$D/echo,$D/init" \
    -append "workload=boot" -serial null -display none -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -S -gdb tcp::$PORT &
QEMU=$!
timeout 60 gdb -batch -nx -ex 'set architecture i386' -ex "target remote :$PORT" -x kmain.gdb > kmain-qemu.txt 2>&1 || true
wait $QEMU || true
echo "recorded kmain-qemu.txt"
