#!/usr/bin/env python3
"""Generates a Multiboot kernel that runs N random integer instructions on random operands
and dumps registers, arithmetic flags and a scratch buffer after each one. Run under
qemu-system-i386 it records the reference; under Flatland the output must be identical.

Usage: gen_alu_fuzz.py SEED COUNT > out.S
Instructions never fault: divisors and dividends are chosen so no #DE occurs.
"""
import random
import sys

R32 = ["eax", "ecx", "edx", "ebx", "ebp", "esi", "edi"]
R16 = ["ax", "cx", "dx", "bx", "bp", "si", "di"]
R8 = ["al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"]
CC = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"]
ALU = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp", "test"]
SHIFT = ["shl", "shr", "sar", "rol", "ror", "rcl", "rcr"]
EDGE = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE]


def val(rng):
    if rng.random() < 0.35:
        return rng.choice(EDGE)
    return rng.getrandbits(32)


def mem(rng, size):
    kw = {1: "byte", 2: "word", 4: "dword"}[size]
    return f"{kw} ptr [scratch+{rng.randrange(0, 16 - size + 1)}]"


def reg(rng, size):
    return rng.choice({1: R8, 2: R16, 4: R32}[size])


def rm(rng, size):
    return mem(rng, size) if rng.random() < 0.3 else reg(rng, size)


