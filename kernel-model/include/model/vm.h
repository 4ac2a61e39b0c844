/* VM server requests and statistics. */
#ifndef MODEL_VM_H
#define MODEL_VM_H
#include <model/com.h>

#define VM_FORK (VM_RQ_BASE + 0)     /* i[0]=parent ep, i[1]=child slot -> i[0]=child ep */
#define VM_EXIT (VM_RQ_BASE + 1)     /* i[0]=ep */
#define VM_BRK (VM_RQ_BASE + 2)      /* i[0]=new break (0: query) -> i[0]=break */
#define VM_MMAP (VM_RQ_BASE + 3)     /* i[0]=len, i[1]=prot, i[2]=flags -> i[0]=addr */
#define VM_MUNMAP (VM_RQ_BASE + 4)   /* i[0]=addr, i[1]=len */
#define VM_INFO (VM_RQ_BASE + 5)     /* i[0]=what -> stats in u[] */
#define VM_WILLEXIT (VM_RQ_BASE + 6)
#define VM_RS_EXEC (VM_RQ_BASE + 7)  /* i[0]=ep, u[1]=image phys, u[2]=length: re-create from the kept image */
#define VM_NCALLS 8
#define VM_CALL_BIT(t) (1u << ((t) - VM_RQ_BASE))
/* what user processes may ask VM directly */
#define VM_USER_CALLS (VM_CALL_BIT(VM_BRK) | VM_CALL_BIT(VM_MMAP) | VM_CALL_BIT(VM_MUNMAP) | VM_CALL_BIT(VM_INFO))
#define VM_PAGEFAULT (VM_RQ_BASE + 0xFF) /* i[0]=addr, i[1]=error code */

#define MAP_ANON 0x1
#define MAP_PRIVATE 0x2
#define MAP_PREALLOC 0x4
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_FAILED 0xFFFFFFFFu

#define VM_INFO_STATS 1
enum {
	VMS_TOTAL, VMS_FREE, VMS_LARGEST, VMS_NODES, VMS_PT, VMS_PD, VMS_SLAB,
	VMS_ANON, VMS_PF, VMS_ZERO, VMS_COW, VMS_REUSE, VMS_NPROC, VMS_COUNT
};

/* Page-fault error code bits (Intel). */
#define PFERR_PRESENT 1
#define PFERR_WRITE 2
#define PFERR_USER 4

#endif
