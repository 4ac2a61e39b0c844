package io.flatland.cpu;

import io.flatland.mmu.GuestFault;

/**
 * Hardware task switching (SDM Vol. 3A §7.3, Table 7-1; Vol. 2 "JMP", "CALL", "IRET",
 * "INT n" pseudocode, SWITCH-TASKS). Sources: JMP or CALL to a TSS descriptor or through a
 * task gate, INT n / exceptions / interrupts through an IDT task gate, and IRET with
 * EFLAGS.NT=1 back to the task named by the back link.
 *
 * <p>Every check that can be made in the outgoing task is made before any state changes,
 * so those faults are restartable and are reported with the switching instruction's EIP.
 * Once the outgoing state is saved, TR, CR0.TS, CR3, LDTR, EFLAGS, EIP and the registers
 * belong to the new task; a fault while loading its segment registers is delivered in the
 * context of the new task (SDM §7.3, step 13) — {@link #switchTasks} then returns false.
 *
 * <p>The T flag of the TSS (debug trap on switch) is not acted on: the reference machine
 * (QEMU 7.2) reads and ignores it.
 */
final class TaskSwitch {
    private TaskSwitch() { }

    /** What started the switch: it decides busy bits, NT and the back link (SDM Table 7-2). */
    static final int JMP = 0, CALL = 1, IRET = 2, INT = 3;

    private static final int GP = 13, NP = 11, SS_FAULT = 12, TS = 10;

    static final int BUSY_BIT = 0x200;          // bit 9 of a TSS descriptor's high dword (type bit 1)

    /** A 16- or 32-bit TSS descriptor, available or busy (S=0, type 0001/0011/1001/1011). */
    static boolean isTss(int attr) { return (attr & 0x15) == 0x01; }

    static boolean isBusy(int attr) { return (attr & 2) != 0; }

    // ---- entry points ----

    /**
     * JMP/CALL whose selector named a TSS descriptor (SDM JMP/CALL "TASK-STATE-SEGMENT").
     * {@code nextEip} is saved as the outgoing task's EIP.
     */
    static void jumpOrCallToTss(Cpu cpu, int selector, int lo, int hi, int source, int nextEip) {
        int attr = Descriptor.attr(hi);
        int err = selector & 0xFFFC;
        int dpl = Descriptor.dpl(attr);
        if (dpl < cpu.cpl || dpl < (selector & 3) || isBusy(attr)) throw cpu.fault(GP, err);
        if (!Descriptor.present(attr)) throw cpu.fault(NP, err);
        switchTasks(cpu, selector, lo, hi, source, nextEip, 0);
    }

    /** JMP/CALL whose selector named a task gate in the GDT or LDT (SDM JMP/CALL "TASK-GATE"). */
    static void jumpOrCallThroughGate(Cpu cpu, int gateSel, int lo, int hi, int source, int nextEip) {
        int attr = Descriptor.attr(hi);
        int dpl = Descriptor.dpl(attr);
        if (dpl < cpu.cpl || dpl < (gateSel & 3)) throw cpu.fault(GP, gateSel & 0xFFFC);
        if (!Descriptor.present(attr)) throw cpu.fault(NP, gateSel & 0xFFFC);
        throughGate(cpu, Descriptor.gateSelector(lo), source, nextEip, 0);
    }

    /**
     * An IDT task gate (SDM INT n "TASK-GATE", §6.12.2); the gate's DPL and P were checked by
     * the caller. The error code, if any, is pushed on the new task's stack.
     */
    static void interruptThroughGate(Cpu cpu, int gateLo, int errorCode, int returnEip, int ext) {
        if (!throughGate(cpu, Descriptor.gateSelector(gateLo), INT, returnEip, ext)) return;
        if (errorCode == -1) return;
        int size = Tss.is32(cpu) ? 4 : 2;
        boolean big = cpu.stack32;
        int esp = cpu.reg[Cpu.ESP];
        try {
            Stack.check(cpu, cpu.segAttr[Cpu.SS], cpu.segLimit[Cpu.SS], esp, big, 1, size, true, SS_FAULT, ext);
            cpu.reg[Cpu.ESP] = Stack.push(cpu, cpu.segBase[Cpu.SS], esp, big, errorCode, size, cpu.userMode());
        } catch (GuestFault f) {
            deliverInNewTask(cpu, f);
        }
    }

