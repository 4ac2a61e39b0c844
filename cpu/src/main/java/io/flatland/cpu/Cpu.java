package io.flatland.cpu;

import io.flatland.mmu.GuestFault;
import io.flatland.cpu.IoBus;
import io.flatland.mmu.Mmu;
import io.flatland.mmu.PhysicalMemory;
import io.flatland.mmu.Tlb;

/**
 * Architectural state of one i386-class CPU, plus the fast paths of memory access that
 * both the interpreter and translated code use. Semantics of instructions live elsewhere
 * (see docs/design-notes.md decision 1); this class only holds state and reaches memory.
 *
 * <p>Shared by several authors: add fields with small edits, keep names from the SDM.
 */
public final class Cpu {
    // General registers in ModRM encoding order.
    public static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
    // Segment registers in ModRM/Sreg encoding order.
    public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    // EFLAGS bits.
    public static final int CF = 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, TF = 1 << 8,
            IF = 1 << 9, DF = 1 << 10, OF = 1 << 11, IOPL = 3 << 12, NT = 1 << 14, RF = 1 << 16,
            VM = 1 << 17, AC = 1 << 18, ID = 1 << 21;
    public static final int ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;

    public final int[] reg = new int[8];
    public int eip;

    /**
     * EFLAGS. The six arithmetic flags are valid here only after {@code Flags} materialises
     * them from the lazy record below; everything else (IF, DF, IOPL, ...) is always here.
     * Bit 1 is always set.
     */
    public int eflags = 2;
    /** Lazy-flag record: the operation that last set the arithmetic flags and its operands. */
    public int flagOp, flagResult, flagSrc, flagDst;

    // Segment registers: visible selector and hidden descriptor cache.
    public final int[] segSel = new int[6];
    public final int[] segBase = new int[6];
    public final int[] segLimit = new int[6];
    /** Descriptor attribute bits (access byte in bits 0-7, flags nibble G/D/B/AVL in bits 12-15, SDM layout of dword 2 >> 8). */
    public final int[] segAttr = new int[6];
    /**
     * True when an access through this segment needs no limit or type check: expand-up,
     * readable and writable (for data) with limit 0xFFFFFFFF. Recomputed on every load.
     */
    public final boolean[] segFlatRead = new boolean[6];
    public final boolean[] segFlatWrite = new boolean[6];
    /**
     * Changes with every change of a segment register's cached descriptor (and so of the flags
     * above and of {@link #stack32}) made through {@link Segments}: translated regions that rely
     * on flat segments re-check them only when it moved.
     */
    public long segmentEpoch;
    /** CS.D: default operand and address size is 32 bits. */
    public boolean code32;
    /** SS.B: stack pointer is ESP (32 bits) rather than SP. */
    public boolean stack32;

    public int cpl;

    // Descriptor-table registers.
    public int gdtBase, gdtLimit, idtBase, idtLimit = 0x3FF;
    public int ldtSel, ldtBase, ldtLimit;
    public int trSel, trBase, trLimit, trAttr;

    public int cr2;
    public final int[] dr = new int[8];

    /** What CPUID reports (QEMU's -cpu); set before the machine starts (the reset state's EDX comes from it). */
    public CpuModel cpuModel = CpuModel.QEMU32;

    // Model-specific registers used by kernels.
    public int sysenterCs, sysenterEsp, sysenterEip;
    /** IA32_MISC_ENABLE (0x1A0); bit 0 (fast strings) is set at reset. */
    public long miscEnable = 1;
    /** IA32_TSC_AUX (0xC0000103), whose low half RDTSCP returns in ECX; 0 at reset. */
    public long tscAux;
    /** Time-stamp counter offset: RDTSC returns virtual ns ({@link Platform#nowNs}) + tscOffset (deterministic under --icount). */
    public long tscOffset;

