package io.flatland.machine.gdb;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;
import io.flatland.cpu.fpu.FpuState;

/**
 * gdb's i386 register numbering over Flatland's CPU (the order of {@link TargetDescription}):
 * 0-7 EAX ECX EDX EBX ESP EBP ESI EDI, 8 EIP, 9 EFLAGS, 10-15 CS SS DS ES FS GS (selectors,
 * 32 bits), 16-23 ST(0)-ST(7) (80 bits: significand, then sign and exponent), 24-31 FCTRL
 * FSTAT FTAG FISEG FIOFF FOSEG FOOFF FOP. All little-endian.
 *
 * <p>FTAG is the full tag word (as FNSTENV stores it); FOP reads 0, since Flatland's x87 does
 * not keep the last opcode. A segment register can only be "written" with its current value
 * (as when gdb writes all registers back): loading a selector needs the descriptor tables and
 * may fault, which a debugger write must not do.
 */
final class I386Registers {
    static final int COUNT = 32;
    static final int EIP = 8, EFLAGS = 9, CS = 10, ST0 = 16, FCTRL = 24;
    /** gdb's order of the segment registers, as Flatland's indices. */
    private static final int[] SEGMENTS = {Cpu.CS, Cpu.SS, Cpu.DS, Cpu.ES, Cpu.FS, Cpu.GS};

    private I386Registers() { }

    static int size(int n) { return n >= ST0 && n < FCTRL ? 10 : 4; }

    static byte[] read(Cpu cpu, int n) {
        if (n >= ST0 && n < FCTRL) {
            FpuState f = cpu.fpu;
            int r = (f.top + n - ST0) & 7;
            byte[] b = new byte[10];
            long sig = f.sig[r];
            for (int k = 0; k < 8; k++) b[k] = (byte) (sig >>> (8 * k));
            b[8] = (byte) f.se[r];
            b[9] = (byte) (f.se[r] >>> 8);
            return b;
        }
        int v = value(cpu, n);
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private static int value(Cpu cpu, int n) {
        if (n < 8) return cpu.reg[n];
        if (n == EIP) return cpu.eip;
        if (n == EFLAGS) return Flags.get(cpu);
        if (n < ST0) return cpu.segSel[SEGMENTS[n - CS]] & 0xFFFF;
        FpuState f = cpu.fpu;
        return switch (n - FCTRL) {
            case 0 -> f.fpuc;
            case 1 -> f.statusWord();
            case 2 -> f.tagWord();
            case 3 -> f.fpcs & 0xFFFF;
            case 4 -> f.fpip;
            case 5 -> f.fpds & 0xFFFF;
            case 6 -> f.fpdp;
            default -> 0;   // FOP: not kept
        };
    }

    static boolean write(Cpu cpu, int n, byte[] b) {
        if (b.length != size(n)) return false;
        FpuState f = cpu.fpu;
        if (n >= ST0 && n < FCTRL) {
            int r = (f.top + n - ST0) & 7;
            long sig = 0;
            for (int k = 7; k >= 0; k--) sig = sig << 8 | (b[k] & 0xFF);
            f.sig[r] = sig;
            f.se[r] = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
            return true;
        }
        int v = (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
        if (n < 8) {
            cpu.reg[n] = v;
        } else if (n == EIP) {
            cpu.eip = v;
        } else if (n == EFLAGS) {
            // VM cannot change from here (it would need the mode switch an IRET makes); bit 1 is always set.
            Flags.set(cpu, (v & ~Cpu.VM) | (Flags.get(cpu) & Cpu.VM) | 2);
        } else if (n < ST0) {
            return (cpu.segSel[SEGMENTS[n - CS]] & 0xFFFF) == v;
        } else {
            switch (n - FCTRL) {
                case 0 -> f.setControl(v);
                case 1 -> f.setStatus(v & 0xFFFF);
                case 2 -> f.setTagWord(v & 0xFFFF);
                case 3 -> f.fpcs = v & 0xFFFF;
                case 4 -> f.fpip = v;
                case 5 -> f.fpds = v & 0xFFFF;
                case 6 -> f.fpdp = v;
                default -> { return v == 0; }
            }
        }
        return true;
    }
}
