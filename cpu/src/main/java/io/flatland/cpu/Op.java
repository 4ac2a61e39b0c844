package io.flatland.cpu;

/**
 * Operation ids: one per instruction semantics the interpreter implements (operand size
 * and sub-kind live in {@link Insn}). The JIT translator switches on the same ids; what is
 * known about each operation is its row in {@link OpInfo}.
 */
public final class Op {
    private Op() { }

    public static final int
        UD = 0, NOP = 1,
        ALU_EG = 2, ALU_GE = 3, ALU_AI = 4, ALU_EI = 5,
        TEST_EG = 6, TEST_AI = 7, TEST_EI = 8,
        INC_R = 9, DEC_R = 10, INC_E = 11, DEC_E = 12, NOT_E = 13, NEG_E = 14,
        MUL_E = 15, IMUL_E = 16, DIV_E = 17, IDIV_E = 18, IMUL_GE = 19, IMUL_GEI = 20,
        PUSH_R = 21, POP_R = 22, PUSH_I = 23, PUSH_E = 24, POP_E = 25, PUSH_SEG = 26, POP_SEG = 27,
        PUSHA = 28, POPA = 29, PUSHF = 30, POPF = 31,
        MOV_EG = 32, MOV_GE = 33, MOV_ES = 34, MOV_SE = 35, MOV_RI = 36, MOV_EI = 37, MOV_AO = 38, MOV_OA = 39,
        LEA = 40, XCHG_EG = 41, XCHG_AR = 42,
        CBW = 43, CWD = 44, SAHF = 45, LAHF = 46, CMC = 47, CLC = 48, STC = 49, CLI = 50, STI = 51,
        CLD = 52, STD = 53, SALC = 54,
        JCC = 55, JMP_REL = 56, CALL_REL = 57, JMP_E = 58, CALL_E = 59, RET = 60,
        JMPF_PTR = 61, CALLF_PTR = 62, JMPF_M = 63, CALLF_M = 64, RETF = 65,
        LOOP = 66, LOOPE = 67, LOOPNE = 68, JCXZ = 69,
        INT3 = 70, INT = 71, INTO = 72, INT1 = 73, IRET = 74, HLT = 75,
        IN_I = 76, IN_D = 77, OUT_I = 78, OUT_D = 79,
        MOVS = 80, CMPS = 81, STOS = 82, LODS = 83, SCAS = 84, INS = 85, OUTS = 86,
        SHIFT = 87, SHIFT_CL = 88,
        DAA = 89, DAS = 90, AAA = 91, AAS = 92, AAM = 93, AAD = 94, XLAT = 95,
        BOUND = 96, ARPL = 97, LSEG = 98, ENTER = 99, LEAVE = 100,
        FPU = 101, FWAIT = 102,
        SLDT = 103, STR = 104, LLDT = 105, LTR = 106, VERR = 107, VERW = 108,
        SGDT = 109, SIDT = 110, LGDT = 111, LIDT = 112, SMSW = 113, LMSW = 114, INVLPG = 115,
        LAR = 116, LSL = 117, CLTS = 118, INVD = 119, WBINVD = 120, NOP_E = 121,
        MOV_RC = 122, MOV_CR = 123, MOV_RD = 124, MOV_DR = 125,
        WRMSR = 126, RDTSC = 127, RDMSR = 128, SYSENTER = 129, SYSEXIT = 130,
        CMOV = 131, SETCC = 132, CPUID = 133,
        BT_EG = 134, BTS_EG = 135, BTR_EG = 136, BTC_EG = 137, BT_EI = 138,
        SHLD_I = 139, SHLD_CL = 140, SHRD_I = 141, SHRD_CL = 142,
        CMPXCHG = 143, CMPXCHG8B = 144, MOVZX = 145, MOVSX = 146, XADD = 147, BSF = 148, BSR = 149, BSWAP = 150,
        STAC = 151, CLAC = 152, RDTSCP = 153,
        // Group markers: resolved by the decoder from ModRM.reg, never executed.
        G1 = 200, G2 = 201, G3 = 202, G4 = 203, G5 = 204, G6 = 205, G7 = 206, G8 = 207, G9 = 208,
        G8F = 209, GC6 = 210;

    public static final int COUNT = 154;

    /** The operation's name from its attribute row ({@link OpInfo}). */
    public static String name(int op) {
        return OpInfo.name(op);
    }
}
