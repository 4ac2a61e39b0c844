package io.flatland.jit;

import io.flatland.mmu.CodeWatch;

/**
 * Translated blocks by physical address of their first instruction: one slot array per
 * physical RAM page that holds code, plus a list of the page's blocks (those that start there
 * and those that continue there from the page before) so a write to the page (reported by the
 * MMU's code watch) kills them all before the next instruction.
 *
 * <p>Also gives up translating pages that are written again and again (code next to data).
 * Bounded: over {@link #MAX_BLOCKS} live blocks everything is dropped and translation
 * starts afresh; unreferenced hidden classes then unload.
 */
final class CodeCache implements CodeWatch.Listener {
    static final int MAX_BLOCKS = 1 << 12;
    /** Invalidations of a page after which its code stays interpreted. */
    static final int MAX_PAGE_INVALIDATIONS = 32;

    private final Block[][] slots;
    private final Block[] pageLists;
    private final byte[] pageInvalidations;
    /** Per page: how often its blocks were killed; with {@link #epoch}, what {@link #version} reports. */
    private final int[] pageKills;
    private int epoch;
    private int live;
    public long invalidatedBlocks, flushes;

    CodeCache(int ramPages) {
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

    /** Whether code on {@code phys}'s page is still worth translating (it is not rewritten again and again). */
    boolean translatable(int phys) {
        int pn = phys >>> 12;
        return pn < slots.length && pageInvalidations[pn] < MAX_PAGE_INVALIDATIONS;
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
        if (b.phys2 >= 0 && b.phys2 >>> 12 != pn && b.phys2 >>> 12 < slots.length) {
            // Code on the next page too: a write there kills the block as well.
            int pn2 = b.phys2 >>> 12;
            b.nextOnPage2 = pageLists[pn2];
            pageLists[pn2] = b;
        }
        live++;
    }

    @Override
    public void codeWritten(int physPage) {
        int pn = physPage >>> 12;
        if (pn >= slots.length) return;
        // The version changes even with no block on the page yet: a translation of it may be on its way.
        pageKills[pn]++;
        if (pageInvalidations[pn] < MAX_PAGE_INVALIDATIONS) pageInvalidations[pn]++;
        if (pageLists[pn] != null) killPage(pn);
    }

    private void killPage(int pn) {
        pageKills[pn]++;
        for (Block b = pageLists[pn]; b != null; ) {
            // A block is on the list of its entry's page and, if it spans two, of the second one's.
            boolean first = b.phys >>> 12 == pn;
            Block next = first ? b.nextOnPage : b.nextOnPage2;
            if (first) b.nextOnPage = null;
            else b.nextOnPage2 = null;
            b.dead = true;
            b.succ0 = b.succ1 = null;   // dead blocks must not keep others (and their classes) alive
            if (!b.killed) {
                b.killed = true;
                invalidatedBlocks++;
                live--;
            }
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

}
