package io.flatland.cpu;

import io.flatland.mmu.GuestFault;

import static io.flatland.cpu.Operands.*;

/**
 * The reference semantics of every decoded instruction. {@link #execute} runs one
 * instruction whose address is {@code cpu.eip}; on success EIP points at the next one. On a
 * fault it throws the machine's GuestFault before changing any register (memory operands
 * are read and stores probed before registers are written), and the run loop restores EIP.
 */
public final class Exec {
    private Exec() { }

    static final int CR0_MP = 1 << 1, CR0_EM = 1 << 2, CR0_TS = 1 << 3;

    // x86 exception vectors used here.
    static final int DE = 0, DB = 1, BP = 3, OF_V = 4, BR = 5, UD_V = 6, NM = 7, GP = 13;

    static GuestFault ud(Cpu c) { return c.fault(UD_V, -1); }
    static GuestFault gp0(Cpu c) { return c.fault(GP, 0); }

    /** Address of the next instruction (16-bit code wraps IP at 64 KiB). */
    static int next(Cpu c, Insn in) {
        int n = c.eip + in.len;
        return in.code32 ? n : n & 0xFFFF;
    }

    /** Near transfer: IP is 16 bits under a 16-bit operand size; CS limit checked (#GP(0)). */
    static void jump(Cpu c, int target, boolean o32) {
        if (!o32) target &= 0xFFFF;
        if (Integer.compareUnsigned(target, c.segLimit[Cpu.CS]) > 0) throw gp0(c);
        c.eip = target;
    }

    static int iopl(Cpu c) { return (c.eflags >>> 12) & 3; }

    static boolean v86(Cpu c) { return (c.eflags & Cpu.VM) != 0; }

    /** Protected mode outside virtual-8086 mode: the descriptor-based instructions work. */
    static boolean pmode(Cpu c) { return c.protectedMode() && !v86(c); }

    static void requireCpl0(Cpu c) {
        if (c.cpl != 0) throw gp0(c);
    }

    /** CLI/STI/PUSHF/POPF and I/O privilege: CPL must not exceed IOPL in protected mode. */
    static boolean ioplAllows(Cpu c) {
        return !c.protectedMode() || c.cpl <= iopl(c);
    }

    static void ioCheck(Cpu c, int port, int size) {
        if (c.protectedMode() && (c.cpl > iopl(c) || v86(c))) SystemOps.checkIoPermission(c, port, size);
    }

    /**
     * The semantics of one operation: {@code exec} runs a decoded instruction whose address is
     * {@code cpu.eip} (see {@link #execute}). One handler per operation (or group of operations
     * that share a body), chosen when the instruction is decoded ({@link Insn#handler}): the
     * interpreter and the translator's fallback call it directly, and HotSpot compiles each
     * handler on its own, the hot ones first, instead of one method holding every operation.
     */
    public abstract static class Handler {
        public abstract void exec(Cpu c, Insn in);
    }

    private static final Handler[] BY_OP = new Handler[Op.COUNT];

    private static void on(Handler h, int... ops) {
        for (int op : ops) {
            if (BY_OP[op] != null) throw new IllegalStateException("two handlers for " + Op.name(op));
            BY_OP[op] = h;
        }
    }

    /** Everything else: the system instructions (descriptor tables, control registers, ...). */
    private static final Handler SYSTEM = new Handler() {
        @Override
        public void exec(Cpu c, Insn in) {
            SystemInsns.execute(c, in);
        }
    };

    /** The handler of operation {@code op} (the decoder stores it in the instruction). */
    public static Handler handler(int op) {
        Handler h = op >= 0 && op < BY_OP.length ? BY_OP[op] : null;
        return h != null ? h : SYSTEM;
    }

    /** Runs one decoded instruction (its handler). */
    public static void execute(Cpu c, Insn in) {
        in.handler.exec(c, in);
    }

