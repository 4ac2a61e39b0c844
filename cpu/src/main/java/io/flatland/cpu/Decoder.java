package io.flatland.cpu;

import static io.flatland.cpu.Op.*;
import static io.flatland.cpu.OpcodeTable.*;

/**
 * Decodes one instruction at a linear address: prefixes, the one-byte and 0F maps,
 * ModRM/SIB in both address sizes, displacements and immediates (SDM Vol. 2A ch. 2).
 * Bytes are fetched through the fetch view at the current privilege ({@link Cpu#fetchLin8}),
 * so a fetch from a missing page raises #PF with EIP still at the instruction.
 */
public final class Decoder {
    private Decoder() { }

    /** Architectural limit on instruction length (SDM Vol. 2A §2.3.11); longer raises #GP(0). */
    public static final int MAX_LENGTH = 15;

    private static final class Fetch {
        Cpu cpu;
        int lin;
        int pos;
        /** Bytes to decode from instead of the CPU (the disassembler); null when decoding for execution. */
        byte[] code;

        int next() {
            if (code != null) {
                if (pos >= MAX_LENGTH || lin + pos >= code.length) throw new Truncated();
                return code[lin + pos++] & 0xFF;
            }
            if (pos >= MAX_LENGTH) throw cpu.fault(13, 0);
            return cpu.fetchLin8(lin + pos++);
        }
    }

    private static final ThreadLocal<Fetch> FETCH = ThreadLocal.withInitial(Fetch::new);

    /** Thrown by {@link #decode(byte[], int, boolean, Insn)} when the bytes end inside an instruction (or pass 15). */
    public static final class Truncated extends RuntimeException {
        Truncated() { super(null, null, false, false); }
    }

    /** Decodes the instruction at linear address {@code lin} into {@code in} for the CPU's current mode. */
    public static void decode(Cpu cpu, int lin, Insn in) {
        Fetch f = FETCH.get();
        f.cpu = cpu;
        f.code = null;
        f.lin = lin;
        f.pos = 0;
        decode(f, cpu.code32, in);
    }

    /**
     * Decodes the instruction at {@code code[off]} (the disassembler's entry: the same tables and
     * code path as execution, no CPU). Throws {@link Truncated} if the bytes end first.
     */
    public static void decode(byte[] code, int off, boolean code32, Insn in) {
        Fetch f = FETCH.get();
        f.cpu = null;
        f.code = code;
        f.lin = off;
        f.pos = 0;
        try {
            decode(f, code32, in);
        } finally {
            f.code = null;
        }
    }

