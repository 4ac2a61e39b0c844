package io.flatland.machine.loader;

import io.flatland.mmu.PhysicalMemory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Multiboot (version 1) loader that leaves memory exactly as QEMU 7.2's {@code -kernel}
 * path does (hw/i386/multiboot.c plus its option ROM, on SeaBIOS), so a guest that prints
 * its Multiboot information sees the same values under both:
 *
 * <ul>
 * <li>The header (magic 0x1BADB002, flags, checksum) is searched on 4-byte boundaries in
 *     the first 8 KiB. Without flag bit 16 the kernel must be an ELF32 i386 executable
 *     loaded by its program headers' physical addresses; with it, the a.out-kludge
 *     addresses of the header are used.</li>
 * <li>QEMU builds one buffer at the kernel's lowest address: the kernel image (to its
 *     highest address incl. BSS), rounded up to 4 KiB; then the module list (16 bytes per
 *     module), the command-line strings (each module's, then the kernel's "path append"),
 *     and the boot loader name "qemu", at an offset that reserves room for all strings plus
 *     the raw -initrd text; rounded up to 4 KiB; then each module, each rounded up to 4 KiB.</li>
 * <li>The info structure is at 0x9500 and the E820 map (20-byte entries with a leading
 *     size field, 24 bytes apart) at 0x9000; flags = mem | boot device | cmdline | mods |
 *     mmap | loader name, boot device 0x8000FFFF. They are written before the kernel's
 *     buffer, so a kernel loaded over them keeps its own bytes, as under QEMU.</li>
 * </ul>
 */
public final class MultibootLoader {
    public static final int HEADER_MAGIC = 0x1BADB002;
    public static final int BOOTLOADER_MAGIC = 0x2BADB002;
    public static final int E820_ADDR = 0x9000;
    public static final int MBI_ADDR = 0x9500;
    static final int MBI_SIZE = 88;
    static final int MOD_SIZE = 16;
    static final String LOADER_NAME = "qemu";
    static final int FLAG_MEMORY = 1, FLAG_BOOT_DEVICE = 2, FLAG_CMDLINE = 4, FLAG_MODULES = 8,
            FLAG_MMAP = 64, FLAG_LOADER_NAME = 512;
    static final int HEADER_AOUT_KLUDGE = 1 << 16;
    /** magic, flags, checksum, then header/load/load_end/bss_end/entry addresses. */
    static final int AOUT_HEADER_SIZE = 32;
    private static final int PAGE = 4096;

    /**
     * A boot module: its whole command line (file name first) as the bytes the guest gets,
     * and its contents. (Bytes, not a String: QEMU passes the command line through unchanged,
     * whatever the host's locale.)
     */
    public record Module(byte[] commandLine, byte[] data) {
        /** A module whose command line is {@code commandLine} in UTF-8. */
        public Module(String commandLine, byte[] data) {
            this(commandLine.getBytes(StandardCharsets.UTF_8), data);
        }

        /** The file part: the bytes before the first space. */
        byte[] fileName() {
            int sp = 0;
            while (sp < commandLine.length && commandLine[sp] != ' ') sp++;
            return java.util.Arrays.copyOf(commandLine, sp);
        }
    }

    private MultibootLoader() { }

    static long pageAlign(long v) {
        return (v + PAGE - 1) & ~(long) (PAGE - 1);
    }

    /** Offset of a valid Multiboot header in the first 8 KiB, or -1. */
    public static int findHeader(byte[] k) {
        int limit = Math.min(k.length - 11, 8192 - 48);   // a header needs its 12 bytes inside the file
        for (int i = 0; i < limit; i += 4) {
            if (i32(k, i) == HEADER_MAGIC && i32(k, i) + i32(k, i + 4) + i32(k, i + 8) == 0) return i;
        }
        return -1;
    }

    /**
     * Lays out kernel, modules and boot information for a machine with {@code ramSize}
     * bytes of RAM (the -m value).
     *
     * @param kernelPath the kernel file name as given on the command line (QEMU puts it in
     *                   front of the kernel command line)
     * @param append     the -append text, or null
     */
    public static BootImage prepare(byte[] kernel, String kernelPath, String append, List<Module> modules, long ramSize)
            throws BadImageException {
        return prepare(kernel, kernelPath.getBytes(StandardCharsets.UTF_8),
                append == null ? null : append.getBytes(StandardCharsets.UTF_8), modules, ramSize);
    }

