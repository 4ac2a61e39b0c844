package io.flatland.machine.devices;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NS16550A registers per the National Semiconductor datasheet (COM1 at 0x3F8). */
class Uart16550Test {
    private static final int BASE = 0x3F8, THR = BASE, IER = BASE + 1, IIR = BASE + 2, LCR = BASE + 3,
            MCR = BASE + 4, LSR = BASE + 5, MSR = BASE + 6, SCR = BASE + 7;
    private ByteArrayOutputStream sink;
    private SerialInput input;
    private boolean irq;
    private Uart16550 uart;

    @BeforeEach
    void setUp() {
        sink = new ByteArrayOutputStream();
        input = SerialInput.manual();
        uart = new Uart16550(level -> irq = level, sink, input);
    }

    @Test
    void transmitterIsAlwaysReadyAndBytesReachTheSink() {
        assertEquals(0x60, uart.in(LSR, 1) & 0x60, "THRE and TEMT");
        uart.out(THR, 1, 'h');
        uart.out(THR, 1, 'i');
        assertEquals(0x60, uart.in(LSR, 1) & 0x60);
        assertEquals("hi", sink.toString());
    }

    @Test
    void dlabSwitchesOffsetsZeroAndOneToTheDivisorLatch() {
        uart.out(LCR, 1, 0x80);
        uart.out(BASE, 1, 0x01);
        uart.out(BASE + 1, 1, 0x00);
        assertEquals(0x01, uart.in(BASE, 1));
        assertEquals(0x00, uart.in(BASE + 1, 1));
        uart.out(LCR, 1, 0x03);
        assertEquals(0x03, uart.in(LCR, 1));
        assertEquals("", sink.toString(), "divisor writes are not transmitted");
        uart.out(IER, 1, 0x00);
        assertEquals(0, uart.in(IER, 1));
    }

    @Test
    void iirReportsNoInterruptAndFifoBitsWhenEnabled() {
        assertEquals(0x01, uart.in(IIR, 1));
        uart.out(IIR, 1, 0xC7);            // FCR: enable and clear FIFOs, trigger 14
        assertEquals(0xC1, uart.in(IIR, 1));
    }

    @Test
    void thrEmptyInterruptIsClearedByReadingIir() {
        uart.out(IER, 1, 0x02);
        assertTrue(irq, "enabling ETBEI with THR empty raises the interrupt");
        assertEquals(0x02, uart.in(IIR, 1) & 0x0F);
        assertFalse(irq);
        assertEquals(0x01, uart.in(IIR, 1) & 0x0F);
        uart.out(THR, 1, 'x');
        assertTrue(irq, "THR empty again after the byte went out");
    }

    @Test
    void receivedDataRaisesRdaAndClearsWhenRead() {
        uart.out(IER, 1, 0x01);
        input.offer('A');
        uart.pollInput();
        assertEquals(0x01, uart.in(LSR, 1) & 0x01);
        assertTrue(irq);
        assertEquals(0x04, uart.in(IIR, 1) & 0x0F);
        assertEquals('A', uart.in(BASE, 1));
        assertEquals(0, uart.in(LSR, 1) & 0x01);
        assertFalse(irq);
    }

    @Test
    void receivedDataOutranksThrEmpty() {
        uart.out(IER, 1, 0x03);
        input.offer('B');
        uart.pollInput();
        assertEquals(0x04, uart.in(IIR, 1) & 0x0F);
    }

    @Test
    void loopbackReturnsTransmittedBytesAndMirrorsModemLines() {
        uart.out(MCR, 1, 0x10 | 0x0F);     // loopback with DTR, RTS, OUT1, OUT2
        uart.out(THR, 1, 0x5A);
        assertEquals("", sink.toString());
        assertEquals(0x01, uart.in(LSR, 1) & 0x01);
        assertEquals(0x5A, uart.in(BASE, 1));
        assertEquals(0xF0, uart.in(MSR, 1) & 0xF0, "CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2");
        uart.out(MCR, 1, 0x10 | 0x02);     // only RTS
        assertEquals(0x10, uart.in(MSR, 1) & 0xF0);
    }

    @Test
    void scratchRegisterHoldsAByte() {
        uart.out(SCR, 1, 0xA5);
        assertEquals(0xA5, uart.in(SCR, 1));
    }
}
