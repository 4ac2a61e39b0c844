package io.flatland.machine.gdb;

/**
 * Where the stub listens, from QEMU's {@code -gdb} device syntax: {@code tcp::PORT} (localhost)
 * or {@code tcp:HOST:PORT}; {@code -s} is {@code tcp::1234}. Unlike QEMU, an empty host means
 * the loopback interface only: a debugger can read and write all of guest memory, so reaching
 * it from the network must be asked for by name ({@code tcp:0.0.0.0:PORT}).
 */
public record GdbEndpoint(String host, int port) {
    public static final GdbEndpoint DEFAULT = new GdbEndpoint("127.0.0.1", 1234);

    /** Parses a -gdb argument; the message of the exception says what is wrong. */
    public static GdbEndpoint parse(String spec) {
        if (!spec.startsWith("tcp:")) {
            throw new IllegalArgumentException("-gdb " + spec + ": only tcp::PORT and tcp:HOST:PORT are supported");
        }
        String rest = spec.substring(4);
        int colon = rest.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("-gdb " + spec + ": use tcp::PORT or tcp:HOST:PORT");
        String host = rest.substring(0, colon);
        String portText = rest.substring(colon + 1);
        int comma = portText.indexOf(',');
        if (comma >= 0) portText = portText.substring(0, comma);   // QEMU's ,server,nowait,... options: ours always are
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-gdb " + spec + ": bad port '" + portText + "'");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("-gdb " + spec + ": port out of range");
        return new GdbEndpoint(host.isEmpty() ? "127.0.0.1" : host, port);
    }

    @Override
    public String toString() { return "tcp:" + host + ":" + port; }
}