    /** IRET with NT=1 (SDM IRET "TASK-RETURN"): back to the task in the current TSS's link field. */
    static void taskReturn(Cpu cpu, int nextEip) {
        int link = cpu.readSys16(cpu.trBase) & 0xFFFF;
        int err = link & 0xFFFC;
        if ((link & 4) != 0 || (link & 0xFFF8) + 7L > (cpu.gdtLimit & 0xFFFFFFFFL)) throw cpu.fault(TS, err);
        int addr = cpu.gdtBase + (link & 0xFFF8);
        int lo = cpu.readSys32(addr);
        int hi = cpu.readSys32(addr + 4);
        int attr = Descriptor.attr(hi);
        if (!isTss(attr) || !isBusy(attr)) throw cpu.fault(TS, err);
        if (!Descriptor.present(attr)) throw cpu.fault(NP, err);
        switchTasks(cpu, link, lo, hi, IRET, nextEip, 0);
    }

    /** The TSS selector of a task gate: it must name an available TSS in the GDT. */
    private static boolean throughGate(Cpu cpu, int tssSel, int source, int savedEip, int ext) {
        int err = (tssSel & 0xFFFC) | ext;
        if ((tssSel & 4) != 0 || (tssSel & 0xFFF8) + 7L > (cpu.gdtLimit & 0xFFFFFFFFL)) throw cpu.fault(GP, err);
        int addr = cpu.gdtBase + (tssSel & 0xFFF8);
        int lo = cpu.readSys32(addr);
        int hi = cpu.readSys32(addr + 4);
        int attr = Descriptor.attr(hi);
        if (!isTss(attr) || isBusy(attr)) throw cpu.fault(GP, err);
        if (!Descriptor.present(attr)) throw cpu.fault(NP, err);
        return switchTasks(cpu, tssSel, lo, hi, source, savedEip, ext);
    }

    // ---- SWITCH-TASKS ----

