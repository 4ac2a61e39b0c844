package io.flatland.machine.loader;

import java.util.ArrayList;
import java.util.List;

/**
 * The loadable view of an ELF32 little-endian i386 executable (System V ABI, ELF gABI):
 * the entry point and the PT_LOAD segments with their physical addresses. Every offset
 * and size the file claims is checked against the file before anything is read, so a
 * truncated or lying image is rejected with a message rather than an exception.
 */
public final class Elf32Image {
    static final int PT_LOAD = 1;
    static final int EM_386 = 3, EM_X86_64 = 62;

    /** One PT_LOAD program header. */
    public record Segment(long offset, long paddr, long fileSize, long memSize) { }

    public final long entry;
    public final List<Segment> segments;

    private Elf32Image(long entry, List<Segment> segments) {
        this.entry = entry;
        this.segments = segments;
    }

    public static boolean isElf(byte[] f) {
        return f.length >= 4 && f[0] == 0x7F && f[1] == 'E' && f[2] == 'L' && f[3] == 'F';
    }

    public static Elf32Image parse(byte[] f) throws BadImageException {
        if (!isElf(f)) throw new BadImageException("not an ELF file");
        if (f.length < 52) throw new BadImageException("truncated ELF header");
        if (f[4] == 2 || u16(f, 18) == EM_X86_64) {
            throw new BadImageException("cannot load an x86-64 image, give a 32-bit one");
        }
        if (f[4] != 1) throw new BadImageException("not an ELF32 file (EI_CLASS " + f[4] + ")");
        if (f[5] != 1) throw new BadImageException("not a little-endian ELF file");
        int type = u16(f, 16);
        if (type != 2) throw new BadImageException("not an ELF executable (e_type " + type + ")");
        int machine = u16(f, 18);
        if (machine != EM_386) throw new BadImageException("not an i386 ELF file (e_machine " + machine + ")");
        long entry = u32(f, 24);
        long phoff = u32(f, 28);
        int phentsize = u16(f, 42);
        int phnum = u16(f, 44);
        if (phnum == 0) throw new BadImageException("ELF file has no program headers");
        if (phentsize < 32) throw new BadImageException("bad ELF program header size " + phentsize);
        if (phoff + (long) phnum * phentsize > f.length) {
            throw new BadImageException("ELF program headers lie beyond the end of the file");
        }
        List<Segment> segs = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int p = (int) (phoff + (long) i * phentsize);
            if (u32(f, p) != PT_LOAD) continue;
            long offset = u32(f, p + 4), paddr = u32(f, p + 12);
            long filesz = u32(f, p + 16), memsz = u32(f, p + 20);
            if (filesz > memsz) throw new BadImageException("ELF segment " + i + " has p_filesz > p_memsz");
            if (offset + filesz > f.length) {
                throw new BadImageException("ELF segment " + i + " lies beyond the end of the file");
            }
            if (paddr + memsz > 0x1_0000_0000L) {
                throw new BadImageException("ELF segment " + i + " wraps around the 4 GiB address space");
            }
            // Empty segments load nothing and, as in QEMU's loader, do not count for the image's extent.
            if (memsz == 0) continue;
            segs.add(new Segment(offset, paddr, filesz, memsz));
        }
        if (segs.isEmpty()) throw new BadImageException("ELF file has no loadable segment");
        return new Elf32Image(entry, segs);
    }

    /** Lowest physical address loaded. */
    public long low() {
        long low = Long.MAX_VALUE;
        for (Segment s : segments) low = Math.min(low, s.paddr());
        return low;
    }

    /** One past the highest physical address loaded (BSS included). */
    public long high() {
        long high = 0;
        for (Segment s : segments) high = Math.max(high, s.paddr() + s.memSize());
        return high;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int off) {
        return ((b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (long) (b[off + 3] & 0xFF) << 24);
    }
}
