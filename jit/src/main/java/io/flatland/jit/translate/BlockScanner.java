package io.flatland.jit.translate;

import io.flatland.jit.Cpu;
import io.flatland.jit.Decoder;
import io.flatland.jit.Insn;
import io.flatland.mmu.GuestFault;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the instructions of a block: decodes from the entry until a control transfer or a
 * mode change (included), an instruction only the interpreter runs (excluded), the end of
 * the code page (an instruction that crosses it is excluded), or {@link #MAX_INSNS}.
 *
 * <p>Decoding must leave no trace the interpreter would not leave: it only reads bytes
 * through TLB read entries that already exist (no page walk, no accessed bit set early).
 */
final class BlockScanner {
    private BlockScanner() { }

    static final int MAX_INSNS = Integer.getInteger("flatland.jit.maxInsns", 64);

    /** Debug switch: end regions at direct calls instead of following them. */
    static final boolean FOLLOW_CALLS = !Boolean.getBoolean("flatland.jit.noFollowCalls");

    static final boolean CLOSE_LOOPS = !Boolean.getBoolean("flatland.jit.openLoops");

    private static boolean continuesRegion(Insn in) {
        return in.op == io.flatland.jit.Op.JCC && in.o32 && in.code32 && !in.lock;
    }

    /** The decoded instructions of the block at CS:{@code eip} (linear {@code lin}); empty if none can be translated. */
    static List<Insn> scan(Cpu cpu, int eip, int lin) {
        return scan(cpu, eip, lin, false);
    }

    /**
     * With {@code regions}, a conditional near branch that translated code handles itself
     * does not end the block: the region goes on along the not-taken path (the taken path
     * either jumps inside the region or leaves it).
     */
    static List<Insn> scan(Cpu cpu, int eip, int lin, boolean regions) {
        return scan(cpu, eip, lin, regions, new int[MAX_INSNS]);
    }

    /**
     * As above; {@code eips[k]} receives the EIP of instruction k. With {@code regions} an
     * unconditional near jump to an address of the same page that the region does not hold
     * yet is followed: the region goes on at its target, so instructions need not be contiguous
     * (every EIP appears at most once).
     */
    static List<Insn> scan(Cpu cpu, int eip, int lin, boolean regions, int[] eips) {
        List<Insn> out = new ArrayList<>();
        int linPage = lin & 0xFFFFF000;
        int start = lin & 0xFFF;
        int off = start;
        boolean[] seen = regions ? new boolean[0x1000] : null;
        boolean nextPageMapped = cpu.readSlot(linPage + 0x1000) >= 0;
        while (out.size() < MAX_INSNS && off < 0x1000) {
            if (seen != null && seen[off]) break;   // the region already holds this code
            // A long instruction near the page end could read the next page: only if that is free of side effects.
            if (off > 0x1000 - Decoder.MAX_LENGTH && !nextPageMapped) break;
            Insn in = new Insn();
            try {
                Decoder.decode(cpu, linPage + off, in);
            } catch (GuestFault f) {
                break;   // the interpreter raises it when it gets there
            }
            if (off + in.len > 0x1000 || InsnKinds.interpreterOnly(in)) break;
            eips[out.size()] = eip + (off - start);
            out.add(in);
            if (seen != null) seen[off] = true;
            int next = off + in.len;
            if (regions && (in.op == io.flatland.jit.Op.JMP_REL || in.op == io.flatland.jit.Op.CALL_REL && FOLLOW_CALLS)
                    && in.o32 && in.code32 && !in.lock) {
                // A direct call is followed like a jump (its push is emitted in line).
                int target = next + in.imm;
                if (target >= 0 && target < 0x1000 && !seen[target] && out.size() < MAX_INSNS) {
                    off = target;
                    continue;
                }
                break;
            }
            off = next;
            if (InsnKinds.endsBlock(in) && !(regions && continuesRegion(in))) break;
            if (regions && CLOSE_LOOPS && in.op == io.flatland.jit.Op.JCC) {
                // A branch back into the region closes a loop: end the region there, so regions stay
                // small (quick to compile) and each loop is compiled once, from its own entry.
                int target = next + in.imm;
                if (target >= 0 && target < 0x1000 && seen[target]) break;
            }
        }
        return out;
    }
}
