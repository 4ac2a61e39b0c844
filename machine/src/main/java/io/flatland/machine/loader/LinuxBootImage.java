package io.flatland.machine.loader;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.Flags;
import io.flatland.cpu.SystemOps;
import io.flatland.mmu.PhysicalMemory;

/**
 * A Linux kernel laid out by {@link LinuxLoader}, entered through the 32-bit boot protocol
 * (Documentation/x86/boot.rst, "32-bit BOOT PROTOCOL"): protected mode, paging off, a GDT
 * whose selectors 0x10 (__BOOT_CS, execute/read) and 0x18 (__BOOT_DS, read/write) are flat
 * 4 GiB, CS = 0x10 and the data segments 0x18, interrupts disabled, ESI = boot_params and
 * EBP = EDI = EBX = 0, at the protected-mode kernel's start (code32_start).
 */
public final class LinuxBootImage implements GuestBoot {
    /** Our GDT, just past boot_params (where the real-mode setup code would be). */
    public static final int GDT_BASE = LinuxLoader.BOOT_PARAMS + LinuxLoader.ZERO_PAGE_SIZE;
    public static final int BOOT_CS = 0x10, BOOT_DS = 0x18;
    private static final long[] GDT = {0, 0, 0x00CF9A000000FFFFL, 0x00CF93000000FFFFL};
    /**
     * The 32-bit protocol sets no stack; the decompressor makes its own at once. This one lies
     * below the command line, as the real-mode setup's stack does under QEMU.
     */
    public static final int INITIAL_ESP = LinuxLoader.CMDLINE;

    private final E820Map map;
    private final byte[] zeroPage, cmdline, kernel, initrd;
    private final int kernelOffset, kernelSize;
    private final long initrdAddress;

    LinuxBootImage(E820Map map, byte[] zeroPage, byte[] cmdline, byte[] kernel, int kernelOffset, int kernelSize,
                   byte[] initrd, long initrdAddress) {
        this.map = map;
        this.zeroPage = zeroPage;
        this.cmdline = cmdline;
        this.kernel = kernel;
        this.kernelOffset = kernelOffset;
        this.kernelSize = kernelSize;
        this.initrd = initrd;
        this.initrdAddress = initrdAddress;
    }

    @Override
    public E820Map memoryMap() { return map; }

    /** Physical address of the initrd (0 without one). */
    public long initrdAddress() { return initrdAddress; }

    @Override
    public void load(PhysicalMemory ram, int[] comBases) {
        BiosDataArea.write(ram, comBases, map.memLowerKiB());
        ram.load(LinuxLoader.BOOT_PARAMS, zeroPage, 0, zeroPage.length);
        for (int i = 0; i < GDT.length; i++) {
            ram.write32(GDT_BASE + 8 * i, (int) GDT[i]);
            ram.write32(GDT_BASE + 8 * i + 4, (int) (GDT[i] >>> 32));
        }
        ram.load(LinuxLoader.CMDLINE, cmdline, 0, cmdline.length);
        ram.load(LinuxLoader.KERNEL, kernel, kernelOffset, kernelSize);
        if (initrd != null) ram.load(initrdAddress, initrd, 0, initrd.length);
    }

    @Override
    public void enter(Cpu cpu) {
        SystemOps.enterFlatProtectedMode(cpu, BOOT_CS, BOOT_DS);
        java.util.Arrays.fill(cpu.reg, 0);
        cpu.reg[Cpu.ESI] = LinuxLoader.BOOT_PARAMS;
        cpu.reg[Cpu.ESP] = INITIAL_ESP;
        cpu.eip = LinuxLoader.KERNEL;
        Flags.set(cpu, 0x2);
        cpu.gdtBase = GDT_BASE;
        cpu.gdtLimit = GDT.length * 8 - 1;
        // The real-mode setup loads a null IDT before it enters protected mode.
        cpu.idtBase = 0;
        cpu.idtLimit = 0;
    }

    @Override
    public String loaderName() { return "Linux"; }
}
