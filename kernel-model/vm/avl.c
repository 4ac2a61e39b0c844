/* Intrusive AVL tree keyed by u32 (used for free ranges and regions). The
 * nodes live in slab objects, so every write goes through USE(). */
#include "vm.h"

/* write a link only when it changes: each write opens a slab page */
#define SET(n, field, v) do { struct avl_node *v_ = (v); if ((n)->field != v_) USE(n, (n)->field = v_); } while (0)

static int h(struct avl_node *n) { return n ? n->height : 0; }
static void fix(struct avl_node *n)
{
	int v = 1 + (h(n->left) > h(n->right) ? h(n->left) : h(n->right));
	if (n->height != v)
		USE(n, n->height = v);
}

static struct avl_node *rot_right(struct avl_node *n)
{
	struct avl_node *l = n->left;
	SET(n, left, l->right);
	SET(l, right, n);
	fix(n);
	fix(l);
	return l;
}

static struct avl_node *rot_left(struct avl_node *n)
{
	struct avl_node *r = n->right;
	SET(n, right, r->left);
	SET(r, left, n);
	fix(n);
	fix(r);
	return r;
}

static struct avl_node *balance(struct avl_node *n)
{
	fix(n);
	if (h(n->left) > h(n->right) + 1) {
		if (h(n->left->right) > h(n->left->left)) {
			struct avl_node *x = rot_left(n->left);
			SET(n, left, x);
		}
		return rot_right(n);
	}
	if (h(n->right) > h(n->left) + 1) {
		if (h(n->right->left) > h(n->right->right)) {
			struct avl_node *x = rot_right(n->right);
			SET(n, right, x);
		}
		return rot_left(n);
	}
	return n;
}

static struct avl_node *ins(struct avl_node *t, struct avl_node *n)
{
	if (!t)
		return n;
	if (n->key == t->key)
		panic("avl: duplicate key %x", n->key);
	if (n->key < t->key) {
		struct avl_node *x = ins(t->left, n);
		SET(t, left, x);
	} else {
		struct avl_node *x = ins(t->right, n);
		SET(t, right, x);
	}
	return balance(t);
}

void avl_insert(struct avl_tree *t, struct avl_node *n)
{
	USE(n, n->left = n->right = NULL, n->height = 1);
	t->root = ins(t->root, n);
	t->count++;
}

static struct avl_node *remove_min(struct avl_node *t, struct avl_node **min)
{
	if (!t->left) {
		*min = t;
		return t->right;
	}
	struct avl_node *x = remove_min(t->left, min);
	SET(t, left, x);
	return balance(t);
}

static struct avl_node *del(struct avl_node *t, u32 key)
{
	struct avl_node *m, *x;
	if (!t)
		panic("avl: removing missing key %x", key);
	if (key < t->key) {
		x = del(t->left, key);
		SET(t, left, x);
	} else if (key > t->key) {
		x = del(t->right, key);
		SET(t, right, x);
	} else {
		if (!t->right)
			return t->left;
		x = remove_min(t->right, &m);
		USE(m, m->left = t->left, m->right = x);
		return balance(m);
	}
	return balance(t);
}

void avl_remove(struct avl_tree *t, struct avl_node *n)
{
	t->root = del(t->root, n->key);
	t->count--;
}

struct avl_node *avl_find(struct avl_tree *t, u32 key)
{
	struct avl_node *n = t->root;
	while (n && n->key != key)
		n = key < n->key ? n->left : n->right;
	return n;
}

struct avl_node *avl_find_le(struct avl_tree *t, u32 key)
{
	struct avl_node *n = t->root, *best = NULL;
	while (n) {
		if (n->key == key)
			return n;
		if (n->key < key) {
			best = n;
			n = n->right;
		} else
			n = n->left;
	}
	return best;
}

struct avl_node *avl_find_lt(struct avl_tree *t, u32 key)
{
	return key ? avl_find_le(t, key - 1) : NULL;
}

struct avl_node *avl_find_ge(struct avl_tree *t, u32 key)
{
	struct avl_node *n = t->root, *best = NULL;
	while (n) {
		if (n->key == key)
			return n;
		if (n->key > key) {
			best = n;
			n = n->left;
		} else
			n = n->right;
	}
	return best;
}

static int check(struct avl_node *n, u32 lo, u32 hi, int *cnt)
{
	int hl, hr;
	if (!n)
		return 0;
	if (n->key < lo || n->key > hi)
		panic("avl: order broken at %x", n->key);
	(*cnt)++;
	hl = n->key ? check(n->left, lo, n->key - 1, cnt) : (n->left ? (panic("avl: order"), 0) : 0);
	hr = n->key != 0xFFFFFFFF ? check(n->right, n->key + 1, hi, cnt) : 0;
	if (n->height != 1 + (hl > hr ? hl : hr) || hl - hr > 1 || hr - hl > 1)
		panic("avl: height broken at %x", n->key);
	return n->height;
}

int avl_check(struct avl_tree *t)
{
	int cnt = 0;
	check(t->root, 0, 0xFFFFFFFF, &cnt);
	if ((u32)cnt != t->count)
		panic("avl: count %u, found %u", t->count, cnt);
	return cnt;
}
