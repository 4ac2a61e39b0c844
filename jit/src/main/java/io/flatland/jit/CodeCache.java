package io.flatland.jit;

import io.flatland.mmu.CodeWatch;

/**
 * Translated blocks by physical address of their first instruction: one slot array per
 * physical RAM page that holds code, plus a list of the page's blocks so a write to the
 * page (reported by the MMU's code watch) kills them all before the next instruction.
 *
 * <p>Also decides when code is hot enough to translate (a small hashed execution counter)
 * and gives up translating pages that are written again and again (code next to data).
 * Bounded: over {@link #MAX_BLOCKS} live blocks everything is dropped and translation
 * starts afresh; unreferenced hidden classes then unload.
 */
final class CodeCache implements CodeWatch.Listener {
    static final int MAX_BLOCKS = 1 << 14;
    /**
     * Default executions of an address by the interpreter before it is translated. A fresh
     * translation runs in the JVM's bytecode interpreter until HotSpot compiles it, slower than
     * the (long compiled) reference interpreter, so code that runs only some hundred times is
     * better left to the interpreter: ./flatland boot takes 0.43 s at 256 against 0.53 s at 16
     * (interp 0.33 s), the CPU suite's loops are unaffected.
     */
    static final int HOT = 256;
    /** Invalidations of a page after which its code stays interpreted. */
    static final int MAX_PAGE_INVALIDATIONS = 32;
    private static final int HEAT_BITS = 16;

    private final Block[][] slots;
    private final Block[] pageLists;
    private final byte[] pageInvalidations;
    /** Per page: how often its blocks were killed; with {@link #epoch}, what {@link #version} reports. */
    private final int[] pageKills;
    private int epoch;
    private final short[] heat = new short[1 << HEAT_BITS];
    private final int hot;
    private int live;
    public long invalidatedBlocks, flushes;

    CodeCache(int ramPages, int hot) {
        this.hot = Math.min(hot, Short.MAX_VALUE);   // counters saturate there
        slots = new Block[ramPages][];
        pageLists = new Block[ramPages];
        pageInvalidations = new byte[ramPages];
        pageKills = new int[ramPages];
    }

    /**
     * Changes whenever the blocks of {@code phys}'s page are killed (a write, a reset): a
     * translation built in the background from code read at one version is installed only
     * if the version is still the same.
     */
    long version(int phys) {
        int pn = phys >>> 12;
        return (long) epoch << 32 | (pn < pageKills.length ? pageKills[pn] : 0) & 0xFFFFFFFFL;
    }

    /** The block starting at physical {@code phys}, or null. */
    Block get(int phys) {
        int pn = phys >>> 12;
        if (pn >= slots.length) return null;
        Block[] s = slots[pn];
        return s == null ? null : s[phys & 0xFFF];
    }

    /** Counts one more execution of {@code phys}; true once it is hot and its page is worth translating. */
    boolean heat(int phys) {
        int pn = phys >>> 12;
        if (pn >= slots.length || pageInvalidations[pn] >= MAX_PAGE_INVALIDATIONS) return false;
        int h = (phys ^ (phys >>> HEAT_BITS)) & ((1 << HEAT_BITS) - 1);
        if (heat[h] < hot) {
            heat[h]++;
            return false;
        }
        return true;
    }

    void put(Block b) {
        if (live >= MAX_BLOCKS) clear();
        int pn = b.phys >>> 12;
        Block[] s = slots[pn];
        if (s == null) slots[pn] = s = new Block[4096];
        Block old = s[b.phys & 0xFFF];
        if (old != null) old.dead = true;   // an alias at another EIP; the list still holds it until the page dies
        s[b.phys & 0xFFF] = b;
        b.nextOnPage = pageLists[pn];
        pageLists[pn] = b;
        live++;
    }

    @Override
    public void codeWritten(int physPage) {
        int pn = physPage >>> 12;
        if (pn >= slots.length || pageLists[pn] == null) return;
        if (pageInvalidations[pn] < MAX_PAGE_INVALIDATIONS) pageInvalidations[pn]++;
        killPage(pn);
    }

    private void killPage(int pn) {
        pageKills[pn]++;
        for (Block b = pageLists[pn]; b != null; ) {
            Block next = b.nextOnPage;
            b.dead = true;
            b.succ0 = b.succ1 = null;   // dead blocks must not keep others (and their classes) alive
            b.nextOnPage = null;
            invalidatedBlocks++;
            live--;
            b = next;
        }
        pageLists[pn] = null;
        slots[pn] = null;
    }

    /** Drops every block (size bound, reset). */
    void clear() {
        for (int pn = 0; pn < pageLists.length; pn++) {
            if (pageLists[pn] != null) killPage(pn);
        }
        live = 0;
        epoch++;
        flushes++;
    }

    int live() { return live; }
}
