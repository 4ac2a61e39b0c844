/* alu: a register-only loop mixing add, sub, xor, and, or, rotate, shift and 32-bit multiply.
 * Four chained accumulators keep every operation live; no memory traffic in the loop. */
#include "bench.h"

#ifndef ITERS
#define ITERS 150000000u
#endif

void workload(void)
{
    u32 a = 0x12345678u, b = 0x9abcdef0u, c = 0x0f1e2d3cu, d = 0x4b5a6978u;
    u32 i;
    for (i = 0; i < ITERS; i++) {
        a += b ^ i;
        b = rotl32(b, 5) ^ a;
        c = c * 0x9e3779b1u + (a >> 3);
        d ^= (c | b) - (a & 0x00ff00ffu);
        a = rotl32(a ^ d, c & 31);
        b -= d << 2;
    }
    out_str("alu: result=");
    out_hex(a ^ b ^ c ^ d);
    out_str(" a=");
    out_hex(a);
    out_str(" d=");
    out_hex(d);
    out_nl();
}
