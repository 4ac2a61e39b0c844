package io.flatland.cpu;

/**
 * DAA, DAS, AAA and AAS (SDM Vol. 2A). These read and write AF and CF directly, so they
 * work on materialised flags. Undefined flags follow {@link Flags}' notes: DAA/DAS clear
 * OF; AAA/AAS leave ZF, SF, PF and OF as they were.
 */
final class Bcd {
    private Bcd() { }

    static void adjust(Cpu c, int op) {
        int f = Flags.get(c);
        boolean cf = (f & Cpu.CF) != 0, af = (f & Cpu.AF) != 0;
        int ax = c.reg[Cpu.EAX] & 0xFFFF;
        int al = ax & 0xFF;
        switch (op) {
            case Op.DAA -> {
                int oldAl = al;
                boolean newCf = false, newAf = false;
                if ((al & 0xF) > 9 || af) {
                    newCf = cf || al + 6 > 0xFF;
                    al = (al + 6) & 0xFF;
                    newAf = true;
                }
                if (oldAl > 0x99 || cf) {
                    al = (al + 0x60) & 0xFF;
                    newCf = true;
                } else {
                    newCf = false;
                }
                setAl(c, al);
                Flags.setArith(c, szp(al) | (newCf ? Cpu.CF : 0) | (newAf ? Cpu.AF : 0));
            }
            case Op.DAS -> {
                int oldAl = al;
                boolean newCf = false, newAf = false;
                if ((al & 0xF) > 9 || af) {
                    newCf = cf || al < 6;
                    al = (al - 6) & 0xFF;
                    newAf = true;
                }
                if (oldAl > 0x99 || cf) {
                    al = (al - 0x60) & 0xFF;
                    newCf = true;
                }
                setAl(c, al);
                Flags.setArith(c, szp(al) | (newCf ? Cpu.CF : 0) | (newAf ? Cpu.AF : 0));
            }
            case Op.AAA, Op.AAS -> {
                boolean adjust = (al & 0xF) > 9 || af;
                if (adjust) {
                    ax = op == Op.AAA ? ax + 0x106 : ((ax - 6) & 0xFFFF) - 0x100;
                }
                ax = (ax & 0xFF00) | (ax & 0x0F);
                c.reg[Cpu.EAX] = (c.reg[Cpu.EAX] & 0xFFFF0000) | (ax & 0xFFFF);
                f &= ~(Cpu.CF | Cpu.AF);
                if (adjust) f |= Cpu.CF | Cpu.AF;
                Flags.setArith(c, f);
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void setAl(Cpu c, int al) {
        c.reg[Cpu.EAX] = (c.reg[Cpu.EAX] & 0xFFFFFF00) | al;
    }

    private static int szp(int v) {
        return Flags.parity(v) | (v == 0 ? Cpu.ZF : 0) | ((v & 0x80) != 0 ? Cpu.SF : 0);
    }
}
