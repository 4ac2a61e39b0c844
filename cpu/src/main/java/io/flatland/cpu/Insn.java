package io.flatland.cpu;

/**
 * One decoded instruction: the operation id the interpreter switches on, its operand and
 * address sizes, and the operands taken from ModRM/SIB, displacement and immediates.
 * Decoded once per physical address and then reused (see {@link DecodeCache}); never
 * mutated after decoding.
 *
 * <p>Compact on purpose: the interpreter reads one of these per instruction, and code with a
 * large footprint (an OS boot, a megabyte of generated code) runs at the speed its decoded
 * instructions stream through the caches: 48 bytes more per instruction made such code 20%
 * slower. Fields hold the narrowest type their values fit (read as ints all the same).
 */
public final class Insn {
    /** Operation id from {@link Op}. */
    public short op;
    /** The operation's semantics (Exec.handler(op)), chosen when the instruction is decoded. */
    public Exec.Handler handler;
    /** The opcode as {@link OpcodeTable} indexes it: 0x00-0xFF, or 0x100 | the byte after 0x0F. */
    public short opcode;
    /** Sub-operation: ALU kind, condition code, shift kind, segment, source size... */
    public short sub;
    /** Length in bytes, prefixes included. */
    public byte len;
    /** Operand size in bytes: 1, 2 or 4. */
    public byte size;
    /** Operand size attribute is 32 bits (after 0x66); used by stack and far transfers. */
    public boolean o32;
    /** Address size attribute is 32 bits (after 0x67). */
    public boolean a32;
    /** CS.D of the code segment this was decoded for; a mismatch forces a re-decode. */
    public boolean code32;
    /** Segment of the memory operand (default or override). */
    public byte seg;
    /** True if a segment override prefix was present. */
    public boolean segOverride;
    /** 0 none, 0xF3 REP/REPE, 0xF2 REPNE. */
    public short rep;
    public boolean lock;

    /** ModRM present; {@link #mem} tells whether r/m names memory. */
    public boolean hasModrm, mem;
    public byte mod, reg, rm;
    /** Effective address parts: base/index register numbers or -1, scale as a shift. */
    public byte base = -1, index = -1, scale;
    public int disp;
    public int imm, imm2;

    /**
     * For the JIT (see {@link Interpreter#runUntilEntry}): how many instructions the interpreter
     * ran from here when a basic block began here (negative: no longer counted), and the
     * translation that starts here (null: none yet). Neither is part of the decoded
     * instruction; both die with it when its code page is written.
     */
    public int heat;
    public Translation entry;
    /**
     * For a JIT that shares translations between machines: heat counted at earlier stops (it
     * then restarts {@link #heat} to stop again), and whether the entry was offered to later machines.
     */
    public int banked;
    public boolean offered;

    void clear() {
        op = 0; opcode = 0; sub = 0; len = 0; size = 0; o32 = false; a32 = false; code32 = false;
        seg = (byte) Cpu.DS; segOverride = false; rep = 0; lock = false;
        hasModrm = false; mem = false; mod = 0; reg = 0; rm = 0;
        base = -1; index = -1; scale = 0; disp = 0; imm = 0; imm2 = 0;
    }

    @Override
    public String toString() {
        return Op.name(op) + "/" + sub + " len=" + len + " size=" + size + (mem ? " mem" : "")
                + " reg=" + reg + " rm=" + rm + " base=" + base + " index=" + index + "<<" + scale
                + " disp=" + Integer.toHexString(disp) + " imm=" + Integer.toHexString(imm) + " seg=" + seg;
    }
}