    static {
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                c.eip = next(c, in);
            }
        }, Op.NOP, Op.NOP_E);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                aluRm(c, in, size, getReg(c, size, in.reg));
                c.eip = next(c, in);
            }
        }, Op.ALU_EG);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int src = readRm(c, in, size);
                int r = Alu.alu(c, in.sub, size, getReg(c, size, in.reg), src);
                if (in.sub != Alu.CMP_K) setReg(c, size, in.reg, r);
                c.eip = next(c, in);
            }
        }, Op.ALU_GE);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int r = Alu.alu(c, in.sub, size, getReg(c, size, Cpu.EAX), in.imm);
                if (in.sub != Alu.CMP_K) setReg(c, size, Cpu.EAX, r);
                c.eip = next(c, in);
            }
        }, Op.ALU_AI);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                aluRm(c, in, size, in.imm);
                c.eip = next(c, in);
            }
        }, Op.ALU_EI);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                Alu.and(c, size, readRm(c, in, size), getReg(c, size, in.reg));
                c.eip = next(c, in);
            }
        }, Op.TEST_EG);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                Alu.and(c, size, getReg(c, size, Cpu.EAX), in.imm);
                c.eip = next(c, in);
            }
        }, Op.TEST_AI);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                Alu.and(c, size, readRm(c, in, size), in.imm);
                c.eip = next(c, in);
            }
        }, Op.TEST_EI);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                setReg(c, size, in.sub, Alu.inc(c, size, getReg(c, size, in.sub)));
                c.eip = next(c, in);
            }
        }, Op.INC_R);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                setReg(c, size, in.sub, Alu.dec(c, size, getReg(c, size, in.sub)));
                c.eip = next(c, in);
            }
        }, Op.DEC_R);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                if (in.mem) {
                    int lin = rmwLinear(c, in, size);
                    writeLin(c, lin, size, unary(c, in.op, size, readLin(c, lin, size)));
                } else {
                    setReg(c, size, in.rm, unary(c, in.op, size, getReg(c, size, in.rm)));
                }
                c.eip = next(c, in);
            }
        }, Op.INC_E, Op.DEC_E, Op.NOT_E, Op.NEG_E);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int src = readRm(c, in, size);
                setReg(c, size, in.reg, Alu.imul(c, size, getReg(c, size, in.reg), src));
                c.eip = next(c, in);
            }
        }, Op.IMUL_GE);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                writeRm(c, in, size, getReg(c, size, in.reg));
                c.eip = next(c, in);
            }
        }, Op.MOV_EG);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                setReg(c, size, in.reg, readRm(c, in, size));
                c.eip = next(c, in);
            }
        }, Op.MOV_GE);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                setReg(c, size, in.sub, in.imm);
                c.eip = next(c, in);
            }
        }, Op.MOV_RI);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                writeRm(c, in, size, in.imm);
                c.eip = next(c, in);
            }
        }, Op.MOV_EI);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                if (!in.mem) throw ud(c);
                setReg(c, size, in.reg, ea(c, in));
                c.eip = next(c, in);
            }
        }, Op.LEA);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int v = readRm(c, in, in.sub);
                setReg(c, size, in.reg, v);
                c.eip = next(c, in);
            }
        }, Op.MOVZX);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int v = Alu.sext(readRm(c, in, in.sub), in.sub);
                setReg(c, size, in.reg, v);
                c.eip = next(c, in);
            }
        }, Op.MOVSX);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int v = readRm(c, in, size);   // the source is read whatever the condition
                if (Flags.cond(c, in.sub)) setReg(c, size, in.reg, v);
                c.eip = next(c, in);
            }
        }, Op.CMOV);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                writeRm(c, in, 1, Flags.cond(c, in.sub) ? 1 : 0);
                c.eip = next(c, in);
            }
        }, Op.SETCC);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                push(c, size, getReg(c, size, in.sub));   // PUSH ESP pushes the old value
                c.eip = next(c, in);
            }
        }, Op.PUSH_R);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int v = top(c, size);
                setSp(c, spPlus(c, size));
                setReg(c, size, in.sub, v);                // POP ESP: the popped value wins
                c.eip = next(c, in);
            }
        }, Op.POP_R);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                push(c, size, in.imm);
                c.eip = next(c, in);
            }
        }, Op.PUSH_I);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                if (Flags.cond(c, in.sub)) jump(c, next(c, in) + in.imm, in.o32);
                else c.eip = next(c, in);
            }
        }, Op.JCC);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                jump(c, next(c, in) + in.imm, in.o32);
            }
        }, Op.JMP_REL);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int ret = next(c, in);
                int target = ret + in.imm;
                if (!in.o32) target &= 0xFFFF;
                if (Integer.compareUnsigned(target, c.segLimit[Cpu.CS]) > 0) throw gp0(c);
                push(c, size, ret);
                c.eip = target;
            }
        }, Op.CALL_REL);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int target = top(c, size);
                if (!in.o32) target &= 0xFFFF;
                if (Integer.compareUnsigned(target, c.segLimit[Cpu.CS]) > 0) throw gp0(c);
                setSp(c, spPlus(c, size + in.imm));
                c.eip = target;
            }
        }, Op.RET);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int count = in.op == Op.SHIFT ? in.imm : c.reg[Cpu.ECX] & 0xFF;
                if (in.mem) {
                    int lin = rmwLinear(c, in, size);
                    writeLin(c, lin, size, Alu.shift(c, in.sub, size, readLin(c, lin, size), count));
                } else {
                    setReg(c, size, in.rm, Alu.shift(c, in.sub, size, getReg(c, size, in.rm), count));
                }
                c.eip = next(c, in);
            }
        }, Op.SHIFT, Op.SHIFT_CL);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                mul(c, size, readRm(c, in, size));
                c.eip = next(c, in);
            }
        }, Op.MUL_E);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                imul1(c, size, readRm(c, in, size));
                c.eip = next(c, in);
            }
        }, Op.IMUL_E);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                div(c, size, readRm(c, in, size));
                c.eip = next(c, in);
            }
        }, Op.DIV_E);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                idiv(c, size, readRm(c, in, size));
                c.eip = next(c, in);
            }
        }, Op.IDIV_E);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int src = readRm(c, in, size);
                setReg(c, size, in.reg, Alu.imul(c, size, src, in.imm));
                c.eip = next(c, in);
            }
        }, Op.IMUL_GEI);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                setReg(c, size, Cpu.EAX, read(c, in.seg, in.disp, size));
                c.eip = next(c, in);
            }
        }, Op.MOV_AO);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                write(c, in.seg, in.disp, size, getReg(c, size, Cpu.EAX));
                c.eip = next(c, in);
            }
        }, Op.MOV_OA);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                if (in.reg > 5) throw ud(c);
                int sel = c.segSel[in.reg] & 0xFFFF;
                if (in.mem) write(c, in.seg, ea(c, in), 2, sel);
                else setReg(c, size, in.rm, sel);   // 32-bit register destinations are zero-extended
                c.eip = next(c, in);
            }
        }, Op.MOV_ES);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                if (in.reg > 5 || in.reg == Cpu.CS) throw ud(c);
                int sel = readRm(c, in, 2);
                SystemOps.loadSegment(c, in.reg, sel);
                if (in.reg == Cpu.SS) c.interruptShadow = true;
                c.eip = next(c, in);
            }
        }, Op.MOV_SE);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int r = getReg(c, size, in.reg);
                if (in.mem) {
                    int lin = rmwLinear(c, in, size);
                    int m = readLin(c, lin, size);
                    writeLin(c, lin, size, r);
                    setReg(c, size, in.reg, m);
                } else {
                    setReg(c, size, in.reg, getReg(c, size, in.rm));
                    setReg(c, size, in.rm, r);
                }
                c.eip = next(c, in);
            }
        }, Op.XCHG_EG);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int a = getReg(c, size, Cpu.EAX);
                setReg(c, size, Cpu.EAX, getReg(c, size, in.sub));
                setReg(c, size, in.sub, a);
                c.eip = next(c, in);
            }
        }, Op.XCHG_AR);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                if (size == 4) c.reg[Cpu.EAX] = (short) c.reg[Cpu.EAX];
                else setReg(c, 2, Cpu.EAX, (byte) c.reg[Cpu.EAX]);
                c.eip = next(c, in);
            }
        }, Op.CBW);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                if (size == 4) c.reg[Cpu.EDX] = c.reg[Cpu.EAX] >> 31;
                else setReg(c, 2, Cpu.EDX, ((short) c.reg[Cpu.EAX]) >> 15);
                c.eip = next(c, in);
            }
        }, Op.CWD);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int base = in.a32 ? c.reg[Cpu.EBX] : c.reg[Cpu.EBX] & 0xFFFF;
                int off = base + (c.reg[Cpu.EAX] & 0xFF);
                if (!in.a32) off &= 0xFFFF;
                setReg(c, 1, Cpu.EAX, read(c, in.seg, off, 1));
                c.eip = next(c, in);
            }
        }, Op.XLAT);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                // With a 16-bit operand size the SDM leaves the result undefined; like QEMU 7.2
                // we ignore 0x66 and swap all 32 bits.
                c.reg[in.sub] = Integer.reverseBytes(c.reg[in.sub]);
                c.eip = next(c, in);
            }
        }, Op.BSWAP);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                if (!in.mem) throw ud(c);
                int off = ea(c, in);
                int o = read(c, in.seg, off, size);
                int offSel = off + size;
                if (!in.a32) offSel &= 0xFFFF;
                int sel = read(c, in.seg, offSel, 2);
                SystemOps.loadSegment(c, in.sub, sel);
                setReg(c, size, in.reg, o);
                if (in.sub == Cpu.SS) c.interruptShadow = true;
                c.eip = next(c, in);
            }
        }, Op.LSEG);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                push(c, size, readRm(c, in, size));
                c.eip = next(c, in);
            }
        }, Op.PUSH_E);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int v = top(c, size);
                int oldEsp = c.reg[Cpu.ESP];
                setSp(c, spPlus(c, size));
                // The destination address is computed with the incremented ESP (SDM POP).
                try {
                    writeRm(c, in, size, v);
                } catch (GuestFault f) {
                    c.reg[Cpu.ESP] = oldEsp;
                    throw f;
                }
                c.eip = next(c, in);
            }
        }, Op.POP_E);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                push(c, size, c.segSel[in.sub] & 0xFFFF);
                c.eip = next(c, in);
            }
        }, Op.PUSH_SEG);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                if (in.sub == Cpu.CS) throw ud(c);
                int sel = top(c, size) & 0xFFFF;
                int nsp = spPlus(c, size);
                boolean old32 = c.stack32;
                SystemOps.loadSegment(c, in.sub, sel);
                if (old32) c.reg[Cpu.ESP] = nsp; else c.reg[Cpu.ESP] = (c.reg[Cpu.ESP] & 0xFFFF0000) | nsp;
                if (in.sub == Cpu.SS) c.interruptShadow = true;
                c.eip = next(c, in);
            }
        }, Op.POP_SEG);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int lin = linear(c, Cpu.SS, spPlus(c, -8 * size), 8 * size, true);
                c.probeWrite(lin, 8 * size);
                int esp = getReg(c, size, Cpu.ESP);
                for (int r = 0; r < 8; r++) push(c, size, r == Cpu.ESP ? esp : getReg(c, size, r));
                c.eip = next(c, in);
            }
        }, Op.PUSHA);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                popa(c, size);
                c.eip = next(c, in);
            }
        }, Op.POPA);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                if (v86(c) && iopl(c) < 3) throw gp0(c);
                int f = Flags.get(c) & ~(Cpu.VM | Cpu.RF);
                push(c, size, f);
                c.eip = next(c, in);
            }
        }, Op.PUSHF);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                popf(c, size);
                c.eip = next(c, in);
            }
        }, Op.POPF);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                enter(c, in);
                c.eip = next(c, in);
            }
        }, Op.ENTER);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int bp = c.stack32 ? c.reg[Cpu.EBP] : c.reg[Cpu.EBP] & 0xFFFF;
                int v = read(c, Cpu.SS, bp, size);
                int nsp = bp + size;
                if (!c.stack32) nsp &= 0xFFFF;
                setSp(c, nsp);
                setReg(c, size, Cpu.EBP, v);
                c.eip = next(c, in);
            }
        }, Op.LEAVE);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                jump(c, readRm(c, in, size), in.o32);
            }
        }, Op.JMP_E);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int target = readRm(c, in, size);
                if (!in.o32) target &= 0xFFFF;
                if (Integer.compareUnsigned(target, c.segLimit[Cpu.CS]) > 0) throw gp0(c);
                push(c, size, next(c, in));
                c.eip = target;
            }
        }, Op.CALL_E);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                SystemOps.farJump(c, in.imm2, in.imm, in.o32, next(c, in));
            }
        }, Op.JMPF_PTR);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                SystemOps.farCall(c, in.imm2, in.imm, in.o32, next(c, in));
            }
        }, Op.CALLF_PTR);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int off = ea(c, in);
                int target = read(c, in.seg, off, size);
                int offSel = off + size;
                if (!in.a32) offSel &= 0xFFFF;
                int sel = read(c, in.seg, offSel, 2);
                if (in.op == Op.JMPF_M) SystemOps.farJump(c, sel, target, in.o32, next(c, in));
                else SystemOps.farCall(c, sel, target, in.o32, next(c, in));
            }
        }, Op.JMPF_M, Op.CALLF_M);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                SystemOps.farReturn(c, in.o32, in.imm);
            }
        }, Op.RETF);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                SystemOps.iret(c, in.o32, next(c, in));
            }
        }, Op.IRET);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int cnt = (in.a32 ? c.reg[Cpu.ECX] : c.reg[Cpu.ECX] & 0xFFFF) - 1;
                boolean take = (in.a32 ? cnt : cnt & 0xFFFF) != 0;
                if (in.op == Op.LOOPE) take &= Flags.cond(c, 4);
                else if (in.op == Op.LOOPNE) take &= Flags.cond(c, 5);
                if (take) jump(c, next(c, in) + in.imm, in.o32);
                else c.eip = next(c, in);
                if (in.a32) c.reg[Cpu.ECX] = cnt; else setReg(c, 2, Cpu.ECX, cnt);
            }
        }, Op.LOOP, Op.LOOPE, Op.LOOPNE);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int cnt = in.a32 ? c.reg[Cpu.ECX] : c.reg[Cpu.ECX] & 0xFFFF;
                if (cnt == 0) jump(c, next(c, in) + in.imm, in.o32);
                else c.eip = next(c, in);
            }
        }, Op.JCXZ);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                c.exceptionsByVector[BP]++;
                SystemOps.softwareInterrupt(c, BP, next(c, in));
            }
        }, Op.INT3);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                c.interruptsByVector[in.imm & 0xFF]++;
                SystemOps.softwareInterrupt(c, in.imm & 0xFF, next(c, in));
            }
        }, Op.INT);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                if (Flags.cond(c, 0)) {
                    c.exceptionsByVector[OF_V]++;
                    SystemOps.softwareInterrupt(c, OF_V, next(c, in));
                } else {
                    c.eip = next(c, in);
                }
            }
        }, Op.INTO);
        // ICEBP/INT1 (0xF1): the SDM makes it a #DB trap without a gate DPL check, but the
        // reference machine (QEMU 7.2, built without WANT_ICEBP) decodes it as illegal: #UD.
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                throw ud(c);
            }
        }, Op.INT1);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                requireCpl0(c);
                c.eip = next(c, in);
                c.halted = true;
            }
        }, Op.HLT);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                if (!ioplAllows(c)) throw gp0(c);
                if (in.op == Op.CLI) {
                    c.eflags &= ~Cpu.IF;
                } else {
                    if ((c.eflags & Cpu.IF) == 0) c.interruptShadow = true;
                    c.eflags |= Cpu.IF;
                }
                c.eip = next(c, in);
            }
        }, Op.CLI, Op.STI);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                Flags.materialize(c);
                if (in.op == Op.CLC) c.eflags &= ~Cpu.CF;
                else if (in.op == Op.STC) c.eflags |= Cpu.CF;
                else c.eflags ^= Cpu.CF;
                c.eip = next(c, in);
            }
        }, Op.CLC, Op.STC, Op.CMC);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                c.eflags &= ~Cpu.DF;
                c.eip = next(c, in);
            }
        }, Op.CLD);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                c.eflags |= Cpu.DF;
                c.eip = next(c, in);
            }
        }, Op.STD);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int mask = Cpu.SF | Cpu.ZF | Cpu.AF | Cpu.PF | Cpu.CF;
                int ah = (c.reg[Cpu.EAX] >>> 8) & 0xFF;
                Flags.setArith(c, (Flags.get(c) & ~mask) | (ah & mask));
                c.eip = next(c, in);
            }
        }, Op.SAHF);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int f = (Flags.get(c) & 0xD5) | 2;
                setReg(c, 1, 4, f);   // AH
                c.eip = next(c, in);
            }
        }, Op.LAHF);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                setReg(c, 1, Cpu.EAX, Flags.cf(c) ? 0xFF : 0);
                c.eip = next(c, in);
            }
        }, Op.SALC);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int count = (in.op == Op.SHLD_I || in.op == Op.SHRD_I) ? in.imm : c.reg[Cpu.ECX] & 0xFF;
                boolean left = in.op == Op.SHLD_I || in.op == Op.SHLD_CL;
                int src = getReg(c, size, in.reg);
                if (in.mem) {
                    int lin = rmwLinear(c, in, size);
                    int d = readLin(c, lin, size);
                    writeLin(c, lin, size, left ? Alu.shld(c, size, d, src, count) : Alu.shrd(c, size, d, src, count));
                } else {
                    int d = getReg(c, size, in.rm);
                    setReg(c, size, in.rm, left ? Alu.shld(c, size, d, src, count) : Alu.shrd(c, size, d, src, count));
                }
                c.eip = next(c, in);
            }
        }, Op.SHLD_I, Op.SHLD_CL, Op.SHRD_I, Op.SHRD_CL);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int kind = in.op - Op.BT_EG;
                bitOp(c, in, kind, getReg(c, size, in.reg), true);
                c.eip = next(c, in);
            }
        }, Op.BT_EG, Op.BTS_EG, Op.BTR_EG, Op.BTC_EG);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                bitOp(c, in, in.sub, in.imm, false);
                c.eip = next(c, in);
            }
        }, Op.BT_EI);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int v = readRm(c, in, size);
                Alu.logic(c, size, v);
                if (v != 0) {
                    int idx = in.op == Op.BSF ? Integer.numberOfTrailingZeros(v) : 31 - Integer.numberOfLeadingZeros(v);
                    setReg(c, size, in.reg, idx);
                }
                c.eip = next(c, in);
            }
        }, Op.BSF, Op.BSR);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int src = getReg(c, size, in.reg);
                if (in.mem) {
                    int lin = rmwLinear(c, in, size);
                    int d = readLin(c, lin, size);
                    int sum = Alu.add(c, size, d, src);
                    writeLin(c, lin, size, sum);
                    setReg(c, size, in.reg, d);
                } else {
                    int d = getReg(c, size, in.rm);
                    int sum = Alu.add(c, size, d, src);
                    setReg(c, size, in.reg, d);
                    setReg(c, size, in.rm, sum);
                }
                c.eip = next(c, in);
            }
        }, Op.XADD);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int acc = getReg(c, size, Cpu.EAX);
                int src = getReg(c, size, in.reg);
                if (in.mem) {
                    int lin = rmwLinear(c, in, size);
                    int d = readLin(c, lin, size);
                    Alu.sub(c, size, acc, d);
                    // The processor always writes the destination (SDM CMPXCHG).
                    writeLin(c, lin, size, acc == d ? src : d);
                    if (acc != d) setReg(c, size, Cpu.EAX, d);
                } else {
                    int d = getReg(c, size, in.rm);
                    Alu.sub(c, size, acc, d);
                    if (acc == d) setReg(c, size, in.rm, src);
                    else setReg(c, size, Cpu.EAX, d);
                }
                c.eip = next(c, in);
            }
        }, Op.CMPXCHG);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int off = ea(c, in);
                int lin = linear(c, in.seg, off, 8, true);
                c.probeWrite(lin, 4);
                c.probeWrite(lin + 4, 4);
                int lo = c.readLin32(lin), hi = c.readLin32(lin + 4);
                Flags.materialize(c);
                if (lo == c.reg[Cpu.EAX] && hi == c.reg[Cpu.EDX]) {
                    c.writeLin32(lin, c.reg[Cpu.EBX]);
                    c.writeLin32(lin + 4, c.reg[Cpu.ECX]);
                    c.eflags |= Cpu.ZF;
                } else {
                    c.writeLin32(lin, lo);
                    c.writeLin32(lin + 4, hi);
                    c.reg[Cpu.EAX] = lo;
                    c.reg[Cpu.EDX] = hi;
                    c.eflags &= ~Cpu.ZF;
                }
                c.eip = next(c, in);
            }
        }, Op.CMPXCHG8B);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                Bcd.adjust(c, in.op);
                c.eip = next(c, in);
            }
        }, Op.DAA, Op.DAS, Op.AAA, Op.AAS);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                if ((in.imm & 0xFF) == 0) throw c.fault(DE, -1);
                int al = c.reg[Cpu.EAX] & 0xFF;
                int q = al / in.imm, r = al % in.imm;
                setReg(c, 2, Cpu.EAX, (q & 0xFF) << 8 | r);
                Alu.logic(c, 1, r);
                c.eip = next(c, in);
            }
        }, Op.AAM);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int al = c.reg[Cpu.EAX] & 0xFF, ah = (c.reg[Cpu.EAX] >>> 8) & 0xFF;
                int r = (al + ah * in.imm) & 0xFF;
                setReg(c, 2, Cpu.EAX, r);
                Alu.logic(c, 1, r);
                c.eip = next(c, in);
            }
        }, Op.AAD);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                if (!in.mem) throw ud(c);
                int off = ea(c, in);
                int lower = Alu.sext(read(c, in.seg, off, size), size);
                int offUp = off + size;
                if (!in.a32) offUp &= 0xFFFF;
                int upper = Alu.sext(read(c, in.seg, offUp, size), size);
                int idx = Alu.sext(getReg(c, size, in.reg), size);
                if (idx < lower || idx > upper) throw c.fault(BR, -1);
                c.eip = next(c, in);
            }
        }, Op.BOUND);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                if (!pmode(c)) throw ud(c);
                int lin = in.mem ? rmwLinear(c, in, 2) : 0;
                int d = in.mem ? c.readLin16(lin) : getReg(c, 2, in.rm);
                int s = getReg(c, 2, in.reg);
                Flags.materialize(c);
                if ((d & 3) < (s & 3)) {
                    d = (d & ~3) | (s & 3);
                    if (in.mem) c.writeLin16(lin, d); else setReg(c, 2, in.rm, d);
                    c.eflags |= Cpu.ZF;
                } else {
                    c.eflags &= ~Cpu.ZF;
                }
                c.eip = next(c, in);
            }
        }, Op.ARPL);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int port = in.op == Op.IN_I ? in.imm & 0xFF : c.reg[Cpu.EDX] & 0xFFFF;
                ioCheck(c, port, size);
                setReg(c, size, Cpu.EAX, c.io.in(port, size));
                c.eip = next(c, in);
            }
        }, Op.IN_I, Op.IN_D);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                int size = in.size;
                int port = in.op == Op.OUT_I ? in.imm & 0xFF : c.reg[Cpu.EDX] & 0xFFFF;
                ioCheck(c, port, size);
                c.io.out(port, size, getReg(c, size, Cpu.EAX));
                c.eip = next(c, in);
            }
        }, Op.OUT_I, Op.OUT_D);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                StringOps.movs(c, in);
            }
        }, Op.MOVS);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                StringOps.cmps(c, in);
            }
        }, Op.CMPS);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                StringOps.stos(c, in);
            }
        }, Op.STOS);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                StringOps.lods(c, in);
            }
        }, Op.LODS);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                StringOps.scas(c, in);
            }
        }, Op.SCAS);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                StringOps.ins(c, in);
            }
        }, Op.INS);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                StringOps.outs(c, in);
            }
        }, Op.OUTS);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                X87.esc(c, in);
                c.eip = next(c, in);
            }
        }, Op.FPU);
        on(new Handler() {
            @Override
            public void exec(Cpu c, Insn in) {
                if ((c.mmu.cr0() & (CR0_TS | CR0_MP)) == (CR0_TS | CR0_MP)) throw c.fault(NM, -1);
                X87.checkPending(c);
                c.eip = next(c, in);
            }
        }, Op.FWAIT);
    }


    /** ALU op with an r/m destination: CMP only reads it, the others read-modify-write it. */
    private static void aluRm(Cpu c, Insn in, int size, int src) {
        if (in.mem) {
            if (in.sub == Alu.CMP_K) {
                Alu.sub(c, size, read(c, in.seg, ea(c, in), size), src);
            } else {
                int lin = rmwLinear(c, in, size);
                writeLin(c, lin, size, Alu.alu(c, in.sub, size, readLin(c, lin, size), src));
            }
        } else {
            int r = Alu.alu(c, in.sub, size, getReg(c, size, in.rm), src);
            if (in.sub != Alu.CMP_K) setReg(c, size, in.rm, r);
        }
    }

    /** Everything but the hottest forms, kept out of {@link #execute} so that the hot switch stays small
     * enough for HotSpot to inline its operand and ALU helpers into it. */

    private static int unary(Cpu c, int op, int size, int v) {
        switch (op) {
            case Op.INC_E: return Alu.inc(c, size, v);
            case Op.DEC_E: return Alu.dec(c, size, v);
            case Op.NOT_E: return ~v & Alu.mask(size);
            default: return Alu.neg(c, size, v);
        }
    }

    private static void mul(Cpu c, int size, int src) {
        int[] g = c.reg;
        switch (size) {
            case 1 -> {
                int r = (g[Cpu.EAX] & 0xFF) * (src & 0xFF);
                setReg(c, 2, Cpu.EAX, r);
                Alu.mulFlags(c, 1, r & 0xFF, (r & 0xFF00) != 0);
            }
            case 2 -> {
                int r = (g[Cpu.EAX] & 0xFFFF) * (src & 0xFFFF);
                setReg(c, 2, Cpu.EAX, r);
                setReg(c, 2, Cpu.EDX, r >>> 16);
                Alu.mulFlags(c, 2, r & 0xFFFF, (r >>> 16) != 0);
            }
            default -> {
                long r = (g[Cpu.EAX] & 0xFFFFFFFFL) * (src & 0xFFFFFFFFL);
                g[Cpu.EAX] = (int) r;
                g[Cpu.EDX] = (int) (r >>> 32);
                Alu.mulFlags(c, 4, (int) r, (r >>> 32) != 0);
            }
        }
    }

    private static void imul1(Cpu c, int size, int src) {
        int[] g = c.reg;
        switch (size) {
            case 1 -> {
                int r = (byte) g[Cpu.EAX] * (byte) src;
                setReg(c, 2, Cpu.EAX, r);
                Alu.mulFlags(c, 1, r & 0xFF, r != (byte) r);
            }
            case 2 -> {
                int r = (short) g[Cpu.EAX] * (short) src;
                setReg(c, 2, Cpu.EAX, r);
                setReg(c, 2, Cpu.EDX, r >>> 16);
                Alu.mulFlags(c, 2, r & 0xFFFF, r != (short) r);
            }
            default -> {
                long r = (long) g[Cpu.EAX] * (long) src;
                g[Cpu.EAX] = (int) r;
                g[Cpu.EDX] = (int) (r >>> 32);
                Alu.mulFlags(c, 4, (int) r, r != (int) r);
            }
        }
    }

    private static void div(Cpu c, int size, int src) {
        int[] g = c.reg;
        switch (size) {
            case 1 -> {
                int d = src & 0xFF;
                if (d == 0) throw c.fault(DE, -1);
                int n = g[Cpu.EAX] & 0xFFFF;
                int q = n / d;
                if (q > 0xFF) throw c.fault(DE, -1);
                setReg(c, 2, Cpu.EAX, (n % d) << 8 | q);
            }
            case 2 -> {
                int d = src & 0xFFFF;
                if (d == 0) throw c.fault(DE, -1);
                long n = ((g[Cpu.EDX] & 0xFFFFL) << 16) | (g[Cpu.EAX] & 0xFFFF);
                long q = n / d;
                if (q > 0xFFFF) throw c.fault(DE, -1);
                setReg(c, 2, Cpu.EAX, (int) q);
                setReg(c, 2, Cpu.EDX, (int) (n % d));
            }
            default -> {
                long d = src & 0xFFFFFFFFL;
                if (d == 0) throw c.fault(DE, -1);
                long n = ((long) g[Cpu.EDX] << 32) | (g[Cpu.EAX] & 0xFFFFFFFFL);
                long q = Long.divideUnsigned(n, d);
                if (Long.compareUnsigned(q, 0xFFFFFFFFL) > 0) throw c.fault(DE, -1);
                g[Cpu.EAX] = (int) q;
                g[Cpu.EDX] = (int) Long.remainderUnsigned(n, d);
            }
        }
    }

    private static void idiv(Cpu c, int size, int src) {
        int[] g = c.reg;
        switch (size) {
            case 1 -> {
                int d = (byte) src;
                if (d == 0) throw c.fault(DE, -1);
                int n = (short) g[Cpu.EAX];
                int q = n / d;
                if (q != (byte) q) throw c.fault(DE, -1);
                setReg(c, 2, Cpu.EAX, ((n % d) & 0xFF) << 8 | (q & 0xFF));
            }
            case 2 -> {
                int d = (short) src;
                if (d == 0) throw c.fault(DE, -1);
                int n = (g[Cpu.EDX] << 16) | (g[Cpu.EAX] & 0xFFFF);
                int q = n / d;   // n = 0x80000000, d = -1 wraps in Java and fails the range check below
                if (q != (short) q || (n == Integer.MIN_VALUE && d == -1)) throw c.fault(DE, -1);
                setReg(c, 2, Cpu.EAX, q);
                setReg(c, 2, Cpu.EDX, n % d);
            }
            default -> {
                long d = src;
                if (d == 0) throw c.fault(DE, -1);
                long n = ((long) g[Cpu.EDX] << 32) | (g[Cpu.EAX] & 0xFFFFFFFFL);
                if (n == Long.MIN_VALUE && d == -1) throw c.fault(DE, -1);
                long q = n / d;
                if (q != (int) q) throw c.fault(DE, -1);
                g[Cpu.EAX] = (int) q;
                g[Cpu.EDX] = (int) (n % d);
            }
        }
    }

    /** BT/BTS/BTR/BTC (kind 0..3). A register bit offset reaches beyond a memory operand. */
    private static void bitOp(Cpu c, Insn in, int kind, int offset, boolean regOffset) {
        int size = in.size;
        int bits = size * 8;
        int bit;
        if (in.mem) {
            int off = ea(c, in);
            if (regOffset) {
                int sOff = Alu.sext(offset, size);
                off += (sOff >> (size == 4 ? 5 : 4)) * size;
                if (!in.a32) off &= 0xFFFF;
            }
            bit = offset & (bits - 1);
            int lin;
            int v;
            if (kind == 0) {
                lin = linear(c, in.seg, off, size, false);
                v = readLin(c, lin, size);
            } else {
                lin = linear(c, in.seg, off, size, true);
                c.probeWrite(lin, size);
                v = readLin(c, lin, size);
            }
            setCf(c, (v >>> bit) & 1);
            if (kind != 0) writeLin(c, lin, size, bitResult(kind, v, bit));
        } else {
            bit = offset & (bits - 1);
            int v = getReg(c, size, in.rm);
            setCf(c, (v >>> bit) & 1);
            if (kind != 0) setReg(c, size, in.rm, bitResult(kind, v, bit));
        }
    }

    private static int bitResult(int kind, int v, int bit) {
        switch (kind) {
            case 1: return v | (1 << bit);
            case 2: return v & ~(1 << bit);
            default: return v ^ (1 << bit);
        }
    }

    private static void setCf(Cpu c, int cf) {
        Flags.materialize(c);
        c.eflags = (c.eflags & ~Cpu.CF) | cf;
    }

    private static void popa(Cpu c, int size) {
        // Read all eight slots first so a fault leaves every register untouched.
        int di = stackAt(c, 0, size), si = stackAt(c, size, size), bp = stackAt(c, 2 * size, size);
        int bx = stackAt(c, 4 * size, size), dx = stackAt(c, 5 * size, size);
        int cx = stackAt(c, 6 * size, size), ax = stackAt(c, 7 * size, size);
        setSp(c, spPlus(c, 8 * size));
        setReg(c, size, Cpu.EDI, di);
        setReg(c, size, Cpu.ESI, si);
        setReg(c, size, Cpu.EBP, bp);
        setReg(c, size, Cpu.EBX, bx);
        setReg(c, size, Cpu.EDX, dx);
        setReg(c, size, Cpu.ECX, cx);
        setReg(c, size, Cpu.EAX, ax);
    }

    /** Writable EFLAGS bits for POPF and IRET at CPL 0 on a 486+ with CPUID: all but VM, RF, VIF, VIP. */
    static final int POPF_MASK = Cpu.CF | Cpu.PF | Cpu.AF | Cpu.ZF | Cpu.SF | Cpu.TF | Cpu.IF | Cpu.DF | Cpu.OF
            | Cpu.IOPL | Cpu.NT | Cpu.AC | Cpu.ID;

    private static void popf(Cpu c, int size) {
        int mask = POPF_MASK;
        if (v86(c)) {
            if (iopl(c) < 3) throw gp0(c);
            mask &= ~Cpu.IOPL;
        } else if (c.protectedMode()) {
            if (c.cpl > 0) mask &= ~Cpu.IOPL;
            if (c.cpl > iopl(c)) mask &= ~Cpu.IF;
        }
        if (size == 2) mask &= 0xFFFF;
        int v = pop(c, size);
        int f = Flags.get(c);
        f = (f & ~mask) | (v & mask);
        if (size == 4) f &= ~Cpu.RF;
        f = (f | 2) & ~((1 << 3) | (1 << 5) | (1 << 15));
        Flags.set(c, f);
    }

    private static void enter(Cpu c, Insn in) {
        int size = in.size;
        int alloc = in.imm & 0xFFFF;
        int level = in.imm2 & 31;
        int bpMask = c.stack32 ? -1 : 0xFFFF;
        int sp = sp(c);
        int bp = c.reg[Cpu.EBP] & bpMask;
        // Work on locals; registers are written only after every store succeeded.
        sp = (sp - size) & bpMask;
        write(c, Cpu.SS, sp, size, getReg(c, size, Cpu.EBP));
        int frameTemp = sp;
        if (level > 0) {
            for (int i = 1; i < level; i++) {
                bp = (bp - size) & bpMask;
                int v = read(c, Cpu.SS, bp, size);
                sp = (sp - size) & bpMask;
                write(c, Cpu.SS, sp, size, v);
            }
            sp = (sp - size) & bpMask;
            write(c, Cpu.SS, sp, size, frameTemp);
        }
        sp = (sp - alloc) & bpMask;
        setReg(c, size, Cpu.EBP, frameTemp);
        setSp(c, sp);
    }
}
