#!/usr/bin/env python3
"""Generates a Multiboot kernel of N random x87 cases for differential testing against
qemu-system-i386. Each case: FNINIT, FLDCW with random rounding/precision control and
exception masks, operands loaded from memory (80-bit specials: +-0, +-inf, QNaN, SNaN,
denormals, pseudo-denormals, unnormals, huge/tiny, ties), one x87 instruction, then a dump
of ST0 and ST1 (raw 80 bits), FSW, FCW, EFLAGS (for FCOMI and friends) and 12 bytes of
memory result (stores). Never uses FWAIT or FNOP, so unmasked exceptions never trap.

Usage: gen_fpu_fuzz.py SEED COUNT [trans] > out.S
With 'trans' the transcendental instructions are generated too.
"""
import random
import sys


def f80_normal(rng, elo=0x3fff - 70, ehi=0x3fff + 70):
    e = rng.randrange(elo, ehi)
    k = rng.randrange(6)
    if k == 0:
        sig = (1 << 63) | (rng.getrandbits(8) << 55)          # few significant bits
    elif k == 1:                                             # near a 24/53/64-bit rounding boundary
        p = rng.choice([24, 53])
        sig = (1 << 63) | (rng.getrandbits(p - 1) << (64 - p)) | rng.choice([1 << (63 - p), (1 << (63 - p)) - 1, (1 << (63 - p)) + 1, 1])
        sig &= (1 << 64) - 1
        sig |= 1 << 63
    else:
        sig = (1 << 63) | rng.getrandbits(63)
    return (rng.getrandbits(1) << 15) | e, sig


def f80(rng):
    s = rng.getrandbits(1) << 15
    k = rng.randrange(40)
    if k < 14:
        return f80_normal(rng)
    if k < 17:
        return f80_normal(rng, 1, 0x3fff + 16400 - 0x3fff if False else 0x7fff)
    if k == 17:
        return s, 0
    if k == 18:
        return s | 0x7fff, 1 << 63
    if k == 19:
        return s | 0x7fff, (3 << 62) | rng.getrandbits(62) * rng.getrandbits(1)          # QNaN
    if k == 20:
        return s | 0x7fff, (1 << 63) | (rng.getrandbits(62) or 1)                        # SNaN
    if k == 21:
        return s, rng.getrandbits(63) >> rng.randrange(60)                               # denormal
    if k == 22:
        return s, (1 << 63) | rng.getrandbits(63)                                        # pseudo-denormal
    if k == 23:
        return s | rng.randrange(1, 0x7fff), rng.getrandbits(63)                         # unnormal (invalid)
    if k == 24:
        return s | rng.choice([0x7ffe, 0x7ffd, 1, 2]), (1 << 63) | rng.getrandbits(63)   # huge / tiny
    if k == 25:
        v = rng.randrange(1, 1 << rng.randrange(1, 64))                                 # integer
        e = v.bit_length() - 1
        return s | (0x3fff + e), v << (63 - e)
    if k == 26:
        v = rng.randrange(1, 1 << rng.randrange(1, 20)) * 2 + 1                          # k + 0.5
        e = v.bit_length() - 1
        return s | (0x3fff + e - 1), v << (63 - e)
    if k == 27:
        return s | 0x3fff, 1 << 63                                                       # +-1
    if k == 28:
        return s | rng.randrange(0x3f00, 0x4100), (1 << 63) | rng.getrandbits(63)
    if k == 29:                                                                          # extreme exponent gaps
        return s | rng.randrange(1, 0x7fff), (1 << 63) | rng.getrandbits(63)
    return f80_normal(rng, 0x3fff - 3, 0x3fff + 3)


def f32(rng):
    k = rng.randrange(10)
    s = rng.getrandbits(1) << 31
    if k == 0:
        return s | rng.choice([0, 0x7f800000, 0x7fc00000, 0x7f800001, 0x7fa00000, 0x00000001, 0x007fffff, 0x00800000, 0x7f7fffff])
    if k == 1:
        return s | rng.getrandbits(23)
    return rng.getrandbits(32)


def f64(rng):
    k = rng.randrange(10)
    s = rng.getrandbits(1) << 63
    if k == 0:
        return s | rng.choice([0, 0x7ff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001, 0x7ff4000000000000,
                               1, 0x000fffffffffffff, 0x0010000000000000, 0x7fefffffffffffff])
    if k == 1:
        return s | rng.getrandbits(52)
    if k == 2:
        return s | (rng.randrange(1023 - 30, 1023 + 30) << 52) | rng.getrandbits(52)
    return rng.getrandbits(64)


def int_val(rng, bits):
    edges = [0, 1, -1, 2, (1 << (bits - 1)) - 1, -(1 << (bits - 1)), 100, -100]
    if rng.random() < 0.3:
        v = rng.choice(edges)
    else:
        v = rng.getrandbits(rng.randrange(1, bits + 1))
        if rng.getrandbits(1):
            v = -v
        v = max(min(v, (1 << (bits - 1)) - 1), -(1 << (bits - 1)))
    return v & ((1 << bits) - 1)


