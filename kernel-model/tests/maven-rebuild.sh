#!/bin/sh
# Run by the Maven build (profile kernel-model, machine/pom.xml) after the emulator jar is
# packaged: when a 32-bit-capable gcc is present, rebuild the kernel model and check that it
# is the same as what ships in prebuilt/ — byte for byte when the toolchain is the pinned
# one, otherwise in function (every golden case booted on Flatland from both sets).
# Usage: maven-rebuild.sh FLATLAND_JAR
set -u
cd "$(dirname "$0")/.."
jar=${1:?usage: maven-rebuild.sh FLATLAND_JAR}
if ! command -v make >/dev/null 2>&1 || ! echo 'int x;' | gcc -m32 -x c -c -o /dev/null - >/dev/null 2>&1; then
	echo "kernel-model: no gcc with -m32 here; not rebuilding (the shipped prebuilt/ images are used)"
	exit 0
fi
make -s >/dev/null || { echo "kernel-model: make failed"; exit 1; }
same=1
for f in kernel pm rs vm echo init; do
	cmp -s "build/$f" "prebuilt/$f" || same=0
done
if [ $same = 1 ]; then
	echo "kernel-model: rebuilt images are byte-identical to prebuilt/"
	exit 0
fi
echo "kernel-model: rebuilt images differ from prebuilt/ ($(gcc --version | head -1)); comparing them in function on Flatland"
EMU="java -Xss4m -jar $jar" sh tests/verify-prebuilt.sh
