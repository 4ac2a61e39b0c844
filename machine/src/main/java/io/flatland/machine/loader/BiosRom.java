package io.flatland.machine.loader;

import io.flatland.mmu.MmioBus;

/**
 * A {@code -bios} image as the PC's flash at the top of the 4 GiB address space: read-only
 * (writes are dropped, as QEMU's pc maps its pc.bios). QEMU 7.2 refuses an image whose size is
 * not a non-zero multiple of 64 KiB ("could not load PC BIOS"), and so does this class.
 */
public final class BiosRom implements MmioBus.Region {
    /** QEMU's rule: whole 64 KiB blocks. */
    public static final int BLOCK = 64 << 10;
    /** The largest image accepted: 16 MiB, what a PC's flash decoding leaves below 4 GiB. */
    public static final int MAX_SIZE = 16 << 20;
    /** How much of the image's end also appears below 1 MiB (QEMU's isa-bios alias). */
    public static final int ISA_WINDOW = 128 << 10;

    private final byte[] image;

    public BiosRom(byte[] image, String shown) throws BadImageException {
        if (image.length == 0 || image.length % BLOCK != 0 || image.length > MAX_SIZE) {
            throw new BadImageException("-bios '" + shown + "': " + image.length
                    + " bytes; a BIOS image must be a multiple of 64 KiB, up to 16 MiB (QEMU refuses it too)");
        }
        this.image = image;
    }

    public int size() { return image.length; }

    /** Where the image starts: it ends at 4 GiB, so the reset vector (0xFFFFFFF0) is its 16th-last byte. */
    public long base() { return 0x1_0000_0000L - image.length; }

    /** The image's last {@link #ISA_WINDOW} bytes (all of it if smaller): what the isa-bios alias shows. */
    public byte[] isaWindow() {
        int n = Math.min(image.length, ISA_WINDOW);
        return java.util.Arrays.copyOfRange(image, image.length - n, image.length);
    }

    @Override
    public int read(int pa, int size) {
        int off = (int) ((pa & 0xFFFFFFFFL) - base());
        int v = 0;
        for (int i = 0; i < size; i++) {
            // An access straddling 4 GiB wraps to address 0, which is not this ROM: open bus reads 0 there.
            int b = off + i < image.length ? image[off + i] & 0xFF : 0;
            v |= b << (8 * i);
        }
        return v;
    }

    /** Flash is not writable: the write is dropped. */
    @Override
    public void write(int pa, int size, int value) { }
}