def bcd(rng):
    digits = rng.randrange(1, 19)
    b = 0
    for i in range(digits):
        b |= rng.randrange(10) << (4 * i)
    return b | (rng.choice([0, 0x80]) << 72)


ARITH = ["fadd", "fsub", "fsubr", "fmul", "fdiv", "fdivr"]


def gen_case(rng, i, trans):
    """Returns (data_lines, code_lines)."""
    data = []
    code = []
    labels = {}

    def d80(name, v=None):
        se, sig = v if v is not None else f80(rng)
        lab = f"c{i}_{name}"
        data.append(f"{lab}: .quad {sig:#x}\n .word {se:#x}")
        return lab

    def d32(name, v):
        lab = f"c{i}_{name}"
        data.append(f"{lab}: .long {v:#x}")
        return lab

    def d64(name, v):
        lab = f"c{i}_{name}"
        data.append(f"{lab}: .quad {v:#x}")
        return lab

    a = d80("a")
    b = d80("b")

    def load2():
        code.append(f"fld tbyte ptr [{b}]")
        code.append(f"fld tbyte ptr [{a}]")

    k = rng.randrange(100)
    if k < 30:
        op = rng.choice(ARITH)
        form = rng.randrange(6)
        load2()
        if form == 0:
            code.append(f"{op} st, st(1)")
        elif form == 1:
            code.append(f"{op} st(1), st")
        elif form == 2:
            code.append(f"{op}p st(1), st")
        elif form == 3:
            code.append(f"{op} dword ptr [{d32('m', f32(rng))}]")
        elif form == 4:
            code.append(f"{op} qword ptr [{d64('m', f64(rng))}]")
        else:
            if rng.getrandbits(1):
                code.append(f"fi{op[1:]} dword ptr [{d32('m', int_val(rng, 32))}]")
            else:
                code.append(f"fi{op[1:]} word ptr [{d32('m', int_val(rng, 16))}]")
    elif k < 42:
        load2()
        form = rng.randrange(14)
        if form == 0:
            code.append("fcom st(1)")
        elif form == 1:
            code.append("fcomp st(1)")
        elif form == 2:
            code.append("fcompp")
        elif form == 3:
            code.append("fucom st(1)")
        elif form == 4:
            code.append("fucomp st(1)")
        elif form == 5:
            code.append("fucompp")
        elif form == 6:
            code.append(rng.choice(["fcomi st, st(1)", "fcomip st, st(1)", "fucomi st, st(1)", "fucomip st, st(1)"]))
        elif form == 7:
            code.append(f"{rng.choice(['fcom', 'fcomp'])} dword ptr [{d32('m', f32(rng))}]")
        elif form == 8:
            code.append(f"{rng.choice(['fcom', 'fcomp'])} qword ptr [{d64('m', f64(rng))}]")
        elif form == 9:
            code.append(f"{rng.choice(['ficom', 'ficomp'])} dword ptr [{d32('m', int_val(rng, 32))}]")
        elif form == 10:
            code.append(f"{rng.choice(['ficom', 'ficomp'])} word ptr [{d32('m', int_val(rng, 16))}]")
        elif form == 11:
            code.append("ftst")
        else:
            code.append("fxam")
    elif k < 56:
        load2()
        code.append(rng.choice(["fchs", "fabs", "fsqrt", "fsqrt", "frndint", "frndint", "fxtract", "fscale",
                                "fprem", "fprem1", "fprem", "fprem1"]))
        if code[-1] == "fscale" and rng.getrandbits(1):
            # ST1 a modest scale factor
            code.clear()
            v = rng.randrange(-20000, 20000) if rng.getrandbits(1) else rng.randrange(-80, 80)
            code.append(f"fild dword ptr [{d32('n', v & 0xffffffff)}]")
            code.append(f"fld tbyte ptr [{a}]")
            code.append("fscale")
        if code[-1] in ("fprem", "fprem1") and rng.getrandbits(1):
            code.clear()
            se, sig = f80_normal(rng)
            se2 = (se & 0x8000) | max(1, min(0x7ffe, (se & 0x7fff) + rng.randrange(-3, 130)))
            code.append(f"fld tbyte ptr [{b}]")
            code.append(f"fld tbyte ptr [{d80('p', (se2, sig))}]")
            code.append(code.pop() and rng.choice(["fprem", "fprem1"]))
    elif k < 66:
        form = rng.randrange(7)
        if form == 0:
            code.append(f"fld dword ptr [{d32('m', f32(rng))}]")
        elif form == 1:
            code.append(f"fld qword ptr [{d64('m', f64(rng))}]")
        elif form == 2:
            code.append(f"fild word ptr [{d32('m', int_val(rng, 16))}]")
        elif form == 3:
            code.append(f"fild dword ptr [{d32('m', int_val(rng, 32))}]")
        elif form == 4:
            code.append(f"fild qword ptr [{d64('m', int_val(rng, 64))}]")
        elif form == 5:
            v = bcd(rng)
            lab = f"c{i}_m"
            data.append(f"{lab}: .quad {v & ((1 << 64) - 1):#x}\n .word {v >> 64:#x}")
            code.append(f"fbld tbyte ptr [{lab}]")
        else:
            code.append(rng.choice(["fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2", "fldz"]))
    elif k < 84:
        load2()
        form = rng.randrange(10)
        code.append({0: "fst dword ptr [res]", 1: "fstp dword ptr [res]", 2: "fst qword ptr [res]",
                     3: "fstp qword ptr [res]", 4: "fist word ptr [res]", 5: "fistp dword ptr [res]",
                     6: "fistp qword ptr [res]", 7: "fbstp tbyte ptr [res]",
                     8: rng.choice(["fisttp word ptr [res]", "fisttp dword ptr [res]", "fisttp qword ptr [res]"]),
                     9: "fist dword ptr [res]"}[form])
    elif k < 92:
        load2()
        form = rng.randrange(8)
        if form == 0:
            code.append("fxch st(1)")
        elif form == 1:
            code.append("fld st(1)")
        elif form == 2:
            code.append("fst st(1)")
        elif form == 3:
            code.append("fstp st(1)")
        elif form == 4:
            code.append(rng.choice(["fincstp", "fdecstp"]))
        elif form == 5:
            code.append("ffree st(1)")
            code.append("fxam")
        else:
            fl = (rng.getrandbits(12) & 0x8D5) | 2
            code.append(f"push {fl}")
            code.append("popfd")
            code.append(f"fcmov{rng.choice(['b', 'e', 'be', 'u', 'nb', 'ne', 'nbe', 'nu'])} st, st(1)")
    else:
        # environment: FNSTENV after an operation, dump three words of it
        load2()
        code.append("fadd st, st(1)")
        code.append("fnstenv [envbuf]")
        code.append("mov eax, dword ptr [envbuf]")
        code.append("mov dword ptr [res], eax")
        code.append("mov eax, dword ptr [envbuf+4]")
        code.append("mov dword ptr [res+4], eax")
        code.append("mov eax, dword ptr [envbuf+8]")
        code.append("mov dword ptr [res+8], eax")
    if trans and rng.random() < 0.5:
        code.clear()
        load2()
        code.append(rng.choice(["fsin", "fcos", "fsincos", "fptan", "f2xm1", "fyl2x", "fyl2xp1", "fpatan"]))
    return data, code


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    trans = len(sys.argv) > 3 and sys.argv[3] == "trans"
    rng = random.Random(seed)
    out = [".intel_syntax noprefix", ".section .multiboot", ".align 4",
           ".long 0x1BADB002", ".long 0", ".long -0x1BADB002",
           ".section .bss", ".align 16", "stack: .skip 16384", "stack_top:",
           ".section .data", ".align 16", ".globl fpdump", "fpdump: .skip 48", "res: .skip 16", "envbuf: .skip 32",
           ".section .note.GNU-stack,\"\",@progbits", ".section .text", ".globl _start", "_start:",
           "mov esp, offset stack_top", "call serial_init"]
    for i in range(count):
        data, code = gen_case(rng, i, trans)
        rc = rng.randrange(4)
        pc = rng.choice([0, 2, 3, 3, 1])
        masks = 0x3f if rng.random() < 0.8 else rng.getrandbits(6)
        cw = masks | (pc << 8) | (rc << 10) | (0x40 if rng.random() < 0.9 else rng.getrandbits(16) & 0xf0c0)
        out.append(".section .data")
        out.extend(data)
        out.append(".section .text")
        out.append(f"# case {i}")
        out.append("fninit")
        out.append(f"push {cw}")
        out.append("fldcw word ptr [esp]")
        out.append("add esp, 4")
        out.append("mov dword ptr [res], 0x5a5a5a5a")
        out.append("mov dword ptr [res+4], 0x5a5a5a5a")
        out.append("mov dword ptr [res+8], 0x5a5a5a5a")
        out.append("push 0x2")
        out.append("popfd")
        out.extend(code)
        out += ["fnstsw word ptr [fpdump+20]", "fnstcw word ptr [fpdump+22]",
                "pushfd", "pop dword ptr [fpdump+24]",
                "fstp tbyte ptr [fpdump]", "fstp tbyte ptr [fpdump+10]",
                "mov eax, dword ptr [res]", "mov dword ptr [fpdump+28], eax",
                "mov eax, dword ptr [res+4]", "mov dword ptr [fpdump+32], eax",
                "mov eax, dword ptr [res+8]", "mov dword ptr [fpdump+36], eax",
                "call dump_fpu"]
    out += ["call finish"]
    print("\n".join(out))


if __name__ == "__main__":
    main()
