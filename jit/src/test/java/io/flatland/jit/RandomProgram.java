package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Decoder;
import io.flatland.cpu.Insn;
import io.flatland.cpu.Op;
import io.flatland.mmu.GuestFault;
import io.flatland.cpu.IoBus;
import io.flatland.mmu.MmioBus;
import io.flatland.mmu.Mmu;
import io.flatland.mmu.PhysicalMemory;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seed-based generator of valid straight-line and looping integer code. Candidate
 * encodings are drawn from the one-byte and 0F opcode maps, then decoded with the real
 * decoder to keep only valid instructions that the test can bound: no control transfer or
 * system instruction (the generator adds its own forward Jccs and counted loops), no write
 * to ESP, memory operands only at absolute addresses inside the scratch area.
 */
final class RandomProgram {
    private static final int[] ONE_BYTE;
    private static final int[] TWO_BYTE = {
        0xAF, 0xB6, 0xB7, 0xBE, 0xBF, 0xA3, 0xAB, 0xB3, 0xBB, 0xBA, 0xBC, 0xBD, 0xA4, 0xA5, 0xAC, 0xAD,
        0xC0, 0xC1, 0xB0, 0xB1, 0xC8, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF,
        0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F,
        0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F};

    static {
        List<Integer> ops = new ArrayList<>();
        for (int b = 0; b < 0x40; b++) {
            int lo = b & 7;
            if (lo <= 5) ops.add(b);                                 // ALU forms
        }
        for (int b : new int[] {0x27, 0x2F, 0x37, 0x3F, 0x69, 0x6B, 0x98, 0x99, 0x9E, 0x9F, 0xA8, 0xA9,
                0xD4, 0xD5, 0xF5, 0xF8, 0xF9, 0xFC, 0xFD, 0x8D, 0xC0, 0xC1, 0xD0, 0xD1, 0xD2, 0xD3, 0xC6, 0xC7,
                0xA4, 0xA5, 0xA6, 0xA7, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF, 0x9C, 0xA0, 0xA1, 0xA2, 0xA3}) ops.add(b);
        for (int b = 0x40; b < 0x60; b++) ops.add(b);
        for (int b = 0x80; b < 0x8C; b++) ops.add(b);
        for (int b = 0x90; b < 0x98; b++) ops.add(b);
        for (int b = 0xB0; b < 0xC0; b++) ops.add(b);
        ops.add(0xF6); ops.add(0xF7); ops.add(0xFE); ops.add(0xFF); ops.add(0x0F);
        ONE_BYTE = ops.stream().mapToInt(Integer::intValue).toArray();
    }

    private final Random rnd;
    /** A private CPU only used to decode candidates. */
    private final PhysicalMemory ram = new PhysicalMemory(1 << 20, new MmioBus());
    private final Cpu decoderCpu;

    RandomProgram(long seed) {
        rnd = new Random(seed);
        decoderCpu = new Cpu(new Mmu(ram), new IoBus());
        decoderCpu.code32 = true;
    }

    void close() { ram.close(); }

    /** A program of about {@code count} instructions ending in {@code cli; hlt}. */
    byte[] program(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int done = 0;
        while (done < count) {
            if (rnd.nextInt(3) == 0) {
                // Counted loop: mov dword [COUNTER], n; body; dec dword [COUNTER]; jnz body
                int n = 1 + rnd.nextInt(12);
                emit(out, 0xC7, 0x05); imm32(out, LockstepMachine.COUNTERS + 8); imm32(out, n);
                byte[] body = chunk(2 + rnd.nextInt(20));
                out.writeBytes(body);
                emit(out, 0xFF, 0x0D); imm32(out, LockstepMachine.COUNTERS + 8);
                if (rnd.nextBoolean()) {
                    // dec; jz out; jmp body (a backward unconditional jump inside a region)
                    emit(out, 0x74, 5);
                    emit(out, 0xE9); imm32(out, -(body.length + 6 + 2 + 5));
                } else {
                    int back = -(body.length + 6 + 2);
                    if (back >= -128) emit(out, 0x75, back & 0xFF);
                    else { emit(out, 0x0F, 0x85); imm32(out, back - 4); }
                }
                done += body.length / 3 * n;
            } else {
                byte[] c = chunk(2 + rnd.nextInt(30));
                out.writeBytes(c);
                done += c.length / 3;
            }
        }
        emit(out, 0xFA, 0xF4);
        return out.toByteArray();
    }

