/**
 * The ISA devices of the PC, each on its I/O ports: the 8259 pair ({@code DualPic},
 * {@code Pic8259}), the 8254 ({@code Pit8254}), four 16550A UARTs ({@code SerialPorts},
 * {@code Uart16550}, host input through {@code SerialInput}), the MC146818 RTC/CMOS, the POST
 * port 0x80, isa-debug-exit, ports 0x61 and 0x92, and the 8042 as far as guests reset with it.
 */
package io.flatland.machine.devices;
