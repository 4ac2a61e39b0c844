package io.flatland.jit;

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

    public Interpreter(Cpu cpu) {
        this.cpu = cpu;
        this.tlb = cpu.mmu.tlb;
        this.cache = new DecodeCache(cpu);
    }

    public DecodeCache decodeCache() { return cache; }

    /** Runs at most {@code maxInstructions} instructions (a REP chunk counts as one). */
    public ExitReason run(Cpu cpu, long maxInstructions) {
        if (cpu != this.cpu) throw new IllegalArgumentException("interpreter belongs to another CPU");
        Platform platform = cpu.platform;
        long end = cpu.icount + maxInstructions;
        try {
            for (;;) {
                if (cpu.icount >= end) return ExitReason.BUDGET;
                if (cpu.icount >= cpu.nextEventAt) platform.service(cpu);
                ExitReason req = cpu.exitRequest;
                if (req != ExitReason.NONE) {
                    cpu.exitRequest = ExitReason.NONE;
                    return req;
                }
                if ((cpu.eflags & Cpu.IF) != 0 && !cpu.interruptShadow && platform.interruptPending()) {
                    int vector = platform.acknowledgeInterrupt() & 0xFF;
                    cpu.interruptsByVector[vector]++;
                    cpu.halted = false;
                    try {
                        SystemOps.deliverExternalInterrupt(cpu, vector);
                    } catch (GuestFault f) {
                        if (!deliver(f)) return ExitReason.TRIPLE_FAULT;
                    }
                    continue;
                }
                if (cpu.halted) {
                    // Only an NMI or reset could wake a CPU halted with IF=0; we model neither.
                    if ((cpu.eflags & Cpu.IF) == 0 || !platform.idle(cpu)) return ExitReason.HALTED_FOREVER;
                    continue;
                }
                cpu.interruptShadow = false;
                int start = cpu.eip;
                try {
                    Insn in = fetch(start);
                    boolean step = SingleStep.armed(cpu);
                    long switches = cpu.taskSwitches;
                    Exec.execute(cpu, in);
                    cpu.icount++;
                    if (step) SingleStep.afterInstruction(cpu, in, start, switches);
                } catch (GuestFault f) {
                    cpu.eip = start;
                    if (!deliver(f)) return ExitReason.TRIPLE_FAULT;
                }
            }
        } catch (UnsupportedOperationException e) {
            cpu.exitMessage = e.getMessage();
            return ExitReason.UNIMPLEMENTED;
        } catch (RuntimeException e) {
            cpu.exitMessage = "internal error at " + Integer.toHexString(cpu.eip) + ": " + e;
            return ExitReason.UNIMPLEMENTED;
        }
    }

    /** Delivers a fault; false if delivery itself faulted (SystemOps handles #DF, so that is a shutdown). */
    public boolean deliver(GuestFault f) {
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
        int slot = c.readSlot(lin);
        if (slot < 0) {
            c.readLin8(lin);            // fills the TLB, or raises #PF for the fetch
            slot = c.readSlot(lin);
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
            if (off + scratch.len > 0x1000) return scratch;   // straddles a page: never cached
        }
        Insn in = new Insn();
        Decoder.decode(cpu, lin, in);
        codePage[off] = in;
        return in;
    }
}
