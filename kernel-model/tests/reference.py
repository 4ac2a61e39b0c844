#!/usr/bin/env python3
"""Reference values for the kernel-model workloads (spec section 7).

Usage: reference.py WORKLOAD N   -> prints "value=V checksum=XXXXXXXX"
The formulas are also written out in README.md ("Workload reference").
"""
import sys

M32 = 0xFFFFFFFF
GOLDEN = 0x9E3779B9


def fnv(values):
    h = 0x811C9DC5
    for v in values:
        for i in range(4):
            h ^= (v >> (8 * i)) & 0xFF
            h = (h * 0x01000193) & M32
    return h


def boot(n):
    return 4, [0, 1, 2, 3]


def forkstorm(n):
    st = [(i * 7 + 3) & 0xFF for i in range(n)]
    return sum(st) & M32, st


def pfstorm(n):
    return 0, [(i * GOLDEN) & M32 for i in range(n)]


def cow(n):
    if n == 0:
        return 0, []  # nothing mapped, no child
    return 0, [(i * GOLDEN) & M32 for i in range(n)] + [0]


def ipc(n):
    rep = [(i * 31 + 7) & M32 for i in range(n)]
    return (rep[-1] if n else 0), [rep[i] for i in range(0, n, 1024)]


def mmap(n):
    # top of the highest gap: stack region starts at 0xEF800000, one guard page
    return 0, [0xEF7FF000 - ((i % 8) + 1) * 4096 for i in range(n)]


def brk(n):
    cur, olds = 0, []
    for i in range(n):
        olds.append(cur)
        cur += 4096 * ((i % 4) + 1)
        if i % 16 == 15:
            cur = 0
    return cur, olds


def crash(n):
    vals = []
    for r in range(n):
        vals += [r + 1, 2]  # restarts, SEF_INIT_RESTART
    return n, vals


def cpu(n):
    x, s = 0x12345678, 0
    for i in range(n):
        x ^= (x << 13) & M32
        x ^= x >> 17
        x ^= (x << 5) & M32
        s += x
        if (i & 4095) == 4095:
            s = s // 1000003 + s % 1000003
    s &= (1 << 64) - 1
    return x, [x, s & M32, s >> 32]


def segv(n):
    return 11 * n, [11] * n  # each child dies of SIGSEGV


DEFAULT_N = {"segv": 1, "boot": 0, "forkstorm": 1000, "pfstorm": 4096, "cow": 1024, "ipc": 100000,
             "mmap": 10000, "brk": 10000, "crash": 3, "cpu": 10000000}


def reference(name, n):
    value, vals = globals()[name](n)
    return value, fnv(vals)


if __name__ == "__main__":
    name = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_N[name]
    v, c = reference(name, n)
    print("value=%u checksum=%08x" % (v, c))
