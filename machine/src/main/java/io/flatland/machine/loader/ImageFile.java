package io.flatland.machine.loader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a kernel or module file no larger than guest RAM. A regular file that is too large
 * is refused before anything is read; a device or pipe (e.g. /dev/zero) is read only up to
 * the limit, so it ends in a one-line error instead of filling the heap.
 */
public final class ImageFile {
    /** The largest array the JVM allocates reliably. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final int BLOCK = 1 << 24;

    private ImageFile() { }

    /**
     * @param what  "kernel" or "module", for messages
     * @param shown the name as the user gave it, for messages
     * @param limit the guest's RAM in bytes: nothing larger can be loaded
     */
    public static byte[] read(Path file, String what, String shown, long limit) throws BadImageException {
        long max = Math.min(limit, MAX_ARRAY);
        try {
            if (Files.isDirectory(file)) throw new BadImageException("cannot read " + what + " '" + shown + "': is a directory");
            if (Files.isRegularFile(file)) {
                long size = Files.size(file);
                if (size > max) throw tooLarge(what, shown, limit);
                byte[] data = new byte[(int) size];
                try (InputStream in = Files.newInputStream(file)) {
                    int n = in.readNBytes(data, 0, data.length);
                    if (n < data.length || in.read() >= 0) {
                        throw new BadImageException("cannot read " + what + " '" + shown + "': it changed while being read");
                    }
                }
                return data;
            }
            return readStream(file, what, shown, limit, max);
        } catch (NoSuchFileException e) {
            throw new BadImageException("cannot read " + what + " '" + shown + "': no such file");
        } catch (AccessDeniedException e) {
            throw new BadImageException("cannot read " + what + " '" + shown + "': permission denied");
        } catch (IOException | SecurityException e) {
            throw new BadImageException("cannot read " + what + " '" + shown + "': " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new BadImageException(what + " '" + shown + "' does not fit in the Java heap (raise -Xmx in FLATLAND_JAVA_OPTS)");
        }
    }

    /** A file of unknown size: blocks of 16 MiB until its end or until it proves larger than {@code max}. */
    private static byte[] readStream(Path file, String what, String shown, long limit, long max) throws IOException, BadImageException {
        List<byte[]> blocks = new ArrayList<>();
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (;;) {
                byte[] b = new byte[(int) Math.min(BLOCK, max - total + 1)];
                int n = in.readNBytes(b, 0, b.length);
                total += n;
                if (total > max) throw tooLarge(what, shown, limit);
                blocks.add(b);
                if (n < b.length) break;
            }
        }
        byte[] data = new byte[(int) total];
        int at = 0;
        for (byte[] b : blocks) {
            int n = (int) Math.min(b.length, total - at);
            System.arraycopy(b, 0, data, at, n);
            at += n;
        }
        return data;
    }

    private static BadImageException tooLarge(String what, String shown, long limit) {
        if (limit > MAX_ARRAY) return new BadImageException(what + " '" + shown + "' is larger than 2 GiB, more than Flatland can load");
        return new BadImageException(what + " '" + shown + "' is larger than the guest's RAM (" + (limit >> 20) + " MiB, see -m)");
    }
}
