package io.flatland.jit;

import io.flatland.cpu.Alu;
import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;
import io.flatland.cpu.Insn;
import io.flatland.cpu.Op;
import io.flatland.cpu.X87;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.*;

/**
 * Hand-written bytecode for the common instructions. Operands are read with the same
 * {@code Operands} calls the interpreter's {@code Exec} makes, in the same order, so faults
 * and memory effects are identical; the arithmetic itself is JVM arithmetic on locals, and
 * the lazy flag record an operation leaves is the one {@link Alu} records (operation, result
 * masked to the size, source and destination as Alu passes them), kept in locals
 * ({@link Emit}). Conditions after a record of known operation compile to a compare of its
 * fields. Anything not handled here returns {@link #NO} and is translated as a call of the
 * instruction's own handler ({@link Emit#reference}).
 *
 * <p>Hand-written instructions do not store EIP: the fault handler and the block exits do.
 * Control transfers set EIP themselves ({@link #DONE_EIP}). Registers and the flag record
 * change only after the instruction's last access that can fault.
 */
final class Emitters {
    private Emitters() { }

    static final int NO = 0, DONE = 1, DONE_EIP = 2;
    private static final String ALU = "io/flatland/cpu/Alu";

    private static final String X87_CLASS = "io/flatland/cpu/X87";

    /**
     * The frequent x87 register forms, each a call of its own X87 method with the form's
     * operands as constants (the Cpu already pushed); false for the others.
     */
    private static boolean x87Register(Emit e, Insn in, int k) {
        MethodVisitor mv = e.mv;
        int op = X87.form(in), i = in.rm, eip = e.eips[k];
        String name, desc;
        if (op < 8 && op != 2 && op != 3) {                            // D8: ST0 = ST0 op ST(i)
            e.pushInt(op);
            e.pushInt(i);
            name = "arithSt0Register";
            desc = "II";
        } else if ((op >= 0x20 && op < 0x28 || op >= 0x30 && op < 0x38) && (op & 7) != 2 && (op & 7) != 3) {
            e.pushInt(op & 7);                                          // DC, DE: ST(i) = ST(i) op ST0
            e.pushInt(i);
            e.pushInt(op >= 0x30 ? 1 : 0);
            name = "arithStNRegister";
            desc = "IIZ";
        } else if (op == 0x08) {
            e.pushInt(i);
            name = "fldRegister";
            desc = "I";
        } else if (op == 0x09 || op == 0x29 || op == 0x39) {
            e.pushInt(i);
            name = "fxch";
            desc = "I";
        } else if (op == 0x2a || op == 0x2b || op == 0x0b || op == 0x3a || op == 0x3b) {
            e.pushInt(i);
            e.pushInt(op == 0x2a ? 0 : 1);
            name = "fstRegister";
            desc = "IZ";
        } else {
            return false;
        }
        e.pushInt(eip);
        mv.visitMethodInsn(INVOKESTATIC, X87_CLASS, name, "(" + Emit.C + desc + "I)V", false);
        return true;
    }