    /**
     * The NMI pin (a local APIC's NMI delivery mode): delivered before the next instruction
     * unless an NMI handler is still running. As on QEMU, the STI/MOV SS shadow does not hold it back.
     */
    public void raiseNmi() {
        nmiPending = true;
        if (!nmiBlocked) interruptStateChanged();
    }

    /** Something became deliverable: the engines stop at the next instruction boundary and check. */
    public void interruptStateChanged() {
        leaveBlock = true;
        if (nextEventAt > icount) nextEventAt = icount;
    }

    /** Retired instructions since reset; drives virtual time under --icount. */
    public long icount;
    /** icount at which {@link Platform#service} must run next. */
    public long nextEventAt = Long.MAX_VALUE;

    /** Set by HLT; cleared when an interrupt is delivered. */
    public boolean halted;
    /** Interrupts are inhibited for one instruction after STI, MOV SS and POP SS. */
    public boolean interruptShadow;
    /** The NMI input latched an edge that is not delivered yet (see {@link #raiseNmi}). */
    public boolean nmiPending;
    /** An NMI handler runs: further NMIs wait until the next IRET (SDM Vol. 3A §6.7.1). */
    public boolean nmiBlocked;
    /**
     * A device changed what interrupt is deliverable in the middle of an instruction (a write
     * to the local APIC's ICR, EOI or TPR register, an NMI): the interpreter ends its burst
     * after the current instruction, so the interrupt check runs at that instruction boundary,
     * as after an OUT to the 8259. (Translated code never gets there: device memory traps to
     * the interpreter, see {@link io.flatland.mmu.MmioBus#trap}.)
     */
    public boolean leaveBlock;
    /** The local APIC's MSRs (IA32_APIC_BASE, x2APIC, TSC deadline), or null when the machine has none (the base then reads 0). */
    public LocalApicMsrs apicBase;
    /** Hardware task switches so far; the run loop also uses it to see that an instruction switched tasks. */
    public long taskSwitches;

    /**
     * Breakpoints, watchpoints and single-stepping of an attached debugger, or null (the
     * normal case: the run loops then check nothing else). Changed only while no engine runs.
     */
    public DebugControl debug;

    /** {@code -d int}: every exception and interrupt delivered (null: off, the usual case). */
    public CpuLog intLog;

    /**
     * {@code -d in_asm}: each instruction decoded for execution ({@link Interpreter}, on the
     * decode-cache miss) and each region the JIT scans (null: off, the usual case).
     */
    /** {@code -d pcall}'s log while that item is on, else null: tested on far transfers only. */
    public CpuLog pcallLog;
    public CpuLog asmLog;

    /** Set by devices (or the CPU itself) to make the run loop return. */
    public volatile ExitReason exitRequest = ExitReason.NONE;
    public String exitMessage;
    /** The Java exception or error behind an {@link ExitReason#INTERNAL_ERROR} (a bug in Flatland), else null. */
    public Throwable internalError;
    /** Where the CPU ran last, for a crash report. */
    public final RecentEips recent = new RecentEips();

    /**
     * Bumped by anything that may change which code a linear EIP reaches without a TLB
     * flush (INVLPG, decoded-code invalidation); the run loop refetches its code page then.
     */
    public int codeEpoch;

    /** x87 FPU registers, status, control and pointers (see X87). */
    public final io.flatland.cpu.fpu.FpuState fpu = new io.flatland.cpu.fpu.FpuState();

    public final Mmu mmu;
    public final PhysicalMemory ram;
    public final IoBus io;
    public final GuestFault fault;
    public Platform platform;

    // Current TLB views, chosen by CPL, CR4.SMAP/SMEP and EFLAGS.AC (see updateViews).
    private int[] readTags;
    private int[] writeTags;
    /** Implicit supervisor accesses (descriptor tables, TSS). */
    private int[] sysReadTags;
    private int[] sysWriteTags;
    /** Instruction fetches: SMAP does not apply to them, SMEP does. */
    private int[] fetchTags;
    private boolean user;
    private final long[] addend;
    private final Tlb tlb;

