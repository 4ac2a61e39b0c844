/* hashtab: two hash tables driven by one stream of operations.
 *  - integer keys: open addressing with linear probing and tombstones (insert, lookup,
 *    delete), multiplicative hashing;
 *  - string keys (4 to 15 letters, derived from an integer): separate chaining with nodes
 *    from a free list, FNV-1a hashing and byte-by-byte key compares.
 * Multiplies, masked table indexing, byte loops, data-dependent branches. */
#include "bench.h"

#ifndef ITERS
#define ITERS 48u
#endif
#define OPS 200000
#define KEYSPACE 40000u            /* ids are drawn from [0, KEYSPACE) */

/* ---- integer keys, open addressing ---- */
#define ITAB_BITS 16
#define ITAB_SIZE (1u << ITAB_BITS)
#define EMPTY 0u
#define TOMB 1u                    /* stored keys are id + 2, so never 0 or 1 */

static u32 ikeys[ITAB_SIZE];
static u32 ivals[ITAB_SIZE];
static u32 ilive, itombs;

static u32 ihash(u32 key)
{
    return (key * 2654435761u) >> (32 - ITAB_BITS);
}

/* Slot holding key, or ITAB_SIZE. */
static u32 ifind(u32 key)
{
    u32 i = ihash(key);
    for (;;) {
        u32 k = ikeys[i];
        if (k == key)
            return i;
        if (k == EMPTY)
            return ITAB_SIZE;
        i = (i + 1) & (ITAB_SIZE - 1);
    }
}

static void irehash(void)
{
    /* Drop the tombstones by reinserting every live key in place order. */
    static u32 k2[ITAB_SIZE], v2[ITAB_SIZE];
    u32 i;
    for (i = 0; i < ITAB_SIZE; i++) {
        k2[i] = ikeys[i];
        v2[i] = ivals[i];
        ikeys[i] = EMPTY;
    }
    for (i = 0; i < ITAB_SIZE; i++) {
        if (k2[i] > TOMB) {
            u32 j = ihash(k2[i]);
            while (ikeys[j] != EMPTY)
                j = (j + 1) & (ITAB_SIZE - 1);
            ikeys[j] = k2[i];
            ivals[j] = v2[i];
        }
    }
    itombs = 0;
}

/* Returns 1 if the key was new. */
static int iput(u32 key, u32 val)
{
    u32 i = ihash(key), tomb = ITAB_SIZE;
    for (;;) {
        u32 k = ikeys[i];
        if (k == key) {
            ivals[i] = val;
            return 0;
        }
        if (k == EMPTY)
            break;
        if (k == TOMB && tomb == ITAB_SIZE)
            tomb = i;
        i = (i + 1) & (ITAB_SIZE - 1);
    }
    if (tomb != ITAB_SIZE) {
        i = tomb;
        itombs--;
    }
    ikeys[i] = key;
    ivals[i] = val;
    ilive++;
    if ((ilive + itombs) * 4 > ITAB_SIZE * 3)
        irehash();
    return 1;
}

static int idel(u32 key)
{
    u32 i = ifind(key);
    if (i == ITAB_SIZE)
        return 0;
    ikeys[i] = TOMB;
    ilive--;
    itombs++;
    return 1;
}

/* ---- string keys, separate chaining ---- */
#define STAB_SIZE 16384u
#define SNODES 65536

struct snode {
    struct snode *next;
    u32 hash;
    u32 value;
    u8 len;
    char key[15];
};

static struct snode *sbucket[STAB_SIZE];
static struct snode snodes[SNODES];
static struct snode *sfree;
static u32 slive;

static u32 fnv1a(const char *s, u32 len)
{
    u32 h = 2166136261u, i;
    for (i = 0; i < len; i++) {
        h ^= (u8)s[i];
        h *= 16777619u;
    }
    return h;
}

static int key_eq(const char *a, const char *b, u32 len)
{
    u32 i;
    for (i = 0; i < len; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* The string form of an id: 4 to 15 lower-case letters, distinct for distinct ids. */
static u32 make_key(u32 id, char *buf)
{
    u32 x = id * 0x9e3779b1u + 0x7f4a7c15u, len = 4 + (x >> 28) % 12, i;
    u32 n = id;
    for (i = 0; i < 4; i++) {           /* the id in base 26: KEYSPACE < 26^4 */
        buf[i] = (char)('a' + n % 26);
        n /= 26;
    }
    for (; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (char)('a' + x % 26);
    }
    return len;
}

static struct snode **sfind(const char *key, u32 len, u32 h)
{
    struct snode **link = &sbucket[h & (STAB_SIZE - 1)];
    while (*link) {
        struct snode *n = *link;
        if (n->hash == h && n->len == len && key_eq(n->key, key, len))
            return link;
        link = &n->next;
    }
    return link;
}

static int sput(const char *key, u32 len, u32 val)
{
    u32 h = fnv1a(key, len), i;
    struct snode **link = sfind(key, len, h), *n;
    if (*link) {
        (*link)->value = val;
        return 0;
    }
    n = sfree;
    sfree = n->next;
    n->next = 0;
    n->hash = h;
    n->value = val;
    n->len = (u8)len;
    for (i = 0; i < len; i++)
        n->key[i] = key[i];
    *link = n;
    slive++;
    return 1;
}

static struct snode *sget(const char *key, u32 len)
{
    return *sfind(key, len, fnv1a(key, len));
}

static int sdel(const char *key, u32 len)
{
    struct snode **link = sfind(key, len, fnv1a(key, len)), *n = *link;
    if (!n)
        return 0;
    *link = n->next;
    n->next = sfree;
    sfree = n;
    slive--;
    return 1;
}

static void reset(void)
{
    u32 i;
    for (i = 0; i < ITAB_SIZE; i++)
        ikeys[i] = EMPTY;
    ilive = itombs = 0;
    for (i = 0; i < STAB_SIZE; i++)
        sbucket[i] = 0;
    for (i = 0; i < SNODES; i++)
        snodes[i].next = i + 1 < SNODES ? &snodes[i + 1] : 0;
    sfree = snodes;
    slive = 0;
}

void workload(void)
{
    u32 seed = 0x6b8b4567u, it, op, sum = 0, hits = 0, adds = 0, dels = 0;
    char key[16];
    for (it = 0; it < ITERS; it++) {
        reset();
        for (op = 0; op < OPS; op++) {
            u32 r = rng_next(&seed), id = (r >> 8) % KEYSPACE, kind = r & 15, len, i;
            if (kind < 5) {                                 /* insert */
                adds += iput(id + 2, r);
                len = make_key(id, key);
                adds += sput(key, len, r ^ id);
            } else if (kind < 13) {                         /* lookup */
                len = make_key(id, key);
                i = ifind(id + 2);
                if (i != ITAB_SIZE) {
                    hits++;
                    sum += ivals[i];
                }
                {
                    struct snode *n = sget(key, len);
                    if (n) {
                        hits++;
                        sum ^= n->value;
                    }
                }
            } else {                                        /* delete */
                dels += idel(id + 2);
                len = make_key(id, key);
                dels += sdel(key, len);
            }
        }
        sum = rotl32(sum, 9) ^ ilive ^ (slive << 16);
    }
    out_str("hashtab: result=");
    out_hex(sum);
    out_str(" hits=");
    out_dec(hits);
    out_str(" adds=");
    out_dec(adds);
    out_str(" dels=");
    out_dec(dels);
    out_nl();
}
