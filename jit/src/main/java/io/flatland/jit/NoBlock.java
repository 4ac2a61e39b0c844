package io.flatland.jit;

import io.flatland.cpu.Cpu;

/**
 * Remembers that the code at an address cannot be translated (it starts with an
 * instruction only the interpreter runs, or does not decode), so it is not scanned again.
 * Its length never fits a budget, so the dispatcher always interprets it. It also holds the
 * place of a region the background translator is building, until that lands.
 */
final class NoBlock extends Block {
    NoBlock(int eip, int phys) {
        this.eip = eip;
        this.phys = phys;
        this.lastEip = eip;
        this.length = Integer.MAX_VALUE;
    }

    @Override
    public int run(Cpu cpu, int room) {
        throw new IllegalStateException("NoBlock is never run");
    }
}
