package io.flatland.machine.gdb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One gdb client: reads its packets ({@link PacketReader}), acknowledges them, and answers
 * each with {@link GdbCommands} once the CPU is stopped. While the CPU runs, only the
 * interrupt byte means something; a packet sent then waits for the stop (gdb's all-stop mode
 * sends none). Replies are written under this object's lock, since the CPU's thread sends
 * the stop reply.
 */
final class GdbConnection {
    private final Socket socket;
    private final GdbServer server;
    private final GdbCommands commands;
    private final PacketReader reader;
    private final OutputStream out;
    private byte[] lastSent;

    GdbConnection(Socket socket, GdbServer server, GdbTarget target) throws IOException {
        this.socket = socket;
        this.server = server;
        this.commands = new GdbCommands(target);
        this.reader = new PacketReader(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    void serve() {
        boolean clean = false;
        try {
            for (;;) {
                PacketReader.Kind k = reader.next();
                switch (k) {
                    case EOF -> { return; }
                    case ACK -> { }
                    case NACK -> resend();
                    case INTERRUPT -> {
                        if (!server.isStopped()) server.interrupt();
                    }
                    case BAD_CHECKSUM -> {
                        if (!commands.noAck) write(new byte[] {'-'});
                    }
                    case OVERSIZED -> {
                        ack();
                        send(GdbCommands.EINVAL);
                    }
                    case PACKET -> {
                        ack();
                        if (!server.awaitStopped()) return;
                        String reply = commands.handle(reader.packet);
                        if (reply != GdbCommands.RESUMED) send(reply);
                        if (commands.finished) {
                            clean = true;
                            return;
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            server.disconnected(this);
            close();
            if (!clean) server.lost();
        }
    }

    private void ack() throws IOException {
        if (!commands.noAck) write(new byte[] {'+'});
    }

    /** Sends a reply packet; a failure to write means the client is gone, which the reader sees. */
    synchronized void send(String reply) {
        lastSent = PacketReader.frame(reply);
        try {
            write(lastSent);
        } catch (IOException e) {
            close();
        }
    }

    private synchronized void resend() throws IOException {
        if (lastSent != null) write(lastSent);
    }

    private synchronized void write(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
