/* Kernel-wide types, globals and prototypes. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H
#include <model/types.h>
#include <model/com.h>
#include <model/ipc.h>
#include <model/kinfo.h>
#include <stdarg.h>

#define KSTACK_SIZE 8192

/* Registers as saved by the entry stubs in mpx.S (lowest address first). */
struct stackframe {
	u32 gs, fs, es, ds;
	u32 edi, esi, ebp, kesp, ebx, edx, ecx, eax; /* pusha order */
	u32 vector, err;
	u32 eip, cs, eflags, esp, ss; /* pushed by the CPU (esp/ss only from ring 3) */
};

struct priv {
	u32 s_flags;
	u64 s_ipc_to;       /* bit per slot+NR_TASKS the process may send to */
	u32 s_k_call_mask;  /* bit per kernel call */
	endpoint_t s_sig_mgr;
};
#define SYS_PROC 0x1

/* rts_flags: a process is runnable iff zero. */
#define RTS_SLOT_FREE 0x0001
#define RTS_SENDING 0x0002
#define RTS_RECEIVING 0x0004
#define RTS_NO_PRIV 0x0008
#define RTS_PAGEFAULT 0x0010
#define RTS_VMREQUEST 0x0020
#define RTS_VMINHIBIT 0x0040
#define RTS_BOOTINHIBIT 0x0080
#define RTS_RSWAIT 0x0100
#define RTS_SIGNALED 0x0200
#define RTS_SIG_PENDING 0x0400
#define RTS_PROC_STOP 0x0800

/* misc flags */
#define MF_DELIVERMSG 0x01 /* p_delivermsg waits to be copied to the user */
#define MF_REPLY_PEND 0x02 /* in SENDREC: only a real reply may end the receive */
#define MF_REDO 0x04       /* re-run the trap once VM answered a memory request */
#define MF_DISPATCHED 0x08 /* has run at least once */

#define TRAP_INT 0
#define TRAP_SYSENTER 1
#define TRAP_FAULT 2

/* VM memory request kinds */
#define VMSTYPE_DELIVERMSG 1 /* copy p_delivermsg out, then resume */
#define VMSTYPE_REDO 2       /* re-run the interrupted call */

struct vmreq {
	int type;
	endpoint_t target;
	u32 start, len;
	int write;
	int handed_out;
	int failed;     /* VM could not provide the memory */
	struct proc *next;
};

struct proc {
	struct stackframe p_reg;  /* must be first: restore_user pops it */
	int p_nr;
	endpoint_t p_endpoint;
	char p_name[16];
	u32 p_rts_flags;
	u32 p_misc_flags;
	int p_trapstyle;
	endpoint_t p_getfrom_e, p_sendto_e;
	struct proc *p_caller_q;  /* head of processes sending to us */
	struct proc *p_q_link;    /* next in that queue */
	u32 p_notify[(NR_TASKS + NR_PROCS + 31) / 32];
	message p_sendmsg;        /* message being sent (kernel copy) */
	message p_delivermsg;     /* message waiting to be copied out */
	vir_bytes p_delivermsg_vir;
	u32 p_cr3;
	int p_priority;
	int p_quantum, p_ticks_left;
	struct proc *p_nextready;
	u32 p_user_time;
	struct priv *p_priv;
	u32 p_pending_ksig;
	struct vmreq p_vmreq;
	u32 p_alarm;              /* absolute tick, 0 = none */
	int p_gen;
};

#define NR_SLOTS (NR_TASKS + NR_PROCS)
#define proc_addr(n) (&proc[(n) + NR_TASKS])
#define isokprocn(n) ((n) >= -NR_TASKS && (n) < NR_PROCS)
#define proc_nr(p) ((p)->p_nr)

#define NR_SCHED_QUEUES 3
#define TASK_Q 0
#define SYS_Q 1
#define USER_Q 2

/* globals */
extern struct proc proc[NR_SLOTS];
extern struct proc *proc_ptr;    /* process whose registers are live */
extern struct kinfo kinfo;
extern u32 ticks;
extern int postlog;
extern u32 hz;
extern u32 kernel_pagedir[1024];
extern char k_boot_stack_top[], k_stack_top[];

#define assert(x) do { if (!(x)) panic("assert \"%s\" failed at %s:%d", #x, __FILE__, __LINE__); } while (0)

/* console.c */
void kputc(int c);
int kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);
void panic(const char *fmt, ...) __attribute__((noreturn));
void post(int code);
void shutdown(int status, const char *reason) __attribute__((noreturn));
void ser_init(void);
void ser_putc(int c);
const char *param(const char *name);

/* protect.c, i8259.c, pit.c */
void prot_init(void);
void prot_set_kstack(u32 top);
void intr_init(void);
void pit_init(u32 hz);

/* memory.c */
#define VIR(phys) ((void *)((u32)(phys) + VIR_KERN_START))
int umap(struct proc *p, vir_bytes v, int write, phys_bytes *ph);
int copy_bytes(struct proc *sp, vir_bytes sa, struct proc *dp, vir_bytes da, size_t len,
	       struct proc **fault_p, vir_bytes *fault_a, int *fault_w, u32 *fault_len);
void load_vm_image(struct proc *vm, u32 mod_start, u32 mod_len, const char *envstr);
u32 alloc_boot_page(void);
void free_bootstrap(void);

/* proc.c */
void do_ipc(struct proc *p);
int mini_send(struct proc *caller, endpoint_t dst_e, int nonblock);
int mini_receive(struct proc *caller, endpoint_t src_e);
void mini_notify(endpoint_t src_e, struct proc *dst);
void deliver(struct proc *dst, message *m);
void pagefault_to_vm(struct proc *p, u32 addr, u32 err);
void rts_set(struct proc *p, u32 f);
void rts_clear(struct proc *p, u32 f);
int isokendpt(endpoint_t e, int *slot);
struct proc *endpoint_lookup(endpoint_t e);
void clear_proc(struct proc *p, int keep_ep);
void schedule_and_restore(void) __attribute__((noreturn));
void proc_init(void);
void enqueue(struct proc *p);
void dequeue(struct proc *p);
void vm_request(struct proc *req, int type, endpoint_t target, u32 start, u32 len, int write);
void cause_sig(struct proc *p, int sig);
struct proc *vmreq_get(void);
void vmreq_reply(struct proc *p, int result);
void reload_cr3(void);
void trap_entry(struct stackframe *f);

/* system.c */
void do_kernel_call(struct proc *p);
void system_init(void);

/* clock.c */
void clock_tick(int from_user);

/* mpx.S */
void restore_user(struct proc *p) __attribute__((noreturn));
void sysenter_entry(void);
void idle_halt(void);

/* lib string */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strncpy_z(char *d, const char *s, size_t n);
u32 atou(const char *s);
typedef void (*putc_fn)(int c, void *arg);
int vformat(putc_fn out, void *arg, const char *fmt, va_list ap);
u32 fnv_u32(u32 h, u32 v);
#define FNV_INIT_K 0x811c9dc5u

#endif
