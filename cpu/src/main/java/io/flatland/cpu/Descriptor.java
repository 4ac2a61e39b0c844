package io.flatland.cpu;

/**
 * Decoding of an 8-byte segment or gate descriptor (SDM Vol. 3A §3.4.5, §5.8.3, §6.11),
 * given as its low and high doublewords so nothing is allocated. Attribute predicates
 * work on the {@link Cpu#segAttr} layout: access byte in bits 0-7, AVL/L/D-B/G in 12-15.
 */
final class Descriptor {
    private Descriptor() { }

    // segAttr bits.
    static final int ATTR_ACCESSED = 0x01, ATTR_RW = 0x02, ATTR_DC = 0x04, ATTR_CODE = 0x08,
            ATTR_S = 0x10, ATTR_DPL = 0x60, ATTR_P = 0x80, ATTR_DB = 0x4000, ATTR_G = 0x8000;

    // System descriptor types (S = 0), SDM Table 3-2.
    static final int TSS16_AVAIL = 1, LDT = 2, TSS16_BUSY = 3, CALL_GATE16 = 4, TASK_GATE = 5,
            INT_GATE16 = 6, TRAP_GATE16 = 7, TSS32_AVAIL = 9, TSS32_BUSY = 11, CALL_GATE32 = 12,
            INT_GATE32 = 14, TRAP_GATE32 = 15;

    // ---- raw dwords ----

    static int base(int lo, int hi) {
        return (lo >>> 16) | (hi & 0xFF) << 16 | (hi & 0xFF000000);
    }

    /** Effective limit in bytes - 1: with G set the 20-bit field counts 4 KiB units. */
    static int limit(int lo, int hi) {
        int raw = (lo & 0xFFFF) | (hi & 0x000F0000);
        return (hi & 0x00800000) != 0 ? raw << 12 | 0xFFF : raw;
    }

    static int attr(int hi) { return (hi >>> 8) & 0xF0FF; }

    // ---- predicates on segAttr layout ----

    static int type(int attr) { return attr & 0xF; }
    static int dpl(int attr) { return (attr >>> 5) & 3; }
    static boolean present(int attr) { return (attr & ATTR_P) != 0; }
    static boolean isSystem(int attr) { return (attr & ATTR_S) == 0; }
    static boolean isCode(int attr) { return (attr & (ATTR_S | ATTR_CODE)) == (ATTR_S | ATTR_CODE); }
    static boolean isData(int attr) { return (attr & (ATTR_S | ATTR_CODE)) == ATTR_S; }
    static boolean isConformingCode(int attr) { return isCode(attr) && (attr & ATTR_DC) != 0; }
    static boolean isReadable(int attr) { return isData(attr) || isCode(attr) && (attr & ATTR_RW) != 0; }
    static boolean isWritableData(int attr) { return isData(attr) && (attr & ATTR_RW) != 0; }
    static boolean isExpandDown(int attr) { return isData(attr) && (attr & ATTR_DC) != 0; }
    static boolean big(int attr) { return (attr & ATTR_DB) != 0; }

    // ---- gates (SDM Figure 5-8, Figure 6-2) ----

    static int gateSelector(int lo) { return lo >>> 16; }
    static int gateOffset(int lo, int hi) { return (lo & 0xFFFF) | (hi & 0xFFFF0000); }
    static int gateParamCount(int hi) { return hi & 0x1F; }
}
