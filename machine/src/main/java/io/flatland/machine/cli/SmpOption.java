package io.flatland.machine.cli;

/**
 * QEMU's {@code -smp [cpus=]N[,maxcpus=M][,sockets=S][,dies=D][,cores=C][,threads=T]}. Flatland
 * has one CPU: any topology that means more than one is refused.
 */
final class SmpOption {
    private SmpOption() { }

    static void check(String v) throws UsageException {
        long cpus = -1, maxcpus = -1, topology = 1;
        String[] parts = v.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            // QEMU's implied key: a leading bare number is cpus.
            String key = eq < 0 && i == 0 ? "cpus" : eq < 0 ? p : p.substring(0, eq);
            String val = eq < 0 ? p : p.substring(eq + 1);
            switch (key) {
                case "cpus" -> cpus = count(v, key, val);
                case "maxcpus" -> maxcpus = count(v, key, val);
                case "sockets", "dies", "clusters", "cores", "threads" -> topology *= Math.max(1, count(v, key, val));
                default -> throw new UsageException("-smp " + v + ": unknown parameter '" + key + "'");
            }
        }
        // QEMU: cpus defaults to the topology's product, 0 means "not given" (a deprecated spelling of 1).
        long n = Math.max(cpus > 0 ? cpus : topology, Math.max(maxcpus, topology));
        if (n > 1) throw new UsageException("-smp " + v + ": SMP is not modelled yet, Flatland has one CPU (use -smp 1)");
    }

    private static long count(String v, String key, String val) throws UsageException {
        try {
            long n = Long.parseLong(val);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("-smp " + v + ": " + key + " expects a number, not '" + val + "'");
        }
    }
}
