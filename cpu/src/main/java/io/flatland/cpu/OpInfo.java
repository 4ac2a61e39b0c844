package io.flatland.cpu;

import static io.flatland.cpu.Op.*;

/**
 * One attribute row per operation: its name and what the run loops and the translator must
 * know about it. Every predicate about "what kind of instruction is this" is derived from
 * these rows (the interpreter's bursts, the JIT's block ends, interpreted-only instructions,
 * stores for self-modifying-code checks, faults). An operation without a row gets the safe
 * answers: it ends a block, is not simple, may store and may fault.
 *
 * <p>Adding an instruction: its id in {@link Op}, its decoding in {@link OpcodeTable}, a row
 * here, its semantics in {@link Exec} (or {@link SystemInsns}), and optionally an emitter in
 * the translator; {@code OpInfoTest} checks that every operation has a row and semantics.
 */
public final class OpInfo {
    private OpInfo() { }

    /**
     * Cannot make an interrupt deliverable, change CPL, CS, paging, TF or the halt state, or ask
     * the machine to stop: plain data movement, arithmetic and near control flow. After one of
     * them nothing the run loop checks between instructions has changed.
     */
    public static final int SIMPLE = 1;
    /** A near control transfer: EIP after it is not (necessarily) the fall-through. */
    public static final int TRANSFER = 1 << 1;
    /**
     * Observes or drives the machine around the CPU (I/O, the TSC = icount, HLT, MSRs): never
     * translated, so the interpreter runs it with the exact instruction count and events around it.
     */
    public static final int INTERPRETED = 1 << 2;
    /** Interpreted when it has a REP prefix (string instructions run in restartable chunks). */
    public static final int INTERPRETED_REP = 1 << 3;
    /** Never writes memory (whatever its operands). */
    public static final int NO_STORE = 1 << 4;
    /** Writes memory only through a memory r/m operand. */
    public static final int STORES_RM = 1 << 5;
    /** Cannot fault in its register form (with a memory r/m operand it may: paging, limits). */
    public static final int SAFE_REG = 1 << 6;
    /** Cannot fault at all (no operand in memory, no privilege or operand checks). */
    public static final int SAFE = 1 << 7;
    /** Reads the arithmetic flags (conditions, carry in, PUSHF, ...). */
    public static final int READS_FLAGS = 1 << 8;
    /** Writes the arithmetic flags (all or some of them). */
    public static final int WRITES_FLAGS = 1 << 9;
    /** Executed by {@link SystemInsns} (descriptor tables, control and debug registers, MSRs, ...). */
    public static final int SYSTEM = 1 << 10;
    /** Cannot fault in its memory form: the operand's address is computed, never accessed (LEA). */
    public static final int SAFE_MEM = 1 << 11;

    private static final String[] NAME = new String[Op.COUNT];
    private static final int[] ATTR = new int[Op.COUNT];
    private static final boolean[] HAS_ROW = new boolean[Op.COUNT];

    private static void row(int op, String name, int attr) {
        if (HAS_ROW[op]) throw new IllegalStateException("two rows for " + name);
        HAS_ROW[op] = true;
        NAME[op] = name;
        ATTR[op] = attr;
    }

    private static final int ALU = SIMPLE | STORES_RM | SAFE_REG | WRITES_FLAGS;
    private static final int MOVE = SIMPLE | STORES_RM | SAFE_REG;
    private static final int JUMP = SIMPLE | TRANSFER | NO_STORE;
    private static final int SYS = SYSTEM;

