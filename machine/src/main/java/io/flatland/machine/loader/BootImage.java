package io.flatland.machine.loader;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;
import io.flatland.cpu.SystemOps;
import io.flatland.mmu.PhysicalMemory;

import java.util.List;

/**
 * A prepared Multiboot boot: what to write where in RAM and where to start. Kept by the
 * machine so that a reset can load the same kernel again, as QEMU's option ROM does.
 */
public final class BootImage implements GuestBoot {
    /** {@code length} bytes of {@code data} from {@code offset}, to be copied to physical {@code address}. */
    record Chunk(long address, byte[] data, int offset, int length) { }

    /**
     * The GDT QEMU's Multiboot option ROM leaves loaded (and its address): null, flat 32-bit
     * code (0x08), flat data (0x10), 16-bit code and data for its own real-mode return.
     */
    public static final int GDT_BASE = 0xCB2B8, GDT_LIMIT = 0x27;
    private static final long[] GDT = {0, 0x00CF9A000000FFFFL, 0x00CF93000000FFFFL, 0x00009E000000FFFFL, 0x000092000000FFFFL};

    /** Register values the option ROM leaves besides EAX/EBX/EIP (observed on QEMU 7.2). */
    public static final int INITIAL_ESP = 0x6F08, INITIAL_EDI = 0x1000;

    private final long bufStart, bufSize;
    private final List<Chunk> chunks;
    private final byte[] e820, mbi;
    public final int entry;
    public final E820Map memoryMap;
    public final long cmdlineAddress;
    private final long[] moduleStarts;

    BootImage(long bufStart, long bufSize, List<Chunk> chunks, byte[] e820, byte[] mbi, int entry, E820Map map,
              long cmdlineAddress, long[] moduleStarts) {
        this.bufStart = bufStart;
        this.bufSize = bufSize;
        this.chunks = chunks;
        this.e820 = e820;
        this.mbi = mbi;
        this.entry = entry;
        this.memoryMap = map;
        this.cmdlineAddress = cmdlineAddress;
        this.moduleStarts = moduleStarts;
    }

    /** Physical address of the Multiboot information structure (EBX at entry). */
    public int infoAddress() { return MultibootLoader.MBI_ADDR; }

    /** Physical start of each module, in -initrd order. */
    public long[] moduleStarts() { return moduleStarts.clone(); }

    /** Physical range [start, end) of the whole buffer (kernel, boot information, modules). */
    public long start() { return bufStart; }

    public long end() { return bufStart + bufSize; }

    /**
     * EDX as the option ROM leaves it: its low half is a constant of the ROM's code and its
     * high half what its memory-size computation left there (mem_upper's high 16 bits).
     */
    public int initialEdx() {
        return (memoryMap.memUpperKiB() & 0xFFFF0000) | 0x511;
    }

    @Override
    public E820Map memoryMap() { return memoryMap; }

    @Override
    public void load(PhysicalMemory ram, int[] comBases) { writeTo(ram, comBases); }

    /**
     * The state QEMU's Multiboot option ROM leaves: EAX the boot loader magic, EBX the info
     * structure, its GDT loaded, the other registers as observed on QEMU 7.2.
     */
    @Override
    public void enter(Cpu cpu) {
        SystemOps.enterFlatProtectedMode(cpu);
        int[] r = cpu.reg;
        r[Cpu.EAX] = MultibootLoader.BOOTLOADER_MAGIC;
        r[Cpu.EBX] = infoAddress();
        r[Cpu.ECX] = entry;
        r[Cpu.EDX] = initialEdx();
        r[Cpu.ESI] = 0;
        r[Cpu.EDI] = INITIAL_EDI;
        r[Cpu.EBP] = 0;
        r[Cpu.ESP] = INITIAL_ESP;
        cpu.eip = entry;
        Flags.set(cpu, 0x6);           // PF set, IF clear: what the ROM's last instructions leave
        cpu.gdtBase = GDT_BASE;
        cpu.gdtLimit = GDT_LIMIT;
        cpu.idtBase = 0;
        cpu.idtLimit = 0x3FF;
    }

    /** @param comBases the I/O bases of the serial ports that exist, in COM order */
    void writeTo(PhysicalMemory ram, int[] comBases) {
        BiosDataArea.write(ram, comBases, memoryMap.memLowerKiB());
        for (int i = 0; i < GDT.length; i++) {
            ram.write32(GDT_BASE + 8 * i, (int) GDT[i]);
            ram.write32(GDT_BASE + 8 * i + 4, (int) (GDT[i] >>> 32));
        }
        ram.fill(MultibootLoader.E820_ADDR, 0x600, 0);
        ram.load(MultibootLoader.E820_ADDR, e820, 0, e820.length);
        ram.load(MultibootLoader.MBI_ADDR, mbi, 0, mbi.length);
        // The kernel buffer comes last, as QEMU's option ROM copies it after filling in the
        // E820 map and the info structure: a kernel loaded over 0x9000-0x95FF keeps its bytes.
        // The whole buffer is written, zeros included (BSS, padding, gaps between segments).
        long end = Math.min(bufStart + bufSize, ram.size());
        ram.fill(bufStart, end - bufStart, 0);
        for (Chunk c : chunks) ram.load(c.address(), c.data(), c.offset(), c.length());
    }

    @Override
    public String loaderName() { return "Multiboot"; }
}
