package io.flatland.machine.pci;

/**
 * One PCI function's 256-byte configuration space (type 0 header): its power-on contents,
 * which bytes the guest may change, and up to six BARs with the sizing protocol of the PCI
 * local bus spec (writing all ones reads back the size mask: the address bits above the
 * size, plus the BAR's fixed low type bits). As QEMU does, the command register keeps only
 * the I/O, memory, bus-master, parity, SERR and INTx-disable bits, the cache line size,
 * latency timer and interrupt line are plain read/write bytes, and the device-specific area
 * (0x40-0xFF) is writable unless a subclass says otherwise.
 */
public class PciFunction {
    public static final int COMMAND = 0x04, BAR0 = 0x10, INTERRUPT_LINE = 0x3C;
    public static final int CMD_IO = 1, CMD_MEMORY = 2;
    /** QEMU's writable command bits: I/O, memory, bus master, parity, SERR, INTx disable. */
    private static final int COMMAND_WMASK = 0x0547;

    private final String name;
    private final byte[] initial = new byte[256];
    private final byte[] config = new byte[256];
    private final byte[] wmask = new byte[256];
    /** BAR sizes in bytes (0: no BAR); a power of two. */
    private final int[] barSize = new int[6];
    private final boolean[] barIo = new boolean[6];

    /** A function with the given IDs and class; everything else 0 until {@link #set}. */
    protected PciFunction(String name, int vendor, int device, int revision, int classCode) {
        this.name = name;
        set(0x00, 2, vendor);
        set(0x02, 2, device);
        set(0x08, 1, revision);
        set(0x09, 3, classCode);
        setWritable(COMMAND, 2, COMMAND_WMASK);
        setWritable(0x0C, 2, 0xFFFF);
        setWritable(INTERRUPT_LINE, 1, 0xFF);
        for (int r = 0x40; r < 0x100; r++) wmask[r] = (byte) 0xFF;
    }

    public String name() { return name; }

    /** Sets power-on contents (little-endian, {@code size} bytes at {@code reg}). */
    protected final void set(int reg, int size, int value) {
        for (int i = 0; i < size; i++) {
            initial[reg + i] = (byte) (value >>> (8 * i));
            config[reg + i] = initial[reg + i];
        }
    }

    /** Which bits of {@code size} bytes at {@code reg} the guest may change. */
    protected final void setWritable(int reg, int size, int mask) {
        for (int i = 0; i < size; i++) wmask[reg + i] = (byte) (mask >>> (8 * i));
    }

    /**
     * Declares BAR {@code n}: {@code size} bytes of I/O or 32-bit memory space, at {@code address}
     * as SeaBIOS assigns it on QEMU's pc.
     */
    protected final void bar(int n, int size, boolean io, int address) {
        if (Integer.bitCount(size) != 1 || size < (io ? 4 : 16)) throw new IllegalArgumentException("BAR size " + size);
        barSize[n] = size;
        barIo[n] = io;
        set(BAR0 + 4 * n, 4, address | (io ? 1 : 0));
        setWritable(BAR0 + 4 * n, 4, ~(size - 1));
    }

    /** Reads {@code size} (1, 2, 4) bytes at {@code reg}; the access stays within one dword. */
    public final int read(int reg, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) v |= (config[reg + i] & 0xFF) << (8 * i);
        return v;
    }

    /** Writes through the writable mask; a BAR whose address or enable changed is reported to {@link #mappingChanged}. */
    public final void write(int reg, int size, int value) {
        boolean mapping = reg < BAR0 + 24 && reg + size > COMMAND && (reg < COMMAND + 2 || reg >= BAR0);
        for (int i = 0; i < size; i++) {
            int m = wmask[reg + i] & 0xFF;
            config[reg + i] = (byte) ((config[reg + i] & ~m) | ((value >>> (8 * i)) & m));
        }
        if (mapping) mappingChanged();
    }

    /** Power-on contents again (a machine reset; SeaBIOS's assignments included, as it would redo them). */
    public void reset() {
        System.arraycopy(initial, 0, config, 0, 256);
        mappingChanged();
    }

    /** The address BAR {@code n} decodes, or -1 when it is absent or its space is disabled in the command register. */
    public final long barAddress(int n) {
        if (barSize[n] == 0) return -1;
        int cmd = read(COMMAND, 2);
        if ((cmd & (barIo[n] ? CMD_IO : CMD_MEMORY)) == 0) return -1;
        int raw = read(BAR0 + 4 * n, 4);
        return (raw & (barIo[n] ? ~3 : ~0xF)) & 0xFFFFFFFFL;
    }

    public final int barSize(int n) { return barSize[n]; }

    public final boolean barIsIo(int n) { return barIo[n]; }

    /** A BAR or the command register was written: a function with BARs follows its new addresses. */
    protected void mappingChanged() { }
}
