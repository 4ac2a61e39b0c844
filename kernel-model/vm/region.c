/* Regions of an address space (MINIX servers/vm/region.c). A region keeps a
 * page-indexed array of phys_region pointers; each phys_region references a
 * one-page phys_block whose reference count says how many regions share it,
 * which is what fork's copy-on-write is built on. The page table always
 * mirrors the array: present entry <=> PTE present. All of these objects are
 * slab objects (page arrays up to 16 entries too): writes go through USE(). */
#include "vm.h"

#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_U 0x4

/* --- page arrays: small ones from the slab, larger ones whole pages --- */

static struct phys_region **pagearray_alloc(u32 entries)
{
	u32 bytes = entries * sizeof(struct phys_region *);
	u32 phys;
	if (entries == 0)
		return NULL;
	if (bytes <= 64)
		return slab_alloc(bytes);
	phys = alloc_pages(PAGE_UP(bytes) / PAGE_SIZE, PAF_CLEAR);
	if (phys == NO_MEM)
		panic("out of memory for a page array");
	vs.pages_slab += PAGE_UP(bytes) / PAGE_SIZE;
	return PHYS2VIR(phys);
}

static void pagearray_free(struct phys_region **a, u32 entries)
{
	u32 bytes = entries * sizeof(struct phys_region *);
	if (!a)
		return;
	if (bytes <= 64) {
		slab_free(a, bytes);
		return;
	}
	free_pages((u32)a - VM_PHYSWIN, PAGE_UP(bytes) / PAGE_SIZE);
	vs.pages_slab -= PAGE_UP(bytes) / PAGE_SIZE;
}

/* --- phys_block references --- */

u32 alloc_anon_page(int clear)
{
	u32 p = alloc_pages(1, clear ? PAF_CLEAR : 0);
	if (p != NO_MEM)
		vs.pages_anon++;
	return p;
}

static void pb_link(struct phys_block *pb, struct phys_region *pr)
{
	if (pb->refcount == 0xFF)
		panic("phys_block %x: too many references", pb->phys);
	USE(pr, pr->ph = pb, pr->next_ph_list = pb->firstregion);
	USE(pb, pb->firstregion = pr, pb->refcount++);
}

/* Drop pr's reference; the page goes back to the free list with the last. */
static void pb_unlink(struct phys_region *pr)
{
	struct phys_block *pb = pr->ph;
	struct phys_region **pp;
	struct phys_region *prev = NULL;
	for (pp = &pb->firstregion; *pp != pr; prev = *pp, pp = &(*pp)->next_ph_list)
		assert(*pp);
	/* *pp lives in pb (first in the list) or in the previous phys_region */
	USE(prev ? (void *)prev : (void *)pb, *pp = pr->next_ph_list);
	USE(pr, pr->ph = NULL);
	USE(pb, pb->refcount--);
	if (pb->refcount == 0) {
		free_pages(pb->phys, 1);
		vs.pages_anon--;
		SLABFREE(pb);
	} else if (pb->refcount == 1) {
		USE(pb, pb->share_flag = 0); /* the last user may write it in place */
	}
}

static struct phys_region *pr_new(struct vir_region *r, u32 offset)
{
	struct phys_region *pr;
	SLABALLOC(pr);
	USE(pr, pr->parent = r, pr->offset = offset);
	USE(r->page, r->page[offset / PAGE_SIZE] = pr);
	return pr;
}

/* Map a fresh page (already allocated and counted in pages_anon). */
int region_map_page(struct vmproc *vmp, struct vir_region *r, u32 offset, u32 phys, u32 ptebits)
{
	struct phys_block *pb;
	assert(offset < r->length && !r->page[offset / PAGE_SIZE]);
	SLABALLOC(pb);
	USE(pb, pb->phys = phys);
	pb_link(pb, pr_new(r, offset));
	pt_writemap(vmp->vm_pdir, vr_vaddr(r) + offset, phys | ptebits);
	return OK;
}

/* fork: r (in vmp) gets a reference to the page src maps, at the same offset. */
void region_share_page(struct vmproc *vmp, struct vir_region *r, struct phys_region *src, u32 ptebits)
{
	pb_link(src->ph, pr_new(r, src->offset));
	pt_writemap(vmp->vm_pdir, vr_vaddr(r) + src->offset, src->ph->phys | ptebits);
}

/* COW: pr stops sharing its block and gets the (already filled) page phys. */
void region_replace_page(struct vmproc *vmp, struct phys_region *pr, u32 phys)
{
	struct phys_block *pb;
	struct vir_region *r = pr->parent;
	pb_unlink(pr);
	SLABALLOC(pb);
	USE(pb, pb->phys = phys);
	pb_link(pb, pr);
	pt_writemap(vmp->vm_pdir, vr_vaddr(r) + pr->offset, phys | PTE_P | PTE_U | PTE_RW);
}

/* --- regions --- */

struct vir_region *region_new(struct vmproc *vmp, u32 vaddr, u32 len, int flags, int tag)
{
	struct vir_region *r;
	assert(!(vaddr & PAGE_MASK) && !(len & PAGE_MASK) && vaddr + len <= USR_STACKTOP);
	struct phys_region **a = pagearray_alloc(len / PAGE_SIZE);
	SLABALLOC(r);
	USE(r, r->node.key = vaddr, r->length = len, r->flags = (u16)flags, r->tag = (u16)tag,
	    r->page_cap = len / PAGE_SIZE, r->page = a);
	avl_insert(&vmp->vm_regions, &r->node);
	return r;
}

