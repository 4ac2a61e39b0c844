package io.flatland.cpu;

import io.flatland.mmu.PhysicalMemory;
import io.flatland.mmu.Tlb;

import static io.flatland.cpu.Operands.*;

/**
 * MOVS, CMPS, STOS, LODS, SCAS, INS and OUTS with and without REP prefixes.
 *
 * <p>A REP instruction runs in chunks: every iteration commits ESI/EDI/ECX before the next
 * one starts, so a fault leaves the registers describing exactly the iterations done and
 * the instruction restarts from there. When a chunk ends with work left, EIP stays at the
 * instruction and the run loop gets a chance to take interrupts before re-executing it.
 *
 * <p>REP MOVS/STOS forward over RAM pages already in the TLB become bulk copies/fills;
 * overlapping MOVS ranges (destination inside the source run) keep the byte-by-byte
 * forward semantics by taking the element loop, and stores into code pages always take
 * the element loop because such pages have no TLB write view.
 */
public final class StringOps {
    private StringOps() { }

    /** Iterations of the element loop per chunk. */
    static final int CHUNK = 1024;
    /** Bytes moved by the bulk path per chunk. */
    static final int BULK_CHUNK = 64 * 1024;

    /**
     * One iteration per execution while single-stepping: TF traps after each (SDM §17.3.1.4);
     * likewise while a debugger steps or watches memory, so that it stops after the iteration
     * that touched the address, with EIP still at the instruction (as QEMU's stub does).
     */
    private static int chunk(Cpu c) { return oneByOne(c) ? 1 : CHUNK; }

    private static boolean oneByOne(Cpu c) {
        return (c.eflags & Cpu.TF) != 0 || c.debug != null && c.debug.singleIterations();
    }

    private static int count(Cpu c, Insn in) { return in.a32 ? c.reg[Cpu.ECX] : c.reg[Cpu.ECX] & 0xFFFF; }

    private static void setCount(Cpu c, Insn in, int v) {
        if (in.a32) c.reg[Cpu.ECX] = v; else c.reg[Cpu.ECX] = (c.reg[Cpu.ECX] & 0xFFFF0000) | (v & 0xFFFF);
    }

    private static int index(Cpu c, Insn in, int r) { return in.a32 ? c.reg[r] : c.reg[r] & 0xFFFF; }

    private static void advance(Cpu c, Insn in, int r, int delta) {
        if (in.a32) c.reg[r] += delta; else c.reg[r] = (c.reg[r] & 0xFFFF0000) | ((c.reg[r] + delta) & 0xFFFF);
    }

    private static int delta(Cpu c, int size) { return (c.eflags & Cpu.DF) != 0 ? -size : size; }

    public static void movs(Cpu c, Insn in) {
        int size = in.size, d = delta(c, size);
        if (in.rep == 0) {
            movsOne(c, in, size, d);
            c.eip = Exec.next(c, in);
            return;
        }
        if (count(c, in) == 0) { c.eip = Exec.next(c, in); return; }
        if (d > 0 && in.a32 && c.segFlatRead[in.seg] && c.segFlatWrite[Cpu.ES] && !oneByOne(c)) {
            if (bulkMovs(c, in, size)) c.eip = Exec.next(c, in);
            return;
        }
        for (int budget = chunk(c); ; ) {
            movsOne(c, in, size, d);
            if (countDone(c, in)) return;
            if (--budget == 0) return;
        }
    }

    private static void movsOne(Cpu c, Insn in, int size, int d) {
        int v = read(c, in.seg, index(c, in, Cpu.ESI), size);
        write(c, Cpu.ES, index(c, in, Cpu.EDI), size, v);
        advance(c, in, Cpu.ESI, d);
        advance(c, in, Cpu.EDI, d);
    }

