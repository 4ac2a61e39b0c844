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

    static final int MAX_INSNS = 64;

    /** The decoded instructions of the block at CS:{@code eip} (linear {@code lin}); empty if none can be translated. */
    static List<Insn> scan(Cpu cpu, int eip, int lin) {
        List<Insn> out = new ArrayList<>();
        int linPage = lin & 0xFFFFF000;
        int off = lin & 0xFFF;
        boolean nextPageMapped = cpu.readSlot(linPage + 0x1000) >= 0;
        while (out.size() < MAX_INSNS && off < 0x1000) {
            // A long instruction near the page end could read the next page: only if that is free of side effects.
            if (off > 0x1000 - Decoder.MAX_LENGTH && !nextPageMapped) break;
            Insn in = new Insn();
            try {
                Decoder.decode(cpu, linPage + off, in);
            } catch (GuestFault f) {
                break;   // the interpreter raises it when it gets there
            }
            if (off + in.len > 0x1000 || InsnKinds.interpreterOnly(in)) break;
            out.add(in);
            off += in.len;
            if (InsnKinds.endsBlock(in)) break;
        }
        return out;
    }
}
