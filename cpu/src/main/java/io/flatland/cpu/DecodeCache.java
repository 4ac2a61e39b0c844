package io.flatland.cpu;

import io.flatland.mmu.CodeWatch;

/**
 * Decoded instructions by physical address: one array of 4096 slots per physical RAM page,
 * created when code is first fetched from the page. The page is then write-watched; a
 * guest store to it drops the array before the next instruction runs and bumps
 * {@link Cpu#codeEpoch} so the run loop lets go of its reference too.
 *
 * <p>Bounded: a guest that runs through memory as code (or just has a lot of it) must not
 * take the host's memory. Past {@link #MAX_PAGES} pages with decoded code everything is
 * dropped and decoding starts afresh.
 */
public final class DecodeCache implements CodeWatch.Listener {
    private final Cpu cpu;
    /** Pages with decoded code kept at most: 8 MiB of code, about 200 MB of decoded instructions at worst. */
    public static final int MAX_PAGES = 2048;

    private final Insn[][] pages;
    private int live;
    public long invalidations, flushes;

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
            if (live >= MAX_PAGES) {
                clear();
                flushes++;
            }
            p = new Insn[4096];
            pages[pn] = p;
            live++;
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
            live--;
            invalidations++;
        }
        cpu.codeEpoch++;
    }

    /** Drops everything (reset, or the bound). */
    public void clear() {
        java.util.Arrays.fill(pages, null);
        live = 0;
        cpu.codeEpoch++;
    }

    /** Pages that hold decoded code now. */
    public int livePages() { return live; }
}
