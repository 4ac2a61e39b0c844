package io.flatland.cpu;

/**
 * Operand access shared by all instruction semantics: registers by size, effective
 * addresses in both address sizes, segment-relative memory (limit checks only where the
 * segment is not flat) and the stack.
 */
public final class Operands {
    private Operands() { }

    public static int getReg(Cpu c, int size, int r) {
        switch (size) {
            case 4: return c.reg[r];
            case 2: return c.reg[r] & 0xFFFF;
            default: return r < 4 ? c.reg[r] & 0xFF : (c.reg[r - 4] >>> 8) & 0xFF;
        }
    }

    public static void setReg(Cpu c, int size, int r, int v) {
        int[] g = c.reg;
        switch (size) {
            case 4 -> g[r] = v;
            case 2 -> g[r] = (g[r] & 0xFFFF0000) | (v & 0xFFFF);
            default -> {
                if (r < 4) g[r] = (g[r] & 0xFFFFFF00) | (v & 0xFF);
                else g[r - 4] = (g[r - 4] & 0xFFFF00FF) | ((v & 0xFF) << 8);
            }
        }
    }

    /** Effective address (offset within the segment) of a ModRM memory operand. */
    public static int ea(Cpu c, Insn in) {
        int a = in.disp;
        if (in.a32) {
            if (in.base >= 0) a += c.reg[in.base];
            if (in.index >= 0) a += c.reg[in.index] << in.scale;
            return a;
        }
        if (in.base >= 0) a += c.reg[in.base];
        if (in.index >= 0) a += c.reg[in.index];
        return a & 0xFFFF;
    }

    /** Linear address of {@code seg:off} for an access of {@code size} bytes, after the segment checks. */
    public static int linear(Cpu c, int seg, int off, int size, boolean write) {
        if (write ? !c.segFlatWrite[seg] : !c.segFlatRead[seg]) SystemOps.checkSegmentAccess(c, seg, off, size, write);
        return c.segBase[seg] + off;
    }

    public static int readLin(Cpu c, int lin, int size) {
        switch (size) {
            case 4: return c.readLin32(lin);
            case 2: return c.readLin16(lin);
            default: return c.readLin8(lin);
        }
    }

    public static void writeLin(Cpu c, int lin, int size, int v) {
        switch (size) {
            case 4 -> c.writeLin32(lin, v);
            case 2 -> c.writeLin16(lin, v);
            default -> c.writeLin8(lin, v);
        }
    }

    public static int read(Cpu c, int seg, int off, int size) {
        return readLin(c, linear(c, seg, off, size, false), size);
    }

    public static void write(Cpu c, int seg, int off, int size, int v) {
        writeLin(c, linear(c, seg, off, size, true), size, v);
    }

    /** Reads the r/m operand. */
    public static int readRm(Cpu c, Insn in, int size) {
        return in.mem ? read(c, in.seg, ea(c, in), size) : getReg(c, size, in.rm);
    }

    public static void writeRm(Cpu c, Insn in, int size, int v) {
        if (in.mem) write(c, in.seg, ea(c, in), size, v);
        else setReg(c, size, in.rm, v);
    }

    /**
     * Linear address of a read-modify-write memory operand, checked for writing so that the
     * final store cannot fault after the flags have been recorded.
     */
    public static int rmwLinear(Cpu c, Insn in, int size) {
        int lin = linear(c, in.seg, ea(c, in), size, true);
        c.probeWrite(lin, size);
        return lin;
    }

    // ---- stack ----

    public static int sp(Cpu c) { return c.stack32 ? c.reg[Cpu.ESP] : c.reg[Cpu.ESP] & 0xFFFF; }

    public static void setSp(Cpu c, int v) {
        if (c.stack32) c.reg[Cpu.ESP] = v;
        else c.reg[Cpu.ESP] = (c.reg[Cpu.ESP] & 0xFFFF0000) | (v & 0xFFFF);
    }

    /** Stack pointer after moving by {@code delta}, wrapped to the stack size. */
    public static int spPlus(Cpu c, int delta) {
        int v = sp(c) + delta;
        return c.stack32 ? v : v & 0xFFFF;
    }

    /** PUSH: the store happens before ESP changes, so a fault leaves ESP intact. */
    public static void push(Cpu c, int size, int v) {
        c.reg[Cpu.ESP] = pushAt(c, c.reg[Cpu.ESP], size, v);
    }

    /**
     * PUSH on a stack whose ESP register holds {@code esp} (translated code keeps ESP in a
     * local): stores {@code v} and returns the new value of the whole ESP register (SS.B
     * decides whether SP or ESP moves).
     */
    public static int pushAt(Cpu c, int esp, int size, int v) {
        if (c.stack32) {
            write(c, Cpu.SS, esp - size, size, v);
            return esp - size;
        }
        int nsp = (esp - size) & 0xFFFF;
        write(c, Cpu.SS, nsp, size, v);
        return (esp & 0xFFFF0000) | nsp;
    }

    /** The value at the top of the stack whose ESP register holds {@code esp}. */
    public static int topAt(Cpu c, int esp, int size) {
        return read(c, Cpu.SS, c.stack32 ? esp : esp & 0xFFFF, size);
    }

    /** The whole ESP register after {@code delta} bytes are popped from a stack whose ESP holds {@code esp}. */
    public static int popAt(Cpu c, int esp, int delta) {
        return c.stack32 ? esp + delta : (esp & 0xFFFF0000) | ((esp + delta) & 0xFFFF);
    }

    /** Reads the value at the top of the stack without popping it. */
    public static int top(Cpu c, int size) {
        return topAt(c, c.reg[Cpu.ESP], size);
    }

    /** Reads the stack at {@code sp + offset} (multi-value pops, LEAVE, ENTER). */
    public static int stackAt(Cpu c, int offset, int size) {
        return read(c, Cpu.SS, spPlus(c, offset), size);
    }

    public static int pop(Cpu c, int size) {
        int v = top(c, size);
        setSp(c, spPlus(c, size));
        return v;
    }
}