    /** {@link #prepare(byte[], String, String, List, long)} with the kernel path and -append as the guest's bytes. */
    public static BootImage prepare(byte[] kernel, byte[] kernelPath, byte[] append, List<Module> modules, long ramSize)
            throws BadImageException {
        E820Map map = new E820Map(ramSize);
        long ramTop = map.below4g();
        if (kernel.length >= 0x206 && i32(kernel, 0x202) == 0x53726448) {
            throw new BadImageException("this is a Linux bzImage; the Linux boot protocol is not supported yet");
        }
        int h = findHeader(kernel);
        if (h < 0) throw new BadImageException("no Multiboot header in the first 8 KiB of the kernel");
        int flags = i32(kernel, h + 4);

        List<BootImage.Chunk> chunks = new ArrayList<>();
        long loadAddr, kernelSize, entry;
        if ((flags & HEADER_AOUT_KLUDGE) == 0) {
            if (!Elf32Image.isElf(kernel)) {
                throw new BadImageException("the Multiboot header asks for ELF loading (flag 16 clear) but the kernel is not ELF");
            }
            Elf32Image elf = Elf32Image.parse(kernel);
            for (Elf32Image.Segment s : elf.segments) {
                if (s.paddr() + s.memSize() > ramTop) {
                    throw new BadImageException(String.format("kernel segment at 0x%x-0x%x lies outside RAM (%d MiB)",
                            s.paddr(), s.paddr() + s.memSize(), ramTop >> 20));
                }
                chunks.add(new BootImage.Chunk(s.paddr(), kernel, (int) s.offset(), (int) s.fileSize()));
            }
            loadAddr = elf.low();
            kernelSize = elf.high() - elf.low();
            entry = elf.entry;
        } else {
            // The a.out-kludge fields follow the 12 bytes findHeader checked: they must be in the file too.
            if (kernel.length < h + AOUT_HEADER_SIZE) {
                throw new BadImageException("the Multiboot header (a.out kludge, flag 16) is cut off by the end of the kernel file");
            }
            long headerAddr = u32(kernel, h + 12);
            loadAddr = u32(kernel, h + 16);
            long loadEnd = u32(kernel, h + 20);
            long bssEnd = u32(kernel, h + 24);
            entry = u32(kernel, h + 28);
            if (headerAddr < loadAddr) throw new BadImageException("Multiboot header_addr is below load_addr");
            if (headerAddr - loadAddr > h) throw new BadImageException("Multiboot header_addr does not match the header's position");
            long textOffset = h - (headerAddr - loadAddr);
            long loadSize;
            if (loadEnd != 0) {
                if (loadEnd < loadAddr) throw new BadImageException("Multiboot load_end_addr is below load_addr");
                loadSize = loadEnd - loadAddr;
            } else {
                loadSize = kernel.length - textOffset;
            }
            if (textOffset + loadSize > kernel.length) {
                throw new BadImageException("kernel file is shorter than its Multiboot header's load_end_addr says");
            }
            if (bssEnd != 0) {
                if (bssEnd < loadAddr + loadSize) throw new BadImageException("Multiboot bss_end_addr is below load_end_addr");
                kernelSize = bssEnd - loadAddr;
            } else {
                kernelSize = loadSize;
            }
            if (loadAddr + kernelSize > ramTop) {
                throw new BadImageException(String.format("kernel at 0x%x-0x%x lies outside RAM (%d MiB)",
                        loadAddr, loadAddr + kernelSize, ramTop >> 20));
            }
            chunks.add(new BootImage.Chunk(loadAddr, kernel, (int) textOffset, (int) loadSize));
        }

        // The buffer QEMU hands to its option ROM, starting at the kernel's load address.
        long mbinfoOff = pageAlign(kernelSize);
        byte[] path = kernelPath;
        byte[] kcmd = new byte[path.length + 1 + (append == null ? 0 : append.length)];
        System.arraycopy(path, 0, kcmd, 0, path.length);
        kcmd[path.length] = ' ';
        if (append != null) System.arraycopy(append, 0, kcmd, path.length + 1, append.length);
        long cmdlineLen = path.length + 1 + (append == null ? 0 : append.length) + 1;
        if (!modules.isEmpty()) cmdlineLen += InitrdOption.joinedLength(modules.stream().map(Module::commandLine).toList()) + 1;
        long infoSize = cmdlineLen + (long) MOD_SIZE * modules.size() + LOADER_NAME.length() + 1;
        long bufSize = pageAlign(mbinfoOff + infoSize);
        byte[] info = new byte[(int) infoSize];
        int cmdlinesOff = MOD_SIZE * modules.size();
        int bootloaderOff = (int) (cmdlinesOff + cmdlineLen);

        int nextString = cmdlinesOff;
        long[] modStart = new long[modules.size()];
        for (int i = 0; i < modules.size(); i++) {
            Module m = modules.get(i);
            byte[] s = m.commandLine();
            long stringAddr = loadAddr + mbinfoOff + nextString;
            System.arraycopy(s, 0, info, nextString, s.length);
            nextString += s.length + 1;
            long start = loadAddr + bufSize;
            long end = start + m.data().length;
            if (end > ramTop) {
                throw new BadImageException(String.format("module \"%s\" (%d bytes) does not fit in RAM (%d MiB)",
                        new String(m.fileName(), StandardCharsets.UTF_8), m.data().length, ramTop >> 20));
            }
            put32(info, i * MOD_SIZE, start);
            put32(info, i * MOD_SIZE + 4, end);
            put32(info, i * MOD_SIZE + 8, stringAddr);
            modStart[i] = start;
            chunks.add(new BootImage.Chunk(start, m.data(), 0, m.data().length));
            bufSize = pageAlign(bufSize + m.data().length);
        }
        long cmdlineAddr = loadAddr + mbinfoOff + nextString;
        System.arraycopy(kcmd, 0, info, nextString, kcmd.length);
        byte[] name = LOADER_NAME.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, info, bootloaderOff, name.length);
        if (loadAddr + mbinfoOff + infoSize > ramTop) {
            throw new BadImageException("kernel and boot information do not fit in RAM");
        }
        chunks.add(new BootImage.Chunk(loadAddr + mbinfoOff, info, 0, info.length));

