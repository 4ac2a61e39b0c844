/* addrmodes: memory operands of every shape. A gather through tables of 1-, 2-, 4- and
 * 8-byte elements (SIB scales 1, 2, 4, 8, with negative displacements for the elements
 * before the index), a 2-D 16-bit stencil through row pointers (neighbours at negative offsets),
 * a serializer that packs variable-length records into a byte stream with unaligned
 * 16/32/64-bit stores and parses them back (records straddle page boundaries), and
 * read-modify-writes of words that cross each 4 KiB page boundary of a buffer. */
#include "bench.h"

#ifndef ITERS
#define ITERS 240u
#endif
#define N 16384                 /* table elements */
#define GW 256                  /* stencil grid */
#define GH 128
#define RECORDS 20000
#define STREAM_PAGES 96         /* room for RECORDS records of at most 17 bytes */
#define PAGE 4096

typedef unsigned long long u64;
typedef u16 u16u __attribute__((aligned(1)));
typedef u32 u32u __attribute__((aligned(1)));
typedef u64 u64u __attribute__((aligned(1)));

struct pair {
    u32 lo, hi;
};

/* Two sets of tables, used in turn. */
static struct tables {
    u8 t8[N];
    u16 t16[N];
    u32 t32[N];
    struct pair t64[N];
} tabs[2];
static u16 perm[N];
static u16 grid[2][GH][GW];
static u8 stream[STREAM_PAGES * PAGE] __attribute__((aligned(PAGE)));

static u32 gather(struct tables *t, const u16 *idx, u32 n)
{
    u32 i, s = 0;
    for (i = 0; i < n; i++) {
        u32 k = idx[i];
        if (k < 3)
            k += 3;
        s += t->t8[k] + t->t16[k] + t->t32[k] + t->t64[k].hi;
        s ^= t->t8[k - 1] + t->t16[k - 2] + t->t32[k - 3] + t->t64[k - 1].lo;
        t->t32[k - 1] += s;
    }
    return s;
}

static void stencil(u16 (*in)[GW], u16 (*out)[GW])
{
    u32 x, y;
    for (y = 1; y < GH - 1; y++) {
        const u16 *row = in[y], *up = in[y - 1], *down = in[y + 1];
        u16 *o = out[y];
        for (x = 1; x < GW - 1; x++)
            o[x] = (u16)((row[x - 1] + row[x + 1] + up[x] + down[x] + (row[x] << 2)) >> 3 ^ up[x - 1]);
    }
}

/* A record: kind byte, then kind-dependent fields, all packed with no alignment. */
static u32 pack(u8 *p, u32 *seed, u32 count)
{
    u8 *start = p;
    u32 i;
    for (i = 0; i < count; i++) {
        u32 r = rng_next(seed), kind = r & 3;
        *p++ = (u8)kind;
        switch (kind) {
        case 0:                                 /* a 16-bit field */
            *(u16u *)p = (u16)(r >> 8);
            p += 2;
            break;
        case 1:                                 /* a 32-bit and a 16-bit field */
            *(u32u *)p = r;
            *(u16u *)(p + 4) = (u16)i;
            p += 6;
            break;
        case 2:                                 /* a 64-bit field */
            *(u64u *)p = (u64)r << 32 | i;
            p += 8;
            break;
        default:                                /* a length byte and that many bytes */
            {
                u32 len = (r >> 8) & 15, k;
                *p++ = (u8)len;
                for (k = 0; k < len; k++)
                    p[k] = (u8)(r >> k);
                p += len;
            }
        }
    }
    return (u32)(p - start);
}

static u32 unpack(const u8 *p, const u8 *end, u32 *count)
{
    u32 h = 0;
    *count = 0;
    while (p < end) {
        u32 kind = *p++;
        switch (kind) {
        case 0:
            h = rotl32(h, 3) ^ *(const u16u *)p;
            p += 2;
            break;
        case 1:
            h = rotl32(h, 3) ^ *(const u32u *)p ^ *(const u16u *)(p + 4);
            p += 6;
            break;
        case 2:
            {
                u64 v = *(const u64u *)p;
                h = rotl32(h, 3) ^ (u32)(v >> 32) ^ (u32)v;
                p += 8;
            }
            break;
        default:
            {
                u32 len = *p++, k;
                for (k = 0; k < len; k++)
                    h += p[k];
                p += len;
            }
        }
        (*count)++;
    }
    return h;
}

/* Words straddling each page boundary: 16-bit at -1, 32-bit at -3..-1, 64-bit at -5. */
static u32 page_cross(u8 *buf, u32 pages, u32 salt)
{
    u32 pg, s = salt;
    for (pg = 1; pg < pages; pg++) {
        u8 *b = buf + pg * PAGE;
        int off;
        *(u16u *)(b - 1) += (u16)s;
        for (off = -3; off < 0; off++) {
            u32 v = *(u32u *)(b + off);
            s = rotl32(s, 5) ^ v;
            *(u32u *)(b + off) = v + s;
        }
        s ^= (u32)(*(u64u *)(b - 5) >> 20);
    }
    return s;
}

void workload(void)
{
    u32 seed = 0x3c6ef372u, it, i, sum = 0, bytes = 0, parsed = 0;
    for (i = 0; i < 2 * N; i++) {
        u32 r = rng_next(&seed);
        struct tables *t = &tabs[i / N];
        t->t8[i % N] = (u8)r;
        t->t16[i % N] = (u16)(r >> 8);
        t->t32[i % N] = r;
        t->t64[i % N].lo = r ^ 0xa5a5a5a5u;
        t->t64[i % N].hi = r >> 3;
        perm[i % N] = (u16)(rng_next(&seed) % N);
    }
    for (i = 0; i < GH * GW; i++)
        grid[0][i / GW][i % GW] = (u16)rng_next(&seed);
    for (it = 0; it < ITERS; it++) {
        u32 n, count, k;
        sum ^= gather(&tabs[it & 1], perm, N);
        for (k = 0; k < 16; k++)
            stencil(grid[k & 1], grid[(k + 1) & 1]);
        sum = rotl32(sum, 5) ^ grid[0][it % GH][it % GW];
        for (k = 0; k < 4; k++) {
            n = pack(stream + (it & 7), &seed, RECORDS);
            sum += unpack(stream + (it & 7), stream + (it & 7) + n, &count);
            bytes += n;
            parsed += count;
        }
        for (k = 0; k < 64; k++)
            sum ^= page_cross(stream, STREAM_PAGES, sum + k);
    }
    out_str("addrmodes: result=");
    out_hex(sum);
    out_str(" bytes=");
    out_dec(bytes);
    out_str(" records=");
    out_dec(parsed);
    out_nl();
}
