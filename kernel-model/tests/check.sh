#!/bin/sh
# kernel-model acceptance checks (docs/kernel-model-spec.md section 9) under
# qemu-system-i386. Run from anywhere; images come from $KM_DIR (default
# build/). With --update-golden the transcripts and statuses are (re)written
# into tests/golden/ instead of being compared.
set -u
cd "$(dirname "$0")/.."
D=${KM_DIR:-build}
# Any machine with QEMU's command line and exit statuses will do, e.g. EMU=flatland
EMU=${EMU:-qemu-system-i386}
G=tests/golden
UPDATE=0
[ "${1:-}" = "--update-golden" ] && UPDATE=1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

qemu() { # append timeout -> transcript on stdout, status in $TMP/status
	timeout "$2" $EMU -m 128M -kernel $D/kernel \
		-initrd "$D/pm,$D/rs,$D/vm,$D/echo,$D/init" -append "$1" -serial stdio \
		-display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 < /dev/null
	echo $? > "$TMP/status"
}

# --- check 1: build facts ---
for f in kernel pm rs vm echo init; do
	[ -f "$D/$f" ] || bad "missing $D/$f"
	[ "$(nm "$D/$f" 2>/dev/null | grep -c ' U ')" = 0 ] && ok || bad "$f has undefined symbols"
done
readelf -h "$D/kernel" | grep -q 'ELF32' && readelf -h "$D/kernel" | grep -q 'Intel 80386' && ok || bad "kernel is not ELF32 i386"
entry=$(readelf -h "$D/kernel" | awk '/Entry point/ { print $4 }')
[ $((entry)) -lt $((0x00500000)) ] && ok || bad "kernel entry $entry is not low"
readelf -lW "$D/kernel" | grep LOAD | grep -q '0xf04[0-9a-f]\{5\} 0x004[0-9a-f]\{5\}' && ok || bad "no high LOAD segment loaded low"

# --- the boot cases: name|append|expected status ---
CASES="boot|workload=boot|33
boot.int|workload=boot syscall=int|33
boot.postlog0|workload=boot postlog=0|33"
for w in cpu ipc forkstorm pfstorm mmap brk cow crash; do
	CASES="$CASES
$w|workload=$w|33
$w.int|workload=$w syscall=int|33
$w.n1|workload=$w n=1|33"
done
CASES="$CASES
segv|workload=segv n=2|33
all|workload=all|33
all.int|workload=all syscall=int|33
all.sanity|workload=all sanity=1|33
nonesuch|workload=nonesuch|35
panic|workload=panic|37"

[ $UPDATE = 1 ] && echo "$CASES" > $G/INDEX

echo "$CASES" | while IFS='|' read -r name append status; do
	start=$(date +%s.%N)
	qemu "$append" 120 > "$TMP/$name.raw" 2>"$TMP/$name.err"
	end=$(date +%s.%N)
	got=$(cat "$TMP/status")
	grep -v '^@' "$TMP/$name.raw" > "$TMP/$name.txt"
	[ "$name" = boot ] && echo "boot wall time: $(awk "BEGIN { printf \"%.2f\", $end - $start }") s (whole QEMU run, informational)"
	if [ $UPDATE = 1 ]; then
		cp "$TMP/$name.txt" $G/$name.txt
		echo "$got" > $G/$name.status
		[ "$got" = "$status" ] || echo "WARNING: $name exited $got, expected $status"
		continue
	fi
	r=0
	[ "$got" = "$status" ] || { echo "FAIL: $name: exit status $got, expected $status"; r=1; }
	if ! diff -u $G/$name.txt "$TMP/$name.txt" > "$TMP/$name.diff"; then
		echo "FAIL: $name: transcript differs from $G/$name.txt"; head -20 "$TMP/$name.diff"; r=1
	fi
	# every result line must match the reference computation
	grep '^result: ' "$TMP/$name.txt" | while read -r _ w nn v c; do
		want="value=$(python3 tests/reference.py "$w" "${nn#n=}" | sed 's/value=//')"
		[ "$v $c" = "$want" ] || { echo "FAIL: $name: $w ${nn}: got $v $c, reference $want"; exit 1; }
	done || r=1
	if [ "$status" = 33 ]; then
		grep -q '^mem: leak=0$' "$TMP/$name.txt" && ! grep -q '^mem: leak=[^0]' "$TMP/$name.txt" || { echo "FAIL: $name: leak"; r=1; }
		grep -q '^shutdown: success$' "$TMP/$name.txt" || { echo "FAIL: $name: no success"; r=1; }
	fi
	case $name in
	*.postlog0) ! grep -q '^post:' "$TMP/$name.txt" || { echo "FAIL: $name: post lines"; r=1; } ;;
	*.int)	base=${name%.int}
		if [ -f "$TMP/$base.txt" ]; then
			grep -v '^kernel: \(cmdline\|syscall\)' "$TMP/$base.txt" > "$TMP/a"
			grep -v '^kernel: \(cmdline\|syscall\)' "$TMP/$name.txt" > "$TMP/b"
			cmp -s "$TMP/a" "$TMP/b" || { echo "FAIL: $name: int and sysenter transcripts differ"; r=1; }
		fi ;;
	nonesuch) grep -q '^shutdown: failure (unknown workload)$' "$TMP/$name.txt" || { echo "FAIL: $name"; r=1; } ;;
	panic)	grep -q '^panic: ' "$TMP/$name.txt" && grep -q '^post: e0$' "$TMP/$name.txt" || { echo "FAIL: $name"; r=1; } ;;
	boot)	seq=$(grep -E '^(post: 0[1-7]|rs: init|boot: ok|result: boot|mem: leak=0|shutdown: success)' "$TMP/$name.txt" | tr '\n' ';')
		want="post: 01;post: 02;post: 03;post: 04;post: 05;rs: init vm fresh ok;rs: init pm fresh ok;rs: init echo fresh ok;post: 06;boot: ok;post: 07;result: boot n=0 value=4 checksum=00732805;mem: leak=0;shutdown: success;"
		[ "$seq" = "$want" ] || { echo "FAIL: boot sequence: $seq"; r=1; } ;;
	esac
	[ $r = 0 ] && echo "ok   $name ($append) exit $got" || echo "$name" >> "$TMP/failed"
done

[ $UPDATE = 1 ] && { echo "golden files updated in $G"; exit 0; }
nfail=$( [ -f "$TMP/failed" ] && wc -l < "$TMP/failed" || echo 0)
nfail=$((nfail + fail))
if [ $nfail = 0 ]; then echo "check: all passed"; else echo "check: $nfail failed"; exit 1; fi
