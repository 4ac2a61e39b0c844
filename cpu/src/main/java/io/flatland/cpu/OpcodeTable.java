package io.flatland.cpu;

import static io.flatland.cpu.Op.*;

/**
 * The one opcode table: for each one-byte opcode (0x000-0x0FF) and 0F-map opcode
 * (0x100-0x1FF), the operation id, whether a ModRM byte follows, whether the operands are
 * bytes, the immediate form and the sub-kind. The decoder, the interpreter and the
 * translator all read it.
 */
public final class OpcodeTable {
    private OpcodeTable() { }

    public static final int MODRM = 1 << 10, BYTE = 1 << 11;
    public static final int IMM_SHIFT = 12, IMM_MASK = 0xF << IMM_SHIFT;
    /** Immediate forms. */
    public static final int I_NONE = 0, I_B = 1, I_BS = 2, I_W = 3, I_Z = 4, I_MOFFS = 5, I_PTR = 6, I_ENTER = 7;
    /** Marks a prefix byte. */
    public static final int PREFIX = 1 << 16;
    /** Operand size is 16 bits whatever 0x66 says (e.g. MOV Sreg, ARPL). */
    public static final int W16 = 1 << 17;
    /** Operation is valid with a LOCK prefix (memory destination still required). */
    public static final int LOCKABLE = 1 << 18;
    public static final int SUB_SHIFT = 20;

    /** Entry per opcode: op | flags | imm form | sub << SUB_SHIFT. */
    static final int[] ENTRY = new int[512];

    private static void def(int opcode, int op, int flags, int imm, int sub) {
        ENTRY[opcode] = op | flags | imm << IMM_SHIFT | sub << SUB_SHIFT;
    }

    private static void def(int opcode, int op, int flags, int imm) { def(opcode, op, flags, imm, 0); }

    public static int op(int e) { return e & 0x3FF; }
    public static int imm(int e) { return (e & IMM_MASK) >>> IMM_SHIFT; }
    public static int sub(int e) { return e >>> SUB_SHIFT; }