    // Statistics.
    public final long[] exceptionsByVector = new long[32];
    public final long[] interruptsByVector = new long[256];

    public Cpu(Mmu mmu, IoBus io) {
        this.mmu = mmu;
        this.ram = mmu.ram;
        this.io = io;
        this.fault = mmu.fault;
        this.tlb = mmu.tlb;
        this.addend = tlb.addend;
        setCpl(0);
    }

    /** Changes the current privilege level and with it the TLB views memory accesses use. */
    public void setCpl(int cpl) {
        this.cpl = cpl;
        this.user = cpl == 3;
        updateViews();
    }

    /**
     * Chooses the TLB views after a change of CPL, CR4 or EFLAGS.AC (SDM Vol. 3A §4.6.1).
     * SMAP keeps supervisor data accesses off user pages while CR4.SMAP is set, unless
     * EFLAGS.AC is set at CPL 0-2; at CPL 3 the supervisor accesses are the implicit ones and
     * SMAP always applies to them (QEMU's cpu_mmu_index_kernel does the same). SMEP keeps
     * supervisor instruction fetches off user pages.
     */
    public void updateViews() {
        int cr4 = mmu.cr4();
        boolean smap = (cr4 & Mmu.CR4_SMAP) != 0 && (user || (eflags & AC) == 0);
        mmu.setSmap(smap);
        sysReadTags = smap ? tlb.smapRead : tlb.supRead;
        sysWriteTags = smap ? tlb.smapWrite : tlb.supWrite;
        readTags = user ? tlb.usrRead : sysReadTags;
        writeTags = user ? tlb.usrWrite : sysWriteTags;
        fetchTags = user ? tlb.usrRead : (cr4 & Mmu.CR4_SMEP) != 0 ? tlb.smapRead : tlb.supRead;
    }

    public boolean userMode() { return user; }

    /**
     * The read view of the TLB at the current privilege, for translated code that probes it in
     * line. The view changes only with CPL, CR4 and EFLAGS.AC ({@link #updateViews}), that is
     * only through instructions that end a translated region, so a region reads it once on entry.
     */
    public int[] readTags() { return readTags; }

    /** The write view at the current privilege (see {@link #readTags()}). */
    public int[] writeTags() { return writeTags; }

    /** Host address of each TLB entry's page, less its linear base ({@link Tlb#addend}). */
    public long[] addend() { return addend; }


    public boolean protectedMode() { return (mmu.cr0() & Mmu.CR0_PE) != 0; }

    /** Throws the machine's fault object for an exception with an error code (or -1 for none). */
    public GuestFault fault(int vector, int errorCode) {
        return fault.set(vector, errorCode, 0);
    }

    // ---- linear-address accesses at the current privilege ----

    public int readLin8(int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (readTags[i] == (lin & 0xFFFFF000)) return PhysicalMemory.getByte(addend[i] + (lin & 0xFFFFFFFFL));
        return mmu.read8Slow(lin, user);
    }

    public int readLin16(int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (readTags[i] == (lin & 0xFFFFF000) && (lin & 0xFFF) <= 0xFFE) {
            return PhysicalMemory.getShort(addend[i] + (lin & 0xFFFFFFFFL));
        }
        return mmu.read16Slow(lin, user);
    }

    public int readLin32(int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (readTags[i] == (lin & 0xFFFFF000) && (lin & 0xFFF) <= 0xFFC) {
            return PhysicalMemory.getInt(addend[i] + (lin & 0xFFFFFFFFL));
        }
        return mmu.read32Slow(lin, user);
    }

