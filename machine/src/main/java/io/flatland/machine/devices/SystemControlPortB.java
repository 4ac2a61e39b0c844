package io.flatland.machine.devices;

import io.flatland.cpu.IoDevice;

/**
 * Port 0x61 of the PC/AT: bit 0 drives PIT channel 2's GATE, bit 1 enables the speaker
 * data path; reads return those two bits, a refresh-request bit (4) that toggles on every
 * read (BIOS delay loops poll it) and channel 2's OUT in bit 5.
 */
public final class SystemControlPortB implements IoDevice, Device {
    private final Pit8254 pit;
    private boolean speakerData;
    private boolean refreshToggle;

    public SystemControlPortB(Pit8254 pit) {
        this.pit = pit;
    }

    @Override
    public void attach(Wiring w) {
        w.io().register(0x61, 1, this);
    }

    @Override
    public int in(int port, int size) {
        refreshToggle = !refreshToggle;
        return (pit.gate2() ? 1 : 0) | (speakerData ? 2 : 0) | (refreshToggle ? 0x10 : 0) | (pit.out2() ? 0x20 : 0);
    }

    @Override
    public void out(int port, int size, int value) {
        pit.setGate2((value & 1) != 0);
        speakerData = (value & 2) != 0;
    }

    @Override
    public void reset() {
        speakerData = false;
        refreshToggle = false;
    }
}
