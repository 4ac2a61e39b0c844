package io.flatland.machine.gdb;

import io.flatland.machine.KernelModel;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineConfig;
import io.flatland.machine.RunResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server on a real socket, without gdb: -S holds the CPU, a second client is refused with
 * a message, 0x03 stops a running guest with SIGINT, D lets it run to its end.
 */
class GdbServerTest {
    /** A minimal client: sends packets, reads acks and replies. */
    static final class Client implements AutoCloseable {
        final Socket s = new Socket();
        final InputStream in;

        Client(int port) throws IOException {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            in = s.getInputStream();
        }

        void send(String body) throws IOException {
            s.getOutputStream().write(PacketReader.frame(body));
        }

        void interrupt() throws IOException {
            s.getOutputStream().write(0x03);
        }

        /** The next reply packet's body (acks skipped); acknowledges it. */
        String reply() throws IOException {
            return reply(true);
        }

        String reply(boolean ack) throws IOException {
            PacketReader r = new PacketReader(in);
            for (;;) {
                PacketReader.Kind k = r.next();
                if (k == PacketReader.Kind.PACKET) {
                    if (ack) s.getOutputStream().write('+');
                    return r.packet;
                }
                if (k == PacketReader.Kind.EOF) return null;
            }
        }

        String ask(String body) throws IOException {
            send(body);
            return reply();
        }

        @Override public void close() throws IOException { s.close(); }
    }

    /** The kernel model's cpu workload with an n large enough to outlast any test: a guest that keeps running. */
    private static MachineConfig longRunning() {
        return KernelModel.configure(MachineConfig.builder(), "workload=cpu n=1000000000").ramMiB(128).build();
    }

    @Test
    void stopsAtStartRefusesASecondClientInterruptsAndKills() throws Exception {
        ByteArrayOutputStream notes = new ByteArrayOutputStream();
        try (Machine m = new Machine(longRunning())) {
            GdbServer server = GdbServer.start(m, new GdbEndpoint("127.0.0.1", 0), true, new PrintStream(notes, true));
            CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(m::run);
            try (Client gdb = new Client(server.port())) {
                assertEquals("T05thread:01;", gdb.ask("?"));
                Thread.sleep(100);
                assertEquals(0, m.cpu().icount, "-S: the CPU has not run");
                assertTrue(gdb.ask("qSupported:xmlRegisters=i386").contains("PacketSize=4000"));
                try (Client second = new Client(server.port())) {
                    String refusal = second.reply(false);   // no ack: the server may have closed already
                    assertTrue(refusal.startsWith("E.") && refusal.contains("already connected"), refusal);
                    assertEquals(null, second.reply(false), "and the connection is closed");
                }
                assertTrue(notes.toString(StandardCharsets.UTF_8).contains("refused a connection"), notes.toString());

                gdb.send("c");
                Thread.sleep(200);
                gdb.interrupt();
                assertEquals("T02thread:01;", gdb.reply());
                long stoppedAt = m.cpu().icount;
                assertTrue(stoppedAt > 0);
                String eip = gdb.ask("p8");
                assertEquals(8, eip.length(), eip);
                assertEquals("E22", gdb.ask("m1,zz"), "a malformed packet gets an error, the session goes on");
                assertEquals("", gdb.ask("qNoSuchThing"));
                Thread.sleep(100);
                assertEquals(stoppedAt, m.cpu().icount, "stopped means stopped");
                gdb.send("k");
                RunResult r = run.get(30, TimeUnit.SECONDS);
                assertEquals(RunResult.Outcome.KILLED, r.outcome());
                assertEquals(0, r.exitStatus());
            }
        }
    }

    @Test
    void afterDetachTheGuestRunsToItsEnd() throws Exception {
        MachineConfig cfg = KernelModel.configure(MachineConfig.builder(), "workload=boot").ramMiB(128).build();
        try (Machine m = new Machine(cfg)) {
            GdbServer server = GdbServer.start(m, new GdbEndpoint("127.0.0.1", 0), true, new PrintStream(new ByteArrayOutputStream()));
            CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(m::run);
            try (Client gdb = new Client(server.port())) {
                assertEquals("OK", gdb.ask("Z0,f0406000,1"));
                assertEquals("OK", gdb.ask("D"));
            }
            RunResult r = run.get(60, TimeUnit.SECONDS);
            assertEquals(33, r.exitStatus(), "the kernel model boots to its end, past the breakpoint detach removed");
        }
    }
}