def gen_insn(rng):
    """Returns (setup_lines, instruction_lines)."""
    k = rng.randrange(24)
    size = rng.choice([1, 2, 4])
    setup = []
    if k <= 4:
        op = rng.choice(ALU)
        if rng.random() < 0.5:
            return setup, [f"{op} {rm(rng, size)}, {reg(rng, size)}"]
        imm = val(rng) & ((1 << (8 * size)) - 1)
        if size > 1 and rng.random() < 0.3 and op != "test":
            imm = rng.randrange(-128, 128)  # sign-extended imm8 form
        return setup, [f"{op} {rm(rng, size)}, {imm}"]
    if k == 5:
        return setup, [f"{rng.choice(['inc', 'dec', 'neg', 'not'])} {rm(rng, size)}"]
    if k == 6:
        op = rng.choice(SHIFT)
        if rng.random() < 0.5:
            return setup, [f"{op} {rm(rng, size)}, {rng.choice([0, 1, 2, 7, 8, 9, 15, 16, 17, 31, rng.randrange(32)])}"]
        if rng.random() < 0.3:
            return setup, [f"{op} {rm(rng, size)}, 1"]
        setup.append(f"mov cl, {rng.choice([0, 1, 7, 8, 9, 16, 17, 31, 32, 33, 63, 255, rng.randrange(256)])}")
        dst = rm(rng, size)
        while dst in ("cl", "cx", "ecx"):
            dst = rm(rng, size)
        return setup, [f"{op} {dst}, cl"]
    if k == 7:
        s = rng.choice([2, 4])
        op = rng.choice(["shld", "shrd"])
        if rng.random() < 0.5:
            return setup, [f"{op} {rm(rng, s)}, {reg(rng, s)}, {rng.randrange(32)}"]
        setup.append(f"mov cl, {rng.randrange(64)}")
        return setup, [f"{op} {rm(rng, s)}, {rng.choice(R32 if s == 4 else R16)}, cl"]
    if k == 8:
        op = rng.choice(["mul", "imul"])
        return setup, [f"{op} {rm(rng, size)}"]
    if k == 9:
        s = rng.choice([2, 4])
        if rng.random() < 0.5:
            return setup, [f"imul {reg(rng, s)}, {rm(rng, s)}"]
        return setup, [f"imul {reg(rng, s)}, {rm(rng, s)}, {rng.randrange(-32768, 32768) if s == 2 else val(rng) - (1 << 31)}"]
    if k == 10:
        # Division without #DE: the high half is reduced below the divisor.
        s = rng.choice([1, 2, 4])
        d = val(rng) & ((1 << (8 * s)) - 1) or 3
        signed = rng.random() < 0.5
        if s == 1:
            if signed:
                a = rng.randrange(-128, 128) * (rng.choice([1, 2, 3]) if abs(d) > 3 else 1)
                dv = d if d < 128 else d - 256
                if dv == 0 or not -128 <= int(a / dv) <= 127:
                    a = 5
                setup += [f"mov ax, {a & 0xFFFF}", f"mov bl, {d}"]
                return setup, ["idiv bl"]
            setup += [f"mov ax, {((rng.randrange(d)) << 8) | rng.randrange(256)}", f"mov bl, {d}"]
            return setup, ["div bl"]
        hi = {2: "dx", 4: "edx"}[s]
        lo = {2: "ax", 4: "eax"}[s]
        dr = {2: "bx", 4: "ebx"}[s]
        if signed:
            a = val(rng) & ((1 << (8 * s)) - 1)
            neg = a >> (8 * s - 1)
            dv = d - (1 << (8 * s)) if d >> (8 * s - 1) else d
            av = a - (1 << (8 * s)) if neg else a
            if dv == -1 and av == -(1 << (8 * s - 1)):
                dv, d = 7, 7
            setup += [f"mov {lo}, {a}", f"mov {hi}, {((1 << (8 * s)) - 1) if neg else 0}", f"mov {dr}, {d}"]
            return setup, [f"idiv {dr}"]
        setup += [f"mov {lo}, {val(rng) & ((1 << (8 * s)) - 1)}", f"mov {hi}, {rng.randrange(d)}", f"mov {dr}, {d}"]
        return setup, [f"div {dr}"]
    if k == 11:
        s = rng.choice([2, 4])
        op = rng.choice(["bt", "bts", "btr", "btc"])
        if rng.random() < 0.5:
            return setup, [f"{op} {rm(rng, s)}, {rng.randrange(256) & (31 if s == 4 else 15) if rng.random() < 0.5 else rng.randrange(256)}"]
        return setup, [f"{op} {reg(rng, s)}, {reg(rng, s)}"]
    if k == 12:
        s = rng.choice([2, 4])
        return setup, [f"{rng.choice(['bsf', 'bsr'])} {reg(rng, s)}, {rm(rng, s)}"]
    if k == 13:
        return setup, [f"bswap {rng.choice(R32)}"]
    if k == 14:
        op = rng.choice(["xadd", "cmpxchg"])
        return setup, [f"{op} {rm(rng, size)}, {reg(rng, size)}"]
    if k == 15:
        s = rng.choice([2, 4])
        return setup, [f"cmov{rng.choice(CC)} {reg(rng, s)}, {rm(rng, s)}"]
    if k == 16:
        return setup, [f"set{rng.choice(CC)} {rm(rng, 1)}"]
    if k == 17:
        op = rng.choice(["daa", "das", "aaa", "aas", "aam", "aad", "aam_imm", "aad_imm"])
        if op == "aam_imm":
            return setup, [f"aam {rng.randrange(1, 256)}"]
        if op == "aad_imm":
            return setup, [f"aad {rng.randrange(256)}"]
        return setup, [op]
    if k == 18:
        return setup, [rng.choice(["cbw", "cwde", "cwd", "cdq", "lahf", "sahf", "clc", "stc", "cmc", "nop"])]
    if k == 19:
        op = rng.choice(["movsx", "movzx"])
        s = rng.choice([1, 2])
        d = 4 if s == 2 or rng.random() < 0.5 else 2
        return setup, [f"{op} {reg(rng, d)}, {rm(rng, s)}"]
    if k == 20:
        s = rng.choice([2, 4])
        base = rng.choice(["eax", "ebx", "ecx", "esi", "edi", "ebp"])
        idx = rng.choice(["eax", "ebx", "ecx", "esi", "edi", "edx"])
        return setup, [f"lea {reg(rng, s)}, [{base}+{idx}*{rng.choice([1, 2, 4, 8])}+{rng.randrange(-2**31, 2**31)}]"]
    if k == 21:
        return setup, [f"xchg {rm(rng, size)}, {reg(rng, size)}"]
    if k == 22:
        s = rng.choice([2, 4])
        return setup, [f"{rng.choice(['inc', 'dec'])} {reg(rng, s)}"]
    return setup, [f"{rng.choice(['adc', 'sbb'])} {reg(rng, size)}, {rm(rng, size)}"]


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    out = [".intel_syntax noprefix", ".section .multiboot", ".align 4",
           ".long 0x1BADB002", ".long 0", ".long -0x1BADB002",
           ".section .bss", ".align 16", "stack: .skip 16384", "stack_top:",
           ".section .data", ".align 16", ".globl scratch", "scratch: .long 0x89abcdef, 0x01234567, 0x80000000, 0x7fffffff",
           ".section .note.GNU-stack,\"\",@progbits", ".section .text", ".globl _start", "_start:", "mov esp, offset stack_top", "call serial_init"]
    for i in range(count):
        setup, insns = gen_insn(rng)
        regs = {r: val(rng) for r in R32}
        flags = (rng.getrandbits(12) & 0x8D5) | 2
        out.append(f"# case {i}")
        for r in R32:
            out.append(f"mov {r}, {regs[r]}")
        out.extend(setup)
        out.append(f"push {flags}")
        out.append("popfd")
        out.extend(insns)
        out.append("call dump")
    out += ["call finish",
            "dump:", "pushfd", "pushad", "push esp", "call dump_c", "add esp, 4", "popad", "popfd", "ret"]
    print("\n".join(out))


if __name__ == "__main__":
    main()
