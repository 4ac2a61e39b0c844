/* bits: bit manipulation. Population count by hand (SWAR), bit reversal, parity, Gray
 * code, __builtin_ctz/__builtin_clz (BSF/BSR), iterating over set bits, Gosper's next
 * combination, constant and variable rotates and shifts (including 64-bit shifts of a
 * register pair, SHLD/SHRD), and a 64 Ki-bit bitmap driven with BT/BTS/BTR/BTC on memory
 * with a register bit offset (inline asm: GCC does not emit those). */
#include "bench.h"

#ifndef ITERS
#define ITERS 240u
#endif
#define WORDS 65536
#define MAP_BITS 65536u

typedef unsigned long long u64;

static u32 data[WORDS];
static u32 bitmap[MAP_BITS / 32];

static u32 popcount(u32 x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0fu;
    return (x * 0x01010101u) >> 24;
}

static u32 reverse(u32 x)
{
    x = (x >> 1 & 0x55555555u) | (x & 0x55555555u) << 1;
    x = (x >> 2 & 0x33333333u) | (x & 0x33333333u) << 2;
    x = (x >> 4 & 0x0f0f0f0fu) | (x & 0x0f0f0f0fu) << 4;
    x = (x >> 8 & 0x00ff00ffu) | (x & 0x00ff00ffu) << 8;
    return x >> 16 | x << 16;
}

static u32 parity(u32 x)
{
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    return (0x6996u >> (x & 15)) & 1;
}

static u32 gray_decode(u32 g)
{
    g ^= g >> 16;
    g ^= g >> 8;
    g ^= g >> 4;
    g ^= g >> 2;
    g ^= g >> 1;
    return g;
}

/* Next larger number with the same number of set bits (x != 0). */
static u32 next_combination(u32 x)
{
    u32 low = x & -x, ripple = x + low;
    return ripple ? ripple | (((x ^ ripple) >> 2) >> __builtin_ctz(low)) : 0;
}

/* Sum of the positions of the set bits, lowest first. */
static u32 bit_positions(u32 x)
{
    u32 s = 0;
    while (x) {
        s += __builtin_ctz(x);
        x &= x - 1;
    }
    return s;
}

static u32 log2_floor(u32 x)
{
    return 31 - __builtin_clz(x);
}

static int bt(const u32 *map, u32 bit)
{
    u8 r;
    __asm__("btl %2, %1\n\tsetc %0" : "=q"(r) : "m"(*(const u32 (*)[MAP_BITS / 32])map), "r"(bit) : "cc");
    return r;
}

static int bts(u32 *map, u32 bit)
{
    u8 r;
    __asm__("btsl %2, %1\n\tsetc %0" : "=q"(r), "+m"(*(u32 (*)[MAP_BITS / 32])map) : "r"(bit) : "cc");
    return r;
}

static int btr(u32 *map, u32 bit)
{
    u8 r;
    __asm__("btrl %2, %1\n\tsetc %0" : "=q"(r), "+m"(*(u32 (*)[MAP_BITS / 32])map) : "r"(bit) : "cc");
    return r;
}

static int btc(u32 *map, u32 bit)
{
    u8 r;
    __asm__("btcl %2, %1\n\tsetc %0" : "=q"(r), "+m"(*(u32 (*)[MAP_BITS / 32])map) : "r"(bit) : "cc");
    return r;
}

void workload(void)
{
    u32 seed = 0x5851f42du, it, i, sum = 0, pop = 0, setbits = 0;
    u64 wide = 0x0123456789abcdefull;
    for (i = 0; i < WORDS; i++)
        data[i] = rng_next(&seed);
    for (it = 0; it < ITERS; it++) {
        u32 comb = 0x3fu << (it & 7);
        for (i = 0; i < WORDS; i++) {
            u32 x = data[i], y, n;
            n = popcount(x);
            pop += n;
            y = reverse(x) ^ rotl32(x, n) ^ (x >> (n & 15)) ^ (x << (i & 7));
            y += parity(y) + gray_decode(x ^ (x >> 1)) - x;    /* the decode undoes the encode */
            if (x)
                y ^= log2_floor(x) << 8 | __builtin_ctz(x) << 16;
            y += bit_positions(x & 0x0f0f0f0fu);
            comb = next_combination(comb);
            if (!comb)
                comb = 0x3fu;
            n = (x & 31) + 1;
            wide = wide << n | wide >> (64 - n);                 /* 64-bit rotate */
            wide ^= x;
            data[i] = y ^ comb ^ (u32)(wide >> 32);
        }
        /* The bitmap: set, test, toggle and clear bits at data-driven positions. */
        for (i = 0; i < WORDS; i++) {
            u32 b = data[i] % MAP_BITS;
            if (!bts(bitmap, b))
                setbits++;
            if (bt(bitmap, (b * 40503u) % MAP_BITS))
                sum += b;
            if (btc(bitmap, b ^ 0x5555u))
                sum ^= i;
            if (i & 1)
                btr(bitmap, data[i - 1] % MAP_BITS);
        }
        sum = rotl32(sum, 11) ^ popcount(bitmap[it & (MAP_BITS / 32 - 1)]);
    }
    for (i = 0; i < MAP_BITS / 32; i++)
        setbits += popcount(bitmap[i]);
    out_str("bits: result=");
    out_hex(sum ^ (u32)wide);
    out_str(" pop=");
    out_dec(pop);
    out_str(" setbits=");
    out_dec(setbits);
    out_nl();
}
