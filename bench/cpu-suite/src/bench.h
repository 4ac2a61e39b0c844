/* Flatland CPU suite: the interface shared by every workload and both runtimes.
 * Workloads are freestanding C: no libc, no FPU, no 64-bit division. */
#ifndef BENCH_H
#define BENCH_H

typedef unsigned int u32;
typedef int s32;
typedef unsigned short u16;
typedef unsigned char u8;

/* Provided by the runtime (rt_multiboot.c or rt_native.c). */
void rt_write(const char *s, u32 len);

/* Provided by lib.c. */
void out_str(const char *s);
void out_hex(u32 v);          /* 0x followed by 8 lower-case hex digits */
void out_dec(u32 v);
void out_nl(void);

/* A small deterministic generator (xorshift32), identical in both builds. */
static inline u32 rng_next(u32 *state)
{
    u32 x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

static inline u32 rotl32(u32 x, u32 r)
{
    return (x << (r & 31)) | (x >> ((32 - r) & 31));
}

/* Each workload defines this: it computes and prints its one result line. */
void workload(void);

#endif
