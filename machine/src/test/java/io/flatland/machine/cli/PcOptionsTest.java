package io.flatland.machine.cli;

import io.flatland.cpu.CpuFeature;
import io.flatland.cpu.CpuModel;
import io.flatland.machine.MachineType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The PC options kvm-unit-tests passes: -nodefaults, -smp, -machine, -cpu, -device, -chardev. */
class PcOptionsTest {
    private static Options parse(String... args) throws UsageException {
        return Options.parse(List.of(args), false);
    }

    /** The one-line message of a refused command line. */
    private static String refused(String... args) {
        UsageException e = assertThrows(UsageException.class, () -> parse(args));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test void nodefaultsLeavesNoSerialPortWithoutSerial() throws UsageException {
        assertEquals(List.of("stdio"), parse().serialPorts(), "default: COM1 on stdio");
        assertEquals(List.of(), parse("-nodefaults").serialPorts(), "QEMU: no serial port at all");
        assertEquals(List.of(), parse("--nodefaults").serialPorts());
        assertEquals(List.of("stdio"), parse("-nodefaults", "-serial", "stdio").serialPorts());
    }

    @Test void doubleDashAndEqualsSpellings() throws UsageException {
        Options o = parse("--no-reboot", "--machine=isapc", "--cpu=pentium,-cmov", "--smp=1", "--device=pc-testdev",
                "--chardev=stdio,id=c", "--device=isa-debugcon,chardev=c", "--bios=rom.bin");
        assertTrue(o.noReboot);
        assertEquals(MachineType.ISAPC, o.machineType());
        assertFalse(o.cpuModel().has(CpuFeature.CMOV));
        assertTrue(o.pcTestdev);
        assertEquals("rom.bin", o.bios);
        assertEquals(List.of(new DeviceOption.Debugcon(0xE9, 0xE9, "c")), o.debugcons);
    }

    @Test void appendAndInitrdTakeInlineValuesToo() throws UsageException {
        Options o = parse("--append=console=ttyS0 a=b", "--initrd=mod arg=1,mod2", "-kernel=k.elf");
        assertEquals("console=ttyS0 a=b", o.append);
        assertEquals("mod arg=1,mod2", o.initrd);
        assertEquals("k.elf", o.kernel);
        assertEquals("x=1", parse("-append", "x=1").append);
    }

    @Test void smpOneIsFineMoreIsRefused() throws UsageException {
        parse("-smp", "1");
        parse("-smp", "cpus=1,sockets=1,cores=1,threads=1");
        parse("-smp", "1,maxcpus=1");
        for (String v : new String[] {"2", "cpus=4", "1,sockets=2", "1,maxcpus=2", "cores=2"}) {
            assertTrue(refused("-smp", v).contains("SMP is not modelled yet"), v);
        }
        assertEquals("-smp foo: cpus expects a number, not 'foo'", refused("-smp", "foo"));
        assertEquals("-smp 1,nodes=2: unknown parameter 'nodes'", refused("-smp", "1,nodes=2"));
    }

    @Test void machineTypesAndProperties() throws UsageException {
        assertEquals(MachineType.PC, parse().machineType());
        assertEquals(MachineType.ISAPC, parse("-M", "isapc").machineType());
        assertEquals(MachineType.ISAPC, parse("-machine", "type=isapc").machineType());
        assertEquals(MachineType.PC, parse("-machine", "pc-i440fx-7.2,pit=on,accel=tcg").machineType());
        assertEquals(MachineType.PC, parse("-M", "isapc", "-M", "pc").machineType(), "the last one wins, as in QEMU");
        assertTrue(refused("-machine", "pc,pit=off").contains("pit=off is not supported"));
        assertEquals("-machine pc,smm=off: property 'smm' is not supported by Flatland", refused("-machine", "pc,smm=off"));
        assertTrue(refused("-M", "q35").contains("unsupported machine type 'q35'"));
        assertTrue(parse("-machine", "help").machineHelp);
        String help = MachineOption.help();
        assertTrue(help.contains("pc ") && help.contains("(default)") && help.contains("isapc"), help);
    }

    @Test void cpuModelsAndDefaults() throws UsageException {
        assertSame(CpuModel.QEMU32, parse().cpuModel(), "pc's default");
        assertSame(CpuModel.I486, parse("-M", "isapc").cpuModel(), "QEMU 7.2's isapc default");
        assertSame(CpuModel.MAX, parse("-cpu", "max").cpuModel());
        assertEquals("qemu64", parse("-cpu", "qemu64").cpuModel().name);
        assertTrue(parse("-cpu", "help").cpuHelp);
        String help = CpuOption.help();
        for (CpuModel m : CpuModel.ALL) assertTrue(help.contains("x86 " + m.name + " "), help);
    }

    @Test void cpuFeatureSwitches() throws UsageException {
        CpuModel m = parse("-cpu", "qemu32,-cmov,fpu=off,tsc=on,+pge,de").cpuModel();
        assertFalse(m.has(CpuFeature.CMOV));
        assertFalse(m.has(CpuFeature.FPU));
        assertTrue(m.has(CpuFeature.TSC) && m.has(CpuFeature.PGE) && m.has(CpuFeature.DE));
        assertFalse(parse("-cpu", "max,-sse,sse2=off,-x2apic").cpuModel().has(CpuFeature.SSE2), "clearing is always fine");
        assertTrue(parse("-cpu", "486,+apic").cpuModel().has(CpuFeature.APIC), "the machine decides whether it is reported");
    }

    @Test void leaf7FeaturesAndHostPhysBits() throws UsageException {
        CpuModel umip = parse("-cpu", "qemu64,+umip").cpuModel();
        assertTrue(umip.reports(CpuFeature.UMIP));
        assertEquals(0xd, umip.maxBasicLeaf);
        assertEquals(7, parse("-cpu", "qemu32,+umip").cpuModel().maxBasicLeaf, "QEMU raises the level to 7");
        assertEquals(4, parse("-cpu", "qemu32,-smap").cpuModel().maxBasicLeaf, "clearing a flag does not");
        assertTrue(parse("-cpu", "qemu32,+rdtscp").cpuModel().reports(CpuFeature.RDTSCP));
        // host-phys-bits is a QEMU property without meaning here: any form is accepted and changes nothing.
        for (String v : new String[] {"max,host-phys-bits", "max,host-phys-bits=on", "max,host_phys_bits=off"}) {
            CpuModel m = parse("-cpu", v).cpuModel();
            assertEquals("max", m.name);
            assertTrue(m.reports(CpuFeature.SMAP) && m.reports(CpuFeature.LA57), v);
        }
        assertEquals("-cpu max,host-phys-bits=maybe: 'maybe' is not on or off", refusedCpu("max,host-phys-bits=maybe"));
        assertEquals("-cpu max,+pku: Flatland does not implement the CPU feature 'pku'", refusedCpu("max,+pku"));
    }

    @Test void cpuErrorsNameTheProblem() throws UsageException {
        assertEquals("-cpu qemu64,+x2apic,+sse: Flatland does not implement the CPU feature 'sse'",
                refusedCpu("qemu64,+x2apic,+sse"));
        assertTrue(parse("-cpu", "qemu64,+x2apic,+tsc-deadline").cpuModel().has(CpuFeature.X2APIC),
                "the local APIC's features are the machine's to report");
        assertEquals("-cpu qemu32,sse4_2: Flatland does not implement the CPU feature 'sse4.2'", refusedCpu("qemu32,sse4_2"));
        assertEquals("-cpu qemu32,+foo: unknown CPU feature or property 'foo'", refusedCpu("qemu32,+foo"));
        assertEquals("-cpu qemu32,family=5: unknown CPU feature or property 'family'", refusedCpu("qemu32,family=5"));
        assertEquals("-cpu qemu32,fpu=maybe: 'maybe' is not on or off", refusedCpu("qemu32,fpu=maybe"));
        assertEquals("-cpu core2duo: unsupported CPU model (use qemu32, pentium, pentium2, pentium3, 486, max, qemu64)",
                refusedCpu("core2duo"));
    }

    private static String refusedCpu(String v) {
        UsageException e = assertThrows(UsageException.class, () -> parse("-cpu", v).cpuModel());
        return e.getMessage();
    }

    @Test void devices() throws UsageException {
        Options o = parse("-device", "pc-testdev", "-device", "pci-testdev", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x4");
        assertTrue(o.pcTestdev && o.pciTestdev);
        assertTrue(parse("-M", "isapc", "-device", "pc-testdev").pcTestdev);
        assertEquals("-device pci-testdev: No 'PCI' bus found for device 'pci-testdev'",
                refused("-device", "pci-testdev", "-M", "isapc"), "QEMU's wording");
        assertEquals("-device virtio-net: not a device Flatland models (use isa-debug-exit, isa-debugcon, pc-testdev, pci-testdev)",
                refused("-device", "virtio-net"));
        assertEquals("-device pc-testdev,x=1: unknown property 'x' of pc-testdev", refused("-device", "pc-testdev,x=1"));
        assertEquals("-device isa-debug-exit: only iobase=0xf4 is supported", refused("-device", "isa-debug-exit,iobase=0x501"));
    }

    @Test void debugconAndChardevs() throws UsageException {
        Options o = parse("-device", "isa-debugcon,iobase=0x402,chardev=f,readback=0x42", "-chardev", "file,id=f,path=log.txt");
        assertEquals(List.of(new DeviceOption.Debugcon(0x402, 0x42, "f")), o.debugcons);
        assertEquals("file:log.txt", o.chardevs.get("f"));
        assertEquals("-device isa-debugcon: no -chardev with id 'g'", refused("-device", "isa-debugcon,chardev=g"));
        assertTrue(refused("-device", "isa-debugcon,iobase=0xe9").contains("needs chardev=ID"));
        assertEquals("-chardev socket: only the stdio and file backends are supported", refused("-chardev", "socket,id=s,port=4444"));
        assertEquals("-chardev file,id=f: file needs path=PATH", refused("-chardev", "file,id=f"));
        assertTrue(refused("-serial", "stdio", "-chardev", "stdio,id=c", "-device", "isa-debugcon,chardev=c")
                .contains("only one device"));
    }

    /** The command line kvm-unit-tests' runner builds, with the CPUID probe as the test kernel. */
    @Test void kvmUnitTestsInvocationRuns() throws Exception {
        Path probe = Path.of(getClass().getResource("/cpuid/probe.elf").toURI());
        String[] args = {"--no-reboot", "-nodefaults", "-device", "pc-testdev", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x4",
            "-display", "none", "-serial", "stdio", "-device", "pci-testdev", "-machine", "accel=tcg", "-kernel", probe.toString(),
            "-smp", "1", "-append", "arg", "-cpu", "max"};
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(args, null, new PrintStream(out, true), new PrintStream(err, true), probe.getParent());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertEquals(33, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("leaf 00000000 eax=0000000d ebx=68747541"), out.toString());
    }
}
