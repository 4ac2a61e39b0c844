package io.flatland.cpu;

/**
 * Handlers for the commonest forms of the commonest operations, chosen when an instruction is
 * decoded ({@link #handlerFor}): 32-bit operands, 32-bit addresses and 32-bit code, register
 * or memory forms as the decoder found them. Each does exactly what the operation's generic
 * handler in {@link Exec} does for that form (the same operand calls in the same order, so the
 * same faults), without the cases of other sizes, address sizes and code sizes that the
 * generic one tests on every run. Most interpreted instructions of a kernel are these few
 * forms (MOV, Jcc, ALU, LEA, PUSH, POP, CALL, RET: about 80% of what Linux's boot interprets).
 *
 * <p>State that can change after decoding (the stack size) is left to the Operands helpers the
 * generic handlers use too. {@code FastFormsTest} runs every form against the generic handler.
 */
final class FastForms {
    private FastForms() { }

    /** The handler for {@code in} (decoded, its operation set): a fast form's, or the operation's generic one. */
    static Exec.Handler handlerFor(Insn in, Exec.Handler generic) {
        if (!in.code32 || !in.o32 || in.lock || in.rep != 0 || in.mem && !in.a32) return generic;
        switch (in.op) {
            case Op.MOV_GE:
                if (in.size != 4) return generic;
                return in.mem ? MOV_R_M : MOV_R_R;
            case Op.MOV_EG:
                if (in.size != 4) return generic;
                return in.mem ? MOV_M_R : MOV_R_R_REV;
            case Op.MOV_RI:
                return in.size == 4 ? MOV_R_I : generic;
            case Op.LEA:
                return in.size == 4 && in.mem ? LEA32 : generic;
            case Op.JCC:
                return JCC32;
            case Op.JMP_REL:
                return JMP32;
            case Op.CALL_REL:
                return in.size == 4 ? CALL32 : generic;
            case Op.RET:
                return in.size == 4 ? RET32 : generic;
            case Op.PUSH_R:
                return in.size == 4 ? PUSH32 : generic;
            case Op.POP_R:
                return in.size == 4 ? POP32 : generic;
            case Op.ALU_EG:
                if (in.size != 4 || in.mem) return generic;
                return aluRegReg(in.sub, generic);
            case Op.ALU_EI:
                if (in.size != 4 || in.mem) return generic;
                return aluRegImm(in.sub, generic);
            case Op.TEST_EG:
                return in.size == 4 && !in.mem ? TEST_R_R : generic;
            default:
                return generic;
        }
    }

    private static int next(Cpu c, Insn in) { return c.eip + in.len; }

    /** Offset of the memory operand (32-bit addressing): Operands.ea's a32 case. */
    private static int ea32(Cpu c, Insn in) {
        int a = in.disp;
        if (in.base >= 0) a += c.reg[in.base];
        if (in.index >= 0) a += c.reg[in.index] << in.scale;
        return a;
    }

