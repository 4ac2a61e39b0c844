package io.flatland.cpu;

import io.flatland.mmu.GuestFault;

/**
 * Delivery of exceptions and interrupts (SDM Vol. 3A chapter 6, Vol. 2A "INT n/INTO/INT3"):
 * through the real-mode IVT, or through an IDT interrupt/trap gate with a switch to the
 * inner-ring stack taken from the TSS. A fault raised while delivering one event is handled
 * by the double-fault rules of SDM Table 6-5; a fault while delivering #DF is a shutdown.
 * An IDT task gate switches tasks ({@link TaskSwitch}).
 */
final class InterruptDelivery {
    private InterruptDelivery() { }

    /** What raised the event: it decides the gate-DPL check, the EXT bit and the #DF rules. */
    static final int SOFTWARE = 0, EXCEPTION = 1, EXTERNAL = 2;

    private static final int BENIGN = 0, CONTRIBUTORY = 1, PAGE_FAULT = 2;
    static final int DF = 8, GP = 13, NP = 11, SS_FAULT = 12, TS = 10;

    /** Exceptions that push an error code (SDM Table 6-1): #DF, #TS, #NP, #SS, #GP, #PF, #AC. */
    static boolean hasErrorCode(int vector) {
        return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
    }

    /** SDM Table 6-4. */
    private static int classOf(int vector) {
        if (vector == 14) return PAGE_FAULT;
        if (vector == 0 || (vector >= 10 && vector <= 13)) return CONTRIBUTORY;
        return BENIGN;
    }

    static void exception(Cpu cpu, int vector, int errorCode, int address) {
        if (vector == 14) cpu.cr2 = address;
        int err = hasErrorCode(vector) ? (errorCode == GuestFault.NO_ERROR_CODE ? 0 : errorCode) : -1;
        deliver(cpu, vector, err, cpu.eip, EXCEPTION);
    }

    static void software(Cpu cpu, int vector, int nextEip) {
        deliver(cpu, vector & 0xFF, -1, nextEip, SOFTWARE);
    }

    static void external(Cpu cpu, int vector) {
        deliver(cpu, vector & 0xFF, -1, cpu.eip, EXTERNAL);
    }

    private static void deliver(Cpu cpu, int vector, int errorCode, int returnEip, int kind) {
        int v = vector, err = errorCode, k = kind, ret = returnEip;
        while (true) {
            // The kinds are CpuLog's: SOFTWARE 0, EXCEPTION 1, EXTERNAL = HARDWARE 2.
            if (cpu.intLog != null) cpu.intLog.event(cpu, v, err, k);
            try {
                deliverOnce(cpu, v, err, ret, k);
                cpu.halted = false;
                return;
            } catch (GuestFault f) {
                int second = f.vector;
                if (second == 14) cpu.cr2 = f.address;
                int first = k == EXCEPTION ? classOf(v) : BENIGN;
                // A fault while delivering INT n belongs to the INT instruction itself: the
                // exception frame points at it, not past it (cpu.eip is still the INT).
                if (k == SOFTWARE) ret = cpu.eip;
                int next = classOf(second);
                if (k == EXCEPTION && v == DF && next != BENIGN) {
                    cpu.exitRequest = ExitReason.TRIPLE_FAULT;
                    cpu.exitMessage = "triple fault: exception " + second + " (error 0x" + Integer.toHexString(f.errorCode)
                            + ") while delivering #DF at EIP 0x" + Integer.toHexString(returnEip);
                    return;
                }
                if (first == CONTRIBUTORY && next == CONTRIBUTORY || first == PAGE_FAULT && next != BENIGN) {
                    v = DF;
                    err = 0;
                } else {
                    v = second;
                    err = hasErrorCode(second) ? (f.errorCode == GuestFault.NO_ERROR_CODE ? 0 : f.errorCode) : -1;
                }
                k = EXCEPTION;
            }
        }
    }

    static void unsupported(Cpu cpu, String what) {
        cpu.exitRequest = ExitReason.UNIMPLEMENTED;
        cpu.exitMessage = what + " is not supported (EIP 0x" + Integer.toHexString(cpu.eip) + ")";
    }