struct vir_region *region_lookup(struct vmproc *vmp, u32 addr)
{
	struct vir_region *r = (struct vir_region *)avl_find_le(&vmp->vm_regions, addr);
	if (r && addr - vr_vaddr(r) < r->length)
		return r;
	return NULL;
}

/* Unmap the pages at region offsets [start, end). */
void region_unmap_range(struct vmproc *vmp, struct vir_region *r, u32 start, u32 end)
{
	u32 off;
	for (off = start; off < end; off += PAGE_SIZE) {
		struct phys_region *pr = r->page[off / PAGE_SIZE];
		if (!pr)
			continue;
		*pt_pte(vmp->vm_pdir, vr_vaddr(r) + off, 0) = 0;
		pb_unlink(pr);
		USE(r->page, r->page[off / PAGE_SIZE] = NULL);
		SLABFREE(pr);
	}
}

void region_destroy(struct vmproc *vmp, struct vir_region *r)
{
	region_unmap_range(vmp, r, 0, r->length);
	avl_remove(&vmp->vm_regions, &r->node);
	pagearray_free(r->page, r->page_cap);
	SLABFREE(r);
}

/* Grow (demand-paged) or shrink (pages freed now) the end of a region. */
int region_resize(struct vmproc *vmp, struct vir_region *r, u32 len)
{
	u32 need = len / PAGE_SIZE;
	if (len < r->length) {
		region_unmap_range(vmp, r, len, r->length);
	} else if (need > r->page_cap) {
		u32 cap = need > 2 * r->page_cap ? need : 2 * r->page_cap;
		struct phys_region **a = pagearray_alloc(cap);
		if (r->page)
			USE(a, memcpy(a, r->page, r->length / PAGE_SIZE * sizeof(*a)));
		pagearray_free(r->page, r->page_cap);
		USE(r, r->page = a, r->page_cap = cap);
	}
	USE(r, r->length = len);
	return OK;
}

/* munmap of the front: drop [start, newstart) and move the rest down. */
void region_trim_front(struct vmproc *vmp, struct vir_region *r, u32 newstart)
{
	u32 cut = newstart - vr_vaddr(r), n = (r->length - cut) / PAGE_SIZE, i;
	region_unmap_range(vmp, r, 0, cut);
	for (i = 0; i < n; i++) {
		struct phys_region *pr = r->page[cut / PAGE_SIZE + i];
		USE(r->page, r->page[i] = pr);
		if (pr)
			USE(pr, pr->offset -= cut);
	}
	USE(r->page, memset(&r->page[n], 0, cut / PAGE_SIZE * sizeof(r->page[0])));
	avl_remove(&vmp->vm_regions, &r->node);
	USE(r, r->length -= cut, r->node.key = newstart);
	avl_insert(&vmp->vm_regions, &r->node);
}

/* Cut r at address at: [at, end) becomes a region of its own. */
void region_split(struct vmproc *vmp, struct vir_region *r, u32 at)
{
	u32 cut = at - vr_vaddr(r), i, n = (r->length - cut) / PAGE_SIZE;
	struct vir_region *t = region_new(vmp, at, r->length - cut, r->flags, r->tag);
	for (i = 0; i < n; i++) {
		struct phys_region *pr = r->page[cut / PAGE_SIZE + i];
		USE(r->page, r->page[cut / PAGE_SIZE + i] = NULL);
		USE(t->page, t->page[i] = pr);
		if (pr)
			USE(pr, pr->parent = t, pr->offset -= cut);
	}
	USE(r, r->length = cut);
}

/* Map fresh zeroed pages over the region addresses [start, end). */
int map_prealloc(struct vmproc *vmp, struct vir_region *r, u32 start, u32 end)
{
	u32 v;
	for (v = start; v < end; v += PAGE_SIZE) {
		u32 p = alloc_anon_page(1);
		if (p == NO_MEM)
			return ENOMEM;
		region_map_page(vmp, r, v - vr_vaddr(r), p,
				PTE_P | PTE_U | ((r->flags & VR_WRITABLE) ? PTE_RW : 0));
	}
	return OK;
}

/* Every page: back-pointers right, PTE mirrors it, refcount = list length,
 * writable only when not shared. */
void region_sanity(struct vmproc *vmp, struct vir_region *r)
{
	u32 i;
	for (i = 0; i < r->length / PAGE_SIZE; i++) {
		struct phys_region *pr = r->page[i], *x;
		u32 *pte = pt_pte(vmp->vm_pdir, vr_vaddr(r) + i * PAGE_SIZE, 0), cnt = 0;
		if (!pr) {
			if (pte && (*pte & PTE_P))
				panic("sanity: %s maps %08x without a phys_region", vmp->vm_name, vr_vaddr(r) + i * PAGE_SIZE);
			continue;
		}
		if (pr->parent != r || pr->offset != i * PAGE_SIZE || !pte || (*pte & ~PAGE_MASK) != pr->ph->phys ||
		    !(*pte & PTE_P))
			panic("sanity: %s page %08x inconsistent", vmp->vm_name, vr_vaddr(r) + i * PAGE_SIZE);
		for (x = pr->ph->firstregion; x; x = x->next_ph_list)
			cnt++;
		if (cnt != pr->ph->refcount || ((*pte & PTE_RW) && cnt != 1))
			panic("sanity: %s page %08x refcount %u, %u users", vmp->vm_name,
			      vr_vaddr(r) + i * PAGE_SIZE, pr->ph->refcount, cnt);
	}
}