    public void writeLin8(int lin, int v) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (writeTags[i] == (lin & 0xFFFFF000)) { PhysicalMemory.putByte(addend[i] + (lin & 0xFFFFFFFFL), v); return; }
        mmu.write8Slow(lin, v, user);
    }

    public void writeLin16(int lin, int v) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (writeTags[i] == (lin & 0xFFFFF000) && (lin & 0xFFF) <= 0xFFE) {
            PhysicalMemory.putShort(addend[i] + (lin & 0xFFFFFFFFL), v);
            return;
        }
        mmu.write16Slow(lin, v, user);
    }

    public void writeLin32(int lin, int v) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (writeTags[i] == (lin & 0xFFFFF000) && (lin & 0xFFF) <= 0xFFC) {
            PhysicalMemory.putInt(addend[i] + (lin & 0xFFFFFFFFL), v);
            return;
        }
        mmu.write32Slow(lin, v, user);
    }

    /**
     * Makes sure a store of {@code size} bytes at {@code lin} cannot fault, so a
     * read-modify-write instruction can commit flags before it stores (precise faults).
     */
    public void probeWrite(int lin, int size) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (writeTags[i] == (lin & 0xFFFFF000) && (lin & 0xFFF) <= 0x1000 - size) return;
        mmu.checkWritable(lin, size, user);
    }

    /** An instruction byte at the current privilege (SMEP applies, SMAP does not). */
    public int fetchLin8(int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (fetchTags[i] == (lin & 0xFFFFF000)) return PhysicalMemory.getByte(addend[i] + (lin & 0xFFFFFFFFL));
        return mmu.fetch8Slow(lin, user);
    }

    /** TLB slot of {@code lin} if an instruction fetch at the current privilege hits, else -1. */
    public int fetchSlot(int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        return fetchTags[i] == (lin & 0xFFFFF000) ? i : -1;
    }

    /** TLB slot of {@code lin} if the read view at the current privilege hits, else -1. */
    public int readSlot(int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        return readTags[i] == (lin & 0xFFFFF000) ? i : -1;
    }

    /** TLB slot of {@code lin} if the write view at the current privilege hits, else -1. */
    public int writeSlot(int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        return writeTags[i] == (lin & 0xFFFFF000) ? i : -1;
    }

    // ---- implicit supervisor accesses (GDT, IDT, LDT, TSS), whatever the CPL ----

    // They use the TLB's supervisor views like any access (a descriptor load is no reason for
    // a page walk: a microkernel reloads segment registers on every trap and return), the
    // SMAP views while SMAP applies to them.

    public int readSys8(int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (sysReadTags[i] == (lin & 0xFFFFF000)) return PhysicalMemory.getByte(addend[i] + (lin & 0xFFFFFFFFL));
        return mmu.read8Slow(lin, false);
    }

    public int readSys16(int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (sysReadTags[i] == (lin & 0xFFFFF000) && (lin & 0xFFF) <= 0xFFE) {
            return PhysicalMemory.getShort(addend[i] + (lin & 0xFFFFFFFFL));
        }
        return mmu.read16Slow(lin, false);
    }

    public int readSys32(int lin) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (sysReadTags[i] == (lin & 0xFFFFF000) && (lin & 0xFFF) <= 0xFFC) {
            return PhysicalMemory.getInt(addend[i] + (lin & 0xFFFFFFFFL));
        }
        return mmu.read32Slow(lin, false);
    }

    public void writeSys8(int lin, int v) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (sysWriteTags[i] == (lin & 0xFFFFF000)) { PhysicalMemory.putByte(addend[i] + (lin & 0xFFFFFFFFL), v); return; }
        mmu.write8Slow(lin, v, false);
    }

    public void writeSys16(int lin, int v) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (sysWriteTags[i] == (lin & 0xFFFFF000) && (lin & 0xFFF) <= 0xFFE) {
            PhysicalMemory.putShort(addend[i] + (lin & 0xFFFFFFFFL), v);
            return;
        }
        mmu.write16Slow(lin, v, false);
    }

    public void writeSys32(int lin, int v) {
        int i = (lin >>> 12) & Tlb.MASK;
        if (sysWriteTags[i] == (lin & 0xFFFFF000) && (lin & 0xFFF) <= 0xFFC) {
            PhysicalMemory.putInt(addend[i] + (lin & 0xFFFFFFFFL), v);
            return;
        }
        mmu.write32Slow(lin, v, false);
    }
}
