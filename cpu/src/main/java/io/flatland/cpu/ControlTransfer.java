package io.flatland.cpu;

/**
 * Far JMP, far CALL (including call gates to inner rings), far RET and IRET
 * (SDM Vol. 2A "CALL", "JMP", "IRET", Vol. 2B "RET"; Vol. 3A §5.8). Every check runs
 * before any register changes, so a fault leaves the instruction restartable.
 */
final class ControlTransfer {
    private ControlTransfer() { }

    private static final int GP = 13, NP = 11, SS_FAULT = 12, TS = 10;

    private static boolean realOrV86(Cpu cpu) {
        return !cpu.protectedMode() || (cpu.eflags & Cpu.VM) != 0;
    }

    // ---- JMP ----

    /**
     * {@code nextEip} (the address after the JMP) is saved as the outgoing task's EIP when the
     * jump switches tasks; {@link #UNKNOWN_NEXT} makes a task switch an internal error.
     */
    static void farJump(Cpu cpu, int selector, int offset, boolean op32, long nextEip) {
        selector &= 0xFFFF;
        if (!op32) offset &= 0xFFFF;
        if (realOrV86(cpu)) {
            Segments.loadReal(cpu, Cpu.CS, selector);
            cpu.eip = offset;
            return;
        }
        if (cpu.pcallLog != null) cpu.pcallLog.farTransfer(cpu, "ljmp", selector, offset, op32);
        if ((selector & 0xFFFC) == 0) throw cpu.fault(GP, 0);
        int addr = Segments.checkedAddress(cpu, selector, GP, 0);
        int lo = cpu.readSys32(addr);
        int hi = cpu.readSys32(addr + 4);
        int attr = Descriptor.attr(hi);
        if (Descriptor.isCode(attr)) {
            checkDirectCodeTarget(cpu, selector, attr);
            if ((offset & 0xFFFFFFFFL) > (Descriptor.limit(lo, hi) & 0xFFFFFFFFL)) throw cpu.fault(GP, 0);
            Segments.loadDescriptor(cpu, Cpu.CS, (selector & 0xFFFC) | cpu.cpl, lo, hi);
            cpu.eip = offset;
            return;
        }
        int type = attr & 0x1F;
        if (type == Descriptor.CALL_GATE16 || type == Descriptor.CALL_GATE32) {
            int gdpl = Descriptor.dpl(attr);
            if (gdpl < cpu.cpl || (selector & 3) > gdpl) throw cpu.fault(GP, selector & 0xFFFC);
            if (!Descriptor.present(attr)) throw cpu.fault(NP, selector & 0xFFFC);
            int csSel = Descriptor.gateSelector(lo);
            int target = type == Descriptor.CALL_GATE32 ? Descriptor.gateOffset(lo, hi) : lo & 0xFFFF;
            if ((csSel & 0xFFFC) == 0) throw cpu.fault(GP, 0);
            int caddr = Segments.checkedAddress(cpu, csSel, GP, 0);
            int clo = cpu.readSys32(caddr);
            int chi = cpu.readSys32(caddr + 4);
            int cattr = Descriptor.attr(chi);
            if (!Descriptor.isCode(cattr)) throw cpu.fault(GP, csSel & 0xFFFC);
            int cdpl = Descriptor.dpl(cattr);
            // A jump never changes privilege, even through a gate.
            if (Descriptor.isConformingCode(cattr) ? cdpl > cpu.cpl : cdpl != cpu.cpl) throw cpu.fault(GP, csSel & 0xFFFC);
            if (!Descriptor.present(cattr)) throw cpu.fault(NP, csSel & 0xFFFC);
            if ((target & 0xFFFFFFFFL) > (Descriptor.limit(clo, chi) & 0xFFFFFFFFL)) throw cpu.fault(GP, 0);
            Segments.loadDescriptor(cpu, Cpu.CS, (csSel & 0xFFFC) | cpu.cpl, clo, chi);
            cpu.eip = target;
            return;
        }
        taskSwitchOrBad(cpu, selector, lo, hi, TaskSwitch.JMP, nextEip);
    }

