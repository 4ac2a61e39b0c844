package io.flatland.machine.firmware;

import io.flatland.cpu.IoDevice;
import io.flatland.machine.devices.Device;
import io.flatland.machine.devices.Wiring;
import io.flatland.machine.loader.E820Map;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * QEMU's fw_cfg device through its traditional I/O interface (docs/specs/fw_cfg.rst): a
 * 16-bit write to the selector port 0x510 picks an item and rewinds it, byte reads of the
 * data port 0x511 return the item's bytes in order, then 0 past its end; an unknown key reads
 * 0 too. Items as QEMU 7.2's pc has them with one CPU (recorded by the platform probe):
 * signature "QEMU", the ID, a zero UUID, RAM_SIZE, NOGRAPHIC 0, NB_CPUS and MAX_CPUS 1,
 * IRQ0_OVERRIDE 1 and the file directory with {@code etc/e820}.
 *
 * <p>What is left out, on purpose: the DMA interface (QEMU's ID is 3, bit 1 announcing it;
 * here it is 1), the Multiboot items QEMU's option ROM loads the kernel from (KERNEL_ADDR,
 * KERNEL_DATA = key 0x11, which kvm-unit-tests reads as "MAX_RAM" on x86-64 only), and
 * the files only SeaBIOS reads (ACPI table loader, SMBIOS, bootorder): Flatland installs the
 * ACPI tables itself and has no SeaBIOS.
 */
public final class FwCfg implements IoDevice, Device {
    public static final int SELECTOR = 0x510, DATA = 0x511;
    public static final int SIGNATURE = 0x00, ID = 0x01, UUID = 0x02, RAM_SIZE = 0x03, NOGRAPHIC = 0x04,
            NB_CPUS = 0x05, MAX_CPUS = 0x0F, FILE_DIR = 0x19, FILE_FIRST = 0x20, IRQ0_OVERRIDE = 0x8002;
    /** Bit 0 of the ID: the traditional (port) interface; bit 1 (DMA) is not offered. */
    public static final int ID_TRADITIONAL = 1;
    private static final byte[] NONE = new byte[0];

    /** Items by key; keys are 16 bits, so an array of 64 Ki references keeps the data port's path a lookup. */
    private final byte[][] items = new byte[0x10000][];
    private byte[] current = NONE;
    private int offset;

    /** An fw_cfg with the fixed items and {@code files} (name to contents) in its directory, selectors from 0x20 by name. */
    public FwCfg(long ramBytes, int cpus, Map<String, byte[]> files) {
        items[SIGNATURE] = "QEMU".getBytes(StandardCharsets.US_ASCII);
        items[ID] = le(4, ID_TRADITIONAL);
        items[UUID] = new byte[16];
        items[RAM_SIZE] = le(8, ramBytes);
        items[NOGRAPHIC] = le(2, 0);
        items[NB_CPUS] = le(2, cpus);
        items[MAX_CPUS] = le(2, cpus);
        items[IRQ0_OVERRIDE] = le(4, 1);      // the PIT's IRQ0 reaches I/O APIC pin 2 (the MADT says the same)
        TreeMap<String, byte[]> sorted = new TreeMap<>(files);
        // The directory: a big-endian count, then per file size (BE32), select (BE16), reserved, 56-byte name.
        ByteBuffer dir = ByteBuffer.allocate(4 + 64 * sorted.size()).order(ByteOrder.BIG_ENDIAN);
        dir.putInt(sorted.size());
        int select = FILE_FIRST;
        for (Map.Entry<String, byte[]> f : sorted.entrySet()) {
            byte[] name = f.getKey().getBytes(StandardCharsets.US_ASCII);
            if (name.length > 55) throw new IllegalArgumentException("fw_cfg file name too long: " + f.getKey());
            dir.putInt(f.getValue().length).putShort((short) select).putShort((short) 0);
            dir.put(java.util.Arrays.copyOf(name, 56));
            items[select++] = f.getValue().clone();
        }
        items[FILE_DIR] = dir.array();
        select(SIGNATURE);
    }

    /** QEMU's pc: one CPU, and the RAM map in {@code etc/e820} (only the RAM entries, as QEMU writes it). */
    public static FwCfg forPc(E820Map map, long ramBytes) {
        return new FwCfg(ramBytes, 1, Map.of("etc/e820", e820(map)));
    }

    /** QEMU's etc/e820: one 20-byte entry (address, length, type, little-endian) per RAM block. */
    static byte[] e820(E820Map map) {
        ByteBuffer b = ByteBuffer.allocate(map.above4g() > 0 ? 40 : 20).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0).putLong(map.below4g()).putInt(E820Map.USABLE);
        if (map.above4g() > 0) b.putLong(0x1_0000_0000L).putLong(map.above4g()).putInt(E820Map.USABLE);
        return b.array();
    }

    private static byte[] le(int n, long v) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (v >>> (8 * i));
        return b;
    }

    @Override
    public void attach(Wiring w) {
        w.io().register(SELECTOR, 2, this);
    }

    /** QEMU's reset selects key 0 (the signature). */
    @Override
    public void reset() {
        select(SIGNATURE);
    }

    private void select(int key) {
        byte[] item = items[key & 0xFFFF];
        current = item == null ? NONE : item;
        offset = 0;
    }

    /** Any read returns the next data byte (QEMU's combined port region reads data at both ports). */
    @Override
    public int in(int port, int size) {
        int v = offset < current.length ? current[offset] & 0xFF : 0;
        if (offset < current.length) offset++;
        return v;
    }

    /** A 16-bit write to 0x510 selects; writes to the data port are ignored (QEMU 2.4 on). */
    @Override
    public void out(int port, int size, int value) {
        if (port == SELECTOR && size == 2) select(value);
    }
}