    static {
        row(UD, "ud", 0);
        row(NOP, "nop", SIMPLE | NO_STORE | SAFE);
        row(NOP_E, "nop r/m", SIMPLE | NO_STORE | SAFE);
        row(ALU_EG, "alu r/m,r", ALU | READS_FLAGS);      // ADC/SBB read CF
        row(ALU_GE, "alu r,r/m", ALU | NO_STORE | READS_FLAGS);
        row(ALU_AI, "alu acc,imm", ALU | NO_STORE | SAFE | READS_FLAGS);
        row(ALU_EI, "alu r/m,imm", ALU | READS_FLAGS);
        row(TEST_EG, "test r/m,r", ALU | NO_STORE);
        row(TEST_AI, "test acc,imm", ALU | NO_STORE | SAFE);
        row(TEST_EI, "test r/m,imm", ALU | NO_STORE);
        row(INC_R, "inc r", ALU | NO_STORE | SAFE | READS_FLAGS);   // INC/DEC keep CF
        row(DEC_R, "dec r", ALU | NO_STORE | SAFE | READS_FLAGS);
        row(INC_E, "inc r/m", ALU | READS_FLAGS);
        row(DEC_E, "dec r/m", ALU | READS_FLAGS);
        row(NOT_E, "not r/m", MOVE);
        row(NEG_E, "neg r/m", ALU);
        row(MUL_E, "mul r/m", SIMPLE | NO_STORE | SAFE_REG | WRITES_FLAGS);
        row(IMUL_E, "imul r/m", SIMPLE | NO_STORE | SAFE_REG | WRITES_FLAGS);
        row(DIV_E, "div r/m", SIMPLE | NO_STORE);            // #DE
        row(IDIV_E, "idiv r/m", SIMPLE | NO_STORE);
        row(IMUL_GE, "imul r,r/m", ALU | NO_STORE);
        row(IMUL_GEI, "imul r,r/m,imm", ALU | NO_STORE);
        row(PUSH_R, "push r", SIMPLE);
        row(POP_R, "pop r", SIMPLE | NO_STORE);
        row(PUSH_I, "push imm", SIMPLE);
        row(PUSH_E, "push r/m", SIMPLE);
        row(POP_E, "pop r/m", SIMPLE);
        row(PUSH_SEG, "push sreg", SIMPLE);
        row(POP_SEG, "pop sreg", 0);
        row(PUSHA, "pusha", SIMPLE);
        row(POPA, "popa", SIMPLE | NO_STORE);
        row(PUSHF, "pushf", SIMPLE | READS_FLAGS);
        row(POPF, "popf", NO_STORE | WRITES_FLAGS);
        row(MOV_EG, "mov r/m,r", MOVE);
        row(MOV_GE, "mov r,r/m", MOVE | NO_STORE);
        row(MOV_ES, "mov r/m,sreg", SIMPLE | STORES_RM);
        row(MOV_SE, "mov sreg,r/m", 0);                     // a descriptor load writes its accessed bit
        row(MOV_RI, "mov r,imm", SIMPLE | NO_STORE | SAFE);
        row(MOV_EI, "mov r/m,imm", MOVE);
        row(MOV_AO, "mov acc,moffs", SIMPLE | NO_STORE);
        row(MOV_OA, "mov moffs,acc", SIMPLE);
        row(LEA, "lea", SIMPLE | NO_STORE | SAFE_MEM);       // the register form is #UD
        row(XCHG_EG, "xchg r/m,r", MOVE);
        row(XCHG_AR, "xchg acc,r", SIMPLE | NO_STORE | SAFE);
        row(CBW, "cbw", SIMPLE | NO_STORE | SAFE);
        row(CWD, "cwd", SIMPLE | NO_STORE | SAFE);
        row(SAHF, "sahf", SIMPLE | NO_STORE | SAFE | WRITES_FLAGS);
        row(LAHF, "lahf", SIMPLE | NO_STORE | SAFE | READS_FLAGS);
        row(CMC, "cmc", SIMPLE | NO_STORE | SAFE | READS_FLAGS | WRITES_FLAGS);
        row(CLC, "clc", SIMPLE | NO_STORE | SAFE | WRITES_FLAGS);
        row(STC, "stc", SIMPLE | NO_STORE | SAFE | WRITES_FLAGS);
        row(CLI, "cli", NO_STORE);
        row(STI, "sti", NO_STORE);
        row(CLD, "cld", SIMPLE | NO_STORE | SAFE);
        row(STD, "std", SIMPLE | NO_STORE | SAFE);
        row(SALC, "salc", SIMPLE | NO_STORE | SAFE | READS_FLAGS);
        row(JCC, "jcc", JUMP | READS_FLAGS);
        row(JMP_REL, "jmp rel", JUMP);
        row(CALL_REL, "call rel", SIMPLE | TRANSFER);
        row(JMP_E, "jmp r/m", JUMP);
        row(CALL_E, "call r/m", SIMPLE | TRANSFER);
        row(RET, "ret", JUMP);
        row(JMPF_PTR, "jmp far", TRANSFER);
        row(CALLF_PTR, "call far", TRANSFER);
        row(JMPF_M, "jmp far m", TRANSFER);
        row(CALLF_M, "call far m", TRANSFER);
        row(RETF, "retf", TRANSFER);
        row(LOOP, "loop", JUMP);
        row(LOOPE, "loope", JUMP | READS_FLAGS);
        row(LOOPNE, "loopne", JUMP | READS_FLAGS);
        row(JCXZ, "jcxz", JUMP);
        row(INT3, "int3", TRANSFER);
        row(INT, "int", TRANSFER);
        row(INTO, "into", TRANSFER | READS_FLAGS);
        row(INT1, "int1", TRANSFER | NO_STORE);
        row(IRET, "iret", TRANSFER | WRITES_FLAGS);         // a task switch writes the old TSS
        row(HLT, "hlt", INTERPRETED | NO_STORE);
        row(IN_I, "in imm", INTERPRETED | NO_STORE);
        row(IN_D, "in dx", INTERPRETED | NO_STORE);
        row(OUT_I, "out imm", INTERPRETED | NO_STORE);
        row(OUT_D, "out dx", INTERPRETED | NO_STORE);
        row(MOVS, "movs", INTERPRETED_REP);
        row(CMPS, "cmps", INTERPRETED_REP | NO_STORE | WRITES_FLAGS);
        row(STOS, "stos", INTERPRETED_REP);
        row(LODS, "lods", INTERPRETED_REP | NO_STORE);
        row(SCAS, "scas", INTERPRETED_REP | NO_STORE | WRITES_FLAGS);
        row(INS, "ins", INTERPRETED);
        row(OUTS, "outs", INTERPRETED | NO_STORE);
        row(SHIFT, "shift r/m,imm", ALU | READS_FLAGS);   // a count of 0 leaves the flags; RCL/RCR read CF
        row(SHIFT_CL, "shift r/m,cl", ALU | READS_FLAGS);
        row(DAA, "daa", SIMPLE | NO_STORE | SAFE | READS_FLAGS | WRITES_FLAGS);
        row(DAS, "das", SIMPLE | NO_STORE | SAFE | READS_FLAGS | WRITES_FLAGS);
        row(AAA, "aaa", SIMPLE | NO_STORE | SAFE | READS_FLAGS | WRITES_FLAGS);
        row(AAS, "aas", SIMPLE | NO_STORE | SAFE | READS_FLAGS | WRITES_FLAGS);
        row(AAM, "aam", SIMPLE | NO_STORE | WRITES_FLAGS);   // #DE for a zero immediate
        row(AAD, "aad", SIMPLE | NO_STORE | SAFE | WRITES_FLAGS);
        row(XLAT, "xlat", SIMPLE | NO_STORE);
        row(BOUND, "bound", SIMPLE | NO_STORE);
        row(ARPL, "arpl", SIMPLE | STORES_RM | WRITES_FLAGS);
        row(LSEG, "lds/les/lss/lfs/lgs", 0);
        row(ENTER, "enter", SIMPLE);
        row(LEAVE, "leave", SIMPLE | NO_STORE);
        row(FPU, "x87", SIMPLE);
        row(FWAIT, "fwait", SIMPLE | NO_STORE);
        row(SLDT, "sldt", SYS | STORES_RM);
        row(STR, "str", SYS | STORES_RM);
        row(LLDT, "lldt", SYS);
        row(LTR, "ltr", SYS);
        row(VERR, "verr", SYS | NO_STORE | WRITES_FLAGS);
        row(VERW, "verw", SYS | NO_STORE | WRITES_FLAGS);
        row(SGDT, "sgdt", SYS);
        row(SIDT, "sidt", SYS);
        row(LGDT, "lgdt", SYS | NO_STORE);
        row(LIDT, "lidt", SYS | NO_STORE);
        row(SMSW, "smsw", SYS | STORES_RM);
        row(LMSW, "lmsw", SYS | NO_STORE);
        row(INVLPG, "invlpg", SYS | NO_STORE);
        row(LAR, "lar", SYS | NO_STORE | WRITES_FLAGS);
        row(LSL, "lsl", SYS | NO_STORE | WRITES_FLAGS);
        row(CLTS, "clts", SYS | NO_STORE);
        row(INVD, "invd", SYS | NO_STORE);
        row(WBINVD, "wbinvd", SYS | NO_STORE);
        row(MOV_RC, "mov r,crN", SYS | NO_STORE);
        row(MOV_CR, "mov crN,r", SYS | NO_STORE);
        row(MOV_RD, "mov r,drN", SYS | NO_STORE);
        row(MOV_DR, "mov drN,r", SYS | NO_STORE);
        row(WRMSR, "wrmsr", SYS | INTERPRETED | NO_STORE);
        row(RDTSC, "rdtsc", SYS | INTERPRETED | NO_STORE);
        row(RDMSR, "rdmsr", SYS | INTERPRETED | NO_STORE);
        row(RDTSCP, "rdtscp", SYS | INTERPRETED | NO_STORE);
        // EFLAGS.AC decides which TLB views the next access uses: not simple (the engines re-check state).
        row(STAC, "stac", SYS | NO_STORE);
        row(CLAC, "clac", SYS | NO_STORE);
        row(SYSENTER, "sysenter", SYS | TRANSFER | NO_STORE);
        row(SYSEXIT, "sysexit", SYS | TRANSFER | NO_STORE);
        row(CMOV, "cmov", SIMPLE | NO_STORE | SAFE_REG | READS_FLAGS);
        row(SETCC, "setcc", SIMPLE | STORES_RM | SAFE_REG | READS_FLAGS);
        row(CPUID, "cpuid", SYS | NO_STORE);
        row(BT_EG, "bt r/m,r", SIMPLE | NO_STORE | SAFE_REG | WRITES_FLAGS);
        row(BTS_EG, "bts r/m,r", SIMPLE | STORES_RM | SAFE_REG | WRITES_FLAGS);
        row(BTR_EG, "btr r/m,r", SIMPLE | STORES_RM | SAFE_REG | WRITES_FLAGS);
        row(BTC_EG, "btc r/m,r", SIMPLE | STORES_RM | SAFE_REG | WRITES_FLAGS);
        row(BT_EI, "bt* r/m,imm", SIMPLE | STORES_RM | SAFE_REG | WRITES_FLAGS);
        row(SHLD_I, "shld imm", ALU);
        row(SHLD_CL, "shld cl", ALU);
        row(SHRD_I, "shrd imm", ALU);
        row(SHRD_CL, "shrd cl", ALU);
        row(CMPXCHG, "cmpxchg", ALU);
        row(CMPXCHG8B, "cmpxchg8b", SIMPLE | WRITES_FLAGS);
        row(MOVZX, "movzx", MOVE | NO_STORE);
        row(MOVSX, "movsx", MOVE | NO_STORE);
        row(XADD, "xadd", ALU);
        row(BSF, "bsf", SIMPLE | NO_STORE | SAFE_REG | WRITES_FLAGS);
        row(BSR, "bsr", SIMPLE | NO_STORE | SAFE_REG | WRITES_FLAGS);
        row(BSWAP, "bswap", SIMPLE | NO_STORE | SAFE);
    }

