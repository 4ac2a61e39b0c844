/**
 * A PC around the CPU: {@code Machine} (RAM, CPU, devices, engine; embeddable), its
 * configuration ({@code MachineConfig}), {@code PcPlatform} (interrupts and time as the CPU
 * sees them), {@code VirtualClock} (host time, or instructions under --icount), the execution
 * engines ({@code ExecutionEngine}, {@code Accel}), the kernel model packaged in the jar
 * ({@code KernelModel}) and the --stats document ({@code Stats}).
 */
package io.flatland.machine;