    private static final Exec.Handler MOV_R_R = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.reg] = c.reg[in.rm]; c.eip = next(c, in); }
    };
    private static final Exec.Handler MOV_R_R_REV = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.rm] = c.reg[in.reg]; c.eip = next(c, in); }
    };
    private static final Exec.Handler MOV_R_M = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) {
            c.reg[in.reg] = Operands.read(c, in.seg, ea32(c, in), 4);
            c.eip = next(c, in);
        }
    };
    private static final Exec.Handler MOV_M_R = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) {
            Operands.write(c, in.seg, ea32(c, in), 4, c.reg[in.reg]);
            c.eip = next(c, in);
        }
    };
    private static final Exec.Handler MOV_R_I = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.sub] = in.imm; c.eip = next(c, in); }
    };
    private static final Exec.Handler LEA32 = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.reg] = ea32(c, in); c.eip = next(c, in); }
    };
    private static final Exec.Handler TEST_R_R = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) {
            Alu.and(c, 4, c.reg[in.rm], c.reg[in.reg]);
            c.eip = next(c, in);
        }
    };

    /** A near transfer to {@code target} in 32-bit code: #GP(0) beyond the CS limit (Exec.jump). */
    private static void jump(Cpu c, int target) {
        if (Integer.compareUnsigned(target, c.segLimit[Cpu.CS]) > 0) throw Exec.gp0(c);
        c.eip = target;
    }

    private static final Exec.Handler JCC32 = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) {
            int n = next(c, in);
            if (Flags.cond(c, in.sub)) jump(c, n + in.imm);
            else c.eip = n;
        }
    };
    private static final Exec.Handler JMP32 = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { jump(c, next(c, in) + in.imm); }
    };

    // Stack forms: Operands' stack helpers, which the generic handlers call too (they take SS.B,
    // which may change after decoding, into account). The store comes before ESP moves (a fault
    // leaves ESP intact), PUSH ESP pushes the old value, POP ESP leaves the popped value.
    private static final Exec.Handler PUSH32 = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) {
            Operands.push(c, 4, c.reg[in.sub]);
            c.eip = next(c, in);
        }
    };
    private static final Exec.Handler POP32 = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) {
            int v = Operands.top(c, 4);
            Operands.setSp(c, Operands.spPlus(c, 4));
            c.reg[in.sub] = v;
            c.eip = next(c, in);
        }
    };
    private static final Exec.Handler CALL32 = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) {
            int ret = next(c, in);
            int target = ret + in.imm;
            if (Integer.compareUnsigned(target, c.segLimit[Cpu.CS]) > 0) throw Exec.gp0(c);
            Operands.push(c, 4, ret);
            c.eip = target;
        }
    };
    private static final Exec.Handler RET32 = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) {
            int target = Operands.top(c, 4);
            if (Integer.compareUnsigned(target, c.segLimit[Cpu.CS]) > 0) throw Exec.gp0(c);
            Operands.setSp(c, Operands.spPlus(c, 4 + in.imm));
            c.eip = target;
        }
    };

    // ALU register forms by operation: the flag record as Alu's, the result written unless CMP.
    private static Exec.Handler aluRegReg(int kind, Exec.Handler generic) {
        return switch (kind) {
            case Alu.ADD_K -> ADD_R_R;
            case Alu.SUB_K -> SUB_R_R;
            case Alu.CMP_K -> CMP_R_R;
            case Alu.AND_K -> AND_R_R;
            case Alu.OR_K -> OR_R_R;
            case Alu.XOR_K -> XOR_R_R;
            default -> generic;
        };
    }

    private static Exec.Handler aluRegImm(int kind, Exec.Handler generic) {
        return switch (kind) {
            case Alu.ADD_K -> ADD_R_I;
            case Alu.SUB_K -> SUB_R_I;
            case Alu.CMP_K -> CMP_R_I;
            case Alu.AND_K -> AND_R_I;
            case Alu.OR_K -> OR_R_I;
            case Alu.XOR_K -> XOR_R_I;
            default -> generic;
        };
    }

    private static final Exec.Handler ADD_R_R = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.rm] = Alu.add(c, 4, c.reg[in.rm], c.reg[in.reg]); c.eip = next(c, in); }
    };
    private static final Exec.Handler SUB_R_R = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.rm] = Alu.sub(c, 4, c.reg[in.rm], c.reg[in.reg]); c.eip = next(c, in); }
    };
    private static final Exec.Handler CMP_R_R = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { Alu.sub(c, 4, c.reg[in.rm], c.reg[in.reg]); c.eip = next(c, in); }
    };
    private static final Exec.Handler AND_R_R = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.rm] = Alu.and(c, 4, c.reg[in.rm], c.reg[in.reg]); c.eip = next(c, in); }
    };
    private static final Exec.Handler OR_R_R = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.rm] = Alu.or(c, 4, c.reg[in.rm], c.reg[in.reg]); c.eip = next(c, in); }
    };
    private static final Exec.Handler XOR_R_R = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.rm] = Alu.xor(c, 4, c.reg[in.rm], c.reg[in.reg]); c.eip = next(c, in); }
    };
    private static final Exec.Handler ADD_R_I = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.rm] = Alu.add(c, 4, c.reg[in.rm], in.imm); c.eip = next(c, in); }
    };
    private static final Exec.Handler SUB_R_I = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.rm] = Alu.sub(c, 4, c.reg[in.rm], in.imm); c.eip = next(c, in); }
    };
    private static final Exec.Handler CMP_R_I = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { Alu.sub(c, 4, c.reg[in.rm], in.imm); c.eip = next(c, in); }
    };
    private static final Exec.Handler AND_R_I = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.rm] = Alu.and(c, 4, c.reg[in.rm], in.imm); c.eip = next(c, in); }
    };
    private static final Exec.Handler OR_R_I = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.rm] = Alu.or(c, 4, c.reg[in.rm], in.imm); c.eip = next(c, in); }
    };
    private static final Exec.Handler XOR_R_I = new Exec.Handler() {
        @Override public void exec(Cpu c, Insn in) { c.reg[in.rm] = Alu.xor(c, 4, c.reg[in.rm], in.imm); c.eip = next(c, in); }
    };
}