    private static void decode(Fetch f, boolean code32, Insn in) {
        in.clear();
        in.code32 = code32;
        boolean o32 = code32, a32 = code32;
        int b;
        for (;;) {
            b = f.next();
            if ((ENTRY[b] & PREFIX) == 0) break;
            switch (b) {
                case 0x26 -> { in.seg = Cpu.ES; in.segOverride = true; }
                case 0x2E -> { in.seg = Cpu.CS; in.segOverride = true; }
                case 0x36 -> { in.seg = Cpu.SS; in.segOverride = true; }
                case 0x3E -> { in.seg = Cpu.DS; in.segOverride = true; }
                case 0x64 -> { in.seg = Cpu.FS; in.segOverride = true; }
                case 0x65 -> { in.seg = Cpu.GS; in.segOverride = true; }
                case 0x66 -> o32 = !code32;
                case 0x67 -> a32 = !code32;
                case 0xF0 -> in.lock = true;
                case 0xF2, 0xF3 -> in.rep = (short) b;
                default -> { }
            }
        }
        int opcode = b;
        if (b == 0x0F) opcode = 0x100 | f.next();
        in.opcode = (short) opcode;
        in.o32 = o32;
        in.a32 = a32;
        int e = ENTRY[opcode];
        int op = OpcodeTable.op(e);
        in.sub = (short) OpcodeTable.sub(e);
        in.size = (byte) ((e & BYTE) != 0 ? 1 : (e & W16) != 0 ? 2 : o32 ? 4 : 2);
        boolean lockable = (e & LOCKABLE) != 0;
        int immForm = OpcodeTable.imm(e);

        if ((e & MODRM) != 0) {
            int m = f.next();
            in.hasModrm = true;
            in.mod = (byte) (m >>> 6);
            in.reg = (byte) ((m >>> 3) & 7);
            in.rm = (byte) (m & 7);
            if (opcode >= 0x120 && opcode <= 0x123) {
                in.mem = false;    // MOV CRn/DRn: mod is ignored, operand is always a register
            } else if (in.mod == 3) {
                in.mem = false;
            } else {
                in.mem = true;
                if (a32) modrm32(f, in); else modrm16(in, f);
                if (!in.segOverride) in.seg = (byte) defaultSeg(in);
            }
            // Resolve opcode groups by ModRM.reg.
            int r = in.reg;
            switch (op) {
                case G1 -> { op = ALU_EI; in.sub = (short) r; lockable = r != 7; }
                case G2 -> {
                    int count = in.sub;
                    in.sub = (short) r;
                    if (count == 2) op = SHIFT_CL;
                    else { op = SHIFT; if (count == 1) in.imm = 1; }
                    if (count != 0) immForm = I_NONE;
                }
                case G3 -> {
                    switch (r) {
                        case 0, 1 -> { op = TEST_EI; immForm = in.size == 1 ? I_B : I_Z; }
                        case 2 -> { op = NOT_E; lockable = true; }
                        case 3 -> { op = NEG_E; lockable = true; }
                        case 4 -> op = MUL_E;
                        case 5 -> op = IMUL_E;
                        case 6 -> op = DIV_E;
                        default -> op = IDIV_E;
                    }
                }
                case G4 -> { op = r == 0 ? INC_E : r == 1 ? DEC_E : UD; lockable = true; }
                case G5 -> {
                    switch (r) {
                        case 0 -> { op = INC_E; lockable = true; }
                        case 1 -> { op = DEC_E; lockable = true; }
                        case 2 -> op = CALL_E;
                        case 3 -> op = in.mem ? CALLF_M : UD;
                        case 4 -> op = JMP_E;
                        case 5 -> op = in.mem ? JMPF_M : UD;
                        case 6 -> op = PUSH_E;
                        default -> op = UD;
                    }
                }
                case G6 -> op = switch (r) {
                    case 0 -> SLDT; case 1 -> STR; case 2 -> LLDT; case 3 -> LTR; case 4 -> VERR; case 5 -> VERW;
                    default -> UD;
                };
                case G7 -> {
                    op = switch (r) {
                        case 0 -> SGDT; case 1 -> SIDT; case 2 -> LGDT; case 3 -> LIDT; case 4 -> SMSW;
                        case 6 -> LMSW; case 7 -> INVLPG; default -> UD;
                    };
                    if (!in.mem && r != 4 && r != 6) {
                        // Register forms of 0F 01 /1 and /7 are further opcodes (SDM Vol. 2, Table A-6).
                        op = r == 1 && in.rm == 2 ? CLAC : r == 1 && in.rm == 3 ? STAC : r == 7 && in.rm == 1 ? RDTSCP : UD;
                    }
                    if (r == 4 || r == 6) in.size = 2;
                }
                case G8 -> { op = r >= 4 ? BT_EI : UD; in.sub = (short) (r - 4); lockable = r > 4; }
                case G9 -> { op = r == 1 && in.mem ? CMPXCHG8B : UD; lockable = true; }
                case G8F -> op = r == 0 ? POP_E : UD;
                case GC6 -> op = r == 0 ? MOV_EI : UD;
                default -> { }
            }
        }
        switch (immForm) {
            case I_B -> in.imm = f.next();
            case I_BS -> in.imm = (byte) f.next();
            case I_W -> in.imm = imm16(f);
            case I_Z -> in.imm = o32 ? imm32(f) : (short) imm16(f);
            case I_MOFFS -> {
                in.disp = a32 ? imm32(f) : imm16(f);
                in.mem = true;
            }
            case I_PTR -> {
                in.imm = o32 ? imm32(f) : imm16(f);
                in.imm2 = imm16(f);
            }
            case I_ENTER -> {
                in.imm = imm16(f);
                in.imm2 = f.next();
            }
            default -> { }
        }
        if (in.lock && (!lockable || !in.mem)) op = UD;
        in.op = (short) op;
        in.len = (byte) f.pos;
        in.handler = FastForms.handlerFor(in, Exec.handler(op));
        f.cpu = null;
    }

    private static int imm16(Fetch f) {
        int lo = f.next();
        return lo | f.next() << 8;
    }

    private static int imm32(Fetch f) {
        int b0 = f.next(), b1 = f.next(), b2 = f.next();
        return b0 | b1 << 8 | b2 << 16 | f.next() << 24;
    }

    private static int defaultSeg(Insn in) {
        if (in.a32) return in.base == Cpu.ESP || in.base == Cpu.EBP ? Cpu.SS : Cpu.DS;
        return in.base == Cpu.EBP ? Cpu.SS : Cpu.DS;
    }

    // 16-bit forms (SDM Vol. 2A Table 2-1): base BX/BP, index SI/DI.
    private static final int[] BASE16 = {Cpu.EBX, Cpu.EBX, Cpu.EBP, Cpu.EBP, -1, -1, Cpu.EBP, Cpu.EBX};
    private static final int[] INDEX16 = {Cpu.ESI, Cpu.EDI, Cpu.ESI, Cpu.EDI, Cpu.ESI, Cpu.EDI, -1, -1};

    private static void modrm16(Insn in, Fetch f) {
        if (in.mod == 0 && in.rm == 6) {
            in.disp = imm16(f);
            return;
        }
        in.base = (byte) BASE16[in.rm];
        in.index = (byte) INDEX16[in.rm];
        if (in.base == -1) { in.base = in.index; in.index = -1; }
        if (in.mod == 1) in.disp = (byte) f.next();
        else if (in.mod == 2) in.disp = (short) imm16(f);
    }

    // 32-bit forms (SDM Vol. 2A Tables 2-2 and 2-3).
    private static void modrm32(Fetch f, Insn in) {
        int rm = in.rm;
        if (rm == 4) {
            int sib = f.next();
            in.scale = (byte) (sib >>> 6);
            int idx = (sib >>> 3) & 7;
            in.index = (byte) (idx == 4 ? -1 : idx);
            int base = sib & 7;
            if (base == 5 && in.mod == 0) {
                in.base = -1;
                in.disp = imm32(f);
                return;
            }
            in.base = (byte) base;
        } else if (rm == 5 && in.mod == 0) {
            in.disp = imm32(f);
            return;
        } else {
            in.base = (byte) rm;
        }
        if (in.mod == 1) in.disp = (byte) f.next();
        else if (in.mod == 2) in.disp = imm32(f);
    }
}
