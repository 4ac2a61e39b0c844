/* lz: an LZ77 (LZSS-style) compressor and decompressor over generated text-like data,
 * with a round-trip check. The compressor finds matches with hash chains (3-byte hash,
 * 32 KiB window, at most 32 candidates); the output is groups of 8 items behind a flag
 * byte, each a literal byte or a 3-byte (offset, length) match. Byte loads and compares
 * in short variable-length loops, table updates, overlapping byte copies. */
#include "bench.h"

#ifndef ITERS
#define ITERS 64u
#endif
#define DATA_SIZE (256u * 1024)
#define WINDOW (32u * 1024)
#define MIN_MATCH 3u
#define MAX_MATCH (MIN_MATCH + 255u)
#define MAX_CHAIN 32
#define HASH_BITS 14
#define NWORDS 512

static u8 data[DATA_SIZE];
static u8 packed[DATA_SIZE + DATA_SIZE / 8 + 16];
static u8 unpacked[DATA_SIZE];
static u32 head[1u << HASH_BITS];   /* position + 1 of the newest string with that hash */
static u32 prev[WINDOW];            /* position + 1 of the previous one, by position % WINDOW */

static char words[NWORDS][12];
static u8 wordlen[NWORDS];

static void make_words(u32 *seed)
{
    static const char *const syl[16] = {
        "th", "e", "an", "re", "on", "at", "en", "nd",
        "st", "or", "ing", "al", "it", "ou", "le", "ma"
    };
    u32 w, k, i;
    for (w = 0; w < NWORDS; w++) {
        u32 r = rng_next(seed), n = 1 + r % 4, len = 0;
        for (k = 0; k < n; k++) {
            const char *s = syl[(r >> (4 + 4 * k)) & 15];
            for (i = 0; s[i] && len < 11; i++)
                words[w][len++] = s[i];
        }
        wordlen[w] = (u8)len;
    }
}

/* Words with a skewed (roughly Zipf-like) frequency, sentences, commas, line breaks. */
static void make_text(u32 *seed)
{
    u32 pos = 0, col = 0, start = 1;
    while (pos < DATA_SIZE) {
        u32 r = rng_next(seed), a = r & 0x1ff, b = (r >> 9) & 0x1ff;
        u32 w = a * b / NWORDS, i;                 /* product of two uniforms: skewed low */
        for (i = 0; i < wordlen[w] && pos < DATA_SIZE; i++, col++) {
            u8 c = (u8)words[w][i];
            if (start && i == 0)
                c = (u8)(c - 'a' + 'A');
            data[pos++] = c;
        }
        start = 0;
        if (pos < DATA_SIZE && ((r >> 18) & 15) == 0) {
            data[pos++] = ((r >> 22) & 3) ? '.' : ',';
            start = data[pos - 1] == '.';
            col++;
        }
        if (pos < DATA_SIZE) {
            if (col > 64) {
                data[pos++] = '\n';
                col = 0;
            } else {
                data[pos++] = ' ';
                col++;
            }
        }
    }
}

static u32 hash3(const u8 *p)
{
    return ((p[0] << 16 | p[1] << 8 | p[2]) * 2654435761u) >> (32 - HASH_BITS);
}

static void insert_pos(u32 pos)
{
    u32 h = hash3(data + pos);
    prev[pos % WINDOW] = head[h];
    head[h] = pos + 1;
}

static u32 compress(const u8 *in, u32 n, u8 *out)
{
    u32 pos = 0, o = 0, flagpos = 0, nitems = 8, i;
    for (i = 0; i < (1u << HASH_BITS); i++)
        head[i] = 0;
    while (pos < n) {
        u32 best_len = 0, best_off = 0;
        if (nitems == 8) {
            flagpos = o++;
            out[flagpos] = 0;
            nitems = 0;
        }
        if (pos + MIN_MATCH <= n) {
            u32 cand = head[hash3(in + pos)], chain = MAX_CHAIN;
            u32 limit = n - pos < MAX_MATCH ? n - pos : MAX_MATCH;
            while (cand && chain--) {
                u32 c = cand - 1, len = 0;
                if (pos - c > WINDOW)
                    break;
                if (in[c + best_len] == in[pos + best_len]) {
                    while (len < limit && in[c + len] == in[pos + len])
                        len++;
                    if (len > best_len) {
                        best_len = len;
                        best_off = pos - c;
                        if (len == limit)
                            break;
                    }
                }
                cand = prev[c % WINDOW];
                if (cand && cand - 1 >= c)     /* a slot reused by a newer position */
                    break;
            }
        }
        if (best_len >= MIN_MATCH) {
            out[flagpos] |= (u8)(1u << nitems);
            out[o++] = (u8)(best_off - 1);
            out[o++] = (u8)((best_off - 1) >> 8);
            out[o++] = (u8)(best_len - MIN_MATCH);
            for (i = 0; i < best_len; i++, pos++)
                if (pos + MIN_MATCH <= n)
                    insert_pos(pos);
        } else {
            out[o++] = in[pos];
            if (pos + MIN_MATCH <= n)
                insert_pos(pos);
            pos++;
        }
        nitems++;
    }
    return o;
}

static u32 decompress(const u8 *in, u32 size, u8 *out, u32 cap)
{
    u32 i = 0, o = 0;
    while (i < size) {
        u32 flags = in[i++], k;
        for (k = 0; k < 8 && i < size; k++) {
            if (flags & (1u << k)) {
                u32 off = (in[i] | in[i + 1] << 8) + 1, len = in[i + 2] + MIN_MATCH;
                const u8 *from = out + o - off;
                i += 3;
                if (off > o || len > cap - o)
                    return o;                   /* corrupt stream */
                while (len--)
                    out[o++] = *from++;
            } else {
                if (o == cap)
                    return o;
                out[o++] = in[i++];
            }
        }
    }
    return o;
}

void workload(void)
{
    u32 seed = 0x1d1f3c5bu, it, i, sum = 0, total = 0, bad = 0;
    make_words(&seed);
    for (it = 0; it < ITERS; it++) {
        u32 size, n;
        make_text(&seed);
        size = compress(data, DATA_SIZE, packed);
        n = decompress(packed, size, unpacked, DATA_SIZE);
        bad += n != DATA_SIZE;
        for (i = 0; i < n; i++)
            bad += unpacked[i] != data[i];
        for (i = 0; i < size; i++)
            sum = rotl32(sum, 3) ^ packed[i];
        total += size;
    }
    out_str("lz: result=");
    out_hex(sum);
    out_str(" packed=");
    out_dec(total);
    out_str(" of ");
    out_dec(ITERS * DATA_SIZE);
    out_str(" bad=");
    out_dec(bad);
    out_nl();
}