    /**
     * Switches to the task whose (present, GDT) TSS descriptor is {@code lo:hi}. Returns true
     * when the new task's state loaded completely; false when loading it faulted and the
     * fault was delivered in the new task.
     */
    static boolean switchTasks(Cpu cpu, int tssSel, int lo, int hi, int source, int savedEip, int ext) {
        if (cpu.pcallLog != null) cpu.pcallLog.farTransfer(cpu, "task switch", tssSel & 0xFFFF, 0, true);
        int attr = Descriptor.attr(hi);
        boolean new32 = (attr & 8) != 0;
        int base = Descriptor.base(lo, hi);
        int limit = Descriptor.limit(lo, hi);
        if ((tssSel & 4) != 0 || (limit & 0xFFFFFFFFL) < (new32 ? 0x67 : 0x2B)) {
            throw cpu.fault(TS, (tssSel & 0xFFFC) | ext);
        }

        // Read the whole incoming state first: a page fault here is taken in the old task.
        int newCr3 = 0, newEip, newFlags, newLdt;
        int[] regs = new int[8];
        int[] segs = new int[6];
        if (new32) {
            newCr3 = cpu.readSys32(base + 0x1C);
            newEip = cpu.readSys32(base + 0x20);
            newFlags = cpu.readSys32(base + 0x24);
            for (int i = 0; i < 8; i++) regs[i] = cpu.readSys32(base + 0x28 + 4 * i);
            for (int i = 0; i < 6; i++) segs[i] = cpu.readSys16(base + 0x48 + 4 * i) & 0xFFFF;
            newLdt = cpu.readSys16(base + 0x60) & 0xFFFF;
        } else {
            newEip = cpu.readSys16(base + 0x0E) & 0xFFFF;
            newFlags = cpu.readSys16(base + 0x10) & 0xFFFF;
            for (int i = 0; i < 8; i++) regs[i] = cpu.readSys16(base + 0x12 + 2 * i) & 0xFFFF;
            for (int i = 0; i < 4; i++) segs[i] = cpu.readSys16(base + 0x22 + 2 * i) & 0xFFFF;   // ES CS SS DS
            newLdt = cpu.readSys16(base + 0x2A) & 0xFFFF;
        }
        // The outgoing TSS must be writable too: touch both ends of its dynamic area and the
        // incoming link field before anything is committed.
        boolean old32 = Tss.is32(cpu);
        int oldBase = cpu.trBase;
        int oldEnd = old32 ? 0x5F : 0x29;
        cpu.writeSys8(oldBase, cpu.readSys8(oldBase));
        cpu.writeSys8(oldBase + oldEnd, cpu.readSys8(oldBase + oldEnd));
        if (source == CALL || source == INT) cpu.writeSys16(base, cpu.readSys16(base));

        // ---- commit: from here on the state is the new task's ----
        if (source == JMP || source == IRET) setBusy(cpu, cpu.trSel, false);
        int oldFlags = Flags.get(cpu);
        if (source == IRET) oldFlags &= ~Cpu.NT;
        if (old32) {
            cpu.writeSys32(oldBase + 0x20, savedEip);
            cpu.writeSys32(oldBase + 0x24, oldFlags);
            for (int i = 0; i < 8; i++) cpu.writeSys32(oldBase + 0x28 + 4 * i, cpu.reg[i]);
            for (int i = 0; i < 6; i++) cpu.writeSys16(oldBase + 0x48 + 4 * i, cpu.segSel[i]);
        } else {
            cpu.writeSys16(oldBase + 0x0E, savedEip);
            cpu.writeSys16(oldBase + 0x10, oldFlags);
            for (int i = 0; i < 8; i++) cpu.writeSys16(oldBase + 0x12 + 2 * i, cpu.reg[i]);
            for (int i = 0; i < 4; i++) cpu.writeSys16(oldBase + 0x22 + 2 * i, cpu.segSel[i]);
        }
        if (source == CALL || source == INT) {
            cpu.writeSys16(base, cpu.trSel);        // back link
            newFlags |= Cpu.NT;
        }
        if (source != IRET) setBusy(cpu, tssSel, true);
        cpu.mmu.setCr0(cpu.mmu.cr0() | ControlRegisters.CR0_TS);
        cpu.trSel = tssSel & 0xFFFF;
        cpu.trBase = base;
        cpu.trLimit = limit;
        cpu.trAttr = attr | 2;                      // the hidden TR attributes say busy, as after LTR
        if (new32 && cpu.mmu.pagingEnabled()) cpu.mmu.setCr3(newCr3);
        cpu.taskSwitches++;

        cpu.eip = newEip;
        int defined = 0x3F7FD5;                     // CF PF AF ZF SF TF IF DF OF IOPL NT RF VM AC VIF VIP ID
        if (new32) {
            Flags.set(cpu, newFlags & defined);
            System.arraycopy(regs, 0, cpu.reg, 0, 8);
        } else {
            Flags.set(cpu, (Flags.get(cpu) & ~0xFFFF) | (newFlags & defined & 0xFFFF));
            for (int i = 0; i < 8; i++) cpu.reg[i] = (cpu.reg[i] & 0xFFFF0000) | regs[i];
        }
        // Local breakpoint enables (L0-L3) are cleared on every task switch (SDM §17.2.4).
        cpu.dr[7] &= ~0x55;
        // Selectors first, with unusable caches, so a fault below finds them in place.
        for (int s = 0; s < 6; s++) Segments.setCache(cpu, s, segs[s], 0, 0, 0);
        cpu.ldtSel = newLdt & ~4;
        cpu.ldtBase = 0;
        cpu.ldtLimit = 0;
        try {
            loadNewTaskState(cpu, newEip, newFlags, newLdt, segs, ext);
        } catch (GuestFault f) {
            deliverInNewTask(cpu, f);
            return false;
        }
        return true;
    }

    private static void loadNewTaskState(Cpu cpu, int newEip, int newFlags, int newLdt, int[] segs, int ext) {
        // LDTR (Table 7-1: #TS(LDT selector) when invalid or not present).
        int ldtErr = (newLdt & 0xFFFC) | ext;
        if ((newLdt & 4) != 0) throw cpu.fault(TS, ldtErr);
        if ((newLdt & 0xFFFC) != 0) {
            if ((newLdt & 0xFFF8) + 7L > (cpu.gdtLimit & 0xFFFFFFFFL)) throw cpu.fault(TS, ldtErr);
            int addr = cpu.gdtBase + (newLdt & 0xFFF8);
            int lo = cpu.readSys32(addr);
            int hi = cpu.readSys32(addr + 4);
            int attr = Descriptor.attr(hi);
            if ((attr & 0x1F) != Descriptor.LDT || !Descriptor.present(attr)) throw cpu.fault(TS, ldtErr);
            cpu.ldtSel = newLdt;
            cpu.ldtBase = Descriptor.base(lo, hi);
            cpu.ldtLimit = Descriptor.limit(lo, hi);
        }
        if ((newFlags & Cpu.VM) != 0) {
            // Virtual-8086 task: real-mode style segments, CPL 3.
            cpu.setCpl(3);
            for (int s = 0; s < 6; s++) {
                Segments.setCache(cpu, s, segs[s], segs[s] << 4, 0xFFFF,
                        Descriptor.ATTR_P | Descriptor.ATTR_S | Descriptor.ATTR_RW | Descriptor.ATTR_ACCESSED | 0x60);
            }
        } else {
            int cpl = segs[Cpu.CS] & 3;
            cpu.setCpl(cpl);
            loadCode(cpu, segs[Cpu.CS], ext);
            loadStack(cpu, segs[Cpu.SS], cpl, ext);
            loadData(cpu, Cpu.ES, segs[Cpu.ES], cpl, ext);
            loadData(cpu, Cpu.DS, segs[Cpu.DS], cpl, ext);
            loadData(cpu, Cpu.FS, segs[Cpu.FS], cpl, ext);
            loadData(cpu, Cpu.GS, segs[Cpu.GS], cpl, ext);
        }
        if ((newEip & 0xFFFFFFFFL) > (cpu.segLimit[Cpu.CS] & 0xFFFFFFFFL)) throw cpu.fault(GP, ext);
    }

