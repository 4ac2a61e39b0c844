package io.flatland.machine.devices;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 8259A behaviour from the Intel datasheet, in the PC/AT master/slave wiring. */
class DualPicTest {
    private DualPic pic;

    @BeforeEach
    void initLikeABios() {
        pic = new DualPic();
        // ICW1: edge, cascade, ICW4 needed; ICW2: vector base; ICW3: wiring; ICW4: 8086 mode.
        pic.out(0x20, 1, 0x11);
        pic.out(0x21, 1, 0x20);
        pic.out(0x21, 1, 0x04);
        pic.out(0x21, 1, 0x01);
        pic.out(0xA0, 1, 0x11);
        pic.out(0xA1, 1, 0x28);
        pic.out(0xA1, 1, 0x02);
        pic.out(0xA1, 1, 0x01);
    }

    private void eoiMaster() { pic.out(0x20, 1, 0x20); }

    private int readIsr(int base) {
        pic.out(base, 1, 0x0B);   // OCW3: read ISR
        return pic.in(base, 1);
    }

    private int readIrr(int base) {
        pic.out(base, 1, 0x0A);   // OCW3: read IRR
        return pic.in(base, 1);
    }

    @Test
    void icw1ClearsTheMaskAndIcw2SetsTheVectorBase() {
        assertEquals(0, pic.in(0x21, 1));
        pic.pulse(1);
        assertTrue(pic.intr());
        assertEquals(0x21, pic.acknowledge());
    }

    @Test
    void lowerIrqNumberHasPriorityAndIsrBlocksLowerPriorities() {
        pic.pulse(5);
        pic.pulse(3);
        assertEquals(0x23, pic.acknowledge());
        assertEquals(1 << 3, readIsr(0x20));
        // IRQ5 is pending but of lower priority than the in-service IRQ3.
        assertFalse(pic.intr());
        assertEquals(1 << 5, readIrr(0x20));
        // A higher priority request still interrupts (nesting).
        pic.pulse(1);
        assertTrue(pic.intr());
        assertEquals(0x21, pic.acknowledge());
        // Non-specific EOI clears the highest-priority ISR bit: IRQ1 first.
        eoiMaster();
        assertEquals(1 << 3, readIsr(0x20));
        eoiMaster();
        assertEquals(0, readIsr(0x20));
        assertTrue(pic.intr());
        assertEquals(0x25, pic.acknowledge());
    }

    @Test
    void specificEoiClearsTheNamedLevel() {
        pic.pulse(3);
        pic.acknowledge();
        pic.pulse(1);
        pic.acknowledge();
        assertEquals(0b1010, readIsr(0x20));
        pic.out(0x20, 1, 0x60 | 3);    // specific EOI for IRQ3
        assertEquals(0b0010, readIsr(0x20));
    }

    @Test
    void maskedRequestsStayInIrrUntilUnmasked() {
        pic.out(0x21, 1, 0x01);         // OCW1: mask IRQ0
        assertEquals(0x01, pic.in(0x21, 1));
        pic.pulse(0);
        assertFalse(pic.intr());
        assertEquals(1, readIrr(0x20));
        pic.out(0x21, 1, 0x00);
        assertTrue(pic.intr());
        assertEquals(0x20, pic.acknowledge());
    }

    @Test
    void edgeTriggeredLineHeldHighRequestsOnce() {
        pic.setIrq(4, true);
        assertEquals(0x24, pic.acknowledge());
        eoiMaster();
        assertFalse(pic.intr(), "no new edge while the line stays high");
        pic.setIrq(4, false);
        pic.setIrq(4, true);
        assertTrue(pic.intr());
    }

    @Test
    void slaveRequestsCascadeThroughMasterIrq2() {
        pic.pulse(8 + 6);               // IRQ14
        assertTrue(pic.intr());
        assertEquals(0x2E, pic.acknowledge());
        assertEquals(1 << 2, readIsr(0x20));
        assertEquals(1 << 6, readIsr(0xA0));
        pic.out(0xA0, 1, 0x20);
        eoiMaster();
        assertEquals(0, readIsr(0x20));
        assertEquals(0, readIsr(0xA0));
    }

    @Test
    void maskingIrq2OnTheMasterHidesTheSlave() {
        pic.out(0x21, 1, 0x04);
        pic.pulse(8);
        assertFalse(pic.intr());
        pic.out(0x21, 1, 0x00);
        assertEquals(0x28, pic.acknowledge());
    }

    @Test
    void requestThatVanishesBeforeInterruptAcknowledgeIsSpuriousIrq7() {
        // Nothing pending at INTA: the master answers with its IRQ7 vector and sets no ISR bit.
        assertEquals(0x27, pic.acknowledge());
        assertEquals(0, readIsr(0x20));
        // Same for the slave: master IRQ2 in service, slave answers IRQ15's vector.
        pic.pulse(9);
        pic.out(0xA1, 1, 0x02);         // mask IRQ9 at the slave after the master latched IRQ2
        pic.out(0x21, 1, 0x00);
        assertEquals(0x2F, pic.acknowledge());
        assertEquals(0, readIsr(0xA0));
    }

    @Test
    void autoEoiLeavesNothingInService() {
        pic.out(0x20, 1, 0x11);
        pic.out(0x21, 1, 0x50);
        pic.out(0x21, 1, 0x04);
        pic.out(0x21, 1, 0x03);         // ICW4: AEOI | 8086
        pic.pulse(0);
        assertEquals(0x50, pic.acknowledge());
        assertEquals(0, readIsr(0x20));
    }

    @Test
    void rotateOnNonSpecificEoiMakesTheServedLevelLowest() {
        pic.pulse(0);
        pic.acknowledge();
        pic.out(0x20, 1, 0xA0);         // rotate on non-specific EOI: IRQ0 becomes lowest
        pic.pulse(0);
        pic.pulse(7);
        assertEquals(0x27, pic.acknowledge());
    }

    @Test
    void pollCommandReturnsTheHighestRequestAndAcknowledgesIt() {
        pic.pulse(6);
        pic.out(0x20, 1, 0x0C);         // OCW3: poll
        assertEquals(0x86, pic.in(0x20, 1));
        assertEquals(1 << 6, readIsr(0x20));
    }
}
