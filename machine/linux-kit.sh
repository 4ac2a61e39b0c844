#!/usr/bin/env bash
# Builds the Linux kit: Debian's i686 kernel (linux-image-686, the non-PAE 6.1 flavour) and
# a small initramfs around busybox-static:i386 with our own /init, in a cache directory
# outside the source tree. Only `apt-get download` touches the network (Debian's archive).
#
#   machine/linux-kit.sh [--dir DIR] [--force]     (also: ./flatland linux-kit ...)
#
# Prints the directory; boot the kit with
#   ./flatland -kernel DIR/vmlinuz -initrd DIR/initramfs.cpio.gz -append "console=ttyS0" -m 256 -serial stdio -no-reboot
# Needs apt-get with the i386 architecture known to dpkg, dpkg-deb, gzip and python3 (for
# the cpio archive when cpio itself is missing). Exit status 2 with one line on failure.
set -euo pipefail

dir="${FLATLAND_LINUX_KIT:-${XDG_CACHE_HOME:-$HOME/.cache}/flatland/linux-kit}"
force=
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) dir="$2"; shift 2 ;;
        --force) force=1; shift ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "linux-kit: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

fail() { echo "linux-kit: $*" >&2; exit 2; }

if [ -z "$force" ] && [ -f "$dir/vmlinuz" ] && [ -f "$dir/initramfs.cpio.gz" ]; then
    echo "$dir"
    exit 0
fi
for tool in apt-get apt-cache dpkg-deb gzip; do
    command -v "$tool" >/dev/null 2>&1 || fail "needs $tool (a Debian or Ubuntu host)"
done
if [ "$(dpkg --print-architecture)" != i386 ] && ! dpkg --print-foreign-architectures | grep -qx i386; then
    fail "dpkg does not know the i386 architecture: run 'dpkg --add-architecture i386 && apt-get update' as root first"
fi

# The kernel the metapackage points at today (KERNEL_PKG overrides it).
kpkg="${KERNEL_PKG:-$(apt-cache depends linux-image-686:i386 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-686\)\(:i386\)\{0,1\}$/\1/p' | head -1)}"
[ -n "$kpkg" ] || fail "apt-cache does not know linux-image-686:i386 (run apt-get update?)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download "$kpkg:i386" busybox-static:i386 >download.log 2>&1) \
    || fail "apt-get download $kpkg:i386 busybox-static:i386 failed: $(tail -1 "$work/download.log")"
dpkg-deb -x "$work"/linux-image-*.deb "$work/kernel"
dpkg-deb -x "$work"/busybox-static_*.deb "$work/busybox"
vmlinuz="$(ls "$work"/kernel/boot/vmlinuz-* 2>/dev/null | head -1)"
[ -n "$vmlinuz" ] || fail "no /boot/vmlinuz-* in $kpkg"

root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,root}
cp "$work/busybox/bin/busybox" "$root/bin/busybox"
cat >"$root/init" <<'EOF'
#!/bin/busybox sh
# Flatland's Linux kit: mount the pseudo file systems and give the console a shell.
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "flatland-linux-kit: /init running"
exec setsid cttyhack sh
EOF
chmod 755 "$root/init"

# newc cpio with root-owned entries and /dev/console (the kernel opens it for /init's stdio).
if command -v cpio >/dev/null 2>&1 && command -v fakeroot >/dev/null 2>&1; then
    (cd "$root" && fakeroot sh -c 'mknod -m 600 dev/console c 5 1; find . | sort | cpio -o -H newc --quiet') | gzip -9 >"$work/initramfs.cpio.gz"
else
    command -v python3 >/dev/null 2>&1 || fail "needs cpio and fakeroot, or python3, to build the initramfs"
    python3 - "$root" "$work/initramfs.cpio.gz" <<'EOF'
import gzip, os, stat, sys
src, out = sys.argv[1], sys.argv[2]
data = bytearray()
ino = 1
def entry(name, mode, body=b"", rdev=(0, 0), nlink=1):
    global ino
    n = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, nlink, 0, len(body), 0, 0, rdev[0], rdev[1], len(n), 0]
    rec = b"070701" + b"".join(b"%08X" % v for v in fields) + n
    rec += b"\0" * (-len(rec) % 4) + body + b"\0" * (-len(body) % 4)
    data.extend(rec)
    ino += 1
for top, dirs, files in os.walk(src):
    dirs.sort()
    rel = os.path.relpath(top, src)
    if rel != ".":
        entry(rel, stat.S_IFDIR | 0o755, nlink=2)
    for f in sorted(files):
        p = os.path.join(top, f)
        with open(p, "rb") as fh:
            entry(os.path.relpath(p, src), stat.S_IFREG | (os.stat(p).st_mode & 0o777), fh.read())
entry("dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
entry("TRAILER!!!", 0)
with open(out, "wb") as fh:
    fh.write(gzip.compress(bytes(data), 9))
EOF
fi

mkdir -p "$dir"
cp "$vmlinuz" "$dir/vmlinuz.tmp" && mv -f "$dir/vmlinuz.tmp" "$dir/vmlinuz"
cp "$work/initramfs.cpio.gz" "$dir/initramfs.cpio.gz.tmp" && mv -f "$dir/initramfs.cpio.gz.tmp" "$dir/initramfs.cpio.gz"
printf '%s\n' "$kpkg" "$(basename "$vmlinuz")" >"$dir/VERSION"
echo "$dir"
