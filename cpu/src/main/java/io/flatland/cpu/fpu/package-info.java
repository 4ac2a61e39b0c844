/**
 * The x87 floating-point unit: {@code FpuState} (registers, status, control, tags, pointers),
 * an 80-bit soft float ({@code Float80}, {@code SoftFloat}) bit-exact with QEMU 7.2 for the
 * basic operations, and {@code Transcendental} for the rest.
 */
package io.flatland.cpu.fpu;
