package io.flatland.jit;

import io.flatland.cpu.Alu;
import io.flatland.cpu.Cpu;
import io.flatland.cpu.Insn;
import io.flatland.cpu.Op;
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
    private static final String OPERANDS = "io/flatland/cpu/Operands", ALU = "io/flatland/cpu/Alu",
            FLAGS = "io/flatland/cpu/Flags";
    private static final String[] ALU_NAME = {"add", "or", "adc", "sbb", "and", "sub", "xor", "sub"};

    static int emit(Emit e, int k, Insn in, boolean end) {
        if (!in.code32 || in.lock) return NO;
        if (in.mem && !in.a32) return NO;   // 16-bit addressing: reference semantics
        int size = in.size;
        MethodVisitor mv = e.mv;
        if (e.flagsDead != null && e.flagsDead[k]) return pure(e, in);
        if (in.op == Op.JCC && !in.o32) return NO;
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
                e.push32(in.op == Op.PUSH_R ? () -> e.loadReg(4, in.sub) : () -> e.pushInt(in.imm));   // PUSH ESP: the old value
                return DONE;
            case Op.POP_R:
                if (size != 4) return NO;
                e.top32();
                mv.visitVarInsn(ISTORE, Emit.TMP);
                e.pop(4);
                e.regStoreBegin(4, in.sub);   // POP ESP: the popped value wins over the increment
                mv.visitVarInsn(ILOAD, Emit.TMP);
                e.regStoreEnd(4);
                return DONE;

            case Op.JCC: {
                if (!in.o32) return NO;
                int next = e.next[k];
                int target = next + in.imm;
                int kt = e.internalIndex(target);
                int kn = end ? e.internalIndex(next) : -1;   // a path end: the fall-through is a branch too
                if (kt >= 0 || kn >= 0) e.ensureAllLoaded();
                Label notTaken = new Label();
                e.branchIfNot(in.sub, notTaken);
                if (kt >= 0) {
                    e.internalJump(k, kt);
                } else {
                    // Taken: leave the region here.
                    e.checkCsLimit(() -> e.pushInt(target));
                    e.exit(target, k + 1);
                }
                mv.visitLabel(notTaken);
                if (!end) return DONE;   // not taken: the path goes on
                if (kn >= 0) e.internalJump(k, kn);
                e.setEip(next);   // (not reached after an internal jump: the translator's exit follows)
                return DONE_EIP;
            }
            case Op.JMP_REL: {
                if (!in.o32) return NO;
                int target = e.next[k] + in.imm;
                if (!end) {
                    mv.visitInsn(NOP);   // followed: the path goes on at the target (within the CS limit)
                    return DONE;
                }
                int kt = e.internalIndex(target);
                if (kt >= 0) {
                    e.ensureAllLoaded();
                    e.internalJump(k, kt);
                    // Not reached: the block end the translator appends after a path end.
                    e.setEip(target);
                    return DONE_EIP;
                }
                e.jumpTo(target);
                return DONE_EIP;
            }
            case Op.CALL_REL: {
                if (!in.o32) return NO;
                int target = e.next[k] + in.imm;
                // Followed, or to an instruction of the region: within the CS limit (checked on entry).
                int kt = end ? e.internalIndex(target) : k + 1;
                if (kt < 0) e.checkCsLimit(() -> e.pushInt(target));
                e.push32(() -> e.pushInt(e.next[k]));
                if (!end) return DONE;
                if (kt >= 0) {
                    e.ensureAllLoaded();
                    e.internalJump(k, kt);
                }
                e.setEip(target);
                return DONE_EIP;
            }
            case Op.JMP_E, Op.CALL_E:
                if (!in.o32) return NO;
                // Indirect: target from r/m (may fault), CS limit (#GP), then for CALL the push (may fault).
                e.readRm(in, 4);
                mv.visitVarInsn(ISTORE, Emit.TMP);
                e.checkCsLimit(() -> mv.visitVarInsn(ILOAD, Emit.TMP));
                if (in.op == Op.CALL_E) e.push32(() -> e.pushInt(e.next[k]));
                e.dispatchIndirect(k);
                return DONE_EIP;
            case Op.RET:
                if (!in.o32) return NO;
                e.top32();
                mv.visitVarInsn(ISTORE, Emit.TMP);
                e.checkCsLimit(() -> mv.visitVarInsn(ILOAD, Emit.TMP));
                e.pop(4 + in.imm);
                e.dispatchIndirect(k);
                return DONE_EIP;
            default:
                return NO;
        }
    }

    /**
     * An instruction whose flag record is dead ({@link FlagLiveness}): only its result, the
     * plain int operation (Alu masks it to the size; the register store merges the low bits).
     */
    private static int pure(Emit e, Insn in) {
        MethodVisitor mv = e.mv;
        int size = in.size;
        if (in.mem) return pureMemory(e, in);
        int dst, opcode;
        Runnable src;
        switch (in.op) {
            case Op.ALU_GE -> { dst = in.reg; src = () -> e.loadReg(size, in.rm); opcode = aluOpcode(in.sub); }
            case Op.ALU_EG -> { dst = in.rm; src = () -> e.loadReg(size, in.reg); opcode = aluOpcode(in.sub); }
            case Op.ALU_EI -> { dst = in.rm; src = () -> e.pushInt(in.imm); opcode = aluOpcode(in.sub); }
            case Op.ALU_AI -> { dst = Cpu.EAX; src = () -> e.pushInt(in.imm); opcode = aluOpcode(in.sub); }
            case Op.TEST_EG, Op.TEST_EI, Op.TEST_AI -> { dst = -1; src = null; opcode = NOP; }
            case Op.INC_R, Op.DEC_R -> { dst = in.sub; src = () -> e.pushInt(1); opcode = in.op == Op.INC_R ? IADD : ISUB; }
            case Op.INC_E, Op.DEC_E -> { dst = in.rm; src = () -> e.pushInt(1); opcode = in.op == Op.INC_E ? IADD : ISUB; }
            case Op.IMUL_GE -> { dst = in.reg; src = () -> e.loadReg(size, in.rm); opcode = IMUL; }
            case Op.IMUL_GEI -> { dst = in.reg; src = null; opcode = IMUL; }
            case Op.SHIFT, Op.SHIFT_CL -> {
                dst = in.rm;
                src = in.op == Op.SHIFT ? () -> e.pushInt(in.imm) : () -> e.loadReg(4, Cpu.ECX);
                // The JVM masks shift and rotate distances to 5 bits, as Alu.shift does (size 4).
                opcode = switch (in.sub) {
                    case Alu.SHL_K, Alu.SAL_K -> ISHL;
                    case Alu.SHR_K -> IUSHR;
                    case Alu.SAR_K -> ISHR;
                    case Alu.ROL_K -> -1;
                    default -> -2;   // ROR
                };
            }
            default -> throw new IllegalStateException("not elidable: " + in.op);
        }
        if (opcode == NOP || dst < 0) {   // CMP, TEST: nothing but a placeholder for the fault range
            mv.visitInsn(NOP);
            return DONE;
        }
        e.regStoreBegin(size, dst);
        if (in.op == Op.IMUL_GEI) {
            e.loadReg(size, in.rm);
            e.pushInt(in.imm);
        } else {
            e.loadReg(size, dst);
            src.run();
        }
        if (opcode == -1) mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "rotateLeft", "(II)I", false);
        else if (opcode == -2) mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "rotateRight", "(II)I", false);
        else mv.visitInsn(opcode);
        e.regStoreEnd(size);
        return DONE;
    }

    /** Memory forms with a dead flag record: the same accesses (and faults) as the full form, no record. */
    private static int pureMemory(Emit e, Insn in) {
        MethodVisitor mv = e.mv;
        int size = in.size;
        int opcode = in.op == Op.TEST_EG || in.op == Op.TEST_EI ? NOP : aluOpcode(in.sub);
        if (opcode == NOP) {
            // CMP or TEST: only the read remains.
            e.readRm(in, size);
            mv.visitInsn(POP);
            return DONE;
        }
        if (in.op == Op.ALU_GE) {
            e.regStoreBegin(size, in.reg);
            e.loadReg(size, in.reg);
            e.readRm(in, size);
            mv.visitInsn(opcode);
            e.regStoreEnd(size);
            return DONE;
        }
        // ALU_EG / ALU_EI: read-modify-write exactly as the full form, with the plain operation.
        if (in.op == Op.ALU_EG) e.prepareRead(size, in.reg);
        e.readModifyWrite(in, size, () -> {
            if (in.op == Op.ALU_EG) e.loadReg(size, in.reg); else e.pushInt(in.imm);
            mv.visitInsn(opcode);
        });
        return DONE;
    }

    private static int aluOpcode(int kind) {
        return switch (kind) {
            case Alu.ADD_K -> IADD;
            case Alu.OR_K -> IOR;
            case Alu.AND_K -> IAND;
            case Alu.SUB_K -> ISUB;
            case Alu.XOR_K -> IXOR;
            case Alu.CMP_K -> NOP;
            default -> throw new IllegalStateException("not elidable: ALU " + kind);
        };
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