        byte[] mbi = new byte[MBI_SIZE];
        put32(mbi, 0, FLAG_MEMORY | FLAG_BOOT_DEVICE | FLAG_CMDLINE | FLAG_MODULES | FLAG_MMAP | FLAG_LOADER_NAME);
        put32(mbi, 4, map.memLowerKiB());
        put32(mbi, 8, map.memUpperKiB());
        put32(mbi, 12, 0x8000FFFFL);
        put32(mbi, 16, cmdlineAddr);
        put32(mbi, 20, modules.size());
        put32(mbi, 24, loadAddr + mbinfoOff);
        put32(mbi, 44, (long) map.entries().size() * 24);
        put32(mbi, 48, E820_ADDR);
        put32(mbi, 64, loadAddr + mbinfoOff + bootloaderOff);

        byte[] e820 = new byte[map.entries().size() * 24];
        for (int i = 0; i < map.entries().size(); i++) {
            E820Map.Entry e = map.entries().get(i);
            int o = i * 24;
            put32(e820, o, 20);
            put32(e820, o + 4, e.base());
            put32(e820, o + 8, e.base() >>> 32);
            put32(e820, o + 12, e.length());
            put32(e820, o + 16, e.length() >>> 32);
            put32(e820, o + 20, e.type());
        }
        return new BootImage(loadAddr, bufSize, chunks, e820, mbi, (int) entry, map, cmdlineAddr, modStart);
    }

    static int i32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    static long u32(byte[] b, int off) {
        return i32(b, off) & 0xFFFFFFFFL;
    }

    static void put32(byte[] b, int off, long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
        b[off + 2] = (byte) (v >> 16);
        b[off + 3] = (byte) (v >> 24);
    }

    /** Writes {@code image} into RAM (again, after a reset), with COM1 as the only serial port. */
    public static void load(BootImage image, PhysicalMemory ram) {
        load(image, ram, new int[] {0x3F8});
    }

    /** Writes {@code image} into RAM; {@code comBases} are the serial ports the firmware found. */
    public static void load(BootImage image, PhysicalMemory ram, int[] comBases) {
        image.writeTo(ram, comBases);
    }
}
