/* Physical page allocator (MINIX servers/vm/alloc.c): free ranges in an AVL
 * tree keyed by start page. Allocation scans from the highest range down and
 * takes the top of the first range that fits, so a range's key never moves
 * on allocation. Before the tree exists, boot_alloc_page() takes pages the
 * same way from the kernel's free list. */
#include "vm.h"

struct freerange {
	struct avl_node node; /* key = first page number */
	u32 npages;
};

static struct avl_tree freelist;
static struct kinfo_range *boot_ranges;
static u32 boot_nranges;
u32 mem_pages;

u32 boot_alloc_page(void)
{
	u32 i, best = boot_nranges;
	for (i = 0; i < boot_nranges; i++)
		if (boot_ranges[i].len && (best == boot_nranges || boot_ranges[i].start > boot_ranges[best].start))
			best = i;
	if (best == boot_nranges)
		panic("out of memory at boot");
	boot_ranges[best].len -= PAGE_SIZE;
	return boot_ranges[best].start + boot_ranges[best].len;
}

u32 alloc_pages(u32 n, int flags)
{
	struct avl_node *an;
	u32 phys;
	if (boot_ranges) {
		if (n != 1)
			panic("boot allocation of %u pages", n);
		phys = boot_alloc_page();
	} else {
		for (an = avl_find_le(&freelist, 0xFFFFFFFF); an; an = avl_find_lt(&freelist, an->key)) {
			struct freerange *fr = (struct freerange *)an;
			if (fr->npages >= n)
				break;
		}
		if (!an)
			return NO_MEM;
		struct freerange *fr = (struct freerange *)an;
		USE(fr, fr->npages -= n);
		phys = (fr->node.key + fr->npages) * PAGE_SIZE;
		if (fr->npages == 0) {
			avl_remove(&freelist, &fr->node);
			SLABFREE(fr);
		}
		vs.free_pages -= n;
	}
	if (flags & PAF_CLEAR)
		memset(PHYS2VIR(phys), 0, n * PAGE_SIZE);
	if (sanity && !boot_ranges)
		alloc_sanity();
	return phys;
}

void free_pages(u32 phys, u32 n)
{
	u32 p = phys / PAGE_SIZE;
	struct freerange *fr, *next, *prev;

	assert(n > 0 && !(phys & PAGE_MASK) && phys / PAGE_SIZE + n <= mem_pages);
	vs.free_pages += n;
	/* take the node first: slab_alloc may itself allocate a page */
	SLABALLOC(fr);
	next = (struct freerange *)avl_find(&freelist, p + n);
	prev = (struct freerange *)avl_find_le(&freelist, p);
	if (prev && prev->node.key + prev->npages > p)
		panic("free_pages: page %x already free", p);
	if (next) {
		avl_remove(&freelist, &next->node);
		n += next->npages;
		SLABFREE(next);
	}
	if (prev && prev->node.key + prev->npages == p) {
		USE(prev, prev->npages += n);
		SLABFREE(fr);
	} else {
		USE(fr, fr->node.key = p, fr->npages = n);
		avl_insert(&freelist, &fr->node);
	}
	if (sanity)
		alloc_sanity();
}

/* Build the tree from the kernel's list; boot pages come from the highest
 * range not yet inserted, so insert the ranges in ascending order. */
void boot_mem_begin(struct kinfo_range *r, u32 n)
{
	boot_ranges = r;
	boot_nranges = n;
}

void mem_init(void)
{
	struct kinfo_range *r = boot_ranges;
	u32 i, lo, n = boot_nranges;
	for (;;) {
		struct freerange *fr;
		/* allocate the node before choosing: it may shrink the last range */
		SLABALLOC(fr);
		for (lo = n, i = 0; i < n; i++)
			if (r[i].len && (lo == n || r[i].start < r[lo].start))
				lo = i;
		if (lo == n) {
			SLABFREE(fr);
			break;
		}
		struct freerange *prev = (struct freerange *)avl_find_le(&freelist, r[lo].start / PAGE_SIZE);
		vs.free_pages += r[lo].len / PAGE_SIZE;
		if (prev && prev->node.key + prev->npages == r[lo].start / PAGE_SIZE) {
			/* the kernel's list may hold touching ranges: merge them */
			USE(prev, prev->npages += r[lo].len / PAGE_SIZE);
			SLABFREE(fr);
		} else {
			USE(fr, fr->node.key = r[lo].start / PAGE_SIZE, fr->npages = r[lo].len / PAGE_SIZE);
			avl_insert(&freelist, &fr->node);
		}
		r[lo].len = 0;
	}
	boot_ranges = NULL;
}

u32 largest_free_range(void)
{
	struct avl_node *an;
	u32 best = 0;
	for (an = avl_find_le(&freelist, 0xFFFFFFFF); an; an = avl_find_lt(&freelist, an->key))
		if (((struct freerange *)an)->npages > best)
			best = ((struct freerange *)an)->npages;
	return best;
}

u32 free_nodes(void)
{
	return freelist.count;
}

/* SANITYCHECKS: the tree is balanced and ordered, ranges do not touch, and
 * the page count matches the running total. */
void alloc_sanity(void)
{
	struct avl_node *an;
	u32 pages = 0, prev_start = 0xFFFFFFFF;
	avl_check(&freelist);
	for (an = avl_find_le(&freelist, 0xFFFFFFFF); an; an = avl_find_lt(&freelist, an->key)) {
		struct freerange *fr = (struct freerange *)an;
		if (!fr->npages || (prev_start != 0xFFFFFFFF && an->key + fr->npages >= prev_start))
			panic("free list broken at page %x", an->key);
		pages += fr->npages;
		prev_start = an->key;
	}
	if (pages != vs.free_pages)
		panic("free list has %u pages, expected %u", pages, vs.free_pages);
}
