package io.flatland.jit;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Decoder;
import io.flatland.cpu.Insn;
import io.flatland.cpu.Op;
import io.flatland.cpu.OpInfo;
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

    /**
     * Rich programs ({@link LockstepMachine#richSetup} must have prepared the machines): memory
     * operands through every addressing form, segment overrides, LOCK, REP strings, x87, and
     * instructions that may fault, each behind a skip marker for the machine's fault handlers.
     */
    final boolean rich;

    RandomProgram(long seed) { this(seed, false); }

    RandomProgram(long seed, boolean rich) {
        rnd = new Random(seed);
        this.rich = rich;
        decoderCpu = new Cpu(new Mmu(ram), new IoBus());
        decoderCpu.code32 = true;
    }

    void close() { ram.close(); }

    /** A program of about {@code count} instructions ending in {@code cli; hlt}. */
    byte[] program(int count) {
        return program(count, 1);
    }

    /**
     * A program of about {@code count} generated instructions run {@code passes} times (an outer
     * loop counted in COUNTERS+16 that resets ESP each pass, so that unbalanced pushes cannot
     * walk the stack away), ending in {@code cli; hlt}. More passes run more instructions per
     * translation, which a long run needs.
     */
    byte[] program(int count, int passes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (passes > 1) { emit(out, 0xC7, 0x05); imm32(out, LockstepMachine.COUNTERS + 16); imm32(out, passes); }
        int top = out.size();
        if (passes > 1) { emit(out, 0xBC); imm32(out, LockstepMachine.STACK_TOP); }
        int done = 0;
        while (done < count) {
            if (rnd.nextInt(3) == 0) {
                // Counted loop: mov dword [COUNTER], n; body; dec dword [COUNTER]; jnz body
                int n = 1 + rnd.nextInt(12);
                emit(out, 0xC7, 0x05); imm32(out, LockstepMachine.COUNTERS + 8); imm32(out, n);
                long before = generated;
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
                done += rich ? (generated - before) * n : body.length / 3 * n;
            } else {
                long before = generated;
                byte[] c = chunk(2 + rnd.nextInt(30));
                out.writeBytes(c);
                done += rich ? generated - before : c.length / 3;
            }
        }
        if (passes > 1) {
            emit(out, 0xFF, 0x0D); imm32(out, LockstepMachine.COUNTERS + 16);
            emit(out, 0x0F, 0x85); imm32(out, top - (out.size() + 4));
        }
        emit(out, 0xFA, 0xF4);
        return out.toByteArray();
    }

    /**
     * Straight-line instructions with forward Jccs that stay inside the chunk. A jump in front of
     * instruction i skips instructions i .. i+skip-1 and lands where instruction i+skip's jump
     * (if any) begins: built from the end, so that the distance counts the jumps in between.
     */
    private byte[] chunk(int n) {
        List<byte[]> insns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int pick = rnd.nextInt(20);
            insns.add(pick < 2 ? subroutine() : pick == 2 ? indirect() : instruction());
        }
        // The random choices first, in program order; the bytes after, from the end.
        int[] skip = new int[n], kind = new int[n];
        for (int i = 0; i < n; i++) {
            skip[i] = -1;
            if (rnd.nextInt(6) == 0) {
                skip[i] = rnd.nextInt(Math.min(4, n - i) + 1);
                // kind: condition code in bits 0-3, unconditional in bit 4, prefer the short form in bit 5
                kind[i] = rnd.nextInt(16) | (rnd.nextInt(4) == 0 ? 16 : 0) | (rnd.nextBoolean() ? 32 : 0);
            }
        }
        byte[][] blocks = new byte[n][];
        int[] sizeFrom = new int[n + 1];          // bytes from block i's start to the chunk's end
        for (int i = n - 1; i >= 0; i--) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            if (skip[i] >= 0) {
                int dist = skip[i] == 0 ? 0 : insns.get(i).length + sizeFrom[i + 1] - sizeFrom[i + skip[i]];
                boolean small = dist < 128 && (kind[i] & 32) != 0;
                int cc = kind[i] & 15;
                if ((kind[i] & 16) != 0) {
                    // Unconditional forward jump (regions follow it; the skipped code is dead).
                    if (small) emit(b, 0xEB, dist);
                    else { emit(b, 0xE9); imm32(b, dist); }
                } else if (small) emit(b, 0x70 + cc, dist);
                else { emit(b, 0x0F, 0x80 + cc); imm32(b, dist); }
            }
            b.writeBytes(insns.get(i));
            blocks[i] = b.toByteArray();
            sizeFrom[i] = blocks[i].length + sizeFrom[i + 1];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] blk : blocks) out.writeBytes(blk);
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
            switch (lastOp) {
                case Op.PUSH_R, Op.POP_R, Op.PUSH_E, Op.POP_E, Op.PUSH_I, Op.PUSHF, Op.POPF, Op.PUSHA, Op.POPA,
                     Op.PUSH_SEG, Op.POP_SEG, Op.ENTER, Op.LEAVE -> { continue; }
                default -> { return b; }
            }
        }
    }

    /** Instructions {@link #instruction} returned (rich programs count their length with it). */
    private long generated;

    /** The operation of the instruction {@link #instruction} returned last (-1 for a string combination). */
    private int lastOp;

    /** One valid, bounded instruction. */
    byte[] instruction() {
        generated++;
        for (;;) {
            presets.reset();
            byte[] b = candidate();
            if (stringCombo) {
                lastOp = -1;
                return b;
            }
            Insn in = decode(b);
            if (in == null || !acceptable(in)) continue;
            lastOp = in.op;
            if (!rich) return trimmed;
            // The registers an address needs, then (when it may fault) the skip marker
            // "jmp $+3; db length" that the machine's fault handlers read from EIP-1.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(presets.toByteArray());
            if (OpInfo.mayFault(in) || in.op == Op.FPU) emit(out, 0xEB, 0x01, trimmed.length);
            out.writeBytes(trimmed);
            return out.toByteArray();
        }
    }

    /** {@code mov r, imm32} instructions that put the values the memory operand needs into its registers. */
    private final ByteArrayOutputStream presets = new ByteArrayOutputStream();

    private boolean stringCombo;

    private byte[] candidate() {
        stringCombo = false;
        if (rich) return richCandidate();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
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
        if (rich) return richAcceptable(in);
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

    // ---- rich programs ----

    /** Any instruction with a generated memory operand, a string instruction (REP), or x87. */
    private byte[] richCandidate() {
        int kind = rnd.nextInt(24);
        if (kind == 0) return stringInstruction();
        if (kind <= 3) return x87();
        int op = ONE_BYTE[rnd.nextInt(ONE_BYTE.length)];
        if (op >= 0xA4 && op <= 0xAF && op != 0xA8 && op != 0xA9) return stringInstruction();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (rnd.nextInt(12) == 0) out.write(0xF0);            // LOCK: #UD where it is not allowed
        if (rnd.nextInt(6) == 0) out.write(0x66);
        if (op >= 0xA0 && op <= 0xA3) {                       // moffs forms: an absolute offset in the segment
            int seg = segment(false);
            if (SEG_PREFIX[seg] != 0) out.write(SEG_PREFIX[seg]);
            out.write(op);
            imm32(out, target(false, seg) - LockstepMachine.segmentBase(seg));
            return out.toByteArray();
        }
        boolean mem = rnd.nextInt(5) < 2;
        boolean a16 = mem && rnd.nextInt(5) == 0;
        int seg = mem ? segment(a16) : -1;
        if (seg >= 0 && SEG_PREFIX[seg] != 0) out.write(SEG_PREFIX[seg]);
        if (a16) out.write(0x67);
        out.write(op);
        if (op == 0x0F) out.write(TWO_BYTE[rnd.nextInt(TWO_BYTE.length)]);
        int reg = rnd.nextInt(8);
        if (mem) MemoryOperand.encode(rnd, out, presets, reg, a16, target(a16, seg) - LockstepMachine.segmentBase(seg));
        else out.write(0xC0 | reg << 3 | rnd.nextInt(8));
        imm32(out, rnd.nextInt(4) == 0 ? rnd.nextInt(64) : rnd.nextInt());
        return out.toByteArray();
    }

    /** Segment override prefixes by segment register number (0: none, the default segment). */
    private static final int[] SEG_PREFIX = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0};
    private static final int DEFAULT_SEG = 6;

    /**
     * The segment of a memory operand: often the default (flat), often FS or GS (based inside
     * the scratch area), sometimes ES, SS, DS or CS explicitly (flat; a store through CS is #GP).
     * 16-bit addresses reach only 64 KiB of a segment: FS or GS.
     */
    private int segment(boolean a16) {
        if (a16) return rnd.nextBoolean() ? Cpu.FS : Cpu.GS;
        int k = rnd.nextInt(10);
        return k < 4 ? DEFAULT_SEG : k < 6 ? Cpu.FS : k < 8 ? Cpu.GS : new int[] {Cpu.ES, Cpu.CS, Cpu.SS, Cpu.DS}[rnd.nextInt(4)];
    }

    /**
     * The linear address a memory operand reaches: in the scratch area (mostly aligned, sometimes
     * straddling its middle page boundary), or now and then in the page that is not present (#PF).
     */
    private int target(boolean a16, int seg) {
        if (!a16 && rnd.nextInt(60) == 0) return LockstepMachine.BAD_PAGE + rnd.nextInt(0x1000);
        int off = rnd.nextInt(5) == 0 ? 0x1000 - 1 - rnd.nextInt(3) : rnd.nextInt(0x1F00);
        // GS's base is 0x1000 into the scratch area; a 16-bit offset through it cannot go below.
        if (a16 && seg == Cpu.GS) off = 0x1000 + rnd.nextInt(0xF00);
        return LockstepMachine.SCRATCH + off;
    }

    /**
     * MOVS/CMPS/STOS/LODS/SCAS with ESI and EDI in the scratch area, optionally under REP/REPE
     * or REPNE with a small ECX (DF may be either: there is room both ways).
     */
    private byte[] stringInstruction() {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        emit(s, 0xBE); imm32(s, LockstepMachine.SCRATCH + 0x800 + rnd.nextInt(0x400));
        emit(s, 0xBF); imm32(s, LockstepMachine.SCRATCH + 0xC00 + rnd.nextInt(0x400));
        int rep = rnd.nextInt(3);
        if (rep != 0) { emit(s, 0xB9); imm32(s, rnd.nextInt(48)); }
        if (rep != 0) s.write(rep == 1 ? 0xF3 : 0xF2);
        if (rnd.nextInt(4) == 0) s.write(0x66);
        int op;
        do op = 0xA4 + rnd.nextInt(12); while (op == 0xA8 || op == 0xA9);
        s.write(op);
        stringCombo = true;
        return s.toByteArray();
    }

    /**
     * An x87 instruction (D8-DF), register or memory form. Not FLDCW, FLDENV or FRSTOR: a
     * random control word could unmask exceptions (#MF has no skip marker to return past).
     */
    private byte[] x87() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int esc = 0xD8 + rnd.nextInt(8);
        int reg = rnd.nextInt(8);
        boolean mem = rnd.nextInt(3) != 0;
        if (mem && (esc == 0xD9 && (reg == 4 || reg == 5) || esc == 0xDD && reg == 4)) reg = 0;
        if (!mem) {
            emit(out, esc, 0xC0 | reg << 3 | rnd.nextInt(8));
            return out.toByteArray();
        }
        boolean a16 = rnd.nextInt(6) == 0;
        int seg = segment(a16);
        if (SEG_PREFIX[seg] != 0) out.write(SEG_PREFIX[seg]);
        if (a16) out.write(0x67);
        out.write(esc);
        MemoryOperand.encode(rnd, out, presets, reg, a16, target(a16, seg) - LockstepMachine.segmentBase(seg));
        return out.toByteArray();
    }

    /**
     * Rich programs accept more: memory operands are generated with known register values, and
     * faults (#DE, #UD, #GP, #PF, #BR) are skipped by the machine's handlers.
     */
    private boolean richAcceptable(Insn in) {
        switch (in.op) {
            case Op.JCC, Op.JMP_E, Op.CALL_E, Op.JMPF_M, Op.CALLF_M, Op.PUSH_E, Op.POP_E, Op.LSEG, Op.MOV_SE, Op.ARPL:
                return false;
            case Op.UD:
                return rnd.nextInt(3) == 0;
            default:
                break;
        }
        if (in.op == Op.FPU) return true;   // its reg field selects the operation; no x87 form writes ESP
        boolean wide = in.size != 1;
        if (wide && in.hasModrm && (in.reg == Cpu.ESP || (!in.mem && in.rm == Cpu.ESP))) return false;
        if (wide && !in.hasModrm && in.sub == Cpu.ESP && (in.op == Op.INC_R || in.op == Op.DEC_R
                || in.op == Op.POP_R || in.op == Op.MOV_RI || in.op == Op.XCHG_AR || in.op == Op.BSWAP)) return false;
        return in.op != Op.LEA || in.mem;
    }

    static void emit(ByteArrayOutputStream out, int... bytes) { for (int b : bytes) out.write(b); }

    static void imm32(ByteArrayOutputStream out, int v) {
        out.write(v); out.write(v >>> 8); out.write(v >>> 16); out.write(v >>> 24);
    }
}
