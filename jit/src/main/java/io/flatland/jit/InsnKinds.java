package io.flatland.jit;

import io.flatland.cpu.Alu;
import io.flatland.cpu.Insn;
import io.flatland.cpu.Op;

/**
 * How an instruction sits in a block. Three questions, answered from the operation id
 * only (plus REP and whether r/m is memory):
 * <ul>
 * <li>{@link #interpreterOnly}: the instruction observes or drives the machine around the
 *     CPU (I/O, the TSC = icount, HLT, REP strings that run in restartable chunks). Such an
 *     instruction is never translated: a block ends before it, so the interpreter runs it
 *     with the exact icount and events around it.</li>
 * <li>{@link #endsBlock}: after it, EIP is not simply the next address, or the mode a block
 *     was translated for may have changed (CPL, CS, segments, CR0/3/4, IF/TF, interrupt
 *     shadow, descriptor tables): the block ends after it and the dispatcher looks again.</li>
 * <li>{@link #mayStore}: it may write guest memory, so translated code checks after it
 *     whether the write hit its own page (self-modifying code).</li>
 * </ul>
 */
final class InsnKinds {
    private InsnKinds() { }

    static boolean interpreterOnly(Insn in) {
        switch (in.op) {
            case Op.IN_I, Op.IN_D, Op.OUT_I, Op.OUT_D, Op.INS, Op.OUTS,
                 Op.HLT, Op.RDTSC, Op.RDMSR, Op.WRMSR:
                return true;
            case Op.MOVS, Op.CMPS, Op.STOS, Op.LODS, Op.SCAS:
                return in.rep != 0;
            default:
                return false;
        }
    }

    static boolean endsBlock(Insn in) {
        int op = in.op;
        switch (op) {
            case Op.JCC, Op.JMP_REL, Op.CALL_REL, Op.JMP_E, Op.CALL_E, Op.RET,
                 Op.JMPF_PTR, Op.CALLF_PTR, Op.JMPF_M, Op.CALLF_M, Op.RETF, Op.IRET,
                 Op.LOOP, Op.LOOPE, Op.LOOPNE, Op.JCXZ,
                 Op.INT3, Op.INT, Op.INTO, Op.INT1, Op.UD,
                 Op.CLI, Op.STI, Op.POPF, Op.MOV_SE, Op.POP_SEG, Op.LSEG,
                 Op.SYSENTER, Op.SYSEXIT, Op.CPUID:
                return true;
            default:
                // Everything SystemInsns executes (descriptor tables, CR/DR, INVLPG, caches...).
                return op >= Op.SLDT && op <= Op.SYSEXIT;
        }
    }

    /**
     * Whether the translated instruction may raise a fault (so the region's fault handler must
     * know it is the one running): false only for register forms whose hand-written bytecode
     * calls nothing that can throw.
     */
    static boolean mayFault(Insn in) {
        if (!in.code32 || in.lock) return true;   // the reference semantics (LOCK on these: #UD)
        switch (in.op) {
            case Op.NOP, Op.MOV_RI, Op.CBW, Op.CWD, Op.XCHG_AR, Op.CLD, Op.STD, Op.INC_R, Op.DEC_R, Op.ALU_AI, Op.TEST_AI:
                return false;
            case Op.LEA:
                return !in.mem;   // never touches memory; the register form is #UD
            case Op.MOV_GE, Op.MOV_EG, Op.MOV_EI, Op.MOVZX, Op.MOVSX, Op.ALU_GE, Op.ALU_EG, Op.ALU_EI,
                 Op.TEST_EG, Op.TEST_EI, Op.INC_E, Op.DEC_E, Op.NOT_E, Op.NEG_E, Op.SHIFT, Op.SHIFT_CL,
                 Op.IMUL_GE, Op.IMUL_GEI, Op.SETCC, Op.CMOV, Op.XCHG_EG:
                return in.mem;
            default:
                return true;
        }
    }

    static boolean mayStore(Insn in) {
        switch (in.op) {
            // Never write memory, whatever the operand.
            case Op.NOP, Op.NOP_E, Op.ALU_GE, Op.ALU_AI, Op.TEST_EG, Op.TEST_AI, Op.TEST_EI,
                 Op.INC_R, Op.DEC_R, Op.MUL_E, Op.IMUL_E, Op.DIV_E, Op.IDIV_E, Op.IMUL_GE, Op.IMUL_GEI,
                 Op.MOV_GE, Op.MOV_RI, Op.MOV_AO, Op.LEA, Op.XCHG_AR, Op.MOVZX, Op.MOVSX,
                 Op.CBW, Op.CWD, Op.SAHF, Op.LAHF, Op.CMC, Op.CLC, Op.STC, Op.CLD, Op.STD, Op.SALC,
                 Op.BSF, Op.BSR, Op.BSWAP, Op.CMOV, Op.POP_R, Op.LODS, Op.CMPS, Op.SCAS, Op.XLAT,
                 Op.LEAVE, Op.BOUND, Op.BT_EG, Op.DAA, Op.DAS, Op.AAA, Op.AAS, Op.AAM, Op.AAD,
                 Op.JCC, Op.JMP_REL, Op.JMP_E, Op.RET, Op.LOOP, Op.LOOPE, Op.LOOPNE, Op.JCXZ:
                return false;
            // Write memory only through a memory r/m operand.
            case Op.ALU_EG, Op.ALU_EI:
                return in.mem && in.sub != Alu.CMP_K;
            case Op.INC_E, Op.DEC_E, Op.NOT_E, Op.NEG_E, Op.MOV_EG, Op.MOV_EI, Op.XCHG_EG,
                 Op.SHIFT, Op.SHIFT_CL, Op.SHLD_I, Op.SHLD_CL, Op.SHRD_I, Op.SHRD_CL,
                 Op.BTS_EG, Op.BTR_EG, Op.BTC_EG, Op.BT_EI, Op.SETCC, Op.XADD, Op.CMPXCHG:
                return in.mem;
            default:
                return true;
        }
    }
}
