/* Kernel-call handlers: each gets the caller and its message (in kernel
 * memory) and returns the result, SUSPEND (parked on a VM request; the call
 * is re-run later) or EDONTREPLY. */
#ifndef KERNEL_SYSTEM_H
#define KERNEL_SYSTEM_H
#include "kernel.h"
#define EDONTREPLY (-999)
#define PHYS(k) ((u32)(k) - VIR_KERN_START)
typedef int (*kcall_t)(struct proc *caller, message *m);
int do_fork(struct proc *caller, message *m);
int do_exec(struct proc *caller, message *m);
int do_clear(struct proc *caller, message *m);
int do_exit(struct proc *caller, message *m);
int do_privctl(struct proc *caller, message *m);
int do_kill(struct proc *caller, message *m);
int do_getksig(struct proc *caller, message *m);
int do_endksig(struct proc *caller, message *m);
int do_umap(struct proc *caller, message *m);
int do_vircopy(struct proc *caller, message *m);
int do_memset(struct proc *caller, message *m);
int do_vmctl(struct proc *caller, message *m);
int do_getinfo(struct proc *caller, message *m);
int do_diagctl(struct proc *caller, message *m);
int do_setalarm(struct proc *caller, message *m);
struct proc *ep_arg(struct proc *caller, endpoint_t e); /* SELF allowed; NULL if bad */
int kcopy(struct proc *caller, struct proc *sp, vir_bytes sa, struct proc *dp, vir_bytes da, size_t len);
#endif
