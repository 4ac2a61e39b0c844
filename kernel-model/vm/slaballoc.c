/* Slab allocator (MINIX servers/vm/slaballoc.c): one page per slab, one set
 * of lists per object size (rounded to 4 bytes). Every slab carries two
 * magic words and a use bitmap: a foreign pointer or a double free panics.
 * With sanity=1 freed objects are filled with 0xdeadbeef and checked on
 * reuse. Empty slabs stay on their FREE list (pages are never given back,
 * which keeps the allocator from re-entering the page allocator). In
 * read-only mode (sanity=1) slab pages are read-only in VM's window except
 * while a USE() or the allocator itself has them open. */
#include "vm.h"

#define MAGIC1 0x1f5b842f
#define MAGIC2 0x8bb5a420
#define MAXSIZE 128
#define NCLASSES (MAXSIZE / 4 + 1)
#define USEWORDS 32
enum { LIST_FREE, LIST_USED, LIST_FULL, NLISTS };

struct slabhdr {
	u32 magic1, magic2;
	struct slabhdr *next, *prev;
	u16 nused, freeguess;
	u16 size, list;
	u16 capacity, pad;
	u32 usebits[USEWORDS];
};
#define SLABDATA(s) ((u8 *)(s) + sizeof(struct slabhdr))

static struct slabhdr *lists[NCLASSES][NLISTS];
int slab_ro;

/* --- read-only mode: pages currently open for writing, with nesting --- */
#define MAXOPEN 8
static struct { u32 page; int count; } open_pages[MAXOPEN];

static void set_writable(u32 page, int rw)
{
	u32 *pte = window_pte((void *)page);
	*pte = rw ? (*pte | 2) : (*pte & ~2u);
	/* VM is the current process: this really flushes one TLB entry */
	sys_vmctl(SELF, VMCTL_INVLPG, page, NULL);
}

static int is_slab_page(const void *p)
{
	const struct slabhdr *s = (const struct slabhdr *)PAGE_DOWN(p);
	return (u32)p >= VM_PHYSWIN && s->magic1 == MAGIC1 && s->magic2 == MAGIC2;
}

void slab_unlock(const void *p)
{
	u32 page = PAGE_DOWN(p);
	int i, slot = -1;
	if (!p || !is_slab_page(p))
		return; /* e.g. a page array in pages of its own: always writable */
	for (i = 0; i < MAXOPEN; i++) {
		if (open_pages[i].count && open_pages[i].page == page) {
			open_pages[i].count++;
			return;
		}
		if (!open_pages[i].count && slot < 0)
			slot = i;
	}
	if (slot < 0)
		panic("slab: too many pages open");
	open_pages[slot].page = page;
	open_pages[slot].count = 1;
	set_writable(page, 1);
}

void slab_lock(const void *p)
{
	u32 page = PAGE_DOWN(p);
	int i;
	if (!p || !is_slab_page(p))
		return;
	for (i = 0; i < MAXOPEN; i++)
		if (open_pages[i].count && open_pages[i].page == page) {
			if (--open_pages[i].count == 0)
				set_writable(page, 0);
			return;
		}
	panic("slab: locking page %x that is not open", page);
}

static void list_del(struct slabhdr *s)
{
	int c = s->size / 4;
	if (s->prev)
		USE(s->prev, s->prev->next = s->next);
	else
		lists[c][s->list] = s->next;
	if (s->next)
		USE(s->next, s->next->prev = s->prev);
}

static void list_add(struct slabhdr *s, int l)
{
	int c = s->size / 4;
	USE(s, s->list = (u16)l, s->prev = NULL, s->next = lists[c][l]);
	if (s->next)
		USE(s->next, s->next->prev = s);
	lists[c][l] = s;
}

