package io.flatland.cpu;

import io.flatland.mmu.GuestFault;
import io.flatland.mmu.Tlb;

/**
 * The reference execution loop: interrupts and device time between instructions, then
 * fetch (from the decoded-instruction cache), execute, retire. Faults roll EIP back to the
 * faulting instruction and are delivered through {@link SystemOps#deliverException}.
 *
 * <p>The fetch fast path keeps the decoded array of the current code page and its linear
 * base; while the TLB has not been flushed, the CPL and CS base are unchanged and no code
 * page was written ({@link Cpu#codeEpoch}), fetching is an array index.
 */
public final class Interpreter {
    private static final int NO_PAGE = 1;   // never a page base

    private final Cpu cpu;
    private final Tlb tlb;
    private final DecodeCache cache;
    private final Insn scratch = new Insn();

    private Insn[] codePage;
    private int codeLinPage = NO_PAGE;
    private int seenEpoch, seenCpl, seenCsBase;
    private long seenFlushes;
    /** EIP of the instruction executing now: where a fault rolls back to. */
    private int insnStart;

    public Interpreter(Cpu cpu) {
        this.cpu = cpu;
        this.tlb = cpu.mmu.tlb;
        this.cache = new DecodeCache(cpu);
    }

    public DecodeCache decodeCache() { return cache; }

    /**
     * While {@link #runUntilEntry} runs: count in {@link Insn#heat} the instructions run from
     * each block entry on, and stop in front of an entry that has a translation or has become
     * hot ({@link #hot} instructions run from it).
     */
    private boolean entries;
    private int hot;
    /** The next instruction begins a basic block (after a control transfer, a non-simple instruction, or a delivery). */
    private boolean atEntry;
    /** False until the first instruction of a {@link #runUntilEntry} call has run: only heat stops there ({@link #stopAt}). */
    private boolean mayStop;
    /** Where {@link #runUntilEntry} stopped (null: it stopped for another reason), and where the call before stopped. */
    private Insn stoppedAt, previousStop;
    /** The block entry the instructions now running are counted for, and the count when it began. */
    private Insn counted;
    private long countedFrom;

    /**
     * Runs like {@link #run}, for the JIT's dispatcher: interprets cold code at full speed and
     * returns {@link ExitReason#BUDGET} in front of a basic block that has a translation
     * ({@link Insn#entry}) or from which {@code hot} instructions have now run
     * ({@link Insn#heat} counts them: what translating the code there would pay back);
     * {@link #stoppedAt} tells which. The instruction at CS:EIP when it is
     * called always runs (the dispatcher calls it where it could not run a translation). An
     * entry stays hot (it stops there each time) until the dispatcher changes its heat.
     */
    public ExitReason runUntilEntry(Cpu cpu, long maxInstructions, int hot) {
        entries = true;
        this.hot = hot;
        atEntry = true;
        mayStop = false;
        previousStop = stoppedAt;
        stoppedAt = null;
        counted = null;
        try {
            return run(cpu, maxInstructions);
        } finally {
            entries = false;
            credit();
        }
    }

    /**
     * Set from another thread when a translation has landed: {@link #runUntilEntry} returns at
     * its next check (at most a burst later) so that the dispatcher installs it. Without this a
     * hot loop whose entry was already requested never stopped the interpreter again, and its
     * translation waited for the end of the engine's slice (up to 16 M instructions).
     */
    private volatile boolean returnSoon;

    /** Asks a running {@link #runUntilEntry} to return soon (any thread). */
    public void requestReturn() { returnSoon = true; }

    /** The block entry where the last {@link #runUntilEntry} stopped, or null. */
    public Insn stoppedAt() { return stoppedAt; }

