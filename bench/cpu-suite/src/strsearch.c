/* strsearch: counts every occurrence of many patterns (2 to 33 bytes; half cut from the
 * text, half random) in 1 MiB of generated text, twice: a naive search comparing byte by
 * byte, and Boyer-Moore-Horspool with a 256-entry skip table. The two counts must agree.
 * Byte loads and compares, short inner loops with early exits, table lookups. */
#include "bench.h"

#ifndef ITERS
#define ITERS 4u
#endif
#define TEXT_SIZE (1u << 20)
#define PATTERNS 64
#define MAX_PAT 33

static u8 text[TEXT_SIZE];

/* Letters with a rough English frequency: the first ones are much more likely. */
static void make_text(u32 *seed)
{
    static const char letters[] = "etaoinshrdlcumwfgypbvkjxqz";
    u32 pos = 0;
    while (pos < TEXT_SIZE) {
        u32 r = rng_next(seed), len = 1 + (r & 7) + ((r >> 3) & 3), i;
        for (i = 0; i < len && pos < TEXT_SIZE; i++) {
            u32 s = rng_next(seed), a = s & 31, b = (s >> 5) & 31;
            text[pos++] = (u8)letters[(a * b >> 5) % 26];   /* product: skewed low */
        }
        if (pos < TEXT_SIZE)
            text[pos++] = (r >> 8) % 13 ? ' ' : '\n';
    }
}

static u32 search_naive(const u8 *t, u32 n, const u8 *p, u32 m, u32 *poshash)
{
    u32 i, j, count = 0;
    for (i = 0; i + m <= n; i++) {
        for (j = 0; j < m && t[i + j] == p[j]; j++)
            ;
        if (j == m) {
            count++;
            *poshash = rotl32(*poshash, 5) ^ i;
        }
    }
    return count;
}

static u32 search_bmh(const u8 *t, u32 n, const u8 *p, u32 m, u32 *poshash)
{
    u32 skip[256], i, count = 0;
    u8 last = p[m - 1];
    for (i = 0; i < 256; i++)
        skip[i] = m;
    for (i = 0; i + 1 < m; i++)
        skip[p[i]] = m - 1 - i;
    i = 0;
    while (i + m <= n) {
        u8 c = t[i + m - 1];
        if (c == last) {
            u32 j = 0;
            while (j < m - 1 && t[i + j] == p[j])
                j++;
            if (j == m - 1) {
                count++;
                *poshash = rotl32(*poshash, 5) ^ i;
            }
        }
        i += skip[c];
    }
    return count;
}

void workload(void)
{
    u32 seed = 0x41c64e6du, it, k, i, sum = 0, total = 0, differ = 0;
    u8 pat[MAX_PAT];
    for (it = 0; it < ITERS; it++) {
        make_text(&seed);
        for (k = 0; k < PATTERNS; k++) {
            u32 r = rng_next(&seed), m = 2 + (r & 31), h1 = 0, h2 = 0, c1, c2;
            if (k & 1) {
                u32 at = (r >> 5) % (TEXT_SIZE - m);
                for (i = 0; i < m; i++)
                    pat[i] = text[at + i];
            } else {
                for (i = 0; i < m; i++)
                    pat[i] = text[rng_next(&seed) % TEXT_SIZE];
                m = 2 + (m & 3);     /* random patterns longer than 5 would never occur */
            }
            c1 = search_naive(text, TEXT_SIZE, pat, m, &h1);
            c2 = search_bmh(text, TEXT_SIZE, pat, m, &h2);
            differ += c1 != c2 || h1 != h2;
            total += c1;
            sum = rotl32(sum, 3) ^ h1 ^ c2;
        }
    }
    out_str("strsearch: result=");
    out_hex(sum);
    out_str(" matches=");
    out_dec(total);
    out_str(" differ=");
    out_dec(differ);
    out_nl();
}
