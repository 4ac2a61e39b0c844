#!/bin/sh
# Copy the six images into prebuilt/ with their checksums and the compiler
# that built them. Run from kernel-model/ after `make`.
set -e
cd "$(dirname "$0")/.."
mkdir -p prebuilt
for f in kernel pm rs vm echo init; do cp build/$f prebuilt/$f; done
(cd prebuilt && sha256sum kernel pm rs vm echo init > SHA256SUMS)
gcc --version | head -1 > prebuilt/TOOLCHAIN
ld --version | head -1 >> prebuilt/TOOLCHAIN
du -sk prebuilt | awk '{ if ($1 >= 512) { print "prebuilt/ is " $1 " KiB (limit 512)"; exit 1 } }'
