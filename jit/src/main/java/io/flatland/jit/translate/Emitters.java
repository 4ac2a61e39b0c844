package io.flatland.jit.translate;

import io.flatland.jit.Alu;
import io.flatland.jit.Cpu;
import io.flatland.jit.Insn;
import io.flatland.jit.Op;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.*;

/**
 * Hand-written bytecode for the common instructions. Each emitter calls the same static
 * semantic methods the interpreter's {@code Exec} uses ({@link Alu}, {@code Flags.cond},
 * {@code Operands}) in the same order, so results, flags and faults are identical; it only
 * removes the decode-time decisions (operation, size, registers, immediates, the effective
 * address formula) from the run time. Anything not handled here returns {@link #NO} and is
 * translated as a call of {@code Exec.execute}.
 *
 * <p>Hand-written instructions do not store EIP: the fault handler of each instruction and
 * the block exits do. Control transfers set EIP themselves ({@link #DONE_EIP}).
 */
final class Emitters {
    private Emitters() { }

    static final int NO = 0, DONE = 1, DONE_EIP = 2;
    private static final String OPERANDS = "io/flatland/jit/Operands", ALU = "io/flatland/jit/Alu",
            FLAGS = "io/flatland/jit/Flags";
    private static final String[] ALU_NAME = {"add", "or", "adc", "sbb", "and", "sub", "xor", "sub"};

