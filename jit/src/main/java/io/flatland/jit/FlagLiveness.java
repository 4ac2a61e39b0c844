package io.flatland.jit;

import io.flatland.cpu.Alu;
import io.flatland.cpu.Insn;
import io.flatland.cpu.Op;
import io.flatland.cpu.OpInfo;

import java.util.List;

/**
 * Which flag records of a block are never observed: a record written by instruction k is
 * dead when a later instruction of the block replaces the whole record before anything can
 * see it (a flag reader, an instruction that may fault, anything run by the reference
 * semantics, or the block exit). Most records cost nothing when dead (they are three locals
 * C2 drops), but rotates and shifts by CL compute theirs by calling Alu.shift, which reads
 * and writes the whole flag state: those are emitted as their result alone ({@link Emitters})
 * when their record is dead. Architectural state is unchanged: EFLAGS as {@code Flags.get}
 * returns it is the same at every point the machine can observe.
 *
 * <p>Only instructions classified here take part; anything else counts as a reader.
 */
final class FlagLiveness {
    private FlagLiveness() { }

    private static final int NONE = 0, KILL = 1, USE = 2;

    /**
     * What the analysis found, per instruction: {@code dead[k]}, the record instruction k writes
     * is never observed (it is emitted as its result alone where Emitters has a pure form);
     * {@code carryOnly[k]}, for the bit tests (BT, BTS, BTR, BTC): nothing can observe any flag
     * but CF of what it leaves. The SDM has the bit tests keep ZF and leave OF, SF, AF and PF
     * undefined; the interpreter (as QEMU) keeps them all, which costs folding the record before
     * into EFLAGS; where only CF can be seen, Emitters records CF alone.
     */
    record Records(boolean[] dead, boolean[] carryOnly) { }

    /**
     * One backward pass over a region: {@code live}, whether the whole record can be observed
     * after instruction k, and {@code others}, whether any flag but CF can (SETB and SETAE on a
     * register read CF alone). {@code pathEnd[k]}: instruction k does not fall into k+1 (the
     * region exits or branches after it).
     */
    static Records analyse(List<Insn> insns, boolean[] pathEnd) {
        int n = insns.size();
        boolean[] dead = new boolean[n], carryOnly = new boolean[n];
        boolean live = true, others = true;   // block exit: the record is visible
        for (int k = n - 1; k >= 0; k--) {
            Insn in = insns.get(k);
            // After a path end come an exit or an internal branch target: both may observe the record.
            if (pathEnd[k]) live = others = true;
            else if (in.op == Op.JMP_REL) continue;   // a followed jump: its successor is the next instruction
            // A store that kills the region's page exits right after it (self-modifying code): the record is visible there.
            if (k < n - 1 && OpInfo.mayStore(in)) live = others = true;
            boolean simple = in.code32 && !in.lock;
            boolean fault = !simple || mayFault(in);
            if (simple && isBitTest(in)) {
                carryOnly[k] = !others;
                // Recording CF alone it needs none of the flags before (unless it faults first);
                // the whole record before still counts as read, as for any bit test.
                others = !carryOnly[k] || fault;
                live = true;
                continue;
            }
            if (simple && in.op == Op.SETCC && !in.mem && (in.sub == 2 || in.sub == 3)) {
                live = true;                           // reads CF alone, cannot fault
                continue;
            }
            int eff = simple ? effect(in) : USE;
            others = visibleBefore(eff, fault, others);
            if (simple && !live && elidable(in)) {
                dead[k] = true;
                live = fault;
            } else {
                live = visibleBefore(eff, fault, live);
            }
        }
        return new Records(dead, carryOnly);
    }

    /** Whether flags visible after an instruction ({@code after}) are visible before it, given its effect on the record. */
    private static boolean visibleBefore(int effect, boolean fault, boolean after) {
        return effect == KILL ? fault : effect == USE || after || fault;
    }

    private static boolean isBitTest(Insn in) {
        return in.op == Op.BT_EG || in.op == Op.BTS_EG || in.op == Op.BTR_EG || in.op == Op.BTC_EG || in.op == Op.BT_EI;
    }

    /**
     * Register-only forms whose result does not depend on the flags (Emitters has a pure
     * form): any size where the low bits of the int operation are the result, shifts and
     * rotates at 32 bits only.
     */
    static boolean elidable(Insn in) {
        switch (in.op) {
            case Op.ALU_GE, Op.ALU_EG, Op.ALU_EI, Op.ALU_AI:
                return in.sub != Alu.ADC_K && in.sub != Alu.SBB_K;   // memory forms too (the access still happens)
            case Op.TEST_EG, Op.TEST_EI, Op.TEST_AI:
                return true;
            default:
                break;
        }
        if (in.mem) return false;
        switch (in.op) {
            case Op.TEST_EG, Op.TEST_EI, Op.TEST_AI, Op.INC_R, Op.DEC_R, Op.INC_E, Op.DEC_E, Op.IMUL_GE, Op.IMUL_GEI:
                return true;
            case Op.SHIFT, Op.SHIFT_CL:
                return in.size == 4 && in.sub != Alu.RCL_K && in.sub != Alu.RCR_K;
            default:
                return false;
        }
    }

    /** What the full instruction does to the flag record. */
    private static int effect(Insn in) {
        switch (in.op) {
            case Op.NOP, Op.MOV_RI, Op.MOV_GE, Op.MOV_EG, Op.MOV_EI, Op.LEA, Op.MOVZX, Op.MOVSX,
                 Op.PUSH_R, Op.PUSH_I, Op.POP_R:
                return NONE;
            case Op.ALU_GE, Op.ALU_EG, Op.ALU_EI, Op.ALU_AI:
                return in.sub != Alu.ADC_K && in.sub != Alu.SBB_K ? KILL : USE;
            case Op.TEST_EG, Op.TEST_EI, Op.TEST_AI, Op.IMUL_GE, Op.IMUL_GEI:
                return KILL;
            case Op.SHIFT: {
                boolean plain = in.sub == Alu.SHL_K || in.sub == Alu.SHR_K || in.sub == Alu.SAL_K || in.sub == Alu.SAR_K;
                return plain && (in.imm & 0x1F) != 0 ? KILL : USE;
            }
            default:
                return USE;
        }
    }

    /** Conservative: true unless the instruction is known to be unable to raise a fault. */
    private static boolean mayFault(Insn in) {
        if (in.op == Op.LEA) return !in.mem;   // LEA never touches memory; the register form is #UD
        if (in.mem) return true;
        switch (in.op) {
            case Op.NOP, Op.MOV_RI, Op.MOV_GE, Op.MOV_EG, Op.MOV_EI, Op.LEA, Op.MOVZX, Op.MOVSX,
                 Op.ALU_GE, Op.ALU_EG, Op.ALU_EI, Op.ALU_AI, Op.TEST_EG, Op.TEST_EI, Op.TEST_AI,
                 Op.INC_R, Op.DEC_R, Op.INC_E, Op.DEC_E, Op.IMUL_GE, Op.IMUL_GEI, Op.SHIFT, Op.SHIFT_CL,
                 Op.SETCC, Op.BT_EG, Op.BTS_EG, Op.BTR_EG, Op.BTC_EG, Op.BT_EI:
                return false;
            default:
                return true;
        }
    }
}