    static int emit(Emit e, int k, Insn in, boolean end) {
        if (!in.code32 || in.lock) return NO;
        if (in.mem && !in.a32) return NO;   // 16-bit addressing: reference semantics
        int size = in.size;
        MethodVisitor mv = e.mv;
        switch (in.op) {
            case Op.NOP:
                mv.visitInsn(NOP);
                return DONE;
            case Op.FPU:
                // x87 forms that touch only the FPU and memory: the reference semantics called
                // directly with the effective address from the register locals and the EIP the
                // FPU records, no write-back of registers or flags around the call.
                if (!X87.fpuOnly(in)) return NO;
                e.cpu();
                if (!in.mem && x87Register(e, in, k)) return DONE;
                Translator.loadInsn(mv, k);
                if (in.mem) e.ea(in);
                e.pushInt(e.eips[k]);
                mv.visitMethodInsn(INVOKESTATIC, X87_CLASS, in.mem ? "escMemory" : "escRegister",
                        "(" + Emit.C + "L" + Translator.INSN + ";" + (in.mem ? "II" : "I") + ")V", false);
                return DONE;
            case Op.MOV_RI:
                e.regStoreBegin(size, in.sub);
                e.pushInt(in.imm);
                e.regStoreEnd(size);
                return DONE;
            case Op.MOV_GE:
                if (in.mem) {
                    e.readMem(in, size);
                    e.regStoreBegin(size, in.reg);
                } else {
                    e.regStoreBegin(size, in.reg);
                    e.loadReg(size, in.rm);
                }
                e.regStoreEnd(size);
                return DONE;
            case Op.MOV_EG:
                e.writeRm(in, size, () -> e.loadReg(size, in.reg));
                return DONE;
            case Op.MOV_EI:
                e.writeRm(in, size, () -> e.pushInt(in.imm));
                return DONE;
            case Op.MOV_AO:
                e.regStoreBegin(size, Cpu.EAX);
                e.readMemAt(in.seg, () -> e.pushInt(in.disp), size);
                e.regStoreEnd(size);
                return DONE;
            case Op.MOV_OA:
                e.writeMemBeginAt(in.seg, () -> e.pushInt(in.disp), size);
                e.loadReg(size, Cpu.EAX);
                e.writeMemEnd();
                return DONE;
            case Op.LEA:
                if (!in.mem) return NO;
                e.regStoreBegin(size, in.reg);
                e.ea(in);
                e.regStoreEnd(size);
                return DONE;
            case Op.MOVZX, Op.MOVSX:
                e.readRm(in, in.sub);
                if (in.op == Op.MOVSX) signExtend(mv, in.sub);
                e.store(Emit.TMP);
                e.regStoreBegin(size, in.reg);
                e.load(Emit.TMP);
                e.regStoreEnd(size);
                return DONE;
            case Op.CBW:
                // CWDE: EAX = (short) AX; CBW: AX = (byte) AL.
                e.regStoreBegin(size, Cpu.EAX);
                e.loadReg(4, Cpu.EAX);
                signExtend(mv, size == 4 ? 2 : 1);
                e.regStoreEnd(size);
                return DONE;
            case Op.CWD:
                // CDQ: EDX = EAX >> 31; CWD: DX = AX's sign.
                e.regStoreBegin(size, Cpu.EDX);
                e.loadReg(4, Cpu.EAX);
                if (size != 4) signExtend(mv, 2);
                e.pushInt(31);
                mv.visitInsn(ISHR);
                e.regStoreEnd(size);
                return DONE;
            case Op.XCHG_AR:
                swapRegs(e, size, Cpu.EAX, in.sub);
                return DONE;
            case Op.XCHG_EG:
                if (in.mem) return NO;
                swapRegs(e, size, in.reg, in.rm);
                return DONE;
            case Op.CLD, Op.STD:
                e.cpu();
                e.cpu();
                mv.visitFieldInsn(GETFIELD, Emit.CPU, "eflags", "I");
                if (in.op == Op.CLD) {
                    e.pushInt(~Cpu.DF);
                    mv.visitInsn(IAND);
                } else {
                    e.pushInt(Cpu.DF);
                    mv.visitInsn(IOR);
                }
                mv.visitFieldInsn(PUTFIELD, Emit.CPU, "eflags", "I");
                return DONE;

            case Op.ALU_GE: {
                if (in.sub == Alu.ADC_K || in.sub == Alu.SBB_K || in.mem) {
                    e.readRm(in, size);   // may fault: before anything changes
                    e.store(Emit.TMP3);
                } else {
                    e.loadReg(size, in.rm);
                    e.store(Emit.TMP3);
                }
                boolean cmp = in.sub == Alu.CMP_K;
                if (!cmp) e.regStoreBegin(size, in.reg);
                e.loadReg(size, in.reg);
                alu(e, in.sub, size, () -> e.load(Emit.TMP3));
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
                    if (in.op == Op.ALU_EG) e.prepareRead(size, in.reg);
                    e.readMem(in, size);
                    alu(e, Alu.CMP_K, size, src);
                    mv.visitInsn(POP);
                } else {
                    if (in.op == Op.ALU_EG) e.prepareRead(size, in.reg);
                    e.readModifyWrite(in, size, () -> alu(e, in.sub, size, src));
                }
                return DONE;
            }
            case Op.TEST_EG, Op.TEST_EI, Op.TEST_AI:
                if (in.op == Op.TEST_EG) e.prepareRead(size, in.reg);
                if (in.op == Op.TEST_AI) e.loadReg(size, Cpu.EAX); else e.readRm(in, size);
                alu(e, Alu.AND_K, size, in.op == Op.TEST_EG ? () -> e.loadReg(size, in.reg) : () -> e.pushInt(in.imm));
                mv.visitInsn(POP);
                return DONE;
            case Op.INC_R, Op.DEC_R:
                if (e.flagsDead != null && e.flagsDead[k]) {
                    pureIncDec(e, in.op == Op.INC_R, size, in.sub);
                    return DONE;
                }
                unary(e, in.op == Op.INC_R ? Op.INC_E : Op.DEC_E, size, in.sub);
                return DONE;
            case Op.INC_E, Op.DEC_E, Op.NOT_E, Op.NEG_E:
                if (!in.mem && in.op != Op.NOT_E && in.op != Op.NEG_E && e.flagsDead != null && e.flagsDead[k]) {
                    pureIncDec(e, in.op == Op.INC_E, size, in.rm);
                    return DONE;
                }
                if (in.mem) {
                    e.readModifyWrite(in, size, () -> unaryOp(e, in.op, size));
                } else {
                    unary(e, in.op, size, in.rm);
                }
                return DONE;
            case Op.SHIFT, Op.SHIFT_CL: {
                boolean plain = in.op == Op.SHIFT
                        && (in.sub == Alu.SHL_K || in.sub == Alu.SAL_K || in.sub == Alu.SHR_K || in.sub == Alu.SAR_K);
                if (!plain && !in.mem && e.flagsDead != null && e.flagsDead[k] && pureShift(e, in, size)) return DONE;
                if (in.mem) {
                    if (!plain) e.spillFlags();
                    if (in.op == Op.SHIFT_CL) e.prepareRead(4, Cpu.ECX);   // read in both of the paths below
                    e.readModifyWrite(in, size, () -> shift(e, in, size, plain));
                    if (!plain) e.flagsClobbered();
                } else {
                    if (!plain) e.spillFlags();
                    e.regStoreBegin(size, in.rm);
                    e.loadReg(size, in.rm);
                    shift(e, in, size, plain);
                    e.regStoreEnd(size);
                    if (!plain) e.flagsClobbered();
                }
                return DONE;
            }
            case Op.IMUL_GE, Op.IMUL_GEI:
                // Exec reads the source operand first: a fault comes before anything changes.
                e.readRm(in, size);
                e.store(Emit.TMP);
                if (in.op == Op.IMUL_GE) e.loadReg(size, in.reg); else e.pushInt(in.imm);
                e.store(Emit.TMP2);
                e.regStoreBegin(size, in.reg);
                if (size == 4 && e.flagsDead != null && e.flagsDead[k]) {
                    // The record is never observed: the low half alone, no 64-bit product to compare.
                    e.load(Emit.TMP2);
                    e.load(Emit.TMP);
                    mv.visitInsn(IMUL);
                } else {
                    imul(e, size);
                }
                e.regStoreEnd(size);
                return DONE;
            case Op.SETCC:
                if (in.mem) return NO;
                e.regStoreBegin(1, in.rm);
                e.cond(in.sub);
                e.regStoreEnd(1);
                return DONE;
            case Op.BT_EG, Op.BTS_EG, Op.BTR_EG, Op.BTC_EG, Op.BT_EI: {
                if (size == 1) return NO;
                bitTest(e, in, in.op == Op.BT_EI ? in.sub : in.op - Op.BT_EG, size, e.carryOnly != null && e.carryOnly[k]);
                return DONE;
            }
            case Op.MUL_E:
                if (size == 4) mul32(e, in);
                else mulNarrow(e, in, size);
                return DONE;
            case Op.BSWAP:
                // All 32 bits whatever the operand size, as Exec (and QEMU 7.2) do.
                e.regStoreBegin(4, in.sub);
                e.loadReg(4, in.sub);
                e.invokeStatic("java/lang/Integer", "reverseBytes", "(I)I");
                e.regStoreEnd(4);
                return DONE;
            case Op.SHLD_I, Op.SHLD_CL, Op.SHRD_I, Op.SHRD_CL:
                if (in.mem || size != 4) return NO;
                doubleShift(e, in);
                return DONE;
            case Op.BSF, Op.BSR:
                if (size == 1) return NO;
                bitScan(e, in, size);
                return DONE;
            case Op.CMOV: {
                e.readRm(in, size);   // the source is read (and may fault) whatever the condition
                e.store(Emit.TMP);
                // Both paths must leave the same state: the destination's local is loaded before the split.
                e.prepareRead(size, in.reg);
                Label skip = new Label();
                e.branchIfNot(in.sub, skip);
                e.regStoreBegin(size, in.reg);
                e.load(Emit.TMP);
                e.regStoreEnd(size);
                mv.visitLabel(skip);
                return DONE;
            }

            case Op.PUSH_R, Op.PUSH_I:
                if (size != 4) return NO;
                e.push32(in.op == Op.PUSH_R ? () -> e.loadReg(4, in.sub) : () -> e.pushInt(in.imm));   // PUSH ESP: the old value
                return DONE;
            case Op.PUSH_E:
                if (size != 4 || !in.mem) return NO;
                e.readMem(in, 4);
                e.store(Emit.TMP3);
                e.push32(() -> e.load(Emit.TMP3));
                return DONE;
            case Op.POP_R:
                if (size != 4) return NO;
                e.top32();
                e.store(Emit.TMP);
                e.pop(4);
                e.load(Emit.TMP);
                e.setReg32(in.sub);   // POP ESP: the popped value wins over the increment
                return DONE;

            case Op.JCC: {
                if (!in.o32) return NO;
                int next = e.next[k];
                int target = next + in.imm;
                int kt = e.internalIndex(target);
                int kn = end ? e.internalIndex(next) : -1;   // a path end: the fall-through is a branch too
                if (kt >= 0 || kn >= 0) e.prepareBranch();
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
                    e.prepareBranch();
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
                    e.prepareBranch();
                    e.internalJump(k, kt);
                }
                e.setEip(target);
                return DONE_EIP;
            }
            case Op.JMP_E, Op.CALL_E:
                if (!in.o32) return NO;
                // Indirect: target from r/m (may fault), CS limit (#GP), then for CALL the push (may fault).
                e.readRm(in, 4);
                e.store(Emit.TMP);
                e.checkCsLimit(() -> e.load(Emit.TMP));
                if (in.op == Op.CALL_E) e.push32(() -> e.pushInt(e.next[k]));
                e.dispatchIndirect(k);
                return DONE_EIP;
            case Op.RET:
                if (!in.o32) return NO;
                e.top32();
                e.store(Emit.TMP);
                e.checkCsLimit(() -> e.load(Emit.TMP));
                e.pop(4 + in.imm);
                e.dispatchIndirect(k);
                return DONE_EIP;
            default:
                return NO;
        }
    }

    private static void signExtend(MethodVisitor mv, int size) {
        if (size == 1) mv.visitInsn(I2B);
        else if (size == 2) mv.visitInsn(I2S);
    }

    private static void mask(Emit e, int size) {
        if (size == 4) return;
        e.pushInt(size == 2 ? 0xFFFF : 0xFF);
        e.mv.visitInsn(IAND);
    }

    /** reg = op(reg, src) (CMP only records flags). */
    private static void aluRegister(Emit e, int kind, int size, int r, Runnable src) {
        boolean cmp = kind == Alu.CMP_K;
        e.prepareRead(size, r);
        if (!cmp) e.regStoreBegin(size, r);
        e.loadReg(size, r);
        alu(e, kind, size, src);
        if (cmp) e.mv.visitInsn(POP); else e.regStoreEnd(size);
    }

    /**
     * Stack: dst (zero-extended to the size) -> result (masked; dst again for CMP), with the
     * record Alu.alu leaves: ADD/ADC/SUB/SBB/CMP (result, src, dst masked), logic (result, 0, 0).
     * {@code src} pushes the source; it must not change translation state.
     */
    static void alu(Emit e, int kind, int size, Runnable src) {
        MethodVisitor mv = e.mv;
        e.store(Emit.TMP2);                 // dst
        src.run();
        mask(e, size);
        e.store(Emit.TMP3);                 // src & mask
        boolean carryIn = kind == Alu.ADC_K || kind == Alu.SBB_K;
        if (carryIn) {
            e.carry();                      // read before the record is replaced
            e.store(Emit.CARRY);
        }
        e.load(Emit.TMP2);
        e.load(Emit.TMP3);
        int fkind;
        switch (kind) {
            case Alu.ADD_K -> { mv.visitInsn(IADD); fkind = Flags.ADD; }
            case Alu.ADC_K -> { mv.visitInsn(IADD); e.load(Emit.CARRY); mv.visitInsn(IADD); fkind = Flags.ADC; }
            case Alu.SUB_K, Alu.CMP_K -> { mv.visitInsn(ISUB); fkind = Flags.SUB; }
            case Alu.SBB_K -> { mv.visitInsn(ISUB); e.load(Emit.CARRY); mv.visitInsn(ISUB); fkind = Flags.SBB; }
            case Alu.AND_K -> { mv.visitInsn(IAND); fkind = Flags.LOGIC; }
            case Alu.OR_K -> { mv.visitInsn(IOR); fkind = Flags.LOGIC; }
            default -> { mv.visitInsn(IXOR); fkind = Flags.LOGIC; }
        }
        mask(e, size);
        mv.visitInsn(DUP);
        if (fkind == Flags.LOGIC) {
            e.pushInt(0);
            e.pushInt(0);
        } else {
            e.load(Emit.TMP3);
            e.load(Emit.TMP2);
        }
        e.setRecord(Flags.op(fkind, size));
        if (kind == Alu.CMP_K) {
            mv.visitInsn(POP);
            e.load(Emit.TMP2);
        }
    }

    /**
     * BT/BTS/BTR/BTC (Exec.bitOp, the same accesses in the same order): CF is the bit, the
     * other flags keep their values (the record is materialized into EFLAGS first, as the
     * interpreter does), and BTS/BTR/BTC write the bit set, cleared or flipped. With a memory
     * operand and a register offset the operand is the dword (word) the offset reaches, a bit
     * string: the address moves by the offset's signed quotient. Registers stay in their
     * locals; only the flag record goes through the Cpu.
     */
    private static void bitTest(Emit e, Insn in, int kind, int size, boolean carryOnly) {
        MethodVisitor mv = e.mv;
        if (!in.mem) {
            e.loadReg(size, in.rm);
            bitTestValue(e, in, kind, size, carryOnly);
            if (kind != 0) {
                e.regStoreBegin(size, in.rm);
                bitTestResult(e, kind);
                e.regStoreEnd(size);
            }
            return;
        }
        // The operand's offset in its segment: with a register offset, a bit string the
        // address moves along by the offset's signed quotient.
        e.ea(in);
        if (in.op != Op.BT_EI) {
            e.loadReg(size, in.reg);
            signExtend(mv, size);
            e.pushInt(size == 4 ? 5 : 4);
            mv.visitInsn(ISHR);
            e.pushInt(size == 4 ? 2 : 1);
            mv.visitInsn(ISHL);             // (offset >> 5) * 4, or (offset >> 4) * 2
            mv.visitInsn(IADD);
        }
        e.store(Emit.TMP);
        if (kind == 0) {
            // Read as Operands.read (in line where the segment is flat), then CF.
            e.readMemAt(in.seg, () -> e.load(Emit.TMP), size);
            bitTestValue(e, in, kind, size, carryOnly);
            return;
        }
        // BTS/BTR/BTC: a read-modify-write (write-probed before the flags change), the flags
        // set between the read and the store, as Exec.bitOp.
        e.readModifyWriteAt(in.seg, () -> e.load(Emit.TMP), size, () -> {
            bitTestValue(e, in, kind, size, carryOnly);
            bitTestResult(e, kind);
        });
    }

    /**
     * Stack: the operand's value -> (nothing). Keeps it in TMP2 and the bit number in TMP3, and
     * sets CF to the bit, the other flags keeping their values (the record is materialized into
     * EFLAGS first, as the interpreter does; only the flag record goes through the Cpu). With
     * {@code carryOnly} (nothing can see the other flags, {@link FlagLiveness#analyse}) the
     * record is a right shift's whose CF is the bit, kept in the locals.
     */
    private static void bitTestValue(Emit e, Insn in, int kind, int size, boolean carryOnly) {
        MethodVisitor mv = e.mv;
        int bits = size * 8;
        e.store(Emit.TMP2);                 // value
        if (in.op == Op.BT_EI) {
            e.pushInt(in.imm & (bits - 1));
        } else {
            e.loadReg(size, in.reg);
            e.pushInt(bits - 1);
            mv.visitInsn(IAND);
        }
        e.store(Emit.TMP3);                 // bit
        if (carryOnly) {
            e.pushInt(0);                   // result
            e.load(Emit.TMP2);
            e.load(Emit.TMP3);
            mv.visitInsn(IUSHR);
            e.pushInt(1);
            mv.visitInsn(IAND);             // source: a right shift's CF is its bit 0
            e.pushInt(0);                   // destination
            e.setRecord(Flags.op(Flags.SHR, 4));
            return;
        }
        e.spillFlags();
        e.cpu();
        e.invokeStatic("io/flatland/cpu/Flags", "materialize", "(" + Emit.C + ")V");
        e.cpu();
        e.cpu();
        mv.visitFieldInsn(GETFIELD, Emit.CPU, "eflags", "I");
        e.pushInt(~Cpu.CF);
        mv.visitInsn(IAND);
        e.load(Emit.TMP2);
        e.load(Emit.TMP3);
        mv.visitInsn(IUSHR);
        e.pushInt(1);
        mv.visitInsn(IAND);
        mv.visitInsn(IOR);
        mv.visitFieldInsn(PUTFIELD, Emit.CPU, "eflags", "I");
        e.flagsClobbered();
    }

    /** Pushes the value (TMP2) with the bit (TMP3) set, cleared or flipped (BTS, BTR, BTC). */
    private static void bitTestResult(Emit e, int kind) {
        MethodVisitor mv = e.mv;
        e.load(Emit.TMP2);
        e.pushInt(1);
        e.load(Emit.TMP3);
        mv.visitInsn(ISHL);                 // the bit's mask
        switch (kind) {
            case 1 -> mv.visitInsn(IOR);
            case 2 -> {
                e.pushInt(-1);
                mv.visitInsn(IXOR);
                mv.visitInsn(IAND);
            }
            default -> mv.visitInsn(IXOR);
        }
    }

    /**
     * SHLD/SHRD with a 32-bit register destination (Exec): Alu.shld/shrd on the register locals.
     * A count of 0 (mod 32) leaves the flags alone, so the Cpu's record is made current first and
     * the helper records the new one there; registers stay in their locals.
     */
    private static void doubleShift(Emit e, Insn in) {
        boolean left = in.op == Op.SHLD_I || in.op == Op.SHLD_CL;
        e.prepareRead(4, in.rm);
        e.prepareRead(4, in.reg);
        e.prepareRead(1, Cpu.ECX);
        e.spillFlags();
        e.regStoreBegin(4, in.rm);
        e.cpu();
        e.pushInt(4);
        e.loadReg(4, in.rm);
        e.loadReg(4, in.reg);
        if (in.op == Op.SHLD_I || in.op == Op.SHRD_I) e.pushInt(in.imm);
        else e.loadReg(1, Cpu.ECX);
        e.invokeStatic("io/flatland/cpu/Alu", left ? "shld" : "shrd", "(" + Emit.C + "IIII)I");
        e.regStoreEnd(4);
        e.flagsClobbered();
    }

    /**
     * MUL r/m32 (Exec.mul): EDX:EAX = EAX * source, unsigned, and the record Alu.mulFlags leaves
     * (the low half, 1 when the high half is not zero). The source is read first (it may fault,
     * and may be EAX or EDX).
     */
    /**
     * MUL r/m8 (AX = AL * src) and MUL r/m16 (DX:AX = AX * src), as Exec.mul: the product of
     * two zero-extended operands fits an int; the record is the low half with CF = OF = the
     * high half not zero (Alu.mulFlags).
     */
    private static void mulNarrow(Emit e, Insn in, int size) {
        MethodVisitor mv = e.mv;
        int mask = size == 1 ? 0xFF : 0xFFFF, shift = 8 * size;
        e.readRm(in, size);                 // may fault: before any register changes
        e.pushInt(mask);
        mv.visitInsn(IAND);
        e.loadReg(size, Cpu.EAX);           // AL or AX, zero-extended
        mv.visitInsn(IMUL);
        e.store(Emit.TMP);
        e.regStoreBegin(2, Cpu.EAX);        // AX: the whole product of bytes, the low word of words
        e.load(Emit.TMP);
        e.regStoreEnd(2);
        if (size == 2) {
            e.regStoreBegin(2, Cpu.EDX);
            e.load(Emit.TMP);
            e.pushInt(16);
            mv.visitInsn(IUSHR);
            e.regStoreEnd(2);
        }
        e.load(Emit.TMP);
        e.pushInt(mask);
        mv.visitInsn(IAND);                 // result: the low half
        e.load(Emit.TMP);
        e.pushInt(shift);
        mv.visitInsn(IUSHR);                // the high half
        mulRecord(e, size);
    }

    /** Stack: low half, high half of a product -> (nothing): Alu.mulFlags' record (CF = OF = high half not zero). */
    private static void mulRecord(Emit e, int size) {
        MethodVisitor mv = e.mv;
        mv.visitInsn(DUP);
        mv.visitInsn(INEG);
        mv.visitInsn(IOR);
        e.pushInt(31);
        mv.visitInsn(IUSHR);                // source: 1 when the high half is not zero
        e.pushInt(0);
        e.setRecord(Flags.op(Flags.MUL, size));
    }

    private static void mul32(Emit e, Insn in) {
        MethodVisitor mv = e.mv;
        e.readRm(in, 4);
        e.store(Emit.TMP2);
        e.loadReg(4, Cpu.EAX);
        mv.visitInsn(I2L);
        mv.visitLdcInsn(0xFFFF_FFFFL);
        mv.visitInsn(LAND);
        e.load(Emit.TMP2);
        mv.visitInsn(I2L);
        mv.visitLdcInsn(0xFFFF_FFFFL);
        mv.visitInsn(LAND);
        mv.visitInsn(LMUL);
        mv.visitVarInsn(LSTORE, Emit.HOST);
        e.regStoreBegin(4, Cpu.EAX);
        mv.visitVarInsn(LLOAD, Emit.HOST);
        mv.visitInsn(L2I);
        e.regStoreEnd(4);
        e.regStoreBegin(4, Cpu.EDX);
        mv.visitVarInsn(LLOAD, Emit.HOST);
        e.pushInt(32);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
        e.regStoreEnd(4);
        mv.visitVarInsn(LLOAD, Emit.HOST);
        mv.visitInsn(L2I);                  // result: the low half
        mv.visitVarInsn(LLOAD, Emit.HOST);
        e.pushInt(32);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);                  // the high half
        mulRecord(e, 4);
    }

    /**
     * BSF/BSR (Exec's handler): the record Alu.logic leaves for the source (ZF set when it is
     * zero), and the destination the index of its lowest or highest set bit; a zero source
     * leaves the destination unchanged (QEMU's behaviour, the SDM's "undefined").
     */
    private static void bitScan(Emit e, Insn in, int size) {
        MethodVisitor mv = e.mv;
        e.readRm(in, size);                 // a memory source may fault: before anything changes
        e.store(Emit.TMP2);
        e.load(Emit.TMP2);
        e.pushInt(0);
        e.pushInt(0);
        e.setRecord(Flags.op(Flags.LOGIC, size));
        // Both paths must leave the same state: the destination's local is loaded before the split.
        e.prepareRead(size, in.reg);
        Label skip = new Label();
        e.load(Emit.TMP2);
        mv.visitJumpInsn(IFEQ, skip);
        e.regStoreBegin(size, in.reg);
        if (in.op == Op.BSF) {
            e.load(Emit.TMP2);
            e.invokeStatic("java/lang/Integer", "numberOfTrailingZeros", "(I)I");
        } else {
            e.pushInt(31);
            e.load(Emit.TMP2);
            e.invokeStatic("java/lang/Integer", "numberOfLeadingZeros", "(I)I");
            mv.visitInsn(ISUB);
        }
        e.regStoreEnd(size);
        mv.visitLabel(skip);
    }

    /** reg = INC/DEC/NOT/NEG(reg). */
    private static void unary(Emit e, int op, int size, int r) {
        e.prepareRead(size, r);
        e.regStoreBegin(size, r);
        e.loadReg(size, r);
        unaryOp(e, op, size);
        e.regStoreEnd(size);
    }

    /** XCHG of two registers (register numbers of {@code size}: AH..BH at 8 bits). */
    private static void swapRegs(Emit e, int size, int a, int b) {
        e.loadReg(size, a);
        e.store(Emit.TMP);
        e.regStoreBegin(size, a);
        e.loadReg(size, b);
        e.regStoreEnd(size);
        e.regStoreBegin(size, b);
        e.load(Emit.TMP);
        e.regStoreEnd(size);
    }

    /**
     * INC/DEC of a register whose flag record is never observed ({@link FlagLiveness}): the
     * result alone. Their record would also carry CF over from the record before, a
     * computation C2 does not always see through.
     */
    private static void pureIncDec(Emit e, boolean inc, int size, int r) {
        e.prepareRead(size, r);
        e.regStoreBegin(size, r);
        e.loadReg(size, r);
        e.pushInt(1);
        e.mv.visitInsn(inc ? IADD : ISUB);
        mask(e, size);
        e.regStoreEnd(size);
    }

    /** Stack: dst -> result, with Alu.inc/dec/neg's record (NOT leaves the flags alone). */
    private static void unaryOp(Emit e, int op, int size) {
        MethodVisitor mv = e.mv;
        if (op == Op.NOT_E) {
            e.pushInt(-1);
            mv.visitInsn(IXOR);
            mask(e, size);
            return;
        }
        e.store(Emit.TMP2);
        if (op == Op.NEG_E) {
            // record(SUB, -dst, dst & mask, 0)
            e.load(Emit.TMP2);
            mv.visitInsn(INEG);
            mask(e, size);
            mv.visitInsn(DUP);
            e.load(Emit.TMP2);
            e.pushInt(0);
            e.setRecord(Flags.op(Flags.SUB, size));
            return;
        }
        // INC/DEC: record(kind, dst +- 1, CF before, dst); CF survives.
        e.carry();
        e.store(Emit.TMP3);
        e.load(Emit.TMP2);
        e.pushInt(1);
        mv.visitInsn(op == Op.INC_E ? IADD : ISUB);
        mask(e, size);
        mv.visitInsn(DUP);
        e.load(Emit.TMP3);
        e.load(Emit.TMP2);
        e.setRecord(Flags.op(op == Op.INC_E ? Flags.INC : Flags.DEC, size));
    }

    /**
     * Stack: value (zero-extended) -> shifted value. SHL/SHR/SAR by a constant are JVM shifts
     * with Alu.shift's record; the other forms call Alu.shift itself, which updates the Cpu's
     * record (the caller spilled it before and marks it clobbered after).
     */
    private static void shift(Emit e, Insn in, int size, boolean plain) {
        MethodVisitor mv = e.mv;
        if (!plain) {
            e.store(Emit.TMP2);
            e.cpu();
            e.pushInt(in.sub);
            e.pushInt(size);
            e.load(Emit.TMP2);
            if (in.op == Op.SHIFT) {
                e.pushInt(in.imm);
            } else {
                e.loadReg(4, Cpu.ECX);
                e.pushInt(0xFF);
                mv.visitInsn(IAND);
            }
            e.invokeStatic(ALU, "shift", "(" + Emit.C + "IIII)I");
            return;
        }
        int count = in.imm & 0x1F;
        if (count == 0) return;   // nothing changes, not even the flags
        // s = operand shifted by count-1 (the record's source); result = s shifted once more, masked.
        switch (in.sub) {
            case Alu.SHR_K -> {
                e.pushInt(count - 1);
                mv.visitInsn(IUSHR);
                mv.visitInsn(DUP);
                e.store(Emit.TMP3);
                e.pushInt(1);
                mv.visitInsn(IUSHR);
            }
            case Alu.SAR_K -> {
                signExtend(mv, size);
                e.pushInt(count - 1);
                mv.visitInsn(ISHR);
                mv.visitInsn(DUP);
                e.store(Emit.TMP3);
                e.pushInt(1);
                mv.visitInsn(ISHR);
            }
            default -> {   // SHL, SAL
                e.pushInt(count - 1);
                mv.visitInsn(ISHL);
                mv.visitInsn(DUP);
                e.store(Emit.TMP3);
                e.pushInt(1);
                mv.visitInsn(ISHL);
            }
        }
        mask(e, size);
        mv.visitInsn(DUP);
        e.load(Emit.TMP3);
        e.pushInt(0);
        int kind = in.sub == Alu.SHR_K ? Flags.SHR : in.sub == Alu.SAR_K ? Flags.SAR : Flags.SHL;
        e.setRecord(Flags.op(kind, size));
    }

    /**
     * A shift or rotate of a register whose flag record is never observed: the result alone,
     * JVM shifts and rotates with the count masked to 5 bits as Alu.shift masks it. Rotates
     * only at 32 bits (narrower ones rotate within the operand); false if not handled here.
     */
    private static boolean pureShift(Emit e, Insn in, int size) {
        MethodVisitor mv = e.mv;
        int kind = in.sub;
        boolean rotate = kind == Alu.ROL_K || kind == Alu.ROR_K;
        boolean shift = kind == Alu.SHL_K || kind == Alu.SAL_K || kind == Alu.SHR_K || kind == Alu.SAR_K;
        if (!(rotate && size == 4 || shift)) return false;
        if (in.op == Op.SHIFT_CL) e.prepareRead(4, Cpu.ECX);
        e.regStoreBegin(size, in.rm);
        e.loadReg(size, in.rm);
        if (kind == Alu.SAR_K) signExtend(mv, size);
        if (in.op == Op.SHIFT) {
            e.pushInt(in.imm & 0x1F);
        } else {
            e.loadReg(4, Cpu.ECX);
            e.pushInt(0x1F);
            mv.visitInsn(IAND);
        }
        switch (kind) {
            case Alu.ROL_K -> e.invokeStatic("java/lang/Integer", "rotateLeft", "(II)I");
            case Alu.ROR_K -> e.invokeStatic("java/lang/Integer", "rotateRight", "(II)I");
            case Alu.SHR_K -> mv.visitInsn(IUSHR);
            case Alu.SAR_K -> mv.visitInsn(ISHR);
            default -> mv.visitInsn(ISHL);
        }
        mask(e, size);
        e.regStoreEnd(size);
        return true;
    }

    /** TMP * TMP2 (the operands, sized) -> low half, with Alu.imul's record: (low, truncated ? 1 : 0, 0). */
    private static void imul(Emit e, int size) {
        MethodVisitor mv = e.mv;
        if (size != 4) {
            e.spillFlags();
            e.cpu();
            e.pushInt(size);
            e.load(Emit.TMP2);
            e.load(Emit.TMP);
            e.invokeStatic(ALU, "imul", "(" + Emit.C + "III)I");
            e.flagsClobbered();
            return;
        }
        Label fits = new Label(), done = new Label();
        e.load(Emit.TMP2);
        mv.visitInsn(I2L);
        e.load(Emit.TMP);
        mv.visitInsn(I2L);
        mv.visitInsn(LMUL);
        mv.visitVarInsn(LSTORE, Emit.HOST);
        mv.visitVarInsn(LLOAD, Emit.HOST);
        mv.visitInsn(L2I);
        e.store(Emit.TMP3);
        mv.visitVarInsn(LLOAD, Emit.HOST);
        e.load(Emit.TMP3);
        mv.visitInsn(I2L);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFEQ, fits);
        e.pushInt(1);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(fits);
        e.pushInt(0);
        mv.visitLabel(done);
        e.store(Emit.FSRC);
        e.load(Emit.TMP3);
        e.store(Emit.FRES);
        e.pushInt(0);
        e.store(Emit.FDST);
        e.flagsSet(Flags.op(Flags.MUL, 4));
        e.load(Emit.TMP3);
    }
}
