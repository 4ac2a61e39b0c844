package io.flatland.machine.loader;

/**
 * Lays out a Linux bzImage, its command line and initrd as QEMU 7.2 does for {@code -kernel}
 * on the pc machine, and prepares the "zero page" ({@code struct boot_params},
 * Documentation/x86/zero-page.rst) that the kernel's real-mode setup would have built, so the
 * kernel can be entered through the 32-bit boot protocol without a BIOS:
 *
 * <ul>
 * <li>The protected-mode kernel (the file after its (setup_sects + 1) × 512 bytes of setup)
 *     at 0x100000; boot_params where QEMU puts the setup code, 0x10000; the command line (the
 *     {@code -append} text alone, NUL-terminated) at 0x20000, as QEMU does for protocol 2.02
 *     and later.</li>
 * <li>The initrd page-aligned as high as it fits below min(initrd_addr_max + 1, the end of the
 *     usable RAM the E820 map reports): the address QEMU's linuxboot option ROM chooses
 *     (observed: a 1063723-byte initrd with -m 256 lands at 0x0FEDC000). QEMU refuses an
 *     initrd of (below-4G RAM - 0x28000 - 1) bytes or more ("initrd is too large"); Flatland
 *     refuses the same ones, and also one that would overlap the kernel.</li>
 * <li>The setup header copied from the file into boot_params at 0x1F1, with the fields QEMU's
 *     loader writes: type_of_loader 0xB0 (QEMU's id), CAN_USE_HEAP and heap_end_ptr,
 *     cmd_line_ptr, ramdisk_image/ramdisk_size. The fields the real-mode setup would have
 *     filled from the BIOS: the E820 table (the same map SeaBIOS reports, see
 *     {@link E820Map}) and alt_mem_k; the rest stays zero (no video: screen_info zero means
 *     "no VGA" to the kernel; no EDD, APM or IST information).</li>
 * </ul>
 */
public final class LinuxLoader {
    public static final int BOOT_PARAMS = 0x10000, CMDLINE = 0x20000, KERNEL = 0x100000;
    /** QEMU's type_of_loader: 0xB (QEMU) in the high nibble, version 0. */
    static final int LOADER_ID = 0xB0;
    /** Room QEMU keeps free at the top of the pc machine's RAM (ACPI tables) when it checks an initrd's size. */
    static final long QEMU_ACPI_RESERVE = 0x28000;
    static final int E820_ENTRIES = 0x1E8, E820_TABLE = 0x2D0, E820_MAX = 128, ALT_MEM_K = 0x1E0;
    static final int ZERO_PAGE_SIZE = 4096;

    private LinuxLoader() { }

    /**
     * @param kernel the bzImage file
     * @param append the {@code -append} bytes, or null (an empty command line)
     * @param initrd the initrd file's contents, or null
     * @param initrdName the initrd as the user named it, for messages
     */
    public static LinuxBootImage prepare(byte[] kernel, byte[] append, byte[] initrd, String initrdName, long ramSize)
            throws BadImageException {
        LinuxSetupHeader h = LinuxSetupHeader.parse(kernel);
        E820Map map = new E820Map(ramSize);
        long ramTop = map.below4g();
        if (KERNEL + (long) h.kernelSize > ramTop) {
            throw new BadImageException(String.format("the Linux kernel (%d bytes at 0x%x) does not fit in RAM (%d MiB)",
                    h.kernelSize, KERNEL, ramTop >> 20));
        }

        byte[] cmdline = new byte[(append == null ? 0 : append.length) + 1];
        if (append != null) System.arraycopy(append, 0, cmdline, 0, append.length);
        if (CMDLINE + cmdline.length > map.memLowerKiB() * 1024L) {
            throw new BadImageException("the kernel command line (" + cmdline.length + " bytes) does not fit below 640 KiB");
        }

        byte[] zp = new byte[ZERO_PAGE_SIZE];
        System.arraycopy(kernel, LinuxSetupHeader.SETUP_SECTS, zp, LinuxSetupHeader.SETUP_SECTS,
                h.headerEnd - LinuxSetupHeader.SETUP_SECTS);
        zp[LinuxSetupHeader.TYPE_OF_LOADER] = (byte) LOADER_ID;
        zp[LinuxSetupHeader.LOADFLAGS] |= (byte) LinuxSetupHeader.CAN_USE_HEAP;
        put16(zp, LinuxSetupHeader.HEAP_END_PTR, CMDLINE - BOOT_PARAMS - 0x200);
        MultibootLoader.put32(zp, LinuxSetupHeader.CMD_LINE_PTR, CMDLINE);
        MultibootLoader.put32(zp, LinuxSetupHeader.CODE32_START, KERNEL);

        long initrdAddr = 0;
        if (initrd != null) {
            long qemuMax = Math.min(h.initrdAddrMax, ramTop - QEMU_ACPI_RESERVE - 1);
            long max = Math.min(h.initrdAddrMax, map.lowRamEnd() - 1);
            initrdAddr = (max - initrd.length) & ~0xFFFL;
            if (initrd.length >= qemuMax || initrdAddr < KERNEL + h.kernelSize) {
                throw new BadImageException(String.format(
                        "initrd '%s' (%d bytes) is too large: it must fit between the kernel and 0x%x (see -m)",
                        initrdName, initrd.length, Math.min(max, qemuMax) + 1));
            }
            MultibootLoader.put32(zp, LinuxSetupHeader.RAMDISK_IMAGE, initrdAddr);
            MultibootLoader.put32(zp, LinuxSetupHeader.RAMDISK_SIZE, initrd.length);
        }

        int n = Math.min(map.entries().size(), E820_MAX);
        zp[E820_ENTRIES] = (byte) n;
        for (int i = 0; i < n; i++) {
            E820Map.Entry e = map.entries().get(i);
            int o = E820_TABLE + 20 * i;
            put64(zp, o, e.base());
            put64(zp, o + 8, e.length());
            MultibootLoader.put32(zp, o + 16, e.type());
        }
        MultibootLoader.put32(zp, ALT_MEM_K, map.memUpperKiB());
        return new LinuxBootImage(map, zp, cmdline, kernel, h.setupSize, h.kernelSize, initrd, initrdAddr);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }

    static void put64(byte[] b, int off, long v) {
        MultibootLoader.put32(b, off, v);
        MultibootLoader.put32(b, off + 4, v >>> 32);
    }
}
