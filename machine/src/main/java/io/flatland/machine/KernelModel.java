package io.flatland.machine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel model packaged in the jar (/kernel-model/: kernel plus modules pm, rs, vm, echo,
 * init, from kernel-model/prebuilt), for embedders, benchmarks and tests:
 *
 * <pre>{@code
 * MachineConfig cfg = KernelModel.configure(MachineConfig.builder(), "workload=boot").icount(true).build();
 * }</pre>
 *
 * The names are those of the QEMU invocation in kernel-model/README.md ("kernel-model/kernel",
 * "kernel-model/pm", ...), so the guest's command line and transcript match QEMU's.
 */
public final class KernelModel {
    public static final String RESOURCE_DIR = "/kernel-model/";
    public static final List<String> MODULES = List.of("pm", "rs", "vm", "echo", "init");

    private KernelModel() { }

    /** True when this build packaged the images (kernel-model/prebuilt was not empty). */
    public static boolean available() {
        return KernelModel.class.getResource(RESOURCE_DIR + "kernel") != null;
    }

    /** Sets kernel, modules and -append on {@code b} (RAM, accel, icount etc. are left to the caller). */
    public static MachineConfig.Builder configure(MachineConfig.Builder b, String append) {
        b.kernel("kernel-model/kernel", image("kernel")).append(append);
        for (String m : MODULES) b.module("kernel-model/" + m, image(m));
        return b;
    }

    /**
     * Images read so far: an application that boots the kernel model again and again (JMH, the
     * gate) read and inflated them from the jar every boot (6% of the time of 400 boots in one JVM).
     */
    private static final Map<String, byte[]> IMAGES = new ConcurrentHashMap<>();

    /** One packaged image by name ("kernel", "pm", ...): a copy of its bytes, the caller's own. */
    public static byte[] image(String name) {
        return IMAGES.computeIfAbsent(name, KernelModel::read).clone();
    }

    private static byte[] read(String name) {
        try (InputStream s = KernelModel.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (s == null) throw new IllegalStateException("this build has no kernel model image '" + name + "'");
            return s.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
