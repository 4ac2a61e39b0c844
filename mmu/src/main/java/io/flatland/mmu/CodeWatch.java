package io.flatland.mmu;

/**
 * Physical pages that hold decoded or translated guest code. Writes to such a page never
 * use a TLB write view, so every one reaches {@link Mmu}'s slow path, which reports it
 * here before the next instruction executes (self-modifying code, loaders).
 */
public final class CodeWatch {
    /** Told when a watched page is written; it drops its decoded/translated code. */
    public interface Listener {
        void codeWritten(int physPage);
    }

    private final byte[] watched;
    private Listener listener = page -> { };
    public long invalidations;

    public CodeWatch(PhysicalMemory ram) {
        this.watched = new byte[ram.pages()];
    }

    public void setListener(Listener listener) { this.listener = listener; }

    public boolean isWatched(int physPage) {
        int pn = physPage >>> 12;
        return pn < watched.length && watched[pn] != 0;
    }

    /** Marks a RAM page as holding code; returns true if it was not watched before. */
    boolean watch(int physPage) {
        int pn = physPage >>> 12;
        if (pn >= watched.length || watched[pn] != 0) return false;
        watched[pn] = 1;
        return true;
    }

    /** Called on any guest write to a watched page. */
    void written(int physPage) {
        int pn = physPage >>> 12;
        if (pn < watched.length && watched[pn] != 0) {
            watched[pn] = 0;
            invalidations++;
            listener.codeWritten(physPage & 0xFFFFF000);
        }
    }
}
