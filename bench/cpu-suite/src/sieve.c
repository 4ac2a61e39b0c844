/* sieve: sieve of Eratosthenes over a 1 MiB byte array, repeated. Byte stores with a
 * variable stride, a sequential scan, and data-dependent branches. */
#include "bench.h"

#ifndef ITERS
#define ITERS 200u
#endif
#define LIMIT (1u << 20)

static u8 flags[LIMIT];

static u32 sieve(u32 limit)
{
    u32 i, j, count = 0;
    for (i = 0; i < limit; i++)
        flags[i] = 1;
    flags[0] = flags[1] = 0;
    for (i = 2; i * i < limit; i++) {
        if (!flags[i])
            continue;
        for (j = i * i; j < limit; j += i)
            flags[j] = 0;
    }
    for (i = 0; i < limit; i++)
        count += flags[i];
    return count;
}

void workload(void)
{
    u32 it, count = 0, sum = 0, i;
    for (it = 0; it < ITERS; it++) {
        count = sieve(LIMIT - (it & 7));
        sum = rotl32(sum, 3) ^ count;
    }
    for (i = LIMIT - 1000; i < LIMIT; i++)
        if (flags[i])
            sum = sum * 31 + i;
    out_str("sieve: result=");
    out_hex(sum);
    out_str(" primes=");
    out_dec(count);
    out_nl();
}
