package io.flatland.jit;

import io.flatland.cpu.Cpu;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Encodes a random ModRM memory operand (every mod 0/1/2 form; SIB with every scale, index
 * and base; or the eight 16-bit forms) that reaches a chosen effective address, and emits
 * {@code mov r, imm32} presets giving its base and index registers the values that make it so.
 * Values are chosen so that sums wrap (32-bit sums past 2^32, 16-bit sums past 64 KiB) and
 * 16-bit registers carry junk in their upper halves, which the address must ignore.
 */
final class MemoryOperand {
    private MemoryOperand() { }

    private static final int NONE = -1;
    /** The 16-bit forms' registers by r/m: BX+SI, BX+DI, BP+SI, BP+DI, SI, DI, BP, BX. */
    private static final int[][] FORMS16 = {
        {Cpu.EBX, Cpu.ESI}, {Cpu.EBX, Cpu.EDI}, {Cpu.EBP, Cpu.ESI}, {Cpu.EBP, Cpu.EDI},
        {Cpu.ESI, NONE}, {Cpu.EDI, NONE}, {Cpu.EBP, NONE}, {Cpu.EBX, NONE}};

    /** Writes ModRM (with {@code reg}), SIB and displacement to {@code out}; register presets to {@code presets}. */
    static void encode(Random rnd, ByteArrayOutputStream out, ByteArrayOutputStream presets, int reg, boolean a16, int ea) {
        if (a16) encode16(rnd, out, presets, reg, ea & 0xFFFF);
        else encode32(rnd, out, presets, reg, ea);
    }

    private static void encode16(Random rnd, ByteArrayOutputStream out, ByteArrayOutputStream presets, int reg, int ea) {
        int mod = rnd.nextInt(3), rm = rnd.nextInt(8);
        out.write(mod << 6 | reg << 3 | rm);
        if (mod == 0 && rm == 6) {          // [disp16]
            disp(out, ea, 2);
            return;
        }
        int disp = mod == 0 ? 0 : mod == 1 ? (byte) rnd.nextInt() : rnd.nextInt() & 0xFFFF;
        if (mod == 1) out.write(disp);
        if (mod == 2) disp(out, disp, 2);
        int[] regs = FORMS16[rm];
        int first = regs[1] == NONE ? (ea - disp) & 0xFFFF : rnd.nextInt() & 0xFFFF;
        preset(presets, regs[0], rnd.nextInt() & 0xFFFF0000 | first);
        if (regs[1] != NONE) preset(presets, regs[1], rnd.nextInt() & 0xFFFF0000 | (ea - disp - first) & 0xFFFF);
    }

    private static void encode32(Random rnd, ByteArrayOutputStream out, ByteArrayOutputStream presets, int reg, int ea) {
        int mod = rnd.nextInt(3), rm = rnd.nextInt(8);
        if (mod == 0 && rm == 5) {          // [disp32]
            out.write(reg << 3 | 5);
            disp(out, ea, 4);
            return;
        }
        int disp = mod == 0 ? 0 : mod == 1 ? (byte) rnd.nextInt() : rnd.nextInt();
        if (rm != 4) {                      // [base + disp]
            out.write(mod << 6 | reg << 3 | rm);
            if (mod == 1) out.write(disp);
            if (mod == 2) disp(out, disp, 4);
            preset(presets, rm, ea - disp);
            return;
        }
        // SIB. ESP as a base would need ESP's value: another base instead. Index 4 means none.
        int scale = rnd.nextInt(4), index = rnd.nextInt(8), base;
        do base = rnd.nextInt(8); while (base == Cpu.ESP);
        boolean noBase = mod == 0 && base == 5;     // [index*scale + disp32]
        if (index == base && !noBase) index = 4;
        int indexValue = index == 4 ? 0 : rnd.nextBoolean() ? rnd.nextInt(256) - 128 : rnd.nextInt();
        if (noBase) disp = ea - (indexValue << scale);
        out.write(mod << 6 | reg << 3 | 4);
        out.write(scale << 6 | index << 3 | base);
        if (mod == 1) out.write(disp);
        if (mod == 2 || noBase) disp(out, disp, 4);
        if (index != 4) preset(presets, index, indexValue);
        if (!noBase) preset(presets, base, ea - disp - (indexValue << scale));
    }

    private static void preset(ByteArrayOutputStream presets, int r, int value) {
        presets.write(0xB8 + r);
        disp(presets, value, 4);
    }

    private static void disp(ByteArrayOutputStream out, int v, int bytes) {
        for (int i = 0; i < bytes; i++) out.write(v >>> (8 * i));
    }
}