    /** Returns true when ECX reached 0. */
    private static boolean bulkMovs(Cpu c, Insn in, int size) {
        Tlb tlb = c.mmu.tlb;
        PhysicalMemory ram = c.ram;
        long done = 0;
        while (done < BULK_CHUNK) {
            long cnt = c.reg[Cpu.ECX] & 0xFFFFFFFFL;
            if (cnt == 0) return true;
            int src = c.segBase[in.seg] + c.reg[Cpu.ESI];
            int dst = c.segBase[Cpu.ES] + c.reg[Cpu.EDI];
            int room = Math.min(0x1000 - (src & 0xFFF), 0x1000 - (dst & 0xFFF)) / size;
            long n = Math.min(cnt, room);
            int rs = c.readSlot(src), ws = c.writeSlot(dst);
            boolean bulk = n > 0 && rs >= 0 && ws >= 0;
            long srcPa = 0, dstPa = 0, bytes = n * size;
            if (bulk) {
                srcPa = (tlb.phys[rs] & 0xFFFFF000L) | (src & 0xFFF);
                dstPa = (tlb.phys[ws] & 0xFFFFF000L) | (dst & 0xFFF);
                bulk = !(dstPa > srcPa && dstPa < srcPa + bytes);
            }
            if (!bulk) {
                // One element the slow way: fills the TLB, handles page crossings, watched pages and overlap.
                movsOne(c, in, size, size);
                c.reg[Cpu.ECX]--;
                done += size;
                continue;
            }
            ram.copy(srcPa, dstPa, bytes);
            c.reg[Cpu.ESI] += (int) bytes;
            c.reg[Cpu.EDI] += (int) bytes;
            c.reg[Cpu.ECX] -= (int) n;
            done += bytes;
        }
        return c.reg[Cpu.ECX] == 0;
    }

    public static void stos(Cpu c, Insn in) {
        int size = in.size, d = delta(c, size);
        int v = getReg(c, size, Cpu.EAX);
        if (in.rep == 0) {
            write(c, Cpu.ES, index(c, in, Cpu.EDI), size, v);
            advance(c, in, Cpu.EDI, d);
            c.eip = Exec.next(c, in);
            return;
        }
        if (count(c, in) == 0) { c.eip = Exec.next(c, in); return; }
        if (d > 0 && in.a32 && c.segFlatWrite[Cpu.ES] && !oneByOne(c)) {
            if (bulkStos(c, size, v)) c.eip = Exec.next(c, in);
            return;
        }
        for (int budget = chunk(c); ; ) {
            write(c, Cpu.ES, index(c, in, Cpu.EDI), size, v);
            advance(c, in, Cpu.EDI, d);
            if (countDone(c, in)) return;
            if (--budget == 0) return;
        }
    }

    private static boolean bulkStos(Cpu c, int size, int v) {
        Tlb tlb = c.mmu.tlb;
        boolean uniform = size == 1 || (size == 2 ? ((v ^ (v >>> 8)) & 0xFF) == 0 : v == ((v & 0xFF) * 0x01010101));
        long done = 0;
        while (done < BULK_CHUNK) {
            long cnt = c.reg[Cpu.ECX] & 0xFFFFFFFFL;
            if (cnt == 0) return true;
            int dst = c.segBase[Cpu.ES] + c.reg[Cpu.EDI];
            long n = Math.min(cnt, (0x1000 - (dst & 0xFFF)) / size);
            int ws = c.writeSlot(dst);
            if (n == 0 || ws < 0) {
                write(c, Cpu.ES, c.reg[Cpu.EDI], size, v);
                c.reg[Cpu.EDI] += size;
                c.reg[Cpu.ECX]--;
                done += size;
                continue;
            }
            long bytes = n * size;
            if (uniform) {
                c.ram.fill((tlb.phys[ws] & 0xFFFFF000L) | (dst & 0xFFF), bytes, v);
            } else {
                long host = tlb.addend[ws] + (dst & 0xFFFFFFFFL);
                for (long k = 0; k < bytes; k += size) {
                    if (size == 4) PhysicalMemory.putInt(host + k, v); else PhysicalMemory.putShort(host + k, v);
                }
            }
            c.reg[Cpu.EDI] += (int) bytes;
            c.reg[Cpu.ECX] -= (int) n;
            done += bytes;
        }
        return c.reg[Cpu.ECX] == 0;
    }

