package io.flatland.machine.loader;

/**
 * The setup header of a Linux/x86 bzImage (Documentation/x86/boot.rst, "The real-mode kernel
 * header"), read from the kernel file and checked before anything is loaded.
 *
 * <p>Flatland enters the kernel through the 32-bit boot protocol, so it needs protocol 2.02 at
 * least: that version brought {@code cmd_line_ptr} (older kernels take the command line only
 * through the real-mode magic at 0x20, from the setup code Flatland does not run), and it
 * requires a kernel whose protected-mode part is loaded at 0x100000 (LOADED_HIGH, a bzImage).
 * Fields of later versions are read only when the version has them.
 */
public final class LinuxSetupHeader {
    /** "HdrS" at 0x202. */
    public static final int MAGIC = 0x53726448;
    public static final int MIN_VERSION = 0x202;
    /** Offsets in the file and in boot_params (the header sits at the same place in both). */
    static final int SETUP_SECTS = 0x1F1, SYSSIZE = 0x1F4, VID_MODE = 0x1FA, BOOT_FLAG = 0x1FE, JUMP = 0x200,
            HEADER = 0x202, VERSION = 0x206, TYPE_OF_LOADER = 0x210, LOADFLAGS = 0x211, CODE32_START = 0x214,
            RAMDISK_IMAGE = 0x218, RAMDISK_SIZE = 0x21C, HEAP_END_PTR = 0x224, CMD_LINE_PTR = 0x228,
            INITRD_ADDR_MAX = 0x22C, KERNEL_ALIGNMENT = 0x230, RELOCATABLE = 0x234, CMDLINE_SIZE = 0x238,
            INIT_SIZE = 0x260;
    static final int LOADED_HIGH = 0x01, CAN_USE_HEAP = 0x80;
    /** Before protocol 2.03 the header has no initrd_addr_max; boot.rst gives this value for them. */
    static final long OLD_INITRD_ADDR_MAX = 0x37FFFFFFL;
    /** Before 2.06 the command line may be 255 bytes long (boot.rst, cmdline_size). */
    static final long OLD_CMDLINE_SIZE = 255;

    public final int version;
    /** Size of the real-mode part (boot sector and setup) in the file: (setup_sects + 1) × 512. */
    public final int setupSize;
    /** The protected-mode kernel: the rest of the file. */
    public final int kernelSize;
    public final int loadflags;
    public final long code32Start, initrdAddrMax, kernelAlignment, cmdlineSize, initSize;
    public final boolean relocatable;
    /** The header's extent in the file, 0x1F1 up to 0x202 + the jump's displacement byte at 0x201. */
    public final int headerEnd;

    private LinuxSetupHeader(byte[] k) throws BadImageException {
        version = u16(k, VERSION);
        if (version < MIN_VERSION) {
            throw new BadImageException(String.format(
                    "Linux boot protocol %d.%02d is too old: Flatland needs 2.02 or later (a bzImage)", version >> 8, version & 0xFF));
        }
        int sects = k[SETUP_SECTS] & 0xFF;
        setupSize = ((sects == 0 ? 4 : sects) + 1) * 512;     // 0 means 4 (boot.rst, setup_sects)
        headerEnd = Math.min(HEADER + (k[JUMP + 1] & 0xFF), setupSize);
        if (k.length < setupSize) {
            throw new BadImageException("the Linux kernel is truncated: its setup code needs " + setupSize
                    + " bytes, the file has " + k.length);
        }
        kernelSize = k.length - setupSize;
        loadflags = k[LOADFLAGS] & 0xFF;
        if ((loadflags & LOADED_HIGH) == 0) {
            throw new BadImageException("this is a Linux zImage (loaded at 0x10000); only bzImage kernels are supported");
        }
        // From 2.04 syssize is the protected-mode size in 16-byte units: a shorter file was cut off.
        long syssize = u32(k, SYSSIZE) * 16;
        if (version >= 0x204 && syssize > kernelSize) {
            throw new BadImageException("the Linux kernel is truncated: its header says " + (setupSize + syssize)
                    + " bytes, the file has " + k.length);
        }
        if (kernelSize == 0) throw new BadImageException("the Linux kernel has no protected-mode part");
        code32Start = u32(k, CODE32_START);
        initrdAddrMax = version >= 0x203 ? u32(k, INITRD_ADDR_MAX) : OLD_INITRD_ADDR_MAX;
        kernelAlignment = version >= 0x205 ? u32(k, KERNEL_ALIGNMENT) : 0;
        relocatable = version >= 0x205 && k[RELOCATABLE] != 0;
        cmdlineSize = version >= 0x206 ? u32(k, CMDLINE_SIZE) : OLD_CMDLINE_SIZE;
        initSize = version >= 0x20A ? u32(k, INIT_SIZE) : 0;
    }

    /** True when {@code k} carries the "HdrS" signature of the Linux boot protocol. */
    public static boolean isLinux(byte[] k) {
        return k.length >= HEADER + 4 && MultibootLoader.i32(k, HEADER) == MAGIC;
    }

    /** Parses and checks the header of a file {@link #isLinux} accepted. */
    public static LinuxSetupHeader parse(byte[] k) throws BadImageException {
        if (k.length < 0x240) {
            throw new BadImageException("the Linux kernel is truncated: " + k.length + " bytes, shorter than its setup header");
        }
        return new LinuxSetupHeader(k);
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int off) {
        return MultibootLoader.u32(b, off);
    }
}
