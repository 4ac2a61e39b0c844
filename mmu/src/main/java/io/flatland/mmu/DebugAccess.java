package io.flatland.mmu;

/**
 * Guest memory as a debugger sees it: linear addresses translated through the guest's current
 * paging without side effects (no Accessed/Dirty bits, no TLB fill, no protection check, no
 * #PF), as QEMU's gdb stub does. An unmapped byte ends the access, and the caller replies with
 * an error instead of the guest seeing a fault.
 */
public final class DebugAccess {
    private final Mmu mmu;

    public DebugAccess(Mmu mmu) { this.mmu = mmu; }

    /** The physical address of {@code lin}, or -1 (as a long) when it is not mapped. */
    public long translate(int lin) {
        if (!mmu.pagingEnabled()) return (lin & mmu.a20Mask()) & 0xFFFFFFFFL;
        int a20 = mmu.a20Mask();
        int pde = mmu.ram.read32(((mmu.cr3() & 0xFFFFF000) | ((lin >>> 22) << 2)) & a20);
        if ((pde & PageWalker.P) == 0) return -1;
        if ((pde & PageWalker.PS) != 0 && (mmu.cr4() & Mmu.CR4_PSE) != 0) {
            return (((pde & 0xFFC00000) | (lin & 0x003FFFFF)) & a20) & 0xFFFFFFFFL;
        }
        int pte = mmu.ram.read32(((pde & 0xFFFFF000) | (((lin >>> 12) & 0x3FF) << 2)) & a20);
        if ((pte & PageWalker.P) == 0) return -1;
        return (((pte & 0xFFFFF000) | (lin & 0xFFF)) & a20) & 0xFFFFFFFFL;
    }

    /** Reads {@code len} bytes from {@code lin}; returns how many were mapped (the rest is left alone). */
    public int read(int lin, byte[] into, int len) {
        for (int k = 0; k < len; k++) {
            long pa = translate(lin + k);
            if (pa < 0) return k;
            into[k] = (byte) mmu.ram.read8((int) pa);
        }
        return len;
    }

    /**
     * Writes {@code len} bytes at {@code lin} if every one is mapped (nothing is written
     * otherwise); decoded and translated code on the pages written is dropped as for a guest store.
     */
    public boolean write(int lin, byte[] from, int len) {
        for (int k = 0; k < len; k++) {
            if (translate(lin + k) < 0) return false;
        }
        for (int k = 0; k < len; k++) {
            int pa = (int) translate(lin + k);
            mmu.ram.write8(pa, from[k]);
            mmu.codeWatch.written(pa & 0xFFFFF000);
        }
        return true;
    }
}