    /** Privilege rules for a direct JMP/CALL to a code segment (SDM §5.8.1). */
    private static void checkDirectCodeTarget(Cpu cpu, int selector, int attr) {
        int dpl = Descriptor.dpl(attr);
        if (Descriptor.isConformingCode(attr)) {
            if (dpl > cpu.cpl) throw cpu.fault(GP, selector & 0xFFFC);
        } else if ((selector & 3) > cpu.cpl || dpl != cpu.cpl) {
            throw cpu.fault(GP, selector & 0xFFFC);
        }
        if (!Descriptor.present(attr)) throw cpu.fault(NP, selector & 0xFFFC);
    }

    /** Marks an entry point called without the next instruction's address (see the SystemOps overloads). */
    static final long UNKNOWN_NEXT = -1L;

    /** JMP/CALL to a TSS descriptor or a task gate switches tasks (SDM §7.3); anything else is #GP(selector). */
    private static void taskSwitchOrBad(Cpu cpu, int selector, int lo, int hi, int source, long nextEip) {
        int attr = Descriptor.attr(hi);
        boolean tss = TaskSwitch.isTss(attr);
        boolean gate = (attr & 0x1F) == Descriptor.TASK_GATE;
        if (!tss && !gate) throw cpu.fault(GP, selector & 0xFFFC);
        if (nextEip == UNKNOWN_NEXT) {
            throw new UnimplementedFeature("task switch through an entry point without the next EIP");
        }
        if (tss) TaskSwitch.jumpOrCallToTss(cpu, selector, lo, hi, source, (int) nextEip);
        else TaskSwitch.jumpOrCallThroughGate(cpu, selector, lo, hi, source, (int) nextEip);
    }

    // ---- CALL ----

