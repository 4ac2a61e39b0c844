#!/bin/sh
# Builds libflatland-exit.so (see process_exit.c) into the directory given, when a C compiler
# and the JDK's JNI headers are there; without them Flatland exits through System.exit.
set -u
out="$1"
src="$(dirname "$0")/process_exit.c"
cc=$(command -v cc || command -v gcc || true)
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
if [ -z "$cc" ] || [ ! -f "$java_home/include/jni.h" ]; then
    echo "native: no C compiler or JNI headers; the process exits through System.exit" >&2
    exit 0
fi
mkdir -p "$out"
"$cc" -shared -fPIC -O2 -I"$java_home/include" -I"$java_home/include/linux" -o "$out/libflatland-exit.so" "$src" \
    || { echo "native: build failed; the process exits through System.exit" >&2; rm -f "$out/libflatland-exit.so"; }
exit 0
