package io.flatland.cpu;

import static io.flatland.cpu.Operands.*;

/**
 * System instructions: descriptor-table registers, control/debug registers, MSRs, CPUID,
 * TSC, SYSENTER/SYSEXIT, cache control. Privilege checks the SDM lists for the
 * instruction itself are made here; the protected-mode machinery is in {@link SystemOps}.
 */
final class SystemInsns {
    private SystemInsns() { }

    static void execute(Cpu c, Insn in) {
        int next = Exec.next(c, in);
        switch (in.op) {
            case Op.UD -> throw Exec.ud(c);
            case Op.SLDT, Op.STR -> {
                if (!Exec.pmode(c)) throw Exec.ud(c);
                umip(c);
                int sel = (in.op == Op.SLDT ? c.ldtSel : c.trSel) & 0xFFFF;
                if (in.mem) write(c, in.seg, ea(c, in), 2, sel);
                else setReg(c, in.o32 ? 4 : 2, in.rm, sel);
            }
            case Op.LLDT, Op.LTR -> {
                if (!Exec.pmode(c)) throw Exec.ud(c);
                Exec.requireCpl0(c);
                int sel = readRm(c, in, 2);
                if (in.op == Op.LLDT) SystemOps.lldt(c, sel); else SystemOps.ltr(c, sel);
            }
            case Op.VERR, Op.VERW -> {
                if (!Exec.pmode(c)) throw Exec.ud(c);
                int sel = readRm(c, in, 2);
                long r = in.op == Op.VERR ? SystemOps.verr(c, sel) : SystemOps.verw(c, sel);
                setZf(c, r != -1L);
            }
            case Op.LAR, Op.LSL -> {
                if (!Exec.pmode(c)) throw Exec.ud(c);
                int sel = readRm(c, in, 2);
                long r = in.op == Op.LAR ? SystemOps.lar(c, sel) : SystemOps.lsl(c, sel);
                if (r != -1L) setReg(c, in.size, in.reg, (int) r);
                setZf(c, r != -1L);
            }
            case Op.SGDT, Op.SIDT -> {
                umip(c);
                int off = ea(c, in);
                int lin = linear(c, in.seg, off, 6, true);
                c.probeWrite(lin, 2);
                c.probeWrite(lin + 2, 4);
                int limit = in.op == Op.SGDT ? c.gdtLimit : c.idtLimit;
                int base = in.op == Op.SGDT ? c.gdtBase : c.idtBase;
                if (!in.o32) base &= 0xFFFFFF;   // 16-bit operand size stores 24 bits of base and a zero byte
                c.writeLin16(lin, limit);
                c.writeLin32(lin + 2, base);
            }
            case Op.LGDT, Op.LIDT -> {
                Exec.requireCpl0(c);
                int off = ea(c, in);
                int lin = linear(c, in.seg, off, 6, false);
                int limit = c.readLin16(lin);
                int base = c.readLin32(lin + 2);
                if (!in.o32) base &= 0xFFFFFF;
                if (in.op == Op.LGDT) SystemOps.lgdt(c, base, limit); else SystemOps.lidt(c, base, limit);
            }
            case Op.SMSW -> {
                umip(c);
                int cr0 = c.mmu.cr0();
                if (in.mem) write(c, in.seg, ea(c, in), 2, cr0);
                else setReg(c, in.o32 ? 4 : 2, in.rm, cr0);
            }
            case Op.LMSW -> {
                Exec.requireCpl0(c);
                SystemOps.lmsw(c, readRm(c, in, 2));
            }
            case Op.INVLPG -> {
                Exec.requireCpl0(c);
                SystemOps.invlpg(c, c.segBase[in.seg] + ea(c, in));
                c.codeEpoch++;
            }
            case Op.CLTS -> { Exec.requireCpl0(c); SystemOps.clts(c); }
            case Op.INVD, Op.WBINVD -> Exec.requireCpl0(c);   // no caches to manage
            case Op.MOV_RC -> { Exec.requireCpl0(c); c.reg[in.rm] = SystemOps.movFromCr(c, in.reg); }
            case Op.MOV_CR -> { Exec.requireCpl0(c); SystemOps.movToCr(c, in.reg, c.reg[in.rm]); c.codeEpoch++; }
            case Op.MOV_RD -> { Exec.requireCpl0(c); c.reg[in.rm] = SystemOps.movFromDr(c, in.reg); }
            case Op.MOV_DR -> { Exec.requireCpl0(c); SystemOps.movToDr(c, in.reg, c.reg[in.rm]); }
            case Op.RDMSR -> { Exec.requireCpl0(c); SystemOps.rdmsr(c); }
            case Op.WRMSR -> { Exec.requireCpl0(c); SystemOps.wrmsr(c); }
            case Op.RDTSC -> SystemOps.rdtsc(c);
            case Op.RDTSCP -> {
                if (!c.cpuModel.reports(CpuFeature.RDTSCP)) throw Exec.ud(c);
                SystemOps.rdtsc(c);
                c.reg[Cpu.ECX] = (int) c.tscAux;
            }
            case Op.STAC, Op.CLAC -> {
                // #UD without SMAP and at CPL > 0 (as QEMU; SDM Vol. 2B "STAC"); AC changes the TLB views.
                if (!c.cpuModel.reports(CpuFeature.SMAP) || c.cpl != 0) throw Exec.ud(c);
                int f = Flags.get(c);
                Flags.set(c, in.op == Op.STAC ? f | Cpu.AC : f & ~Cpu.AC);
            }
            case Op.CPUID -> { Flags.materialize(c); SystemOps.cpuid(c); }
            case Op.SYSENTER -> { SystemOps.sysenter(c); return; }
            case Op.SYSEXIT -> { SystemOps.sysexit(c); return; }
            default -> throw new IllegalStateException("no semantics for op " + in.op);
        }
        c.eip = next;
    }

    /**
     * CR4.UMIP: SGDT, SIDT, SLDT, SMSW and STR are #GP(0) at CPL > 0 (SDM Vol. 3A §2.5), checked
     * before the operand is touched (a V86-mode SLDT/STR is #UD first, as QEMU).
     */
    private static void umip(Cpu c) {
        if ((c.mmu.cr4() & ControlRegisters.CR4_UMIP) != 0 && c.cpl > 0) throw Exec.gp0(c);
    }

    private static void setZf(Cpu c, boolean z) {
        Flags.materialize(c);
        if (z) c.eflags |= Cpu.ZF; else c.eflags &= ~Cpu.ZF;
    }
}