    /**
     * At a block entry in {@link #runUntilEntry}: counts it, and says whether to stop in front
     * of it: it has a translation, or it is hot. A translation never stops the first
     * instruction of a call: the dispatcher called because it could not run it (an event due,
     * no room), and stopping again would make no progress. Heat does: the dispatcher often
     * calls the interpreter at code no branch leads to (where a region ended because it was
     * full, or before an instruction only the interpreter runs), so the interpreter never
     * reaches it as a block entry of its own, and only here can it become hot (the dispatcher
     * then asks for its translation and changes its heat, so the next call runs it; if it
     * did not act on the stop, the next call runs it anyway: progress). A straddling or non-RAM
     * instruction (the scratch one) is never a stop.
     */
    private boolean stopAt(Insn in) {
        atEntry = false;
        if (!entries) return false;
        credit();
        if (in == scratch) return false;
        if (in.entry != null ? mayStop : in.heat >= hot && (mayStop || in != previousStop)) {
            stoppedAt = in;
            return true;
        }
        counted = in;
        // Where a call begins, the entry is also charged the call itself (see CALL_HEAT).
        countedFrom = mayStop ? cpu.icount : cpu.icount - CALL_HEAT;
        return false;
    }

    /**
     * Heat charged to the entry where a {@link #runUntilEntry} call begins, on top of the
     * instructions run from it: what the dispatcher's round trip through the interpreter costs,
     * in interpreted instructions. Code reached only from the ends of translated regions is
     * called this way every time, and its own basic block is often a few instructions long:
     * counted by instructions alone it became hot hundreds of thousands of calls late (lz's
     * 0x100495 after 460 k calls of about 15 instructions in all, 2 of them its own).
     */
    static final int CALL_HEAT = 16;

    /** Adds the instructions run since the counted entry began to its heat. */
    private void credit() {
        Insn c = counted;
        if (c != null) {
            long n = cpu.icount - countedFrom;
            if (c.heat >= 0) c.heat = (int) Math.min(Integer.MAX_VALUE, c.heat + n);
            counted = null;
        }
    }

