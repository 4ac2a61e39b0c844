package io.flatland.machine.devices;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * Bytes typed on the host for the guest's serial port. A daemon thread blocks on the
 * input stream and only appends to a small ring buffer (and wakes the CPU thread if it
 * is waiting in HLT); the UART takes bytes out from the CPU thread. Single producer,
 * single consumer, so two volatile indices are enough.
 *
 * <p>The process's own standard input is read through a {@link FileChannel}: closing that
 * channel interrupts a read blocked in the kernel. A thread blocked in a plain stream read
 * would stay in native code, and the JVM waits up to 300 ms for such threads when it exits.
 */
public final class SerialInput {
    private static final int SIZE = 4096;
    private final byte[] ring = new byte[SIZE];
    private volatile long written, read;
    private volatile boolean open = true;
    private volatile Thread waiter;
    /** The channel on the process's standard input (null when reading another stream). */
    private volatile FileChannel stdin;

    /** Starts the reader thread on {@code in} ({@link System#in}: the process's standard input, see above). */
    public static SerialInput start(InputStream in) {
        SerialInput s = new SerialInput();
        Runnable reader;
        if (in == System.in) {
            FileChannel ch = new FileInputStream(FileDescriptor.in).getChannel();
            s.stdin = ch;
            reader = () -> s.pump(ch);
        } else {
            reader = () -> s.pump(in);
        }
        Thread t = new Thread(reader, "flatland-serial-input");
        t.setDaemon(true);
        t.start();
        return s;
    }

    /** An input fed by the caller (tests, embedding applications). */
    public static SerialInput manual() {
        return new SerialInput();
    }

    private void pump(InputStream in) {
        try {
            int b;
            while ((b = in.read()) >= 0) offer(b);
        } catch (IOException e) {
            // end of input
        } finally {
            open = false;
            wake();
        }
    }

    private void pump(FileChannel ch) {
        ByteBuffer buf = ByteBuffer.allocate(512);
        try {
            while (ch.read(buf.clear()) >= 0) {
                for (int i = 0; i < buf.position(); i++) offer(buf.get(i) & 0xFF);
            }
        } catch (IOException e) {
            // end of input, or the channel was closed under the blocked read (machine closed)
        } finally {
            open = false;
            wake();
        }
    }

    /** Producer side: appends a byte, waiting while the ring is full. */
    public void offer(int b) {
        while (written - read >= SIZE) LockSupport.parkNanos(1_000_000);
        ring[(int) (written % SIZE)] = (byte) b;
        written = written + 1;
        wake();
    }

    /** No more input; the reader thread (if reading standard input) stops at once. */
    public void close() {
        open = false;
        FileChannel ch = stdin;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
        wake();
    }

    private void wake() {
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w);
    }

    /** Consumer side: the next byte or -1. */
    public int poll() {
        if (read == written) return -1;
        int b = ring[(int) (read % SIZE)] & 0xFF;
        read = read + 1;
        return b;
    }

    public boolean available() { return read != written; }

    public boolean open() { return open || available(); }

    /** The thread to unpark when input arrives (the CPU thread while it sleeps in HLT). */
    public void setWaiter(Thread t) { waiter = t; }
}
