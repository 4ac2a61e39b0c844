package io.flatland.bench;

import io.flatland.machine.Accel;
import io.flatland.machine.DemoKernel;
import io.flatland.machine.Machine;
import io.flatland.machine.MachineConfig;
import io.flatland.machine.loader.BadImageException;

/**
 * Small guest programs for the micro benchmarks, run as Multiboot a.out kernels at 1 MiB + 32
 * (flat 32-bit protected mode, paging off, IF clear: no interrupts disturb the loop).
 */
final class GuestCode {
    private GuestCode() { }

    /** Entry (linear = physical) of every program here. */
    static final int ENTRY = 0x100020;

    /**
     * The register/memory loop: 8 instructions per inner iteration (two loads, two stores,
     * ALU with flags, a conditional back edge), 1000 iterations per outer round.
     */
    static final byte[] REG_MEM_LOOP = {
        (byte) 0xBE, 0x00, 0x00, 0x20, 0x00,       // +0  mov esi, 0x200000
        (byte) 0xBB, (byte) 0xE8, 0x03, 0x00, 0x00, // +5  outer: mov ebx, 1000
        (byte) 0x8B, 0x06,                         // +10 inner: mov eax, [esi]
        0x01, (byte) 0xC8,                         // +12 add eax, ecx
        (byte) 0x89, 0x46, 0x04,                   // +14 mov [esi+4], eax
        0x01, 0x46, 0x08,                          // +17 add [esi+8], eax
        0x41,                                      // +20 inc ecx
        0x31, (byte) 0xC2,                         // +21 xor edx, eax
        0x4B,                                      // +23 dec ebx
        0x75, (byte) 0xF0,                         // +24 jnz inner
        (byte) 0xEB, (byte) 0xE9,                  // +26 jmp outer
    };

    /**
     * Eight blocks of three instructions ({@code inc eax; xor [slot], eax; jmp next}), the last
     * jumping back to the first: every block end is a lookup of the successor, i.e. block
     * chaining. The store to a different RAM word per block keeps the JVM from folding the
     * loop into arithmetic (an {@code inc}-only chain is reduced to one add by C2).
     */
    static byte[] blockChain() {
        int blocks = 8;
        byte[] code = new byte[blocks * 16];
        for (int i = 0; i < blocks; i++) {
            int at = i * 16;
            int next = ((i + 1) % blocks) * 16;
            int slot = 0x200000 + 4 * i;
            code[at] = 0x40;                                   // inc eax
            code[at + 1] = 0x31;                               // xor [slot], eax
            code[at + 2] = 0x05;
            code[at + 3] = (byte) slot;
            code[at + 4] = (byte) (slot >> 8);
            code[at + 5] = (byte) (slot >> 16);
            code[at + 6] = (byte) (slot >> 24);
            code[at + 7] = (byte) 0xEB;                        // jmp short next
            code[at + 8] = (byte) (next - (at + 9));
            for (int j = 9; j < 16; j++) code[at + j] = (byte) 0x90;   // never executed
        }
        return code;
    }

    /**
     * A fixed stream of 20 varied encodings for the decoder: prefixes, ModRM/SIB forms,
     * displacements, immediates, the 0F map. Decoded in a ring, never executed.
     */
    static final byte[] DECODE_STREAM = {
        (byte) 0x8B, 0x06,                                             // mov eax, [esi]
        0x66, (byte) 0x89, 0x44, (byte) 0x8B, 0x10,                    // mov [ebx+ecx*4+0x10], ax
        0x0F, (byte) 0xB6, 0x45, (byte) 0xF8,                          // movzx eax, byte [ebp-8]
        (byte) 0xF3, (byte) 0xA5,                                      // rep movsd
        (byte) 0xE8, 0x00, 0x00, 0x00, 0x00,                           // call rel32
        (byte) 0x8D, (byte) 0x84, 0x24, 0x00, 0x01, 0x00, 0x00,        // lea eax, [esp+0x100]
        0x69, (byte) 0xC0, 0x10, 0x27, 0x00, 0x00,                     // imul eax, eax, 10000
        0x0F, (byte) 0x84, 0x00, 0x00, 0x00, 0x00,                     // jz rel32
        (byte) 0xC1, (byte) 0xE0, 0x05,                                // shl eax, 5
        (byte) 0x81, 0x7D, 0x08, (byte) 0xFF, 0x00, 0x00, 0x00,        // cmp dword [ebp+8], 0xff
        0x64, (byte) 0xA1, 0x00, 0x00, 0x00, 0x00,                     // mov eax, fs:[0]
        (byte) 0xF0, 0x0F, (byte) 0xB1, 0x0A,                          // lock cmpxchg [edx], ecx
        0x50,                                                          // push eax
        0x5D,                                                          // pop ebp
        0x01, (byte) 0xC8,                                             // add eax, ecx
        (byte) 0x8B, 0x04, (byte) 0x85, 0x00, 0x10, 0x00, 0x00,        // mov eax, [eax*4+0x1000]
        (byte) 0xCD, (byte) 0x80,                                      // int 0x80
        0x0F, (byte) 0xA2,                                             // cpuid
        (byte) 0xC3,                                                   // ret
        0x75, (byte) 0xF0,                                             // jnz short
        (byte) 0x90,                                                   // nop
    };

    /** A 16 MiB machine with {@code code} loaded, under --icount, serial output discarded. */
    static Machine machine(byte[] code, Accel accel) {
        try {
            return new Machine(MachineConfig.builder().ramMiB(16).icount(true).accel(accel)
                    .kernel("bench", DemoKernel.aout(code)).serialOutput(null).build());
        } catch (BadImageException e) {
            throw new IllegalStateException(e);
        }
    }
}