    static {
        // Everything undefined until defined below (entry 0 = UD).
        for (int k = 0; k < 8; k++) {
            int b = k << 3;
            def(b, ALU_EG, MODRM | BYTE | (k != 7 ? LOCKABLE : 0), I_NONE, k);
            def(b + 1, ALU_EG, MODRM | (k != 7 ? LOCKABLE : 0), I_NONE, k);
            def(b + 2, ALU_GE, MODRM | BYTE, I_NONE, k);
            def(b + 3, ALU_GE, MODRM, I_NONE, k);
            def(b + 4, ALU_AI, BYTE, I_B, k);
            def(b + 5, ALU_AI, 0, I_Z, k);
        }
        def(0x06, PUSH_SEG, 0, I_NONE, Cpu.ES);
        def(0x07, POP_SEG, 0, I_NONE, Cpu.ES);
        def(0x0E, PUSH_SEG, 0, I_NONE, Cpu.CS);
        def(0x16, PUSH_SEG, 0, I_NONE, Cpu.SS);
        def(0x17, POP_SEG, 0, I_NONE, Cpu.SS);
        def(0x1E, PUSH_SEG, 0, I_NONE, Cpu.DS);
        def(0x1F, POP_SEG, 0, I_NONE, Cpu.DS);
        for (int p : new int[] {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3}) ENTRY[p] = PREFIX;
        def(0x27, DAA, 0, I_NONE);
        def(0x2F, DAS, 0, I_NONE);
        def(0x37, AAA, 0, I_NONE);
        def(0x3F, AAS, 0, I_NONE);
        for (int r = 0; r < 8; r++) {
            def(0x40 + r, INC_R, 0, I_NONE, r);
            def(0x48 + r, DEC_R, 0, I_NONE, r);
            def(0x50 + r, PUSH_R, 0, I_NONE, r);
            def(0x58 + r, POP_R, 0, I_NONE, r);
            def(0x90 + r, XCHG_AR, 0, I_NONE, r);
            def(0xB0 + r, MOV_RI, BYTE, I_B, r);
            def(0xB8 + r, MOV_RI, 0, I_Z, r);
            def(0x100 + 0xC8 + r, BSWAP, 0, I_NONE, r);
        }
        def(0x90, NOP, 0, I_NONE);
        def(0x60, PUSHA, 0, I_NONE);
        def(0x61, POPA, 0, I_NONE);
        def(0x62, BOUND, MODRM, I_NONE);
        def(0x63, ARPL, MODRM | W16, I_NONE);
        def(0x68, PUSH_I, 0, I_Z);
        def(0x69, IMUL_GEI, MODRM, I_Z);
        def(0x6A, PUSH_I, 0, I_BS);
        def(0x6B, IMUL_GEI, MODRM, I_BS);
        def(0x6C, INS, BYTE, I_NONE);
        def(0x6D, INS, 0, I_NONE);
        def(0x6E, OUTS, BYTE, I_NONE);
        def(0x6F, OUTS, 0, I_NONE);
        for (int cc = 0; cc < 16; cc++) {
            def(0x70 + cc, JCC, 0, I_BS, cc);
            def(0x180 + cc, JCC, 0, I_Z, cc);
            def(0x140 + cc, CMOV, MODRM, I_NONE, cc);
            def(0x190 + cc, SETCC, MODRM | BYTE, I_NONE, cc);
        }
        def(0x80, G1, MODRM | BYTE, I_B);
        def(0x81, G1, MODRM, I_Z);
        def(0x82, G1, MODRM | BYTE, I_B);   // alias of 0x80 on the i386
        def(0x83, G1, MODRM, I_BS);
        def(0x84, TEST_EG, MODRM | BYTE, I_NONE);
        def(0x85, TEST_EG, MODRM, I_NONE);
        def(0x86, XCHG_EG, MODRM | BYTE | LOCKABLE, I_NONE);
        def(0x87, XCHG_EG, MODRM | LOCKABLE, I_NONE);
        def(0x88, MOV_EG, MODRM | BYTE, I_NONE);
        def(0x89, MOV_EG, MODRM, I_NONE);
        def(0x8A, MOV_GE, MODRM | BYTE, I_NONE);
        def(0x8B, MOV_GE, MODRM, I_NONE);
        def(0x8C, MOV_ES, MODRM, I_NONE);
        def(0x8D, LEA, MODRM, I_NONE);
        def(0x8E, MOV_SE, MODRM | W16, I_NONE);
        def(0x8F, G8F, MODRM, I_NONE);
        def(0x98, CBW, 0, I_NONE);
        def(0x99, CWD, 0, I_NONE);
        def(0x9A, CALLF_PTR, 0, I_PTR);
        def(0x9B, FWAIT, 0, I_NONE);
        def(0x9C, PUSHF, 0, I_NONE);
        def(0x9D, POPF, 0, I_NONE);
        def(0x9E, SAHF, 0, I_NONE);
        def(0x9F, LAHF, 0, I_NONE);
        def(0xA0, MOV_AO, BYTE, I_MOFFS);
        def(0xA1, MOV_AO, 0, I_MOFFS);
        def(0xA2, MOV_OA, BYTE, I_MOFFS);
        def(0xA3, MOV_OA, 0, I_MOFFS);
        def(0xA4, MOVS, BYTE, I_NONE);
        def(0xA5, MOVS, 0, I_NONE);
        def(0xA6, CMPS, BYTE, I_NONE);
        def(0xA7, CMPS, 0, I_NONE);
        def(0xA8, TEST_AI, BYTE, I_B);
        def(0xA9, TEST_AI, 0, I_Z);
        def(0xAA, STOS, BYTE, I_NONE);
        def(0xAB, STOS, 0, I_NONE);
        def(0xAC, LODS, BYTE, I_NONE);
        def(0xAD, LODS, 0, I_NONE);
        def(0xAE, SCAS, BYTE, I_NONE);
        def(0xAF, SCAS, 0, I_NONE);
        def(0xC0, G2, MODRM | BYTE, I_B);
        def(0xC1, G2, MODRM, I_B);
        def(0xC2, RET, 0, I_W);
        def(0xC3, RET, 0, I_NONE);
        def(0xC4, LSEG, MODRM, I_NONE, Cpu.ES);
        def(0xC5, LSEG, MODRM, I_NONE, Cpu.DS);
        def(0xC6, GC6, MODRM | BYTE, I_B);
        def(0xC7, GC6, MODRM, I_Z);
        def(0xC8, ENTER, 0, I_ENTER);
        def(0xC9, LEAVE, 0, I_NONE);
        def(0xCA, RETF, 0, I_W);
        def(0xCB, RETF, 0, I_NONE);
        def(0xCC, INT3, 0, I_NONE);
        def(0xCD, INT, 0, I_B);
        def(0xCE, INTO, 0, I_NONE);
        def(0xCF, IRET, 0, I_NONE);
        def(0xD0, G2, MODRM | BYTE, I_NONE, 1);
        def(0xD1, G2, MODRM, I_NONE, 1);
        def(0xD2, G2, MODRM | BYTE, I_NONE, 2);
        def(0xD3, G2, MODRM, I_NONE, 2);
        def(0xD4, AAM, 0, I_B);
        def(0xD5, AAD, 0, I_B);
        def(0xD6, SALC, 0, I_NONE);
        def(0xD7, XLAT, 0, I_NONE);
        for (int k = 0; k < 8; k++) def(0xD8 + k, FPU, MODRM, I_NONE, k);
        def(0xE0, LOOPNE, 0, I_BS);
        def(0xE1, LOOPE, 0, I_BS);
        def(0xE2, LOOP, 0, I_BS);
        def(0xE3, JCXZ, 0, I_BS);
        def(0xE4, IN_I, BYTE, I_B);
        def(0xE5, IN_I, 0, I_B);
        def(0xE6, OUT_I, BYTE, I_B);
        def(0xE7, OUT_I, 0, I_B);
        def(0xE8, CALL_REL, 0, I_Z);
        def(0xE9, JMP_REL, 0, I_Z);
        def(0xEA, JMPF_PTR, 0, I_PTR);
        def(0xEB, JMP_REL, 0, I_BS);
        def(0xEC, IN_D, BYTE, I_NONE);
        def(0xED, IN_D, 0, I_NONE);
        def(0xEE, OUT_D, BYTE, I_NONE);
        def(0xEF, OUT_D, 0, I_NONE);
        def(0xF1, INT1, 0, I_NONE);
        def(0xF4, HLT, 0, I_NONE);
        def(0xF5, CMC, 0, I_NONE);
        def(0xF6, G3, MODRM | BYTE, I_NONE);
        def(0xF7, G3, MODRM, I_NONE);
        def(0xF8, CLC, 0, I_NONE);
        def(0xF9, STC, 0, I_NONE);
        def(0xFA, CLI, 0, I_NONE);
        def(0xFB, STI, 0, I_NONE);
        def(0xFC, CLD, 0, I_NONE);
        def(0xFD, STD, 0, I_NONE);
        def(0xFE, G4, MODRM | BYTE, I_NONE);
        def(0xFF, G5, MODRM, I_NONE);

        // ---- 0F map ----
        def(0x100, G6, MODRM | W16, I_NONE);
        def(0x101, G7, MODRM, I_NONE);
        def(0x102, LAR, MODRM, I_NONE);
        def(0x103, LSL, MODRM, I_NONE);
        def(0x106, CLTS, 0, I_NONE);
        def(0x108, INVD, 0, I_NONE);
        def(0x109, WBINVD, 0, I_NONE);
        def(0x10B, UD, 0, I_NONE);
        def(0x11F, NOP_E, MODRM, I_NONE);
        // MOV to/from control and debug registers: always 32-bit register operands, mod ignored.
        def(0x120, MOV_RC, MODRM, I_NONE);
        def(0x121, MOV_RD, MODRM, I_NONE);
        def(0x122, MOV_CR, MODRM, I_NONE);
        def(0x123, MOV_DR, MODRM, I_NONE);
        def(0x130, WRMSR, 0, I_NONE);
        def(0x131, RDTSC, 0, I_NONE);
        def(0x132, RDMSR, 0, I_NONE);
        def(0x134, SYSENTER, 0, I_NONE);
        def(0x135, SYSEXIT, 0, I_NONE);
        def(0x1A0, PUSH_SEG, 0, I_NONE, Cpu.FS);
        def(0x1A1, POP_SEG, 0, I_NONE, Cpu.FS);
        def(0x1A2, CPUID, 0, I_NONE);
        def(0x1A3, BT_EG, MODRM, I_NONE);
        def(0x1A4, SHLD_I, MODRM, I_B);
        def(0x1A5, SHLD_CL, MODRM, I_NONE);
        def(0x1A8, PUSH_SEG, 0, I_NONE, Cpu.GS);
        def(0x1A9, POP_SEG, 0, I_NONE, Cpu.GS);
        def(0x1AB, BTS_EG, MODRM | LOCKABLE, I_NONE);
        def(0x1AC, SHRD_I, MODRM, I_B);
        def(0x1AD, SHRD_CL, MODRM, I_NONE);
        def(0x1AF, IMUL_GE, MODRM, I_NONE);
        def(0x1B0, CMPXCHG, MODRM | BYTE | LOCKABLE, I_NONE);
        def(0x1B1, CMPXCHG, MODRM | LOCKABLE, I_NONE);
        def(0x1B2, LSEG, MODRM, I_NONE, Cpu.SS);
        def(0x1B3, BTR_EG, MODRM | LOCKABLE, I_NONE);
        def(0x1B4, LSEG, MODRM, I_NONE, Cpu.FS);
        def(0x1B5, LSEG, MODRM, I_NONE, Cpu.GS);
        def(0x1B6, MOVZX, MODRM, I_NONE, 1);
        def(0x1B7, MOVZX, MODRM, I_NONE, 2);
        def(0x1BA, G8, MODRM, I_B);
        def(0x1BB, BTC_EG, MODRM | LOCKABLE, I_NONE);
        def(0x1BC, BSF, MODRM, I_NONE);
        def(0x1BD, BSR, MODRM, I_NONE);
        def(0x1BE, MOVSX, MODRM, I_NONE, 1);
        def(0x1BF, MOVSX, MODRM, I_NONE, 2);
        def(0x1C0, XADD, MODRM | BYTE | LOCKABLE, I_NONE);
        def(0x1C1, XADD, MODRM | LOCKABLE, I_NONE);
        def(0x1C7, G9, MODRM, I_NONE);
    }
}
