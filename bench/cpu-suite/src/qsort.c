/* qsort: a generic quicksort (median of three, insertion sort for short runs) whose
 * comparisons go through a function pointer, over 32-bit keys; repeated with new data.
 * Indirect calls, returns, compares, unpredictable branches, swaps. */
#include "bench.h"

#ifndef ITERS
#define ITERS 40u
#endif
#define COUNT 100000

typedef int (*cmp_fn)(const u32 *, const u32 *);

static u32 keys[COUNT];

static int cmp_u32(const u32 *a, const u32 *b)
{
    return *a < *b ? -1 : *a > *b;
}

/* Read through a volatile so GCC cannot turn the indirect call into a direct one. */
static cmp_fn volatile compare = cmp_u32;

static void swap(u32 *a, u32 *b)
{
    u32 t = *a;
    *a = *b;
    *b = t;
}

static void sort(u32 *v, int n, cmp_fn cmp)
{
    while (n > 12) {
        int mid = n / 2, i = 0, j = n - 1;
        u32 pivot;
        if (cmp(&v[mid], &v[0]) < 0) swap(&v[mid], &v[0]);
        if (cmp(&v[n - 1], &v[0]) < 0) swap(&v[n - 1], &v[0]);
        if (cmp(&v[n - 1], &v[mid]) < 0) swap(&v[n - 1], &v[mid]);
        pivot = v[mid];
        for (;;) {
            while (cmp(&v[i], &pivot) < 0) i++;
            while (cmp(&pivot, &v[j]) < 0) j--;
            if (i >= j) break;
            swap(&v[i], &v[j]);
            i++;
            j--;
        }
        /* Recurse into the smaller part, loop on the larger one. */
        if (j + 1 < n - j - 1) {
            sort(v, j + 1, cmp);
            v += j + 1;
            n -= j + 1;
        } else {
            sort(v + j + 1, n - j - 1, cmp);
            n = j + 1;
        }
    }
    {
        int i, j;
        for (i = 1; i < n; i++) {
            u32 t = v[i];
            for (j = i; j > 0 && cmp(&t, &v[j - 1]) < 0; j--)
                v[j] = v[j - 1];
            v[j] = t;
        }
    }
}

void workload(void)
{
    u32 seed = 0x327b23c6u, it, sum = 0, bad = 0;
    int i;
    for (it = 0; it < ITERS; it++) {
        for (i = 0; i < COUNT; i++)
            keys[i] = rng_next(&seed) >> (it & 3);   /* later passes have more duplicates */
        sort(keys, COUNT, compare);
        for (i = 1; i < COUNT; i++)
            bad += keys[i - 1] > keys[i];
        for (i = 0; i < COUNT; i += 97)
            sum = rotl32(sum, 7) ^ keys[i];
    }
    out_str("qsort: result=");
    out_hex(sum);
    out_str(" unsorted=");
    out_dec(bad);
    out_nl();
}