    static int emit(Emit e, int k, Insn in, boolean last) {
        if (!in.code32 || in.lock) return NO;
        if (in.mem && !in.a32) return NO;   // 16-bit addressing: reference semantics
        int size = in.size;
        MethodVisitor mv = e.mv;
        switch (in.op) {
            case Op.NOP:
                mv.visitInsn(NOP);   // keeps the instruction's exception range non-empty
                return DONE;
            case Op.MOV_RI:
                e.regStoreBegin(size, in.sub);
                e.pushInt(in.imm);
                e.regStoreEnd(size);
                return DONE;
            case Op.MOV_GE:
                e.regStoreBegin(size, in.reg);
                e.readRm(in, size);
                e.regStoreEnd(size);
                return DONE;
            case Op.MOV_EG:
                if (in.mem) {
                    e.writeMemBegin(in, size);
                    e.loadReg(size, in.reg);
                    e.writeMemEnd();
                } else {
                    e.regStoreBegin(size, in.rm);
                    e.loadReg(size, in.reg);
                    e.regStoreEnd(size);
                }
                return DONE;
            case Op.MOV_EI:
                if (in.mem) {
                    e.writeMemBegin(in, size);
                    e.pushInt(in.imm);
                    e.writeMemEnd();
                } else {
                    e.regStoreBegin(size, in.rm);
                    e.pushInt(in.imm);
                    e.regStoreEnd(size);
                }
                return DONE;
            case Op.LEA:
                if (!in.mem) return NO;
                e.regStoreBegin(size, in.reg);
                e.ea(in);
                e.regStoreEnd(size);
                return DONE;
            case Op.MOVZX, Op.MOVSX:
                e.regStoreBegin(size, in.reg);
                e.readRm(in, in.sub);
                if (in.op == Op.MOVSX) {
                    e.pushInt(in.sub);
                    mv.visitMethodInsn(INVOKESTATIC, ALU, "sext", "(II)I", false);
                }
                e.regStoreEnd(size);
                return DONE;

            case Op.ALU_GE: {
                boolean cmp = in.sub == Alu.CMP_K;
                if (!cmp) e.regStoreBegin(size, in.reg);
                e.cpu();
                e.pushInt(size);
                e.loadReg(size, in.reg);
                e.readRm(in, size);
                aluCall(mv, in.sub);
                if (cmp) mv.visitInsn(POP); else e.regStoreEnd(size);
                return DONE;
            }
            case Op.ALU_AI:
                aluRegister(e, in.sub, size, Cpu.EAX, () -> e.pushInt(in.imm));
                return DONE;
            case Op.ALU_EG, Op.ALU_EI: {
                Runnable src = in.op == Op.ALU_EG ? () -> e.loadReg(size, in.reg) : () -> e.pushInt(in.imm);
                if (!in.mem) {
                    aluRegister(e, in.sub, size, in.rm, src);
                } else if (in.sub == Alu.CMP_K) {
                    e.cpu();
                    e.pushInt(size);
                    e.readRm(in, size);
                    src.run();
                    aluCall(mv, Alu.SUB_K);
                    mv.visitInsn(POP);
                } else {
                    // Read-modify-write exactly as Exec: probe the store first, then flags, then store.
                    if (in.op == Op.ALU_EG) e.prepareRead(size, in.reg);
                    e.readModifyWrite(in, size, () -> {
                        // Stack: old value. Alu wants cpu, size, dst, src.
                        mv.visitVarInsn(ISTORE, Emit.TMP2);
                        e.cpu();
                        e.pushInt(size);
                        mv.visitVarInsn(ILOAD, Emit.TMP2);
                        src.run();
                        aluCall(mv, in.sub);
                    });
                }
                return DONE;
            }
            case Op.TEST_EG, Op.TEST_EI, Op.TEST_AI:
                e.cpu();
                e.pushInt(size);
                if (in.op == Op.TEST_AI) e.loadReg(size, Cpu.EAX); else e.readRm(in, size);
                if (in.op == Op.TEST_EG) e.loadReg(size, in.reg); else e.pushInt(in.imm);
                aluCall(mv, Alu.AND_K);
                mv.visitInsn(POP);
                return DONE;
            case Op.INC_R, Op.DEC_R:
                unaryRegister(e, in.op == Op.INC_R ? "inc" : "dec", size, in.sub);
                return DONE;
            case Op.INC_E, Op.DEC_E:
                if (in.mem) return NO;
                unaryRegister(e, in.op == Op.INC_E ? "inc" : "dec", size, in.rm);
                return DONE;
            case Op.SHIFT, Op.SHIFT_CL:
                if (in.mem) return NO;
                e.regStoreBegin(size, in.rm);
                e.cpu();
                e.pushInt(in.sub);
                e.pushInt(size);
                e.loadReg(size, in.rm);
                if (in.op == Op.SHIFT) {
                    e.pushInt(in.imm);
                } else {
                    e.loadReg(4, Cpu.ECX);
                    e.pushInt(0xFF);
                    mv.visitInsn(IAND);
                }
                mv.visitMethodInsn(INVOKESTATIC, ALU, "shift", "(L" + Translator.CPU + ";IIII)I", false);
                e.regStoreEnd(size);
                return DONE;
            case Op.IMUL_GE, Op.IMUL_GEI:
                // Exec reads the source operand first; both reads are side-effect free but a fault must come first.
                e.readRm(in, size);
                mv.visitVarInsn(ISTORE, Emit.TMP);
                e.regStoreBegin(size, in.reg);
                e.cpu();
                e.pushInt(size);
                if (in.op == Op.IMUL_GE) {
                    e.loadReg(size, in.reg);
                    mv.visitVarInsn(ILOAD, Emit.TMP);
                } else {
                    mv.visitVarInsn(ILOAD, Emit.TMP);
                    e.pushInt(in.imm);
                }
                mv.visitMethodInsn(INVOKESTATIC, ALU, "imul", "(L" + Translator.CPU + ";III)I", false);
                e.regStoreEnd(size);
                return DONE;
            case Op.SETCC:
                if (in.mem) return NO;
                e.regStoreBegin(1, in.rm);
                e.cond(in.sub);
                e.regStoreEnd(1);
                return DONE;
            case Op.CMOV: {
                e.readRm(in, size);
                mv.visitVarInsn(ISTORE, Emit.TMP);
                e.prepareConditionalStore(size, in.reg);
                Label skip = new Label();
                e.cond(in.sub);
                mv.visitJumpInsn(IFEQ, skip);
                e.regStoreBegin(size, in.reg);
                mv.visitVarInsn(ILOAD, Emit.TMP);
                e.regStoreEnd(size);
                mv.visitLabel(skip);
                return DONE;
            }

            case Op.PUSH_R, Op.PUSH_I:
                if (size != 4) return NO;
                e.cpu();
                e.pushInt(4);
                if (in.op == Op.PUSH_R) e.loadReg(4, in.sub); else e.pushInt(in.imm);
                e.spill(Cpu.ESP);
                mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "push", "(L" + Translator.CPU + ";II)V", false);
                e.invalidate(Cpu.ESP);
                return DONE;
            case Op.POP_R:
                if (size != 4) return NO;
                e.spill(Cpu.ESP);
                e.cpu();
                e.pushInt(4);
                mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "top", "(L" + Translator.CPU + ";I)I", false);
                mv.visitVarInsn(ISTORE, Emit.TMP);
                e.cpu();
                e.cpu();
                e.pushInt(4);
                mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "spPlus", "(L" + Translator.CPU + ";I)I", false);
                mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "setSp", "(L" + Translator.CPU + ";I)V", false);
                e.invalidate(Cpu.ESP);
                e.regStoreBegin(4, in.sub);
                mv.visitVarInsn(ILOAD, Emit.TMP);
                e.regStoreEnd(4);
                return DONE;

            case Op.JCC: {
                if (!in.o32) return NO;
                int next = e.eips[k + 1];
                boolean loop = e.selfLoop && last;
                if (loop) e.ensureAllLoaded();
                Label notTaken = new Label(), done = new Label();
                e.cond(in.sub);
                mv.visitJumpInsn(IFEQ, notTaken);
                if (loop) e.loopBack();
                e.jumpTo(next + in.imm);
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(notTaken);
                e.setEip(next);
                mv.visitLabel(done);
                return DONE_EIP;
            }
            case Op.JMP_REL:
                if (!in.o32) return NO;
                if (e.selfLoop && last) {
                    e.ensureAllLoaded();
                    e.loopBack();
                }
                e.jumpTo(e.eips[k + 1] + in.imm);
                return DONE_EIP;
            case Op.CALL_REL:
                if (!in.o32) return NO;
                e.checkCsLimit(() -> e.pushInt(e.eips[k + 1] + in.imm));
                e.cpu();
                e.pushInt(4);
                e.pushInt(e.eips[k + 1]);
                e.spill(Cpu.ESP);
                mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "push", "(L" + Translator.CPU + ";II)V", false);
                e.invalidate(Cpu.ESP);
                e.setEip(e.eips[k + 1] + in.imm);
                return DONE_EIP;
            case Op.JMP_E, Op.CALL_E:
                if (!in.o32) return NO;
                // Indirect: target from r/m (may fault), CS limit (#GP), then for CALL the push (may fault).
                e.readRm(in, 4);
                mv.visitVarInsn(ISTORE, Emit.TMP);
                e.checkCsLimit(() -> mv.visitVarInsn(ILOAD, Emit.TMP));
                if (in.op == Op.CALL_E) {
                    e.cpu();
                    e.pushInt(4);
                    e.pushInt(e.eips[k + 1]);
                    e.spill(Cpu.ESP);
                    mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "push", "(L" + Translator.CPU + ";II)V", false);
                    e.invalidate(Cpu.ESP);
                }
                e.cpu();
                mv.visitVarInsn(ILOAD, Emit.TMP);
                mv.visitFieldInsn(PUTFIELD, Translator.CPU, "eip", "I");
                return DONE_EIP;
            case Op.RET:
                if (!in.o32) return NO;
                e.spill(Cpu.ESP);
                e.cpu();
                e.pushInt(4);
                mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "top", "(L" + Translator.CPU + ";I)I", false);
                mv.visitVarInsn(ISTORE, Emit.TMP);
                e.checkCsLimit(() -> mv.visitVarInsn(ILOAD, Emit.TMP));
                e.cpu();
                e.cpu();
                e.pushInt(4 + in.imm);
                mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "spPlus", "(L" + Translator.CPU + ";I)I", false);
                mv.visitMethodInsn(INVOKESTATIC, OPERANDS, "setSp", "(L" + Translator.CPU + ";I)V", false);
                e.invalidate(Cpu.ESP);
                e.cpu();
                mv.visitVarInsn(ILOAD, Emit.TMP);
                mv.visitFieldInsn(PUTFIELD, Translator.CPU, "eip", "I");
                return DONE_EIP;
            default:
                return NO;
        }
    }

    /** True if the block's last instruction is a near jump (handled here) back to its first. */
    static boolean selfLoop(java.util.List<Insn> insns, int[] eips) {
        int n = insns.size();
        Insn last = insns.get(n - 1);
        if ((last.op != Op.JCC && last.op != Op.JMP_REL) || !last.o32 || !last.code32 || last.lock) return false;
        return eips[n] + last.imm == eips[0];
    }

    /** reg = Alu.op(reg, src) (CMP only records flags). */
    private static void aluRegister(Emit e, int kind, int size, int r, Runnable src) {
        boolean cmp = kind == Alu.CMP_K;
        if (!cmp) e.regStoreBegin(size, r);
        e.cpu();
        e.pushInt(size);
        e.loadReg(size, r);
        src.run();
        aluCall(e.mv, kind);
        if (cmp) e.mv.visitInsn(POP); else e.regStoreEnd(size);
    }

    private static void unaryRegister(Emit e, String name, int size, int r) {
        e.regStoreBegin(size, r);
        e.cpu();
        e.pushInt(size);
        e.loadReg(size, r);
        e.mv.visitMethodInsn(INVOKESTATIC, ALU, name, "(L" + Translator.CPU + ";II)I", false);
        e.regStoreEnd(size);
    }

    /** Stack: cpu, size, dst, src -> result. */
    private static void aluCall(MethodVisitor mv, int kind) {
        mv.visitMethodInsn(INVOKESTATIC, ALU, ALU_NAME[kind], "(L" + Translator.CPU + ";III)I", false);
    }
}
