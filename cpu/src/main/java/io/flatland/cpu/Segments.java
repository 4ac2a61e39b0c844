package io.flatland.cpu;

/**
 * Segment registers: the hidden descriptor cache, descriptor-table lookups, the loads of
 * data and stack segments (SDM Vol. 2B "MOV—Move", Vol. 3A §3.4.3, §5.5-5.7) and the
 * limit/type checks of accesses that cannot take the flat fast path (§5.3, §5.5).
 */
final class Segments {
    private Segments() { }

    static final int GP = 13, SS_FAULT = 12, NP = 11, TS = 10;

    // ---- descriptor tables ----

    /** True when the 8 bytes selected by {@code sel} lie inside the GDT or LDT limit. */
    static boolean inTable(Cpu cpu, int sel) {
        long last = (sel & 0xFFF8) + 7L;
        if ((sel & 4) != 0) return (cpu.ldtSel & 0xFFFC) != 0 && last <= (cpu.ldtLimit & 0xFFFFFFFFL);
        return last <= (cpu.gdtLimit & 0xFFFFFFFFL);
    }

    /** Linear address of the descriptor {@code sel} selects (table limit not checked here). */
    static int address(Cpu cpu, int sel) {
        return ((sel & 4) != 0 ? cpu.ldtBase : cpu.gdtBase) + (sel & 0xFFF8);
    }

    /** Address of the descriptor, or the fault {@code vector} with error code {@code (sel & ~3) | ext}. */
    static int checkedAddress(Cpu cpu, int sel, int vector, int ext) {
        if (!inTable(cpu, sel)) throw cpu.fault(vector, (sel & 0xFFFC) | ext);
        return address(cpu, sel);
    }

    /**
     * Sets the accessed bit in memory; returns the new high dword. Done for MOV/POP/LxS loads
     * only: the reference machine (QEMU 7.2 TCG) does not write it back for the CS and SS loads
     * of far JMP/CALL/RET, IRET and interrupt delivery (observed: after its Multiboot ROM's
     * far jump the CS descriptor still reads 0x00CF9A00 while DS's reads 0x00CF9300), and
     * guest-visible memory must match it. The SDM would set it in those cases too.
     */
    static int markAccessed(Cpu cpu, int addr, int hi) {
        if ((hi & 0x100) == 0) {
            hi |= 0x100;
            cpu.writeSys32(addr + 4, hi);
        }
        return hi;
    }

    // ---- hidden cache ----

    static void setCache(Cpu cpu, int seg, int sel, int base, int limit, int attr) {
        cpu.segSel[seg] = sel & 0xFFFF;
        cpu.segBase[seg] = base;
        cpu.segLimit[seg] = limit;
        cpu.segAttr[seg] = attr;
        updateFlat(cpu, seg);
        if (seg == Cpu.CS) cpu.code32 = Descriptor.big(attr);
        else if (seg == Cpu.SS) cpu.stack32 = Descriptor.big(attr);
    }

    static void loadDescriptor(Cpu cpu, int seg, int sel, int lo, int hi) {
        setCache(cpu, seg, sel, Descriptor.base(lo, hi), Descriptor.limit(lo, hi), Descriptor.attr(hi));
    }

    /** Null selector in DS/ES/FS/GS: the register is unusable until reloaded (attr 0 = not present). */
    static void loadNull(Cpu cpu, int seg, int sel) {
        setCache(cpu, seg, sel, 0, 0, 0);
    }

    /**
     * The fast path needs no check when every offset is inside the limit and the type allows
     * the access. In real mode types are not checked, so only the limit matters there.
     */
    static void updateFlat(Cpu cpu, int seg) {
        cpu.segmentEpoch++;
        int attr = cpu.segAttr[seg];
        boolean fullLimit = cpu.segLimit[seg] == -1 && !Descriptor.isExpandDown(attr);
        if (!cpu.protectedMode() || (cpu.eflags & Cpu.VM) != 0) {
            cpu.segFlatRead[seg] = fullLimit;
            cpu.segFlatWrite[seg] = fullLimit;
            return;
        }
        cpu.segFlatRead[seg] = fullLimit && Descriptor.present(attr) && Descriptor.isReadable(attr);
        cpu.segFlatWrite[seg] = fullLimit && Descriptor.present(attr) && Descriptor.isWritableData(attr);
    }

    static void updateAllFlat(Cpu cpu) {
        for (int s = 0; s < 6; s++) updateFlat(cpu, s);
    }

    // ---- loads ----

