#!/bin/sh
# Build the platform probe kernel and record QEMU 7.2's answers (the oracle of PlatformKernelTest):
#   platform.expected            -nodefaults                               (summary)
#   platform-testdevs.expected   -nodefaults -device pc-testdev -device pci-testdev
#   platform-dump.txt            the same with -append dump: raw ACPI tables, PCI config
#                                spaces, fw_cfg directory (AcpiTablesTest, PciFunctionsTest)
# Each ends with an ACPI S5 power-off: QEMU's exit status 0 (in platform.status).
# Uses the test kernels' runtime (../kernels/src/common); needs gcc -m32, ld, qemu-system-i386.
set -eu
cd "$(dirname "$0")"
C=../kernels/src/common
CFLAGS="-m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-builtin \
 -fno-asynchronous-unwind-tables -mno-sse -mno-mmx -mno-80387 -O2 -g0 -Wall -Werror"
obj=$(mktemp -d)
gcc $CFLAGS -c $C/entry.S -o "$obj/entry.o"
gcc $CFLAGS -I$C -c $C/rt.c -o "$obj/rt.o"
gcc $CFLAGS -I$C -c platform.c -o "$obj/platform.o"
ld -m elf_i386 --build-id=none -nostdlib --no-warn-rwx-segments -T $C/link.ld -o platform.elf "$obj"/*.o
rm -rf "$obj"
q() { timeout 20 qemu-system-i386 -kernel platform.elf -serial stdio -display none -no-reboot \
      -device isa-debug-exit,iobase=0xf4,iosize=0x04 -m 64 -nodefaults "$@" </dev/null; }
set +e
q > platform.expected; echo $? > platform.status
q -device pc-testdev -device pci-testdev > platform-testdevs.expected
q -device pc-testdev -device pci-testdev -append dump > platform-dump.txt
set -e
echo "status $(cat platform.status); $(wc -l < platform.expected) / $(wc -l < platform-testdevs.expected) / $(wc -l < platform-dump.txt) lines"
