package io.flatland.machine.firmware;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * QEMU 7.2's raw answers recorded by the platform probe with -append dump
 * (src/test/resources/platform/platform-dump.txt): every ACPI table by signature, and every
 * PCI function's 256 configuration bytes by "dd.f".
 */
public final class QemuDump {
    public final Map<String, byte[]> tables = new LinkedHashMap<>();
    public final Map<String, Integer> tableAddresses = new LinkedHashMap<>();
    public final Map<String, byte[]> configs = new LinkedHashMap<>();

    public static QemuDump load() throws IOException {
        QemuDump d = new QemuDump();
        List<String> lines = new String(PlatformKernelTest.resource("platform-dump.txt"), StandardCharsets.ISO_8859_1).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String[] w = lines.get(i).trim().split(" ");
            if (w[0].equals("dump") && w.length == 4) {              // dump table|RSDP|FACS ADDRESS LENGTH
                int len = Integer.parseInt(w[3]);
                byte[] b = new byte[len];
                int n = 0;
                for (int j = i + 1; n < len; j++) {
                    String[] h = lines.get(j).trim().split(" ");
                    for (int k = 1; k < h.length; k++) b[n++] = (byte) Integer.parseInt(h[k], 16);
                }
                String sig = new String(b, 0, w[1].equals("RSDP") ? 8 : 4, StandardCharsets.US_ASCII);
                d.tables.put(sig, b);
                d.tableAddresses.put(sig, Integer.parseUnsignedInt(w[2], 16));
            } else if (w[0].equals("dump") && w[1].equals("config")) {  // dump config 00:dd.f
                byte[] b = new byte[256];
                for (int j = 0; j < 16; j++) {
                    String[] h = lines.get(i + 1 + j).trim().split(" ");
                    for (int k = 0; k < 4; k++) {
                        int v = Integer.parseUnsignedInt(h[1 + k], 16);
                        for (int x = 0; x < 4; x++) b[16 * j + 4 * k + x] = (byte) (v >>> (8 * x));
                    }
                }
                d.configs.put(w[2].substring(3), b);
            }
        }
        return d;
    }
}