    /** Whether operation {@code op} has a row (tests check every operation does). */
    public static boolean hasRow(int op) { return op >= 0 && op < Op.COUNT && HAS_ROW[op]; }

    /** The row's attribute bits (0 for an operation without a row: the safe answers). */
    public static int attributes(int op) { return op >= 0 && op < Op.COUNT ? ATTR[op] : 0; }

    public static String name(int op) {
        return op >= 0 && op < Op.COUNT && NAME[op] != null ? NAME[op] : "op" + op;
    }

    public static boolean has(int op, int attribute) { return (attributes(op) & attribute) != 0; }

    /** See {@link #SIMPLE}. */
    public static boolean simple(int op) { return has(op, SIMPLE); }

    /** A basic block ends after it: a transfer, or anything that is not simple. */
    public static boolean endsBlock(int op) { return !simple(op) || has(op, TRANSFER); }

    /** Only the interpreter runs it (see {@link #INTERPRETED}). */
    public static boolean interpreted(Insn in) {
        int a = attributes(in.op);
        return (a & INTERPRETED) != 0 || (a & INTERPRETED_REP) != 0 && in.rep != 0;
    }

    /** It may write guest memory (self-modifying code is checked after it). */
    public static boolean mayStore(Insn in) {
        int a = attributes(in.op);
        if ((a & NO_STORE) != 0) return false;
        if ((a & STORES_RM) != 0) {
            boolean compareOnly = (in.op == ALU_EG || in.op == ALU_EI) && in.sub == Alu.CMP_K;
            return in.mem && !compareOnly;
        }
        return true;
    }

    /** It may raise a fault (LOCK on an instruction that does not take it is #UD: may fault). */
    public static boolean mayFault(Insn in) {
        if (in.lock) return true;
        int a = attributes(in.op);
        if ((a & SAFE) != 0) return false;
        return in.mem ? (a & SAFE_MEM) == 0 : (a & SAFE_REG) == 0;
    }
}
