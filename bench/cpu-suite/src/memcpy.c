/* memcpy: string instructions over 4 MiB buffers: rep stosd fill, rep movsd copy, and an
 * unaligned rep movsb copy, repeated; a sparse checksum of the destination after each round. */
#include "bench.h"

#ifndef ITERS
#define ITERS 400u
#endif
#define WORDS (1u << 20)          /* 4 MiB per buffer */

static u32 src[WORDS], dst[WORDS];

static inline void rep_stosd(void *d, u32 v, u32 n)
{
    __asm__ volatile("rep stosl" : "+D"(d), "+c"(n) : "a"(v) : "memory");
}

static inline void rep_movsd(void *d, const void *s, u32 n)
{
    __asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static inline void rep_movsb(void *d, const void *s, u32 n)
{
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

void workload(void)
{
    u32 seed = 0x66334873u, it, i, sum = 0;
    for (i = 0; i < WORDS; i++)
        src[i] = rng_next(&seed);
    for (it = 0; it < ITERS; it++) {
        rep_stosd(dst, 0x01010101u * (it & 0xff), WORDS);
        sum = rotl32(sum, 3) ^ dst[(it * 4099) & (WORDS - 1)];
        rep_movsd(dst, src, WORDS);
        sum = rotl32(sum, 3) ^ dst[(it * 8191) & (WORDS - 1)];
        rep_movsb((u8 *)dst + 1 + (it & 3), (const u8 *)src + 3, WORDS * 4 - 7);
        for (i = it & 1023; i < WORDS; i += 1021)
            sum = rotl32(sum, 1) + dst[i];
        src[(it * 40503u) & (WORDS - 1)] ^= sum;
    }
    out_str("memcpy: result=");
    out_hex(sum);
    out_nl();
}
