package io.flatland.cpu;

/** A device decoding a range of I/O ports. {@code size} is 1, 2 or 4 bytes. */
public interface IoDevice {
    int in(int port, int size);

    void out(int port, int size, int value);
}