    /** Runs at most {@code maxInstructions} instructions (a REP chunk counts as one). */
    public ExitReason run(Cpu cpu, long maxInstructions) {
        if (cpu != this.cpu) throw new IllegalArgumentException("interpreter belongs to another CPU");
        Platform platform = cpu.platform;
        long end = cpu.icount + maxInstructions;
        // A debugger's breakpoints, watchpoints or step (null almost always): it only changes
        // while no engine runs, so one read here serves the whole call.
        DebugControl dbg = cpu.debug;
        if (dbg != null) {
            dbg.stop = DebugControl.Stop.NONE;
            atEntry = true;            // for -d exec: a run begins where the last one stopped, as a block
        }
        try {
            for (;;) {
                if (cpu.icount >= end) return ExitReason.BUDGET;
                insnStart = cpu.eip;           // where an internal error in device time or delivery is reported
                if (cpu.icount >= cpu.nextEventAt) platform.service(cpu);
                ExitReason req = cpu.exitRequest;
                if (req != ExitReason.NONE) {
                    cpu.exitRequest = ExitReason.NONE;
                    return req;
                }
                if (entries && returnSoon) {
                    returnSoon = false;
                    return ExitReason.BUDGET;
                }
                if (dbg == null || !dbg.stepping) {
                    // An NMI first: not masked by IF (nor, as on QEMU, by the STI/MOV SS shadow); it
                    // blocks further NMIs until the handler's IRET. Then INTR, which IF and the shadow hold back.
                    int vector = -1;
                    if (cpu.nmiPending && !cpu.nmiBlocked) {
                        cpu.nmiPending = false;
                        cpu.nmiBlocked = true;
                        vector = 2;
                    } else if ((cpu.eflags & Cpu.IF) != 0 && !cpu.interruptShadow && platform.interruptPending()) {
                        vector = platform.acknowledgeInterrupt() & 0xFF;
                    }
                    if (vector >= 0) {
                        cpu.interruptsByVector[vector]++;
                        cpu.halted = false;
                        try {
                            SystemOps.deliverExternalInterrupt(cpu, vector);
                        } catch (GuestFault f) {
                            if (!deliver(f)) return ExitReason.TRIPLE_FAULT;
                        }
                        atEntry = true;
                        continue;
                    }
                }
                if (cpu.halted) {
                    // A step takes no interrupt, so it cannot leave HLT: it ends where it is.
                    if (dbg != null && dbg.stepping) {
                        dbg.stop = DebugControl.Stop.STEP;
                        return ExitReason.DEBUG;
                    }
                    // With IF=0 only an NMI or a reset could wake the CPU; a pending NMI was delivered
                    // above, and no device raises one later (the APIC's only come from its own
                    // register writes, which a halted CPU cannot make; LVTs in NMI mode are not waited for).
                    if ((cpu.eflags & Cpu.IF) == 0 || !platform.idle(cpu)) return ExitReason.HALTED_FOREVER;
                    continue;
                }
                int start = cpu.eip;
                insnStart = start;
                cpu.recent.record(start, cpu.icount, RecentEips.INTERPRETED);
                if (dbg != null && dbg.breakpointAt(cpu, start, atEntry)) return ExitReason.DEBUG;
                try {
                    Insn in = fetch(start);
                    // A stop changes nothing: an STI/MOV SS shadow still covers this instruction.
                    if (atEntry && stopAt(in)) return ExitReason.BUDGET;
                    cpu.interruptShadow = false;
                    boolean step = SingleStep.armed(cpu);
                    long switches = cpu.taskSwitches;
                    if (dbg != null) dbg.beforeExecute();
                    Exec.execute(cpu, in);
                    cpu.icount++;
                    mayStop = true;
                    if (step) {
                        SingleStep.afterInstruction(cpu, in, start, switches);
                        atEntry = true;
                    } else if (ENDS_BLOCK[in.op]) {
                        atEntry = true;
                    } else if (dbg != null) {
                        // no bursts: every instruction comes back here to be checked
                    } else if (SIMPLE[in.op] && ((cpu.eflags & Cpu.IF) == 0 || !platform.interruptPending())) {
                        // An interrupt held back by an STI/MOV SS shadow for this one
                        // instruction is due now: the outer loop must see it first.
                        if (burst(Math.min(end, cpu.nextEventAt))) return ExitReason.BUDGET;
                    }
                    if (dbg != null && dbg.afterExecute()) return ExitReason.DEBUG;
                } catch (GuestFault f) {
                    cpu.interruptShadow = false;
                    cpu.eip = insnStart;       // the faulting instruction, also inside a burst
                    if (!deliver(f)) return ExitReason.TRIPLE_FAULT;
                    atEntry = true;
                    if (dbg != null && dbg.afterFault()) return ExitReason.DEBUG;
                }
            }
        } catch (UnimplementedFeature e) {
            cpu.exitMessage = e.getMessage();
            return ExitReason.UNIMPLEMENTED;
        } catch (RuntimeException | Error e) {
            // A bug, not a missing feature: StackOverflowError and OutOfMemoryError included
            // (the frames and objects of the failed instruction are gone by now, so there is
            // room to report it). EIP goes back to the instruction that was executing.
            return internalError(e);
        }
    }

    private ExitReason internalError(Throwable e) {
        cpu.eip = insnStart;
        cpu.internalError = e;
        cpu.exitMessage = null;
        return ExitReason.INTERNAL_ERROR;
    }

    /** Longest burst, so that a stop requested from another thread is seen promptly. */
    private static final int BURST = 1 << 16;

    /** {@link OpInfo#simple} and {@link OpInfo#endsBlock} by operation, as arrays for the hot loop. */
    private static final boolean[] SIMPLE = new boolean[256];
    private static final boolean[] ENDS_BLOCK = new boolean[256];
    static {
        for (int op = 0; op < 256; op++) {
            SIMPLE[op] = OpInfo.simple(op);
            ENDS_BLOCK[op] = OpInfo.endsBlock(op);
        }
    }

