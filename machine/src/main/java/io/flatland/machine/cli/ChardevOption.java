package io.flatland.machine.cli;

/**
 * QEMU's {@code -chardev stdio,id=ID} and {@code -chardev file,id=ID,path=PATH}: a named
 * output a device (isa-debugcon) writes to. Stored in the -serial spelling, "stdio" or
 * "file:PATH".
 */
final class ChardevOption {
    private ChardevOption() { }

    static void apply(Options o, String v) throws UsageException {
        String[] parts = v.split(",", -1);
        String backend = parts[0], id = null, path = null;
        if (!backend.equals("stdio") && !backend.equals("file")) {
            throw new UsageException("-chardev " + backend + ": only the stdio and file backends are supported");
        }
        for (int k = 1; k < parts.length; k++) {
            String p = parts[k];
            int eq = p.indexOf('=');
            if (eq <= 0) throw new UsageException("-chardev " + v + ": malformed property '" + p + "'");
            String key = p.substring(0, eq), val = p.substring(eq + 1);
            switch (key) {
                case "id" -> id = val;
                case "path" -> path = val;
                // stdio's signal=on|off (whether ^C reaches QEMU): Flatland never puts the terminal in raw mode.
                case "signal" -> { }
                default -> throw new UsageException("-chardev " + v + ": property '" + key + "' is not supported");
            }
        }
        if (id == null || id.isEmpty()) throw new UsageException("-chardev " + v + ": needs id=ID");
        if (o.chardevs.containsKey(id)) throw new UsageException("-chardev " + v + ": duplicate id '" + id + "'");
        String spec = switch (backend) {
            case "stdio" -> "stdio";
            case "file" -> {
                if (path == null || path.isEmpty()) throw new UsageException("-chardev " + v + ": file needs path=PATH");
                yield "file:" + path;
            }
            default -> throw new IllegalStateException(backend);
        };
        o.chardevs.put(id, spec);
    }
}
