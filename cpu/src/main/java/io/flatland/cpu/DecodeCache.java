package io.flatland.cpu;

import io.flatland.mmu.CodeWatch;

/**
 * Decoded instructions by physical address: one array of 4096 slots per physical RAM page,
 * created when code is first fetched from the page. The page is then write-watched; a
 * guest store to it drops the array before the next instruction runs and bumps
 * {@link Cpu#codeEpoch} so the run loop lets go of its reference too.
 */
public final class DecodeCache implements CodeWatch.Listener {
    private final Cpu cpu;
    private final Insn[][] pages;
    public long invalidations;

    public DecodeCache(Cpu cpu) {
        this.cpu = cpu;
        this.pages = new Insn[cpu.ram.pages()][];
        cpu.mmu.codeWatch.setListener(this);
    }

    /** The decoded-instruction array of a RAM page, watching the page for writes. */
    public Insn[] page(int physPage) {
        int pn = physPage >>> 12;
        Insn[] p = pages[pn];
        if (p == null) {
            p = new Insn[4096];
            pages[pn] = p;
        }
        // Watching is idempotent; it also re-arms a page whose watch fired earlier.
        cpu.mmu.watchCode(physPage & 0xFFFFF000);
        return p;
    }

    @Override
    public void codeWritten(int physPage) {
        int pn = physPage >>> 12;
        if (pn < pages.length && pages[pn] != null) {
            pages[pn] = null;
            invalidations++;
        }
        cpu.codeEpoch++;
    }

    /** Drops everything (reset). */
    public void clear() {
        java.util.Arrays.fill(pages, null);
        cpu.codeEpoch++;
    }
}
