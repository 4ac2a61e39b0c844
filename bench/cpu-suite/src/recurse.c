/* recurse: calls and returns. Naive doubly recursive Fibonacci, the Takeuchi function, and
 * Ackermann's function A(2, n) and A(3, n) (recursion about 1000 calls deep; the kernel's
 * stack is 64 KiB). Call/return pairs, stack frames, argument passing, short blocks.
 * The functions are noinline: GCC -O2 would otherwise inline fib into itself eight levels
 * deep, and this workload is about the calls. */
#include "bench.h"

#ifndef ITERS
#define ITERS 280u
#endif

/* Inputs read through volatiles, so nothing is folded at compile time. */
static volatile u32 fib_n = 27, tak_x = 18, tak_y = 12, tak_z = 6, ack_n = 7;

static u32 calls;

__attribute__((noinline)) static u32 fib(u32 n)
{
    calls++;
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) static s32 tak(s32 x, s32 y, s32 z)
{
    calls++;
    if (y >= x)
        return z;
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

__attribute__((noinline)) static u32 ack(u32 m, u32 n)
{
    calls++;
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

void workload(void)
{
    u32 it, sum = 0;
    for (it = 0; it < ITERS; it++) {
        u32 f = fib(fib_n + (it & 1));
        s32 t = tak((s32)tak_x, (s32)tak_y, (s32)tak_z);
        u32 a2 = ack(2, 200 + it), a3 = ack(3, ack_n);
        sum = rotl32(sum, 7) ^ f ^ (u32)t ^ (a2 << 8) ^ (a3 << 16);
    }
    out_str("recurse: result=");
    out_hex(sum);
    out_str(" calls=");
    out_dec(calls);
    out_nl();
}
