package io.flatland.mmu;

import java.util.Arrays;

/**
 * Software TLB: a direct-mapped cache of 4 KiB linear pages that are backed by RAM.
 *
 * <p>The fast path of a load is {@code i = (lin >>> 12) & MASK; if (tags[i] == (lin & ~0xFFF))
 * value = PhysicalMemory.getInt(addend[i] + (lin & 0xFFFFFFFFL))}. There are six tag arrays,
 * one per (privilege, access) view: an entry is present in a view only if that access is
 * allowed without a page walk, i.e. the permission checks passed and, for writes, the
 * Dirty bit is already set and the page holds no translated code. A tag of 1 never
 * matches (page bases are 4 KiB aligned), so invalid is one store.
 *
 * <p>The {@code smap*} views are the supervisor views without user pages: the CPU reads and
 * writes through them while SMAP applies (CR4.SMAP=1 and EFLAGS.AC=0), and fetches through
 * {@link #smapRead} while SMEP does, so that no TLB hit can skip those checks. They are
 * filled with every entry, so turning SMAP or AC on and off needs no flush.
 *
 * <p>Entries are 4 KiB even under 4 MiB pages; {@link #largeEntries} remembers whether any
 * exist so that INVLPG can drop all pieces of a large page.
 */
public final class Tlb {
    public static final int BITS = 12;
    public static final int SIZE = 1 << BITS;
    public static final int MASK = SIZE - 1;
    public static final int INVALID = 1;

    public final int[] supRead = new int[SIZE];
    public final int[] supWrite = new int[SIZE];
    public final int[] usrRead = new int[SIZE];
    public final int[] usrWrite = new int[SIZE];
    public final int[] smapRead = new int[SIZE];
    public final int[] smapWrite = new int[SIZE];
    /** host address = addend[i] + (lin & 0xFFFFFFFFL) */
    public final long[] addend = new long[SIZE];
    /** Physical page base of each entry (for the decode cache and SMC). */
    public final int[] phys = new int[SIZE];
    private final boolean[] global = new boolean[SIZE];
    /** 4 MiB page base of an entry that came from a large page, else INVALID. */
    private final int[] largeBase = new int[SIZE];
    private int largeEntries;
    /**
     * Slots that may hold a valid entry, so a CR3 load clears only those instead of the
     * whole table: a microkernel reloads CR3 on nearly every IPC.
     */
    private final int[] live = new int[SIZE];
    private final boolean[] isLive = new boolean[SIZE];
    private int liveCount;

    // Statistics (slow-path side only; the fast path stays free of counters).
    public long misses;
    public long flushes;

    public Tlb() {
        flushAll(true);
    }

    public static int slot(int lin) {
        return (lin >>> 12) & MASK;
    }

    /**
     * Installs the translation of one linear page. The views allowed are passed as flags:
     * bit 0 supervisor read, 1 supervisor write, 2 user read, 3 user write, 4 and 5 supervisor
     * read and write of a supervisor page (the SMAP views).
     */
    public void fill(int linPage, int physPage, long hostPage, int views, boolean isGlobal, boolean large) {
        int i = slot(linPage);
        if (!isLive[i]) {
            isLive[i] = true;
            live[liveCount++] = i;
        }
        supRead[i] = (views & 1) != 0 ? linPage : INVALID;
        supWrite[i] = (views & 2) != 0 ? linPage : INVALID;
        usrRead[i] = (views & 4) != 0 ? linPage : INVALID;
        usrWrite[i] = (views & 8) != 0 ? linPage : INVALID;
        smapRead[i] = (views & 16) != 0 ? linPage : INVALID;
        smapWrite[i] = (views & 32) != 0 ? linPage : INVALID;
        addend[i] = hostPage - (linPage & 0xFFFFFFFFL);
        phys[i] = physPage;
        global[i] = isGlobal;
        if (large) {
            largeBase[i] = linPage & 0xFFC00000;
            largeEntries++;
        } else {
            largeBase[i] = INVALID;
        }
    }

    private void clear(int i) {
        supRead[i] = INVALID;
        supWrite[i] = INVALID;
        usrRead[i] = INVALID;
        usrWrite[i] = INVALID;
        smapRead[i] = INVALID;
        smapWrite[i] = INVALID;
        global[i] = false;
        largeBase[i] = INVALID;
    }

    /** CR3 load: drops everything but global entries (or everything, for CR0/CR4 changes). */
    public void flushAll(boolean includingGlobal) {
        flushes++;
        if (includingGlobal) {
            Arrays.fill(supRead, INVALID);
            Arrays.fill(supWrite, INVALID);
            Arrays.fill(usrRead, INVALID);
            Arrays.fill(usrWrite, INVALID);
            Arrays.fill(smapRead, INVALID);
            Arrays.fill(smapWrite, INVALID);
            Arrays.fill(global, false);
            Arrays.fill(largeBase, INVALID);
            Arrays.fill(isLive, false);
            largeEntries = 0;
            liveCount = 0;
            return;
        }
        int large = 0;
        int kept = 0;
        for (int k = 0; k < liveCount; k++) {
            int i = live[k];
            if (global[i]) {
                live[kept++] = i;
                if (largeBase[i] != INVALID) large++;
            } else {
                clear(i);
                isLive[i] = false;
            }
        }
        liveCount = kept;
        largeEntries = large;
    }

    /** INVLPG: drops the page holding {@code lin}, global or not, and all of a large page. */
    public void invalidatePage(int lin) {
        int page = lin & 0xFFFFF000;
        int i = slot(lin);
        // The SMAP views hold nothing the supervisor views do not.
        if (supRead[i] == page || supWrite[i] == page || usrRead[i] == page || usrWrite[i] == page) clear(i);
        if (largeEntries > 0) {
            int base = lin & 0xFFC00000;
            for (int j = 0; j < SIZE; j++) {
                if (largeBase[j] == base) clear(j);
            }
        }
    }

    /** Drops the write views of every entry that maps {@code physPage} (it now holds code). */
    public void revokeWrites(int physPage) {
        int page = physPage & 0xFFFFF000;
        for (int i = 0; i < SIZE; i++) {
            if (phys[i] == page) {
                supWrite[i] = INVALID;
                usrWrite[i] = INVALID;
                smapWrite[i] = INVALID;
            }
        }
    }
}
