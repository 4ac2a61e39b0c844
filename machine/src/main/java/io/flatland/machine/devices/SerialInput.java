package io.flatland.machine.devices;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.LockSupport;

/**
 * Bytes typed on the host for the guest's serial port. A daemon thread blocks on the
 * input stream and only appends to a small ring buffer (and wakes the CPU thread if it
 * is waiting in HLT); the UART takes bytes out from the CPU thread. Single producer,
 * single consumer, so two volatile indices are enough.
 */
public final class SerialInput {
    private static final int SIZE = 4096;
    private final byte[] ring = new byte[SIZE];
    private volatile long written, read;
    private volatile boolean open = true;
    private volatile Thread waiter;

    /** Starts the reader thread on {@code in}. */
    public static SerialInput start(InputStream in) {
        SerialInput s = new SerialInput();
        Thread t = new Thread(() -> s.pump(in), "flatland-serial-input");
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

    /** Producer side: appends a byte, waiting while the ring is full. */
    public void offer(int b) {
        while (written - read >= SIZE) LockSupport.parkNanos(1_000_000);
        ring[(int) (written % SIZE)] = (byte) b;
        written = written + 1;
        wake();
    }

    public void close() {
        open = false;
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
