package io.flatland.mmu;

/**
 * Data watchpoints on linear addresses, for the debugger (gdb's Z2/Z3/Z4). A linear page that
 * holds a watched byte is never entered in the TLB ({@link Mmu#translate}), so every access to
 * it takes {@link Mmu}'s slow path, which calls {@link #check} while the watch is
 * {@link #armed}. The run loop arms it only around an instruction's execution: instruction
 * fetches are not data accesses.
 *
 * <p>With no watchpoint set, the only cost is {@link #armed} being false in the slow paths.
 */
public final class AccessWatch {
    public static final int WRITE = 1, READ = 2, ACCESS = 3;
    /** At most this many watchpoints (x86 has four debug registers; gdb falls back to software watchpoints beyond). */
    public static final int MAX = 16;

    private final int[] address = new int[MAX];
    private final int[] length = new int[MAX];
    private final int[] kind = new int[MAX];
    private int count;

    /** True while an instruction executes and watchpoints exist: the slow paths report to {@link #check}. */
    public boolean armed;

    /** The first watchpoint the current instruction triggered: its kind (0: none) and address. */
    public int hitKind, hitAddress;

    public int count() { return count; }

    /** Adds a watchpoint; false when the table is full or the range is empty or wraps. */
    public boolean add(int lin, int len, int type) {
        if (count == MAX || len <= 0 || len > 4096 || Integer.compareUnsigned(lin, lin + len - 1) > 0) return false;
        for (int i = 0; i < count; i++) {
            if (address[i] == lin && length[i] == len && kind[i] == type) return true;
        }
        address[count] = lin;
        length[count] = len;
        kind[count] = type;
        count++;
        return true;
    }

    /** Removes a watchpoint; false when there was none like it. */
    public boolean remove(int lin, int len, int type) {
        for (int i = 0; i < count; i++) {
            if (address[i] == lin && length[i] == len && kind[i] == type) {
                count--;
                address[i] = address[count];
                length[i] = length[count];
                kind[i] = kind[count];
                return true;
            }
        }
        return false;
    }

    public void clear() {
        count = 0;
        armed = false;
        hitKind = 0;
    }

    /** True if a watched byte lies in the linear page {@code linPage} (kept out of the TLB). */
    public boolean coversPage(int linPage) {
        int page = linPage & 0xFFFFF000;
        for (int i = 0; i < count; i++) {
            int first = address[i] & 0xFFFFF000, last = (address[i] + length[i] - 1) & 0xFFFFF000;
            if (Integer.compareUnsigned(page, first) >= 0 && Integer.compareUnsigned(page, last) <= 0) return true;
        }
        return false;
    }

    /** An access of {@code size} bytes at {@code lin}: records the first watchpoint it triggers. */
    public void check(int lin, int size, boolean write) {
        if (hitKind != 0) return;
        int need = write ? WRITE : READ;
        for (int i = 0; i < count; i++) {
            if ((kind[i] & need) == 0) continue;
            // Overlap of [lin, lin+size) and [address, address+length), unsigned and without overflow.
            int a = address[i];
            if (Integer.compareUnsigned(lin - a, length[i]) < 0 || Integer.compareUnsigned(a - lin, size) < 0) {
                hitKind = kind[i];
                hitAddress = a;
                return;
            }
        }
    }
}
