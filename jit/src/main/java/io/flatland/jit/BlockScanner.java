package io.flatland.jit;

import io.flatland.cpu.OpInfo;
import io.flatland.cpu.Cpu;
import io.flatland.cpu.Decoder;
import io.flatland.cpu.Insn;
import io.flatland.cpu.Op;
import io.flatland.mmu.GuestFault;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the instructions of a region: decodes paths of straight-line code within a window of
 * one or two code pages (the entry's, and the next one when it is mapped and worth
 * translating: a loop split by a page boundary is then one region, as QEMU's blocks may span
 * two pages). A path starts at the region's entry (or at a further root, below) and runs until
 * a control transfer or a mode change (included), an instruction only the interpreter runs
 * (excluded), the end of the window (an instruction that crosses it is excluded), or code the
 * region already holds. Every EIP appears at most once.
 *
 * <p>Within a path, a conditional near branch does not end it (the taken side jumps inside
 * the region or leaves it), and an unconditional near jump or a direct call to code of the
 * same page that the region does not hold yet is followed (the path goes on at the target).
 * When a path ends, the next root starts a new one: first the return addresses of followed
 * calls (the callee's RET lands there), then the {@code roots} the caller asks for (exits of
 * an earlier translation that the running region took often: see {@link ExitProfile}).
 * Translated code reaches a root only through a branch, never by falling into it: the last
 * instruction of each path is marked in {@link Scan#pathEnd}.
 *
 * <p>Decoding must leave no trace the interpreter would not leave: it only reads bytes
 * through TLB read entries that already exist (no page walk, no accessed bit set early).
 */
final class BlockScanner {
    private BlockScanner() { }

    static final int MAX_INSNS = JitSettings.PROPERTIES.maxInsns();
    /** Regions grown from exit profiles may hold more (the class-size check still splits what HotSpot would not compile). */
    static final int MAX_GROWN_INSNS = JitSettings.PROPERTIES.maxGrownInsns();

    /** Debug switch: end regions at direct calls instead of following them. */
    static final boolean FOLLOW_CALLS = JitSettings.PROPERTIES.followCalls();

    static final boolean CLOSE_LOOPS = JitSettings.PROPERTIES.closeLoops();

    /** What a scan found: instruction k at {@code eips[k]}, {@code pathEnd[k]} when k+1 (if any) is not its fall-through. */
    static final class Scan {
        final List<Insn> insns = new ArrayList<>();
        final int[] eips;
        final boolean[] pathEnd;
        /** Segments flat with base 0 while the region was decoded ({@link #flatSegments}). */
        int flatSegs;
        /**
         * Physical base of the page after the entry's while it was decoded, if some instruction
         * lies (wholly or in part) there (set by {@link Translator#scan}); else -1.
         */
        int phys2 = -1;

        Scan(int max) {
            eips = new int[max];
            pathEnd = new boolean[max];
        }

        int size() { return insns.size(); }
    }

    private static boolean near32(Insn in) {
        return in.o32 && in.code32 && !in.lock;
    }

    /**
     * The region at CS:{@code eip} (linear {@code lin}); with {@code regions} false, the basic
     * block alone. {@code roots} (EIPs, may be null) are further paths to include if room remains.
     */
    static Scan scan(Cpu cpu, int eip, int lin, boolean regions, int[] roots, boolean twoPages) {
        int max = roots != null && roots.length > 0 ? Math.max(MAX_INSNS, MAX_GROWN_INSNS) : MAX_INSNS;
        Scan s = new Scan(max);
        int linPage = lin & 0xFFFFF000;
        int start = lin & 0xFFF;
        // The window of code the region may hold: the entry's page, and with twoPages the next one too.
        int window = regions && twoPages ? 0x2000 : 0x1000;
        boolean[] seen = new boolean[window], tried = new boolean[window];
        boolean nextPageMapped = cpu.fetchSlot(linPage + window) >= 0;
        // Pending path starts as page offsets: return addresses of followed calls, then the roots.
        int[] pending = new int[max + (roots == null ? 0 : roots.length)];
        int returns = 0;
        int off = start;
        int rootIndex = 0;
        for (;;) {
            path(cpu, s, eip - start, linPage, off, regions, seen, window, nextPageMapped, max);
            if (!regions || s.size() >= max) break;
            // Return addresses found on this path join the queue (in call order).
            // Calls into this page (direct, or indirect ones once a profile showed their targets).
            for (int k = 0; k < s.size(); k++) {
                Insn in = s.insns.get(k);
                if (!near32(in)) continue;
                int ret = s.eips[k] - (eip - start) + in.len;
                boolean inPage = in.op == Op.CALL_REL ? ret + in.imm >= 0 && ret + in.imm < window
                        : in.op == Op.CALL_E && roots != null && roots.length > 0;
                if (inPage && ret < window && !contains(pending, returns, ret)) pending[returns++] = ret;
            }
            off = -1;
            for (int i = 0; i < returns && off < 0; i++) {
                // Each return address is tried once: a path may hold nothing (an instruction only the
                // interpreter runs is there, or a fault), and it must not be chosen again and again.
                if (!seen[pending[i]] && !tried[pending[i]]) off = pending[i];
            }
            if (off >= 0) tried[off] = true;
            while (off < 0 && roots != null && rootIndex < roots.length) {
                int r = roots[rootIndex++] - (eip - start);
                if (r >= 0 && r < window && !seen[r]) off = r;
            }
            if (off < 0) break;
        }
        if (s.size() > 0) s.pathEnd[s.size() - 1] = true;
        s.flatSegs = flatSegments(cpu);
        return s;
    }

    /**
     * The segment registers (bit per register) whose operands need no segment work now: base 0,
     * limit 4 GiB, readable and writable (so every access is one TLB probe of the offset), SS
     * only with a 32-bit stack. Translated code may rely on it while the region's entry guard
     * finds the same ({@link Block#flatSegs}): segment registers, CS.D and SS.B change only
     * through instructions that end a region.
     */
    static int flatSegments(Cpu cpu) {
        int m = 0;
        for (int seg = 0; seg < 6; seg++) {
            if (cpu.segBase[seg] == 0 && cpu.segFlatRead[seg] && cpu.segFlatWrite[seg] && (seg != Cpu.SS || cpu.stack32)) {
                m |= 1 << seg;
            }
        }
        return m;
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) if (a[i] == v) return true;
        return false;
    }

    /**
     * Decodes one path from window offset {@code off}; {@code base} is the EIP of offset 0, the
     * window the {@code window} bytes from the entry's page on.
     */
    private static void path(Cpu cpu, Scan s, int base, int linPage, int off, boolean regions, boolean[] seen,
                             int window, boolean nextPageMapped, int max) {
        int before = s.size();
        while (s.size() < max && off < window) {
            if (seen[off]) break;   // the region already holds this code
            // A long instruction near the window's end could read the page after it: only if that is free of side effects.
            if (off > window - Decoder.MAX_LENGTH && !nextPageMapped) break;
            Insn in = new Insn();
            try {
                Decoder.decode(cpu, linPage + off, in);
            } catch (GuestFault f) {
                break;   // the interpreter raises it when it gets there
            }
            if (off + in.len > window || OpInfo.interpreted(in)) break;
            s.eips[s.size()] = base + off;
            s.insns.add(in);
            seen[off] = true;
            int next = off + in.len;
            if (regions && (in.op == Op.JMP_REL || in.op == Op.CALL_REL && FOLLOW_CALLS) && near32(in)) {
                // A direct call is followed like a jump (its push is emitted in line).
                int target = next + in.imm;
                if (target >= 0 && target < window && !seen[target] && s.size() < max) {
                    off = target;
                    continue;
                }
                break;
            }
            off = next;
            if (OpInfo.endsBlock(in.op) && !(regions && in.op == Op.JCC && near32(in))) break;
            if (regions && CLOSE_LOOPS && in.op == Op.JCC) {
                // A branch back into the region closes a loop: end the path there, so regions stay
                // small (quick to compile) and each loop is compiled once, from its own entry.
                int target = next + in.imm;
                if (target >= 0 && target < window && seen[target]) break;
            }
        }
        if (s.size() > before) s.pathEnd[s.size() - 1] = true;
    }
}
