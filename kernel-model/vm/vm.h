/* VM server internals. VM sees all physical RAM through its own window at
 * VM_PHYSWIN (mapped only in VM's directory), so page tables, slab pages and
 * page copies are ordinary loads and stores. */
#ifndef VM_VM_H
#define VM_VM_H
#include <model/lib.h>
#include <model/vm.h>
#include <model/kinfo.h>
#include <model/elf.h>

#define VM_PHYSWIN 0xC0000000u
#define PHYS2VIR(p) ((void *)(VM_PHYSWIN + (u32)(p)))
#define NO_MEM 0xFFFFFFFEu

/* --- avl.c: intrusive AVL tree keyed by u32 --- */
struct avl_node { struct avl_node *left, *right; int height; u32 key; };
struct avl_tree { struct avl_node *root; u32 count; };
void avl_insert(struct avl_tree *t, struct avl_node *n);
void avl_remove(struct avl_tree *t, struct avl_node *n);
struct avl_node *avl_find(struct avl_tree *t, u32 key);
struct avl_node *avl_find_le(struct avl_tree *t, u32 key);
struct avl_node *avl_find_lt(struct avl_tree *t, u32 key);
struct avl_node *avl_find_ge(struct avl_tree *t, u32 key);
int avl_check(struct avl_tree *t); /* count of nodes; panics on a broken invariant */

/* --- alloc.c: physical pages --- */
#define PAF_CLEAR 0x1
u32 alloc_pages(u32 npages, int flags); /* physical address or NO_MEM */
void free_pages(u32 phys, u32 npages);
void boot_mem_begin(struct kinfo_range *r, u32 n);
void mem_init(void);
u32 boot_alloc_page(void);
void alloc_sanity(void);
u32 largest_free_range(void);
u32 free_nodes(void);

/* --- slaballoc.c --- */
void *slab_alloc(u32 size);
void slab_free(void *p, u32 size);
void slab_sanity(void);
#define SLABALLOC(p) ((p) = slab_alloc(sizeof(*(p))))
#define SLABFREE(p) slab_free((p), sizeof(*(p)))
/* Read-only slab mode (sanity=1, seed 32fbbd370c): slab pages are mapped
 * read-only in VM's window and every write to a slab object is wrapped in
 * USE(obj, statements), which opens the object's page for the statements
 * (VM's own PTE + VMCTL_INVLPG). A stray write faults, and a fault in VM
 * is a kernel panic. */
extern int slab_ro;
void slab_unlock(const void *p);
void slab_lock(const void *p);
#define USE(obj, ...) do { \
	if (slab_ro) slab_unlock(obj); \
	__VA_ARGS__; \
	if (slab_ro) slab_lock(obj); \
} while (0)

/* --- regions and processes (MINIX region.h, physravl.h) --- */
#define VR_WRITABLE 0x1
#define VR_SHARED 0x2
enum { TAG_TEXT, TAG_DATA, TAG_HEAP, TAG_STACK, TAG_MMAP };
#define PBSH_COW 0x1 /* shared copy-on-write: the next write copies */

/* One physical page (every block is one page, so nothing needs contiguity). */
struct phys_block {
	u32 phys;
	u8 refcount;                     /* phys_regions referencing this page */
	u8 share_flag;                   /* PBSH_COW or 0 */
	u16 pad;
	struct phys_region *firstregion; /* list through next_ph_list */
};

/* One use of a phys_block by a region, at a page offset. */
struct phys_region {
	struct vir_region *parent;
	u32 offset;                      /* bytes from the region start */
	struct phys_block *ph;
	struct phys_region *next_ph_list;
};

struct vir_region {
	struct avl_node node; /* key = vaddr */
	u32 length;
	u16 flags, tag;
	struct phys_region **page;       /* length/4096 entries; NULL = not present */
	u32 page_cap;                    /* entries allocated */
};
#define vr_vaddr(r) ((r)->node.key)

#define VMF_INUSE 0x1
#define VMF_EXITING 0x2
struct vmproc {
	int vm_flags;
	endpoint_t vm_endpoint;
	u32 vm_pdir;                /* physical address of the page directory */
	struct avl_tree vm_regions;
	struct vir_region *vm_heap, *vm_stack;
	u32 vm_brk;
	u32 vm_call_mask;           /* VM_CALL_BIT()s this process may use */
	char vm_name[16];
};
extern struct vmproc vmproc[NR_PROCS];
struct vmproc *ep2vmp(endpoint_t ep);

/* pagetable.c */
extern u32 kernel_pdes[64];
extern u32 window_pt[MEM_LIMIT >> 22]; /* page tables of VM's window */
u32 *window_pte(const void *v);
u32 pt_new(void);
void pt_free(u32 pdir);
u32 *pt_pte(u32 pdir, u32 v, int alloc);
void pt_writemap(u32 pdir, u32 v, u32 entry);

/* region.c */
struct vir_region *region_new(struct vmproc *vmp, u32 vaddr, u32 len, int flags, int tag);
struct vir_region *region_lookup(struct vmproc *vmp, u32 addr);
void region_unmap_range(struct vmproc *vmp, struct vir_region *r, u32 start, u32 end);
void region_destroy(struct vmproc *vmp, struct vir_region *r);
int region_resize(struct vmproc *vmp, struct vir_region *r, u32 len);
void region_trim_front(struct vmproc *vmp, struct vir_region *r, u32 newstart);
void region_split(struct vmproc *vmp, struct vir_region *r, u32 at);
int region_map_page(struct vmproc *vmp, struct vir_region *r, u32 offset, u32 phys, u32 ptebits);
void region_share_page(struct vmproc *vmp, struct vir_region *r, struct phys_region *src, u32 ptebits);
void region_replace_page(struct vmproc *vmp, struct phys_region *pr, u32 phys);
int map_prealloc(struct vmproc *vmp, struct vir_region *r, u32 start, u32 end);
u32 alloc_anon_page(int clear);
void region_sanity(struct vmproc *vmp, struct vir_region *r);

/* pagefaults.c */
int handle_memory(struct vmproc *vmp, u32 v, int write);
void do_pagefault(message *m);
void do_memory(void);

/* request handlers: return a result or SUSPEND (no reply) */
int do_fork(message *m);
int do_exit(message *m);
int do_brk(message *m);
int do_mmap(message *m);
int do_munmap(message *m);
int do_info(message *m);
int do_willexit(message *m);
int do_rs_exec(message *m);
void exec_bootproc(int slot);
void vm_sanity(void);

/* stats.c */
struct vm_stats {
	u32 total_pages, free_pages, pages_pagetable, pages_pagedir, pages_slab, pages_anon;
	u32 pf_total, pf_zero, cow_copies, cow_reuse, nproc;
};
extern struct vm_stats vs;
extern struct kinfo kinfo;
extern int sanity;
extern u32 mem_pages;

#endif