    /** Descriptor of a segment selector in the new task, or #TS(selector) when outside its table. */
    private static long descriptor(Cpu cpu, int sel, int ext) {
        int addr = Segments.checkedAddress(cpu, sel, TS, ext);
        return (long) cpu.readSys32(addr + 4) << 32 | (cpu.readSys32(addr) & 0xFFFFFFFFL);
    }

    private static void loadCode(Cpu cpu, int sel, int ext) {
        int err = (sel & 0xFFFC) | ext;
        if ((sel & 0xFFFC) == 0) throw cpu.fault(TS, err);
        long d = descriptor(cpu, sel, ext);
        int lo = (int) d, hi = (int) (d >>> 32);
        int attr = Descriptor.attr(hi);
        if (!Descriptor.isCode(attr)) throw cpu.fault(TS, err);
        int dpl = Descriptor.dpl(attr);
        if (Descriptor.isConformingCode(attr) ? dpl > (sel & 3) : dpl != (sel & 3)) throw cpu.fault(TS, err);
        if (!Descriptor.present(attr)) throw cpu.fault(NP, err);
        Segments.loadDescriptor(cpu, Cpu.CS, sel, lo, hi);
    }

    private static void loadStack(Cpu cpu, int sel, int cpl, int ext) {
        int err = (sel & 0xFFFC) | ext;
        if ((sel & 0xFFFC) == 0) throw cpu.fault(TS, err);
        long d = descriptor(cpu, sel, ext);
        int lo = (int) d, hi = (int) (d >>> 32);
        int attr = Descriptor.attr(hi);
        if (!Descriptor.isWritableData(attr) || Descriptor.dpl(attr) != cpl || (sel & 3) != cpl) {
            throw cpu.fault(TS, err);
        }
        if (!Descriptor.present(attr)) throw cpu.fault(SS_FAULT, err);
        Segments.loadDescriptor(cpu, Cpu.SS, sel, lo, hi);
    }

    private static void loadData(Cpu cpu, int seg, int sel, int cpl, int ext) {
        if ((sel & 0xFFFC) == 0) {
            Segments.loadNull(cpu, seg, sel);
            return;
        }
        int err = (sel & 0xFFFC) | ext;
        long d = descriptor(cpu, sel, ext);
        int lo = (int) d, hi = (int) (d >>> 32);
        int attr = Descriptor.attr(hi);
        if (!Descriptor.isReadable(attr)) throw cpu.fault(TS, err);
        if (!Descriptor.isConformingCode(attr)) {
            int dpl = Descriptor.dpl(attr);
            if (dpl < cpl || dpl < (sel & 3)) throw cpu.fault(TS, err);
        }
        if (!Descriptor.present(attr)) throw cpu.fault(NP, err);
        Segments.loadDescriptor(cpu, seg, sel, lo, hi);
    }

    private static void setBusy(Cpu cpu, int sel, boolean busy) {
        int addr = cpu.gdtBase + (sel & 0xFFF8) + 4;
        int hi = cpu.readSys32(addr);
        cpu.writeSys32(addr, busy ? hi | BUSY_BIT : hi & ~BUSY_BIT);
    }

    /** A fault after the commit point belongs to the new task: deliver it with the new EIP. */
    private static void deliverInNewTask(Cpu cpu, GuestFault f) {
        int vector = f.vector, error = f.errorCode, address = f.address;
        if (vector >= 0 && vector < cpu.exceptionsByVector.length) cpu.exceptionsByVector[vector]++;
        InterruptDelivery.exception(cpu, vector, error, address);
    }
}
