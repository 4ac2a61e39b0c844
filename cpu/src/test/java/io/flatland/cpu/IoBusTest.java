package io.flatland.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class IoBusTest {
    @Test
    void unclaimedPortsReadAllOnes() {
        IoBus bus = new IoBus();
        assertEquals(0xFF, bus.in(0x1234, 1));
        assertEquals(0xFFFF, bus.in(0x1234, 2));
        assertEquals(-1, bus.in(0x1234, 4));
        assertFalse(bus.claimed(0x1234));
    }

    @Test
    void dispatchesToTheRegisteredDeviceAndMasksToTheAccessSize() {
        IoBus bus = new IoBus();
        int[] last = new int[3];
        bus.register(0x3F8, 8, new IoDevice() {
            @Override public int in(int port, int size) { return 0x12345678; }
            @Override public void out(int port, int size, int value) { last[0] = port; last[1] = size; last[2] = value; }
        });
        assertEquals(0x78, bus.in(0x3F8, 1));
        assertEquals(0x5678, bus.in(0x3FF, 2));
        bus.out(0x3FD, 1, 0x1FF);
        assertArrayEquals(new int[] {0x3FD, 1, 0xFF}, last);
        assertEquals(0xFF, bus.in(0x400, 1));
        assertEquals(4, bus.operations());
    }
}