    /**
     * Real-address and virtual-8086 mode: only the selector and base change. The hidden limit
     * and attributes stay, which is what makes "unreal mode" work on hardware and in QEMU.
     */
    static void loadReal(Cpu cpu, int seg, int sel) {
        sel &= 0xFFFF;
        cpu.segSel[seg] = sel;
        cpu.segBase[seg] = sel << 4;
        if (!Descriptor.present(cpu.segAttr[seg])) {
            // A register nulled in protected mode becomes usable again as a 64 KiB data segment.
            cpu.segAttr[seg] = Descriptor.ATTR_P | Descriptor.ATTR_S | Descriptor.ATTR_RW | Descriptor.ATTR_ACCESSED;
            cpu.segLimit[seg] = 0xFFFF;
        }
        updateFlat(cpu, seg);
        if (seg == Cpu.SS) cpu.stack32 = Descriptor.big(cpu.segAttr[seg]);
    }

    /** MOV/POP/LxS to DS, ES, FS, GS or SS (never CS). */
    static void load(Cpu cpu, int seg, int sel) {
        sel &= 0xFFFF;
        if (!cpu.protectedMode() || (cpu.eflags & Cpu.VM) != 0) {
            loadReal(cpu, seg, sel);
            return;
        }
        if (seg == Cpu.SS) {
            loadStack(cpu, sel);
            return;
        }
        if ((sel & 0xFFFC) == 0) {
            loadNull(cpu, seg, sel);
            return;
        }
        int addr = checkedAddress(cpu, sel, GP, 0);
        int lo = cpu.readSys32(addr);
        int hi = cpu.readSys32(addr + 4);
        int attr = Descriptor.attr(hi);
        if (!Descriptor.isReadable(attr)) throw cpu.fault(GP, sel & 0xFFFC);   // system or execute-only
        if (!Descriptor.isConformingCode(attr)) {
            int dpl = Descriptor.dpl(attr);
            if ((sel & 3) > dpl || cpu.cpl > dpl) throw cpu.fault(GP, sel & 0xFFFC);
        }
        if (!Descriptor.present(attr)) throw cpu.fault(NP, sel & 0xFFFC);
        hi = markAccessed(cpu, addr, hi);
        loadDescriptor(cpu, seg, sel, lo, hi);
    }

    private static void loadStack(Cpu cpu, int sel) {
        if ((sel & 0xFFFC) == 0) throw cpu.fault(GP, 0);
        int addr = checkedAddress(cpu, sel, GP, 0);
        int lo = cpu.readSys32(addr);
        int hi = cpu.readSys32(addr + 4);
        int attr = Descriptor.attr(hi);
        if ((sel & 3) != cpu.cpl || Descriptor.dpl(attr) != cpu.cpl || !Descriptor.isWritableData(attr)) {
            throw cpu.fault(GP, sel & 0xFFFC);
        }
        if (!Descriptor.present(attr)) throw cpu.fault(SS_FAULT, sel & 0xFFFC);
        hi = markAccessed(cpu, addr, hi);
        loadDescriptor(cpu, Cpu.SS, sel, lo, hi);
    }

    /**
     * On a return to an outer ring, DS/ES/FS/GS that the new ring could not have loaded are
     * nulled (SDM RET/IRET "RETURN-TO-OUTER-PRIVILEGE-LEVEL") so no data leaks outward.
     */
    static void revalidateDataSegments(Cpu cpu) {
        revalidate(cpu, Cpu.ES);
        revalidate(cpu, Cpu.DS);
        revalidate(cpu, Cpu.FS);
        revalidate(cpu, Cpu.GS);
    }

    private static void revalidate(Cpu cpu, int seg) {
        int attr = cpu.segAttr[seg];
        boolean dataOrNonConforming = Descriptor.isData(attr) || Descriptor.isCode(attr) && !Descriptor.isConformingCode(attr);
        if (dataOrNonConforming && Descriptor.dpl(attr) < cpu.cpl) loadNull(cpu, seg, 0);
    }

    // ---- access checks ----

    /** Limit rule of SDM §5.3 for {@code size} bytes at {@code offset}, expand-up or expand-down. */
    static boolean withinLimit(int attr, int limit, int offset, int size) {
        long first = offset & 0xFFFFFFFFL;
        long last = first + size - 1;
        long lim = limit & 0xFFFFFFFFL;
        if (Descriptor.isExpandDown(attr)) {
            long upper = Descriptor.big(attr) ? 0xFFFFFFFFL : 0xFFFFL;
            return first > lim && last <= upper;
        }
        return last <= lim;
    }

    static void checkAccess(Cpu cpu, int seg, int offset, int size, boolean write) {
        int vector = seg == Cpu.SS ? SS_FAULT : GP;
        int attr = cpu.segAttr[seg];
        if (cpu.protectedMode() && (cpu.eflags & Cpu.VM) == 0) {
            if (!Descriptor.present(attr)) throw cpu.fault(vector, 0);        // null selector loaded
            if (write ? !Descriptor.isWritableData(attr) : !Descriptor.isReadable(attr)) throw cpu.fault(vector, 0);
        }
        if (!withinLimit(attr, cpu.segLimit[seg], offset, size)) throw cpu.fault(vector, 0);
    }
}