    public static void lods(Cpu c, Insn in) {
        int size = in.size, d = delta(c, size);
        if (in.rep != 0 && count(c, in) == 0) { c.eip = Exec.next(c, in); return; }
        for (int budget = chunk(c); ; ) {
            int v = read(c, in.seg, index(c, in, Cpu.ESI), size);
            setReg(c, size, Cpu.EAX, v);
            advance(c, in, Cpu.ESI, d);
            if (in.rep == 0) { c.eip = Exec.next(c, in); return; }
            if (countDone(c, in)) return;
            if (--budget == 0) return;
        }
    }

    public static void cmps(Cpu c, Insn in) {
        int size = in.size, d = delta(c, size);
        if (in.rep != 0 && count(c, in) == 0) { c.eip = Exec.next(c, in); return; }
        for (int budget = chunk(c); ; ) {
            int a = read(c, in.seg, index(c, in, Cpu.ESI), size);
            int b = read(c, Cpu.ES, index(c, in, Cpu.EDI), size);
            Alu.sub(c, size, a, b);
            advance(c, in, Cpu.ESI, d);
            advance(c, in, Cpu.EDI, d);
            if (in.rep == 0) { c.eip = Exec.next(c, in); return; }
            if (repDone(c, in, a == b)) return;
            if (--budget == 0) return;
        }
    }

    public static void scas(Cpu c, Insn in) {
        int size = in.size, d = delta(c, size);
        if (in.rep != 0 && count(c, in) == 0) { c.eip = Exec.next(c, in); return; }
        int acc = getReg(c, size, Cpu.EAX);
        for (int budget = chunk(c); ; ) {
            int b = read(c, Cpu.ES, index(c, in, Cpu.EDI), size);
            Alu.sub(c, size, acc, b);
            advance(c, in, Cpu.EDI, d);
            if (in.rep == 0) { c.eip = Exec.next(c, in); return; }
            if (repDone(c, in, acc == b)) return;
            if (--budget == 0) return;
        }
    }

    /**
     * Decrements the count (CX or ECX); true (with EIP advanced) when it reached zero. For the
     * string instructions that do not compare, F3 and F2 both only count: pass repDone the
     * comparison outcome that never stops either.
     */
    private static boolean countDone(Cpu c, Insn in) {
        return repDone(c, in, in.rep == 0xF3);
    }

    /** Decrements the count and applies the REPE/REPNE termination; true (with EIP advanced) when done. */
    private static boolean repDone(Cpu c, Insn in, boolean equal) {
        int n = count(c, in) - 1;
        setCount(c, in, n);
        boolean stop = (in.a32 ? n : n & 0xFFFF) == 0 || (in.rep == 0xF3 ? !equal : equal);
        if (stop) c.eip = Exec.next(c, in);
        return stop;
    }

    public static void ins(Cpu c, Insn in) {
        int size = in.size, d = delta(c, size);
        int port = c.reg[Cpu.EDX] & 0xFFFF;
        Exec.ioCheck(c, port, size);
        if (in.rep != 0 && count(c, in) == 0) { c.eip = Exec.next(c, in); return; }
        for (int budget = chunk(c); ; ) {
            // The store is checked before the port is read so a fault does not lose device data.
            int lin = linear(c, Cpu.ES, index(c, in, Cpu.EDI), size, true);
            c.probeWrite(lin, size);
            writeLin(c, lin, size, c.io.in(port, size));
            advance(c, in, Cpu.EDI, d);
            if (in.rep == 0) { c.eip = Exec.next(c, in); return; }
            if (countDone(c, in)) return;
            if (--budget == 0) return;
        }
    }

    public static void outs(Cpu c, Insn in) {
        int size = in.size, d = delta(c, size);
        int port = c.reg[Cpu.EDX] & 0xFFFF;
        Exec.ioCheck(c, port, size);
        if (in.rep != 0 && count(c, in) == 0) { c.eip = Exec.next(c, in); return; }
        for (int budget = chunk(c); ; ) {
            int v = read(c, in.seg, index(c, in, Cpu.ESI), size);
            c.io.out(port, size, v);
            advance(c, in, Cpu.ESI, d);
            if (in.rep == 0) { c.eip = Exec.next(c, in); return; }
            if (countDone(c, in)) return;
            if (--budget == 0) return;
        }
    }
}
