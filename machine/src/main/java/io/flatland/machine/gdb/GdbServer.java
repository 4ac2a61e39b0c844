package io.flatland.machine.gdb;

import io.flatland.cpu.Cpu;
import io.flatland.cpu.DebugControl;
import io.flatland.cpu.ExitReason;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineDebugger;
import io.flatland.machine.RunResult;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;

/**
 * QEMU's gdb stub for a {@link Machine} ({@code -s}, {@code -gdb tcp::PORT}, {@code -S}): listens
 * on a TCP port, serves one gdb at a time ({@link GdbConnection}, on its own thread) and stops
 * and resumes the machine's run loop for it.
 *
 * <p>The handshake between the two threads: the CPU's thread parks in {@link #stopped} until
 * the connection resumes it; registers and memory are only touched while it is parked (the
 * monitor orders both sides' accesses). A stop reply is sent by the CPU's thread when it stops
 * after gdb resumed it. An interrupt from gdb (0x03) raises {@link Cpu#exitRequest} (only when
 * nothing else did: a guest's exit request wins) and wakes the CPU if it sleeps in HLT.
 */
public final class GdbServer implements MachineDebugger, AutoCloseable {
    enum Resume { CONTINUE, KILL }

    private static final int SIGINT = 2, SIGTRAP = 5;
    private static final VarHandle EXIT_REQUEST;
    static {
        try {
            EXIT_REQUEST = MethodHandles.lookup().findVarHandle(Cpu.class, "exitRequest", ExitReason.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Cpu cpu;
    private final CpuTarget target;
    private final ServerSocket listener;
    private final PrintStream notes;

    // Guarded by this.
    private boolean cpuStopped, ended;
    private Resume resume;
    private boolean replyOnStop;
    private String stopReply = "T05thread:01;";
    private GdbConnection active;

    /** A stop gdb asked for and the run loop has not made yet: its signal (0: none). */
    private volatile int pendingSignal;
    private volatile Thread cpuThread;

    private GdbServer(Machine machine, ServerSocket listener, boolean stopAtStart, PrintStream notes) {
        this.cpu = machine.cpu();
        this.listener = listener;
        this.notes = notes;
        this.target = new CpuTarget(cpu, this);
        if (stopAtStart) pendingSignal = SIGTRAP;
    }

    /**
     * Listens on {@code at} and attaches to {@code machine}; with {@code stopAtStart} (-S) the
     * CPU does not run until a debugger continues it. {@code notes} receives one line per
     * refused connection. The port is bound when this returns (0 picks a free one: {@link #port}).
     */
    public static GdbServer start(Machine machine, GdbEndpoint at, boolean stopAtStart, PrintStream notes) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(at.host()), at.port()), 1);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        GdbServer server = new GdbServer(machine, s, stopAtStart, notes);
        machine.attachDebugger(server);
        Thread t = new Thread(server::acceptLoop, "flatland-gdb-listener");
        t.setDaemon(true);
        t.start();
        return server;
    }

    public int port() { return listener.getLocalPort(); }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return;   // closed
            }
            synchronized (this) {
                if (active != null || ended) {
                    refuse(s, ended ? "the machine has ended" : "a debugger is already connected (one at a time)");
                    continue;
                }
                try {
                    s.setTcpNoDelay(true);
                    active = new GdbConnection(s, this, target);
                } catch (IOException e) {
                    closeQuietly(s);
                    continue;
                }
            }
            Thread t = new Thread(active::serve, "flatland-gdb-connection");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Tells a second client why it cannot connect: an error packet gdb prints, then the connection closes. */
    private void refuse(Socket s, String why) {
        notes.println("flatland: gdb: refused a connection from " + s.getRemoteSocketAddress() + ": " + why);
        try {
            s.getOutputStream().write(PacketReader.frame("E.flatland: " + why));
            s.getOutputStream().flush();
        } catch (IOException e) {
            // it is gone already
        }
        closeQuietly(s);
    }

    // ---- the CPU's thread (MachineDebugger) ----

    @Override
    public boolean stopPending() {
        cpuThread = Thread.currentThread();
        return pendingSignal != 0;
    }

    @Override
    public synchronized boolean stopped(Cpu c) {
        cpuThread = Thread.currentThread();
        int signal = pendingSignal;
        stopReply = target.stopReplyFor(signal == 0 ? SIGTRAP : signal);
        if (c.debug != null) c.debug.stop = DebugControl.Stop.NONE;
        pendingSignal = 0;
        EXIT_REQUEST.compareAndSet(c, ExitReason.DEBUG, ExitReason.NONE);
        cpuStopped = true;
        if (replyOnStop && active != null) active.send(stopReply);
        replyOnStop = false;
        notifyAll();
        while (resume == null) {
            try {
                wait();
            } catch (InterruptedException e) {
                resume = Resume.CONTINUE;   // the CPU's thread is being ended: let it go
            }
        }
        Resume r = resume;
        resume = null;
        cpuStopped = false;
        return r != Resume.KILL;
    }

    @Override
    public void ended(RunResult result) {
        GdbConnection c;
        synchronized (this) {
            ended = true;
            c = active;
            if (c != null && replyOnStop) {
                // The guest exited while gdb waited for a stop: "W" with the exit status.
                c.send(result.outcome() == RunResult.Outcome.KILLED ? "X09" : String.format("W%02x", result.exitStatus() & 0xFF));
            }
            replyOnStop = false;
            notifyAll();
        }
        if (c != null) c.close();
        close();
    }

    // ---- the connection's thread ----

    /** Waits until the CPU is stopped; false if the machine ended instead (or the wait was interrupted). */
    synchronized boolean awaitStopped() {
        while (!cpuStopped && !ended) {
            try {
                wait();
            } catch (InterruptedException e) {
                return false;
            }
        }
        return cpuStopped;
    }

    synchronized boolean isStopped() { return cpuStopped; }

    synchronized String stopReply() { return stopReply; }

    /** Resumes the stopped CPU; with {@code reply}, the stop that follows is reported to the client. */
    synchronized void resume(Resume how, boolean reply) {
        if (!cpuStopped) return;
        resume = how;
        replyOnStop = reply;
        notifyAll();
    }

    /** gdb's interrupt (0x03): stop the running CPU as soon as it can. */
    void interrupt() {
        if (pendingSignal == 0) pendingSignal = SIGINT;
        EXIT_REQUEST.compareAndSet(cpu, ExitReason.NONE, ExitReason.DEBUG);
        Thread t = cpuThread;
        if (t != null) LockSupport.unpark(t);   // it may sleep in HLT
    }

    /** The client went away (detach, kill, closed socket): a new one may connect. */
    synchronized void disconnected(GdbConnection c) {
        if (active == c) active = null;
        replyOnStop = false;
    }

    /** The connection was lost without D or k: breakpoints off, and the guest runs on (as QEMU does). */
    void lost() {
        synchronized (this) {
            if (!cpuStopped) {
                // It runs: the points are taken off at its next stop, which nobody waits for any more.
                pendingSignal = SIGTRAP;
                EXIT_REQUEST.compareAndSet(cpu, ExitReason.NONE, ExitReason.DEBUG);
            }
        }
        if (awaitStopped()) {
            target.clear();
            resume(Resume.CONTINUE, false);
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