    static void farCall(Cpu cpu, int selector, int offset, boolean op32, int nextEip) {
        selector &= 0xFFFF;
        if (!op32) offset &= 0xFFFF;
        int size = op32 ? 4 : 2;
        if (realOrV86(cpu)) {
            int esp = pushPair(cpu, cpu.segSel[Cpu.CS], nextEip, size, 0);
            cpu.reg[Cpu.ESP] = esp;
            Segments.loadReal(cpu, Cpu.CS, selector);
            cpu.eip = offset;
            return;
        }
        if (cpu.pcallLog != null) cpu.pcallLog.farTransfer(cpu, "lcall", selector, offset, op32);
        if ((selector & 0xFFFC) == 0) throw cpu.fault(GP, 0);
        int addr = Segments.checkedAddress(cpu, selector, GP, 0);
        int lo = cpu.readSys32(addr);
        int hi = cpu.readSys32(addr + 4);
        int attr = Descriptor.attr(hi);
        if (Descriptor.isCode(attr)) {
            checkDirectCodeTarget(cpu, selector, attr);
            Stack.check(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], cpu.reg[Cpu.ESP], cpu.stack32, 2, size, true, SS_FAULT, 0);
            if ((offset & 0xFFFFFFFFL) > (Descriptor.limit(lo, hi) & 0xFFFFFFFFL)) throw cpu.fault(GP, 0);
            int esp = pushPair(cpu, cpu.segSel[Cpu.CS], nextEip, size, 0);
            cpu.reg[Cpu.ESP] = esp;
            Segments.loadDescriptor(cpu, Cpu.CS, (selector & 0xFFFC) | cpu.cpl, lo, hi);
            cpu.eip = offset;
            return;
        }
        int type = attr & 0x1F;
        if (type == Descriptor.CALL_GATE16 || type == Descriptor.CALL_GATE32) {
            callGate(cpu, selector, lo, hi, nextEip);
            return;
        }
        taskSwitchOrBad(cpu, selector, lo, hi, TaskSwitch.CALL, nextEip & 0xFFFFFFFFL);
    }

    /** Pushes CS then the return offset on the current stack (limit-checked); returns the new ESP. */
    private static int pushPair(Cpu cpu, int cs, int eip, int size, int errorCode) {
        boolean big = cpu.stack32;
        int esp = cpu.reg[Cpu.ESP];
        Stack.check(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], esp, big, 2, size, true, SS_FAULT, errorCode);
        int base = cpu.segBase[Cpu.SS];
        boolean user = cpu.userMode();
        esp = Stack.push(cpu, base, esp, big, cs, size, user);
        return Stack.push(cpu, base, esp, big, eip, size, user);
    }

    /** CALL through a call gate (SDM §5.8.5), with the stack switch and parameter copy of §5.8.5.1. */
    private static void callGate(Cpu cpu, int selector, int lo, int hi, int nextEip) {
        int attr = Descriptor.attr(hi);
        int gdpl = Descriptor.dpl(attr);
        if (gdpl < cpu.cpl || (selector & 3) > gdpl) throw cpu.fault(GP, selector & 0xFFFC);
        if (!Descriptor.present(attr)) throw cpu.fault(NP, selector & 0xFFFC);
        boolean gate32 = (attr & 0x1F) == Descriptor.CALL_GATE32;
        int size = gate32 ? 4 : 2;
        int csSel = Descriptor.gateSelector(lo);
        int target = gate32 ? Descriptor.gateOffset(lo, hi) : lo & 0xFFFF;
        if ((csSel & 0xFFFC) == 0) throw cpu.fault(GP, 0);
        int caddr = Segments.checkedAddress(cpu, csSel, GP, 0);
        int clo = cpu.readSys32(caddr);
        int chi = cpu.readSys32(caddr + 4);
        int cattr = Descriptor.attr(chi);
        int cdpl = Descriptor.dpl(cattr);
        if (!Descriptor.isCode(cattr) || cdpl > cpu.cpl) throw cpu.fault(GP, csSel & 0xFFFC);
        if (!Descriptor.present(cattr)) throw cpu.fault(NP, csSel & 0xFFFC);
        int csLimit = Descriptor.limit(clo, chi);

        if (!Descriptor.isConformingCode(cattr) && cdpl < cpu.cpl) {
            long ssEsp = Tss.innerStack(cpu, cdpl, 0);
            int ssSel = (int) (ssEsp >>> 32);
            int esp = (int) ssEsp;
            if ((ssSel & 0xFFFC) == 0) throw cpu.fault(TS, 0);
            int ssErr = ssSel & 0xFFFC;
            int saddr = Segments.checkedAddress(cpu, ssSel, TS, 0);
            int slo = cpu.readSys32(saddr);
            int shi = cpu.readSys32(saddr + 4);
            int sattr = Descriptor.attr(shi);
            if ((ssSel & 3) != cdpl || Descriptor.dpl(sattr) != cdpl || !Descriptor.isWritableData(sattr)) {
                throw cpu.fault(TS, ssErr);
            }
            if (!Descriptor.present(sattr)) throw cpu.fault(SS_FAULT, ssErr);
            int params = Descriptor.gateParamCount(hi);
            boolean big = Descriptor.big(sattr);
            Stack.check(cpu, sattr, Descriptor.limit(slo, shi), esp, big, 4 + params, size, true, SS_FAULT, ssErr);
            if ((target & 0xFFFFFFFFL) > (csLimit & 0xFFFFFFFFL)) throw cpu.fault(GP, 0);
            // Parameters are read from the caller's stack at the caller's privilege.
            int oldEsp = cpu.reg[Cpu.ESP];
            Stack.check(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], oldEsp, cpu.stack32, params, size, false, SS_FAULT, 0);
            int ssBase = Descriptor.base(slo, shi);
            esp = Stack.push(cpu, ssBase, esp, big, cpu.segSel[Cpu.SS], size, false);
            esp = Stack.push(cpu, ssBase, esp, big, oldEsp, size, false);
            for (int i = params - 1; i >= 0; i--) {
                int v = Stack.peek(cpu, oldEsp, i, size);
                esp = Stack.push(cpu, ssBase, esp, big, v, size, false);
            }
            esp = Stack.push(cpu, ssBase, esp, big, cpu.segSel[Cpu.CS], size, false);
            esp = Stack.push(cpu, ssBase, esp, big, nextEip, size, false);
            cpu.setCpl(cdpl);
            Segments.loadDescriptor(cpu, Cpu.SS, (ssSel & 0xFFFC) | cdpl, slo, shi);
            cpu.reg[Cpu.ESP] = esp;
            Segments.loadDescriptor(cpu, Cpu.CS, (csSel & 0xFFFC) | cdpl, clo, chi);
            cpu.eip = target;
            return;
        }
        if ((target & 0xFFFFFFFFL) > (csLimit & 0xFFFFFFFFL)) throw cpu.fault(GP, 0);
        int esp = pushPair(cpu, cpu.segSel[Cpu.CS], nextEip, size, 0);
        cpu.reg[Cpu.ESP] = esp;
        Segments.loadDescriptor(cpu, Cpu.CS, (csSel & 0xFFFC) | cpu.cpl, clo, chi);
        cpu.eip = target;
    }

    // ---- RETF / IRET ----

    static void farReturn(Cpu cpu, boolean op32, int popBytes) {
        int size = op32 ? 4 : 2;
        popBytes &= 0xFFFF;
        int esp = cpu.reg[Cpu.ESP];
        boolean big = cpu.stack32;
        Stack.check(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], esp, big, 2, size, false, SS_FAULT, 0);
        int newEip = Stack.peek(cpu, esp, 0, size);
        int newCs = Stack.peek(cpu, esp, 1, size) & 0xFFFF;
        if (!op32) newEip &= 0xFFFF;
        if (realOrV86(cpu)) {
            cpu.reg[Cpu.ESP] = Stack.adjust(esp, 2 * size + popBytes, big);
            Segments.loadReal(cpu, Cpu.CS, newCs);
            cpu.eip = newEip;
            return;
        }
        if (cpu.pcallLog != null) cpu.pcallLog.farTransfer(cpu, "lret", newCs, newEip, op32);
        returnProtected(cpu, newEip, newCs, 2 * size, popBytes, size, 0, false, false);
    }

    /**
     * {@code nextEip} is saved in the outgoing TSS when EFLAGS.NT=1 makes IRET a task return.
     * An IRET that completes ends NMI blocking (a faulting one does not, as on QEMU), and an
     * NMI that waited for it is then due.
     */
    static void iret(Cpu cpu, boolean op32, long nextEip) {
        iretFrame(cpu, op32, nextEip);
        if (cpu.nmiBlocked) {
            cpu.nmiBlocked = false;
            if (cpu.nmiPending) cpu.interruptStateChanged();
        }
    }

    private static void iretFrame(Cpu cpu, boolean op32, long nextEip) {
        int size = op32 ? 4 : 2;
        int esp = cpu.reg[Cpu.ESP];
        boolean big = cpu.stack32;
        if ((cpu.eflags & Cpu.VM) != 0) {
            InterruptDelivery.unsupported(cpu, "IRET in virtual-8086 mode");
            throw cpu.fault(GP, 0);
        }
        if (cpu.protectedMode() && (cpu.eflags & Cpu.NT) != 0) {
            // Task return: nothing is popped; the back link names the task to resume.
            if (nextEip == UNKNOWN_NEXT) throw new UnimplementedFeature("IRET task return without the next EIP");
            TaskSwitch.taskReturn(cpu, (int) nextEip);
            return;
        }
        Stack.check(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], esp, big, 3, size, false, SS_FAULT, 0);
        int newEip = Stack.peek(cpu, esp, 0, size);
        int newCs = Stack.peek(cpu, esp, 1, size) & 0xFFFF;
        int newFlags = Stack.peek(cpu, esp, 2, size);
        if (!op32) {
            newEip &= 0xFFFF;
            newFlags &= 0xFFFF;
        }
        int old = Flags.get(cpu);
        if (!cpu.protectedMode()) {
            // Real mode (SDM IRET "REAL-ADDRESS-MODE"): VM, VIF and VIP are kept.
            int flags = op32 ? (newFlags & 0x257FD5) | (old & 0x1A0000) : (old & 0xFFFF0000) | (newFlags & 0x7FD5);
            cpu.reg[Cpu.ESP] = Stack.adjust(esp, 3 * size, big);
            Segments.loadReal(cpu, Cpu.CS, newCs);
            cpu.eip = newEip;
            Flags.set(cpu, flags | 2);
            return;
        }
        if (op32 && (newFlags & Cpu.VM) != 0 && cpu.cpl == 0) {
            InterruptDelivery.unsupported(cpu, "IRET to virtual-8086 mode");
            throw cpu.fault(GP, 0);
        }
        if (cpu.pcallLog != null) cpu.pcallLog.farTransfer(cpu, "iret", newCs, newEip, op32);
        returnProtected(cpu, newEip, newCs, 3 * size, 0, size, newFlags, true, op32);
    }

    /**
     * The common part of RETF and IRET in protected mode (SDM RET "PROTECTED-MODE" and IRET
     * "PROTECTED-MODE-RETURN"): {@code frame} bytes of EIP/CS(/EFLAGS) are on the stack,
     * followed by ESP and SS when the return goes to an outer ring.
     */
    private static void returnProtected(Cpu cpu, int newEip, int newCs, int frame, int popBytes, int size,
                                        int newFlags, boolean isIret, boolean op32) {
        if ((newCs & 0xFFFC) == 0) throw cpu.fault(GP, 0);
        int caddr = Segments.checkedAddress(cpu, newCs, GP, 0);
        int clo = cpu.readSys32(caddr);
        int chi = cpu.readSys32(caddr + 4);
        int cattr = Descriptor.attr(chi);
        int rpl = newCs & 3;
        int csErr = newCs & 0xFFFC;
        if (!Descriptor.isCode(cattr) || rpl < cpu.cpl) throw cpu.fault(GP, csErr);
        int cdpl = Descriptor.dpl(cattr);
        if (Descriptor.isConformingCode(cattr) ? cdpl > rpl : cdpl != rpl) throw cpu.fault(GP, csErr);
        if (!Descriptor.present(cattr)) throw cpu.fault(NP, csErr);
        int csLimit = Descriptor.limit(clo, chi);
        int esp = cpu.reg[Cpu.ESP];
        boolean big = cpu.stack32;
        int oldCpl = cpu.cpl;
        int flags = isIret ? iretFlags(cpu, newFlags, oldCpl, op32) : 0;

        if (rpl == cpu.cpl) {
            if ((newEip & 0xFFFFFFFFL) > (csLimit & 0xFFFFFFFFL)) throw cpu.fault(GP, 0);
            cpu.reg[Cpu.ESP] = Stack.adjust(esp, frame + popBytes, big);
            Segments.loadDescriptor(cpu, Cpu.CS, newCs, clo, chi);
            cpu.eip = newEip;
            if (isIret) Flags.set(cpu, flags);
            return;
        }
        // Return to an outer ring: ESP and SS follow the frame (and RETF's imm16 bytes).
        int outer = Stack.adjust(esp, frame + popBytes, big);
        Stack.check(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], outer, big, 2, size, false, SS_FAULT, 0);
        int newEsp = Stack.peek(cpu, outer, 0, size);
        int newSs = Stack.peek(cpu, outer, 1, size) & 0xFFFF;
        if ((newSs & 0xFFFC) == 0) throw cpu.fault(GP, 0);
        int saddr = Segments.checkedAddress(cpu, newSs, GP, 0);
        int slo = cpu.readSys32(saddr);
        int shi = cpu.readSys32(saddr + 4);
        int sattr = Descriptor.attr(shi);
        int ssErr = newSs & 0xFFFC;
        if ((newSs & 3) != rpl || !Descriptor.isWritableData(sattr) || Descriptor.dpl(sattr) != rpl) {
            throw cpu.fault(GP, ssErr);
        }
        if (!Descriptor.present(sattr)) throw cpu.fault(SS_FAULT, ssErr);
        if ((newEip & 0xFFFFFFFFL) > (csLimit & 0xFFFFFFFFL)) throw cpu.fault(GP, 0);
        cpu.setCpl(rpl);
        Segments.loadDescriptor(cpu, Cpu.CS, newCs, clo, chi);
        Segments.loadDescriptor(cpu, Cpu.SS, newSs, slo, shi);
        // The new stack's B flag decides how much of ESP is replaced (a 16-bit stack keeps the high half).
        int sp = newEsp + (isIret ? 0 : popBytes);
        cpu.reg[Cpu.ESP] = cpu.stack32 ? sp : (esp & 0xFFFF0000) | (sp & 0xFFFF);
        cpu.eip = newEip;
        if (isIret) Flags.set(cpu, flags);
        Segments.revalidateDataSegments(cpu);
    }

    /** Which EFLAGS bits IRET may change depends on the CPL and IOPL it is executed at. */
    private static int iretFlags(Cpu cpu, int popped, int oldCpl, boolean op32) {
        int old = Flags.get(cpu);
        int mask = Cpu.ARITH_FLAGS | Cpu.TF | Cpu.DF | Cpu.NT;
        if (op32) mask |= Cpu.RF | Cpu.AC | Cpu.ID;
        int iopl = (old & Cpu.IOPL) >>> 12;
        if (oldCpl <= iopl) mask |= Cpu.IF;
        if (oldCpl == 0) {
            mask |= Cpu.IOPL;
            if (op32) mask |= (1 << 19) | (1 << 20);   // VIF, VIP
        }
        if (!op32) mask &= 0xFFFF;
        return (old & ~mask) | (popped & mask) | 2;
    }
}
