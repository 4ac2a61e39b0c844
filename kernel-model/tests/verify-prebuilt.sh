#!/bin/sh
# Boot build/ and prebuilt/ with every case of tests/golden/INDEX and compare
# exit statuses and transcripts (lines starting with '@' removed): the rebuilt
# images must behave exactly like the shipped ones. EMU selects the machine.
set -u
cd "$(dirname "$0")/.."
EMU=${EMU:-qemu-system-i386}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
boot() { # dir append -> transcript file $TMP/out.$1, status appended
	timeout 120 $EMU -m 128M -kernel $1/kernel -initrd "$1/pm,$1/rs,$1/vm,$1/echo,$1/init" \
		-append "$2" -serial stdio -display none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 < /dev/null | grep -v '^@' > "$TMP/out.$1"
	echo "status $?" >> "$TMP/out.$1"
}
bad=0
while IFS='|' read -r name append status; do
	boot build "$append"
	boot prebuilt "$append"
	if cmp -s "$TMP/out.build" "$TMP/out.prebuilt"; then
		echo "same $name"
	else
		echo "DIFFERENT $name"; diff "$TMP/out.prebuilt" "$TMP/out.build" | head -10; bad=1
	fi
done < tests/golden/INDEX
[ $bad = 0 ] && echo "verify-prebuilt: build/ behaves like prebuilt/" || { echo "verify-prebuilt: differences"; exit 1; }
