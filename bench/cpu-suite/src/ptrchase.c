/* ptrchase: pointer chasing. A singly linked list whose nodes are linked in a shuffled
 * order (every step goes to an unrelated address), walked repeatedly; then an unbalanced
 * binary search tree built from pseudo-random keys, searched for present and absent keys,
 * and walked in order with an explicit stack. Dependent loads, short blocks, branches that
 * depend on loaded data. */
#include "bench.h"

#ifndef ITERS
#define ITERS 6u
#endif
#define LIST_NODES (1u << 18)     /* 2 MiB of list nodes */
#define LIST_WALKS 8
#define TREE_NODES (1u << 17)     /* 2 MiB of tree nodes */
#define LOOKUPS (1u << 19)

struct lnode {
    struct lnode *next;
    u32 value;
};

struct tnode {
    struct tnode *left, *right;
    u32 key;
    u32 count;
};

static struct lnode lpool[LIST_NODES];
static u32 order[LIST_NODES];
static struct tnode tpool[TREE_NODES];
static struct tnode *tstack[TREE_NODES];

static struct lnode *build_list(u32 *seed)
{
    u32 i;
    for (i = 0; i < LIST_NODES; i++)
        order[i] = i;
    for (i = LIST_NODES - 1; i > 0; i--) {          /* Fisher-Yates */
        u32 j = rng_next(seed) % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (i = 0; i < LIST_NODES; i++) {
        struct lnode *n = &lpool[order[i]];
        n->value = order[i] * 2654435761u;
        n->next = i + 1 < LIST_NODES ? &lpool[order[i + 1]] : 0;
    }
    return &lpool[order[0]];
}

static u32 walk_list(const struct lnode *n)
{
    u32 sum = 0, len = 0;
    for (; n; n = n->next) {
        sum = rotl32(sum, 1) ^ n->value;
        len++;
    }
    return sum + len;
}

/* Links `fresh` into the tree and returns 1, or counts a repeated key and returns 0. */
static int tree_insert(struct tnode **root, struct tnode *fresh)
{
    struct tnode **link = root;
    while (*link) {
        struct tnode *t = *link;
        if (fresh->key == t->key) {
            t->count++;
            return 0;
        }
        link = fresh->key < t->key ? &t->left : &t->right;
    }
    fresh->left = fresh->right = 0;
    fresh->count = 1;
    *link = fresh;
    return 1;
}

static const struct tnode *tree_find(const struct tnode *t, u32 key)
{
    while (t && t->key != key)
        t = key < t->key ? t->left : t->right;
    return t;
}

/* In-order walk: checks that the keys come out sorted and folds them into a hash. */
static u32 tree_walk(struct tnode *root, u32 *unsorted)
{
    u32 sp = 0, h = 0, prev = 0, first = 1;
    struct tnode *t = root;
    while (t || sp) {
        while (t) {
            tstack[sp++] = t;
            t = t->left;
        }
        t = tstack[--sp];
        if (!first && t->key <= prev)
            (*unsorted)++;
        first = 0;
        prev = t->key;
        h = rotl32(h, 5) ^ (t->key + t->count);
        t = t->right;
    }
    return h;
}

void workload(void)
{
    u32 seed = 0x2545f491u, it, i, sum = 0, found = 0, unsorted = 0;
    for (it = 0; it < ITERS; it++) {
        struct lnode *head = build_list(&seed);
        struct tnode *root = 0;
        u32 used = 0, kseed;
        for (i = 0; i < LIST_WALKS; i++)
            sum = rotl32(sum, 3) ^ walk_list(head);

        /* Keys are 20 bits wide, so some repeat; lookups replay the key stream
         * (hits) interleaved with fresh random keys (mostly misses). */
        kseed = seed;
        for (i = 0; i < TREE_NODES; i++) {
            tpool[used].key = rng_next(&seed) & 0xfffffu;
            used += tree_insert(&root, &tpool[used]);
        }
        for (i = 0; i < LOOKUPS; i++) {
            u32 key = (i & 1) ? rng_next(&seed) & 0xfffffu : rng_next(&kseed) & 0xfffffu;
            const struct tnode *t = tree_find(root, key);
            if (t) {
                found++;
                sum += t->count;
            }
        }
        sum = rotl32(sum, 7) ^ tree_walk(root, &unsorted) ^ used;
    }
    out_str("ptrchase: result=");
    out_hex(sum);
    out_str(" found=");
    out_dec(found);
    out_str(" unsorted=");
    out_dec(unsorted);
    out_nl();
}