    /** Straight-line instructions with forward Jccs that stay inside the chunk. */
    private byte[] chunk(int n) {
        List<byte[]> insns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int pick = rnd.nextInt(20);
            insns.add(pick < 2 ? subroutine() : pick == 2 ? indirect() : instruction());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(6) == 0) {
                int skip = rnd.nextInt(Math.min(4, n - i) + 1);
                int dist = 0;
                for (int j = i; j < i + skip; j++) dist += insns.get(j).length;
                int cc = rnd.nextInt(16);
                if (rnd.nextInt(4) == 0) {
                    // Unconditional forward jump (regions follow it; the skipped code is dead).
                    if (dist < 128 && rnd.nextBoolean()) emit(out, 0xEB, dist);
                    else { emit(out, 0xE9); imm32(out, dist); }
                } else if (dist < 128 && rnd.nextBoolean()) emit(out, 0x70 + cc, dist);
                else { emit(out, 0x0F, 0x80 + cc); imm32(out, dist); }
            }
            out.writeBytes(insns.get(i));
        }
        return out.toByteArray();
    }

    /**
     * A direct call and return: {@code call f; jmp over; f: body; ret; over:} (a region follows
     * the call and the ret leaves it), or {@code call $+5; pop r} (the get-EIP idiom).
     */
    private byte[] subroutine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (rnd.nextInt(3) == 0) {
            int r = rnd.nextInt(7);
            emit(out, 0xE8); imm32(out, 0);
            emit(out, 0x58 + (r >= Cpu.ESP ? r + 1 : r));
            return out.toByteArray();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int m = 1 + rnd.nextInt(6);
        for (int i = 0; i < m; i++) body.writeBytes(stackNeutral());
        emit(out, 0xE8); imm32(out, 5);
        emit(out, 0xE9); imm32(out, body.size() + 1);
        out.writeBytes(body.toByteArray());
        emit(out, 0xC3);
        return out.toByteArray();
    }

    /**
     * Position-independent indirect transfers (the get-EIP idiom gives the address):
     * {@code call *r} of a local function that returns, or {@code jmp *r} to one of two arms
     * chosen by the low bit of the loop counter, so a region sees several targets.
     */
    private byte[] indirect() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int r = rnd.nextInt(7);
        if (r >= Cpu.ESP) r++;
        emit(out, 0xE8); imm32(out, 0);
        emit(out, 0x58 + r);                       // r = address of this pop
        int popAt = 5;
        if (rnd.nextBoolean()) {
            ByteArrayOutputStream body = body();
            // add r, F - pop; call r; jmp over; F: body; ret; over:
            int f = popAt + 1 + 6 + 2 + 5;
            emit(out, 0x81, 0xC0 + r); imm32(out, f - popAt);
            emit(out, 0xFF, 0xD0 + r);
            emit(out, 0xE9); imm32(out, body.size() + 1);
            out.writeBytes(body.toByteArray());
            emit(out, 0xC3);
        } else {
            ByteArrayOutputStream arm0 = body(), arm1 = body();
            // add r, L0 - pop; test byte [counter], 1; jz +6; add r, L1 - L0; jmp r; L0: arm0; jmp join; L1: arm1; join:
            int l0 = popAt + 1 + 6 + 7 + 2 + 6 + 2;
            emit(out, 0x81, 0xC0 + r); imm32(out, l0 - popAt);
            emit(out, 0xF6, 0x05); imm32(out, LockstepMachine.COUNTERS + 8); out.write(1);
            emit(out, 0x74, 6);
            emit(out, 0x81, 0xC0 + r); imm32(out, arm0.size() + 5);
            emit(out, 0xFF, 0xE0 + r);
            out.writeBytes(arm0.toByteArray());
            emit(out, 0xE9); imm32(out, arm1.size());
            out.writeBytes(arm1.toByteArray());
        }
        return out.toByteArray();
    }

    private ByteArrayOutputStream body() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int m = 1 + rnd.nextInt(5);
        for (int i = 0; i < m; i++) body.writeBytes(stackNeutral());
        return body;
    }

    /** An instruction that leaves ESP alone (so a subroutine body returns where it was called from). */
    private byte[] stackNeutral() {
        for (;;) {
            byte[] b = instruction();
            int i = 0;
            while (i < b.length - 1 && b[i] == 0x66) i++;
            int op = b[i] & 0xFF;
            if (op >= 0x50 && op <= 0x5F || op == 0x9C) continue;
            if (op == 0xFF && i + 1 < b.length && ((b[i + 1] >> 3) & 7) == 6) continue;
            return b;
        }
    }

    /** One valid, bounded instruction. */
    byte[] instruction() {
        for (;;) {
            byte[] b = candidate();
            if (stringCombo) return b;
            Insn in = decode(b);
            if (in != null && acceptable(in)) return trimmed;
        }
    }

    private boolean stringCombo;

    private byte[] candidate() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stringCombo = false;
        if (rnd.nextInt(8) == 0) out.write(0x66);
        int op = ONE_BYTE[rnd.nextInt(ONE_BYTE.length)];
        // String instructions need ESI/EDI in the scratch area.
        if (op >= 0xA4 && op <= 0xAF && op != 0xA8 && op != 0xA9) {
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            emit(s, 0xBE); imm32(s, LockstepMachine.SCRATCH + 0x800 + rnd.nextInt(0x400));
            emit(s, 0xBF); imm32(s, LockstepMachine.SCRATCH + 0xC00 + rnd.nextInt(0x400));
            s.writeBytes(out.toByteArray());
            s.write(op);
            stringCombo = true;
            return s.toByteArray();
        }
        if (op >= 0xA0 && op <= 0xA3) {   // moffs forms
            out.write(op);
            imm32(out, scratchAddress());
            return out.toByteArray();
        }
        out.write(op);
        if (op == 0x0F) out.write(TWO_BYTE[rnd.nextInt(TWO_BYTE.length)]);
        // ModRM (if any) then up to 4 immediate bytes; the decoder tells how much was used.
        int mod = rnd.nextInt(4) == 0 ? 0 : 3;
        int reg = rnd.nextInt(8), rm = rnd.nextInt(8);
        if (mod == 0) {
            out.write(reg << 3 | 5);
            imm32(out, scratchAddress());
        } else {
            out.write(0xC0 | reg << 3 | rm);
        }
        int imm = rnd.nextInt(4) == 0 ? rnd.nextInt(64) : rnd.nextInt();
        imm32(out, imm);
        return out.toByteArray();
    }

    private int scratchAddress() {
        // Mostly aligned, sometimes straddling the page boundary in the middle of the scratch area.
        int off = rnd.nextInt(5) == 0 ? 0x1000 - 1 - rnd.nextInt(3) : rnd.nextInt(0x700);
        return LockstepMachine.SCRATCH + off;
    }

    /** Decodes the candidate and trims it to the instruction's length (the tail held spare immediate bytes). */
    private Insn decode(byte[] b) {
        for (int i = 0; i < b.length; i++) ram.write8(0x1000 + i, b[i]);
        for (int i = b.length; i < 16; i++) ram.write8(0x1000 + i, 0);
        Insn in = new Insn();
        try {
            Decoder.decode(decoderCpu, 0x1000, in);
        } catch (GuestFault f) {
            return null;
        }
        if (in.len > b.length) return null;
        trimmed = java.util.Arrays.copyOf(b, in.len);
        return in;
    }

    private byte[] trimmed;

    private boolean acceptable(Insn in) {
        switch (in.op) {
            case Op.UD, Op.JCC, Op.JMP_E, Op.CALL_E, Op.JMPF_M, Op.CALLF_M, Op.PUSH_E, Op.LSEG, Op.BOUND,
                 Op.CMPXCHG8B, Op.FPU, Op.POP_E, Op.MOV_SE, Op.MOV_ES, Op.ARPL:
                return false;
            default:
                break;
        }
        if (in.lock) return false;
        if (in.op == Op.DIV_E || in.op == Op.IDIV_E) {
            if (rnd.nextInt(4) != 0) return false;   // #DE ends the program: keep it rare
        }
        if (in.op == Op.AAM && (in.imm & 0xFF) == 0 && rnd.nextInt(4) != 0) return false;
        boolean wide = in.size != 1;
        if (wide && in.hasModrm && (in.reg == Cpu.ESP || (!in.mem && in.rm == Cpu.ESP))) return false;
        if (wide && !in.hasModrm && in.sub == Cpu.ESP && (in.op == Op.INC_R || in.op == Op.DEC_R
                || in.op == Op.POP_R || in.op == Op.MOV_RI || in.op == Op.XCHG_AR || in.op == Op.BSWAP)) return false;
        if (in.op == Op.LEA && !in.mem) return false;
        return !(in.mem && in.base >= 0);   // only absolute addresses
    }

    static void emit(ByteArrayOutputStream out, int... bytes) { for (int b : bytes) out.write(b); }

    static void imm32(ByteArrayOutputStream out, int v) {
        out.write(v); out.write(v >>> 8); out.write(v >>> 16); out.write(v >>> 24);
    }
}