    /**
     * Runs simple instructions back to back until one that is not simple has executed, the
     * limit (budget end or next device event) is reached, or BURST instructions ran. Faults
     * propagate to the caller, which rolls EIP back exactly as for a single step; the
     * instruction count is exact because it is bumped only after an instruction completes.
     * Returns true when it stopped in front of a block entry ({@link #runUntilEntry}).
     */
    private boolean burst(long limit) {
        Cpu c = cpu;
        long stop = Math.min(limit, c.icount + BURST);
        // Simple instructions cannot flush the TLB or change CPL, CS or the code size, so
        // inside a burst only the page and a store into code (codeEpoch) can make the
        // current decoded page stale.
        int csBase = c.segBase[Cpu.CS], csLimit = c.segLimit[Cpu.CS];
        boolean code32 = c.code32;
        c.leaveBlock = false;
        while (c.icount < stop) {
            int start = c.eip;
            insnStart = start;
            int lin = csBase + start;
            Insn in;
            if ((lin & 0xFFFFF000) == codeLinPage && c.codeEpoch == seenEpoch
                    && Integer.compareUnsigned(start, csLimit) <= 0
                    && (in = codePage[lin & 0xFFF]) != null && in.code32 == code32) {
                // fast: the decoded instruction of this page and code size
            } else {
                in = fetch(start);
            }
            if (atEntry && stopAt(in)) return true;
            Exec.execute(c, in);
            c.icount++;
            if (ENDS_BLOCK[in.op]) {
                atEntry = true;
                if (!SIMPLE[in.op]) return false;
            }
            if (c.leaveBlock) {
                // A device made an interrupt deliverable (an APIC register write): the outer loop checks now.
                atEntry = true;
                return false;
            }
        }
        return false;
    }

    /** Delivers a fault; false if delivery itself faulted (SystemOps handles #DF, so that is a shutdown). */
    public boolean deliver(GuestFault f) {
        // A missing feature (InterruptDelivery.unsupported) aborts its instruction with a fault
        // only to stop it: the run ends in front of it, and delivering that fault (which may
        // shut the machine down and hide the reason) would report the wrong thing.
        if (cpu.exitRequest == ExitReason.UNIMPLEMENTED) return true;
        int vector = f.vector, error = f.errorCode, address = f.address;
        if (vector >= 0 && vector < cpu.exceptionsByVector.length) cpu.exceptionsByVector[vector]++;
        try {
            SystemOps.deliverException(cpu, vector, error, address);
            return true;
        } catch (GuestFault again) {
            return false;
        }
    }

    /** The decoded instruction at CS:{@code eip}. */
    Insn fetch(int eip) {
        Cpu c = cpu;
        if (Integer.compareUnsigned(eip, c.segLimit[Cpu.CS]) > 0) throw c.fault(13, 0);
        int lin = c.segBase[Cpu.CS] + eip;
        if ((lin & 0xFFFFF000) != codeLinPage || c.codeEpoch != seenEpoch || tlb.flushes != seenFlushes
                || c.cpl != seenCpl || c.segBase[Cpu.CS] != seenCsBase) {
            if (!enterPage(lin)) {
                Decoder.decode(c, lin, scratch);   // not RAM (ROM/MMIO): decode every time
                if (c.asmLog != null) c.asmLog.decoded(c, eip, scratch);
                return scratch;
            }
        }
        int off = lin & 0xFFF;
        Insn in = codePage[off];
        if (in != null && in.code32 == c.code32) return in;
        return decodeInto(lin, off);
    }

    private boolean enterPage(int lin) {
        Cpu c = cpu;
        codeLinPage = NO_PAGE;
        int slot = c.fetchSlot(lin);
        if (slot < 0) {
            c.fetchLin8(lin);           // fills the TLB, or raises #PF for the fetch
            slot = c.fetchSlot(lin);
            if (slot < 0) return false;
        }
        codePage = cache.page(tlb.phys[slot]);
        codeLinPage = lin & 0xFFFFF000;
        seenEpoch = c.codeEpoch;
        seenFlushes = tlb.flushes;
        seenCpl = c.cpl;
        seenCsBase = c.segBase[Cpu.CS];
        return true;
    }

    private Insn decodeInto(int lin, int off) {
        if (off > 0x1000 - Decoder.MAX_LENGTH) {
            Decoder.decode(cpu, lin, scratch);
            if (off + scratch.len > 0x1000) {   // straddles a page: never cached
                if (cpu.asmLog != null) cpu.asmLog.decoded(cpu, lin - cpu.segBase[Cpu.CS], scratch);
                return scratch;
            }
        }
        Insn in = new Insn();
        Decoder.decode(cpu, lin, in);
        codePage[off] = in;
        if (cpu.asmLog != null) cpu.asmLog.decoded(cpu, lin - cpu.segBase[Cpu.CS], in);
        return in;
    }
}
