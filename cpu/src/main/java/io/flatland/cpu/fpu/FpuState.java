package io.flatland.cpu.fpu;

/**
 * The x87 register file as QEMU 7.2 keeps it: eight physical registers, TOP, one
 * empty/valid bit per register (the full tag word is derived on FNSTENV/FNSAVE), the
 * status word without its TOP field, the control word, and the last instruction and data
 * pointers (offsets and selectors; the opcode field is not kept).
 */
public final class FpuState {
    public static final int SE = 0x80, B = 0x8000;

    public final int[] se = new int[8];
    public final long[] sig = new long[8];
    /** Bit i set: physical register i is empty. */
    public int emptyMask = 0xFF;
    public int top;
    /** Status word; bits 11-13 (TOP) are kept in {@link #top} instead. */
    public int fpus;
    public int fpuc = 0x37F;
    public int fpip, fpcs, fpdp, fpds;

    public final SoftFloat sf = new SoftFloat();

    public FpuState() { sf.setControl(fpuc); }

    public int statusWord() { return (fpus & ~0x3800) | (top & 7) << 11; }

    public void setControl(int fcw) {
        fpuc = fcw & 0xFFFF;
        sf.setControl(fpuc);
    }

    /** FLDENV/FRSTOR: TOP from the image, B mirrors ES. */
    public void setStatus(int fsw) {
        top = (fsw >> 11) & 7;
        fpus = fsw & ~0x3800 & ~B;
        if ((fpus & SE) != 0) fpus |= B;
    }

    public void init() {
        fpus = 0;
        top = 0;
        fpcs = fpds = fpip = fpdp = 0;
        setControl(0x37F);
        emptyMask = 0xFF;
    }

    /** Records exception flags; an unmasked pending one sets ES and B. */
    public void setException(int mask) {
        fpus |= mask;
        if ((fpus & ~fpuc & 0x3F) != 0) fpus |= SE | B;
    }

    public Float80 st(int i) {
        int r = (top + i) & 7;
        return new Float80(se[r], sig[r]);
    }

    public void setSt(int i, Float80 v) {
        int r = (top + i) & 7;
        se[r] = v.se;
        sig[r] = v.sig;
    }

    /** The physical register that is ST(i). */
    public int phys(int i) { return (top + i) & 7; }

    public void setSt(int i, int se, long sig) {
        int r = (top + i) & 7;
        this.se[r] = se & 0xFFFF;
        this.sig[r] = sig;
    }

    public void push() {
        top = (top - 1) & 7;
        emptyMask &= ~(1 << top);
    }

    public void pop() {
        emptyMask |= 1 << top;
        top = (top + 1) & 7;
    }

    public boolean empty(int physical) { return (emptyMask >> physical & 1) != 0; }

    /** The full tag word: 00 valid, 01 zero, 10 special, 11 empty (per physical register). */
    public int tagWord() {
        int tw = 0;
        for (int i = 7; i >= 0; i--) {
            tw <<= 2;
            if (empty(i)) {
                tw |= 3;
            } else {
                int e = se[i] & 0x7FFF;
                long m = sig[i];
                if (e == 0 && m == 0) tw |= 1;
                else if (e == 0 || e == 0x7FFF || m >= 0) tw |= 2;
            }
        }
        return tw;
    }

    public void setTagWord(int tw) {
        int m = 0;
        for (int i = 0; i < 8; i++) {
            if ((tw >> (2 * i) & 3) == 3) m |= 1 << i;
        }
        emptyMask = m;
    }
}