static struct slabhdr *new_slab(u32 size)
{
	u32 phys = alloc_pages(1, PAF_CLEAR);
	struct slabhdr *s;
	if (phys == NO_MEM)
		panic("slab: out of memory");
	vs.pages_slab++;
	s = PHYS2VIR(phys);
	s->magic1 = MAGIC1;
	s->magic2 = MAGIC2;
	s->size = (u16)size;
	s->capacity = (u16)((PAGE_SIZE - sizeof(struct slabhdr)) / size);
	if (sanity) {
		u32 *w = (u32 *)SLABDATA(s), i;
		for (i = 0; i < s->capacity * size / 4; i++)
			w[i] = 0xdeadbeef;
	}
	if (slab_ro)
		set_writable((u32)s, 0);
	list_add(s, LIST_FREE);
	return s;
}

void *slab_alloc(u32 size)
{
	struct slabhdr *s;
	u32 i, c;
	size = (size + 3) & ~3u;
	if (size == 0 || size > MAXSIZE)
		panic("slab: bad size %u", size);
	c = size / 4;
	s = lists[c][LIST_USED];
	if (!s)
		s = lists[c][LIST_FREE];
	if (!s)
		s = new_slab(size);
	if (slab_ro)
		slab_unlock(s);
	for (i = s->freeguess;; i = (i + 1) % s->capacity)
		if (!(s->usebits[i / 32] & (1u << (i % 32))))
			break;
	s->usebits[i / 32] |= 1u << (i % 32);
	s->freeguess = (u16)((i + 1) % s->capacity);
	if (s->nused++ == 0 || s->nused == s->capacity) {
		list_del(s);
		list_add(s, s->nused == s->capacity ? LIST_FULL : LIST_USED);
	}
	u8 *obj = SLABDATA(s) + i * size;
	if (sanity) {
		u32 k;
		for (k = 0; k < size / 4; k++)
			if (((u32 *)obj)[k] != 0xdeadbeef)
				panic("slab: free object %x modified", (u32)obj);
	}
	memset(obj, 0, size);
	if (slab_ro)
		slab_lock(s);
	return obj;
}

static struct slabhdr *slab_of(void *p, u32 size, u32 *idx)
{
	struct slabhdr *s = (struct slabhdr *)PAGE_DOWN(p);
	u32 off;
	if ((u32)p < VM_PHYSWIN || s->magic1 != MAGIC1 || s->magic2 != MAGIC2 || s->size != size)
		panic("slab: foreign pointer %x", (u32)p);
	off = (u32)((u8 *)p - SLABDATA(s));
	if (off % size || off / size >= s->capacity)
		panic("slab: misaligned pointer %x", (u32)p);
	*idx = off / size;
	return s;
}

void slab_free(void *p, u32 size)
{
	struct slabhdr *s;
	u32 i;
	size = (size + 3) & ~3u;
	s = slab_of(p, size, &i);
	if (!(s->usebits[i / 32] & (1u << (i % 32))))
		panic("slab: double free of %x", (u32)p);
	if (slab_ro)
		slab_unlock(s);
	s->usebits[i / 32] &= ~(1u << (i % 32));
	if (sanity) {
		u32 k;
		for (k = 0; k < size / 4; k++)
			((u32 *)p)[k] = 0xdeadbeef;
	}
	if (s->nused-- == s->capacity || s->nused == 0) {
		list_del(s);
		list_add(s, s->nused == 0 ? LIST_FREE : LIST_USED);
	}
	if (slab_ro)
		slab_lock(s);
}

/* Every slab: magic intact, on the list its fill level says, bitmap count
 * equal to nused. */
void slab_sanity(void)
{
	u32 c, l, i;
	for (c = 1; c < NCLASSES; c++)
		for (l = 0; l < NLISTS; l++) {
			struct slabhdr *s;
			for (s = lists[c][l]; s; s = s->next) {
				u32 used = 0;
				if (s->magic1 != MAGIC1 || s->magic2 != MAGIC2 || s->size != c * 4)
					panic("slab: header of %x broken", (u32)s);
				for (i = 0; i < s->capacity; i++)
					used += (s->usebits[i / 32] >> (i % 32)) & 1;
				if (used != s->nused ||
				    l != (used == 0 ? LIST_FREE : used == s->capacity ? LIST_FULL : LIST_USED))
					panic("slab: counts of %x broken", (u32)s);
			}
		}
}
