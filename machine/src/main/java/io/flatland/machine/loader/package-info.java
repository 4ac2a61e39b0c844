/**
 * Loading what QEMU loads for {@code -kernel}: ELF32 and a.out-kludge Multiboot v1 kernels,
 * modules, the E820 map and the Multiboot information, laid out exactly as QEMU 7.2 with
 * SeaBIOS lays them out ({@code MultibootLoader}, {@code BootImage}); Linux bzImages by the
 * Linux/x86 boot protocol, entered through its 32-bit protocol with a prepared boot_params
 * ({@code LinuxSetupHeader}, {@code LinuxLoader}, {@code LinuxBootImage}); both behind
 * {@code GuestBoot}; images read with a size limit ({@code ImageFile}).
 */
package io.flatland.machine.loader;