    private static void deliverOnce(Cpu cpu, int vector, int errorCode, int returnEip, int kind) {
        if (!cpu.protectedMode()) {
            deliverReal(cpu, vector, returnEip);
            return;
        }
        if ((cpu.eflags & Cpu.VM) != 0) {
            unsupported(cpu, "interrupt " + vector + " in virtual-8086 mode");
            return;
        }
        int ext = kind == SOFTWARE ? 0 : 1;
        int idtErr = vector * 8 + 2 + ext;
        if (vector * 8 + 7L > (cpu.idtLimit & 0xFFFFFFFFL)) throw cpu.fault(GP, idtErr);
        int lo = cpu.readSys32(cpu.idtBase + vector * 8);
        int hi = cpu.readSys32(cpu.idtBase + vector * 8 + 4);
        int attr = Descriptor.attr(hi);
        int type = attr & 0x1F;                      // S must be 0: only gates belong in the IDT
        if (type != Descriptor.TASK_GATE && type != Descriptor.INT_GATE16 && type != Descriptor.TRAP_GATE16
                && type != Descriptor.INT_GATE32 && type != Descriptor.TRAP_GATE32) {
            throw cpu.fault(GP, idtErr);
        }
        // INT n may not reach a handler the program could not call; hardware events may.
        if (kind == SOFTWARE && Descriptor.dpl(attr) < cpu.cpl) throw cpu.fault(GP, idtErr);
        if (!Descriptor.present(attr)) throw cpu.fault(NP, idtErr);
        if (type == Descriptor.TASK_GATE) {
            // A nested task switch (SDM §6.12.2); the error code goes on the new task's stack.
            TaskSwitch.interruptThroughGate(cpu, lo, errorCode, returnEip, ext);
            return;
        }
        boolean gate32 = (type & 8) != 0;
        boolean trapGate = (type & 1) != 0;
        int size = gate32 ? 4 : 2;
        int csSel = Descriptor.gateSelector(lo);
        int offset = gate32 ? Descriptor.gateOffset(lo, hi) : lo & 0xFFFF;

        if ((csSel & 0xFFFC) == 0) throw cpu.fault(GP, ext);
        int csAddr = Segments.checkedAddress(cpu, csSel, GP, ext);
        int clo = cpu.readSys32(csAddr);
        int chi = cpu.readSys32(csAddr + 4);
        int cattr = Descriptor.attr(chi);
        int csErr = (csSel & 0xFFFC) | ext;
        if (!Descriptor.isCode(cattr) || Descriptor.dpl(cattr) > cpu.cpl) throw cpu.fault(GP, csErr);
        if (!Descriptor.present(cattr)) throw cpu.fault(NP, csErr);
        int newCpl = Descriptor.isConformingCode(cattr) ? cpu.cpl : Descriptor.dpl(cattr);
        boolean hasErr = errorCode != -1;
        int eflags = Flags.get(cpu);
        int csLimit = Descriptor.limit(clo, chi);

        if (newCpl < cpu.cpl) {
            // Inter-privilege: the handler runs on the stack the TSS holds for its ring.
            long ssEsp = Tss.innerStack(cpu, newCpl, ext);
            int ssSel = (int) (ssEsp >>> 32);
            int esp = (int) ssEsp;
            if ((ssSel & 0xFFFC) == 0) throw cpu.fault(TS, ext);
            int ssErr = (ssSel & 0xFFFC) | ext;
            int ssAddr = Segments.checkedAddress(cpu, ssSel, TS, ext);
            int slo = cpu.readSys32(ssAddr);
            int shi = cpu.readSys32(ssAddr + 4);
            int sattr = Descriptor.attr(shi);
            if ((ssSel & 3) != newCpl || Descriptor.dpl(sattr) != newCpl || !Descriptor.isWritableData(sattr)) {
                throw cpu.fault(TS, ssErr);
            }
            if (!Descriptor.present(sattr)) throw cpu.fault(SS_FAULT, ssErr);
            boolean big = Descriptor.big(sattr);
            int ssBase = Descriptor.base(slo, shi);
            Stack.check(cpu, sattr, Descriptor.limit(slo, shi), esp, big, hasErr ? 6 : 5, size, true, SS_FAULT, ssErr);
            if ((offset & 0xFFFFFFFFL) > (csLimit & 0xFFFFFFFFL)) throw cpu.fault(GP, ext);
            boolean user = newCpl == 3;
            esp = Stack.push(cpu, ssBase, esp, big, cpu.segSel[Cpu.SS], size, user);
            esp = Stack.push(cpu, ssBase, esp, big, cpu.reg[Cpu.ESP], size, user);
            esp = Stack.push(cpu, ssBase, esp, big, eflags, size, user);
            esp = Stack.push(cpu, ssBase, esp, big, cpu.segSel[Cpu.CS], size, user);
            esp = Stack.push(cpu, ssBase, esp, big, returnEip, size, user);
            if (hasErr) esp = Stack.push(cpu, ssBase, esp, big, errorCode, size, user);
            cpu.setCpl(newCpl);
            Segments.loadDescriptor(cpu, Cpu.SS, (ssSel & 0xFFFC) | newCpl, slo, shi);
            cpu.reg[Cpu.ESP] = esp;
        } else {
            boolean big = cpu.stack32;
            int esp = cpu.reg[Cpu.ESP];
            Stack.check(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], esp, big, hasErr ? 4 : 3, size, true, SS_FAULT, ext);
            if ((offset & 0xFFFFFFFFL) > (csLimit & 0xFFFFFFFFL)) throw cpu.fault(GP, ext);
            int ssBase = cpu.segBase[Cpu.SS];
            boolean user = cpu.userMode();
            esp = Stack.push(cpu, ssBase, esp, big, eflags, size, user);
            esp = Stack.push(cpu, ssBase, esp, big, cpu.segSel[Cpu.CS], size, user);
            esp = Stack.push(cpu, ssBase, esp, big, returnEip, size, user);
            if (hasErr) esp = Stack.push(cpu, ssBase, esp, big, errorCode, size, user);
            cpu.reg[Cpu.ESP] = esp;
        }
        Segments.loadDescriptor(cpu, Cpu.CS, (csSel & 0xFFFC) | newCpl, clo, chi);
        cpu.eip = offset;
        eflags &= ~(Cpu.TF | Cpu.NT | Cpu.RF | Cpu.VM);
        if (!trapGate) eflags &= ~Cpu.IF;
        Flags.set(cpu, eflags);
    }

    /** Real-address mode (SDM §20.1.4): 4-byte IVT entries, FLAGS/CS/IP pushed on SS:SP. */
    private static void deliverReal(Cpu cpu, int vector, int returnEip) {
        if (vector * 4 + 3L > (cpu.idtLimit & 0xFFFFFFFFL)) throw cpu.fault(GP, 0);
        int ip = cpu.readSys16(cpu.idtBase + vector * 4) & 0xFFFF;
        int cs = cpu.readSys16(cpu.idtBase + vector * 4 + 2) & 0xFFFF;
        boolean big = cpu.stack32;
        int esp = cpu.reg[Cpu.ESP];
        Stack.check(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], esp, big, 3, 2, true, SS_FAULT, 0);
        int eflags = Flags.get(cpu);
        int ssBase = cpu.segBase[Cpu.SS];
        esp = Stack.push(cpu, ssBase, esp, big, eflags, 2, false);
        esp = Stack.push(cpu, ssBase, esp, big, cpu.segSel[Cpu.CS], 2, false);
        esp = Stack.push(cpu, ssBase, esp, big, returnEip, 2, false);
        cpu.reg[Cpu.ESP] = esp;
        Segments.loadReal(cpu, Cpu.CS, cs);
        cpu.eip = ip;
        Flags.set(cpu, eflags & ~(Cpu.IF | Cpu.TF | Cpu.AC | Cpu.RF));
    }
}
