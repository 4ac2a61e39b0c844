/* IPC (rendezvous send/receive, notify), the scheduler, and the way back to
 * user space. Messages are staged in the kernel: a sender's message is copied
 * into p_sendmsg when it traps, and a receiver's message waits in
 * p_delivermsg until the receiver is dispatched (MINIX MF_DELIVERMSG). Only
 * those two copies touch user memory, and either may be parked on a VM
 * memory request without losing anything. */
#include "kernel.h"
#include "arch/io.h"
#include <model/vm.h>

struct proc proc[NR_SLOTS];
struct proc *proc_ptr;
static struct proc *rdy_head[NR_SCHED_QUEUES], *rdy_tail[NR_SCHED_QUEUES];
static struct proc *vmreq_head;
static u32 loaded_cr3;

void restore_user_iret(struct proc *p) __attribute__((noreturn));
void restore_user_sysexit(struct proc *p) __attribute__((noreturn));

#define PHYS(k) ((u32)(k) - VIR_KERN_START)

/* ---- ready queues ---- */

void enqueue(struct proc *p)
{
	int q = p->p_priority;
	assert(p->p_rts_flags == 0 && q >= 0 && q < NR_SCHED_QUEUES);
	if (p->p_ticks_left <= 0)
		p->p_ticks_left = p->p_quantum;
	p->p_nextready = NULL;
	if (rdy_head[q])
		rdy_tail[q]->p_nextready = p;
	else
		rdy_head[q] = p;
	rdy_tail[q] = p;
}

void dequeue(struct proc *p)
{
	int q = p->p_priority;
	struct proc **xpp, *prev = NULL;
	for (xpp = &rdy_head[q]; *xpp; prev = *xpp, xpp = &(*xpp)->p_nextready) {
		if (*xpp == p) {
			*xpp = p->p_nextready;
			if (rdy_tail[q] == p)
				rdy_tail[q] = prev;
			return;
		}
	}
}

void rts_set(struct proc *p, u32 f)
{
	if (p->p_rts_flags == 0 && f)
		dequeue(p);
	p->p_rts_flags |= f;
}

void rts_clear(struct proc *p, u32 f)
{
	u32 old = p->p_rts_flags;
	p->p_rts_flags &= ~f;
	if (old && p->p_rts_flags == 0)
		enqueue(p);
}

static struct proc *pick_proc(void)
{
	int q;
	for (q = 0; q < NR_SCHED_QUEUES; q++)
		if (rdy_head[q])
			return rdy_head[q];
	return NULL;
}

/* ---- endpoints ---- */

int isokendpt(endpoint_t e, int *slot)
{
	int s = _ENDPOINT_P(e);
	if (!isokprocn(s) || s < 0)
		return 0;
	struct proc *p = proc_addr(s);
	if ((p->p_rts_flags & RTS_SLOT_FREE) || p->p_endpoint != e)
		return 0;
	if (slot)
		*slot = s;
	return 1;
}

struct proc *endpoint_lookup(endpoint_t e)
{
	int s;
	return isokendpt(e, &s) ? proc_addr(s) : NULL;
}

/* ---- message passing ---- */

void deliver(struct proc *dst, message *m)
{
	/* a process runs (and empties p_delivermsg) before it can receive again */
	assert(!(dst->p_misc_flags & MF_DELIVERMSG));
	dst->p_delivermsg = *m;
	dst->p_misc_flags |= MF_DELIVERMSG;
	dst->p_misc_flags &= ~MF_REPLY_PEND;
	dst->p_reg.eax = OK;
	rts_clear(dst, RTS_RECEIVING);
}

static int can_receive_from(struct proc *dst, endpoint_t src)
{
	return (dst->p_rts_flags & RTS_RECEIVING) && !(dst->p_rts_flags & RTS_SENDING) &&
	       (dst->p_getfrom_e == ANY || dst->p_getfrom_e == src);
}

static void queue_sender(struct proc *caller, struct proc *dst)
{
	struct proc **xpp = &dst->p_caller_q;
	while (*xpp)
		xpp = &(*xpp)->p_q_link;
	*xpp = caller;
	caller->p_q_link = NULL;
	caller->p_sendto_e = dst->p_endpoint;
	rts_set(caller, RTS_SENDING);
}

static void unqueue_sender(struct proc *p)
{
	struct proc *dst = endpoint_lookup(p->p_sendto_e), **xpp;
	if (!dst)
		return;
	for (xpp = &dst->p_caller_q; *xpp; xpp = &(*xpp)->p_q_link)
		if (*xpp == p) {
			*xpp = p->p_q_link;
			return;
		}
}

int mini_send(struct proc *caller, endpoint_t dst_e, int nonblock)
{
	struct proc *dst = endpoint_lookup(dst_e), *xp;
	if (can_receive_from(dst, caller->p_endpoint)) {
		deliver(dst, &caller->p_sendmsg);
		return OK;
	}
	if (nonblock)
		return ENOTREADY;
	/* refuse to close a cycle of blocked senders */
	int hops = 0;
	for (xp = dst; xp && (xp->p_rts_flags & RTS_SENDING) && hops < NR_SLOTS;
	     xp = endpoint_lookup(xp->p_sendto_e), hops++)
		if (endpoint_lookup(xp->p_sendto_e) == caller)
			return ELOCKED;
	queue_sender(caller, dst);
	return SUSPEND;
}

static void notify_msg(message *m, endpoint_t src)
{
	memset(m, 0, sizeof(*m));
	m->m_source = src;
	m->m_type = NOTIFY_MESSAGE;
	m->m.u[0] = ticks;
}

int mini_receive(struct proc *caller, endpoint_t src_e)
{
	if (!(caller->p_rts_flags & RTS_SENDING)) {
		if (!(caller->p_misc_flags & MF_REPLY_PEND)) {
			int i;
			for (i = 0; i < NR_SLOTS; i++) {
				if (!(caller->p_notify[i >> 5] & (1u << (i & 31))))
					continue;
				if (src_e != ANY && src_e != proc[i].p_endpoint)
					continue;
				message m;
				caller->p_notify[i >> 5] &= ~(1u << (i & 31));
				notify_msg(&m, proc[i].p_endpoint);
				deliver(caller, &m);
				return OK;
			}
		}
		struct proc **xpp;
		for (xpp = &caller->p_caller_q; *xpp; xpp = &(*xpp)->p_q_link) {
			struct proc *xp = *xpp;
			if (src_e != ANY && xp->p_endpoint != src_e)
				continue;
			*xpp = xp->p_q_link;
			deliver(caller, &xp->p_sendmsg);
			if (!(xp->p_rts_flags & RTS_PAGEFAULT))
				xp->p_reg.eax = OK; /* a faulting process must resume untouched */
			rts_clear(xp, RTS_SENDING);
			return OK;
		}
	}
	caller->p_getfrom_e = src_e;
	rts_set(caller, RTS_RECEIVING);
	return SUSPEND;
}

void mini_notify(endpoint_t src_e, struct proc *dst)
{
	int i = _ENDPOINT_P(src_e) + NR_TASKS;
	if (can_receive_from(dst, src_e) && !(dst->p_misc_flags & MF_REPLY_PEND)) {
		message m;
		notify_msg(&m, src_e);
		deliver(dst, &m);
		return;
	}
	dst->p_notify[i >> 5] |= 1u << (i & 31);
}

static int may_send(struct proc *p, int slot)
{
	return (p->p_priv->s_ipc_to >> (slot + NR_TASKS)) & 1;
}

void do_ipc(struct proc *p)
{
	int prim = (int)p->p_reg.ecx, slot, r;
	endpoint_t ep = (endpoint_t)p->p_reg.eax;
	vir_bytes vir = p->p_reg.ebx;

	if (prim < SEND || prim > SENDNB) {
		p->p_reg.eax = (u32)EINVAL;
		return;
	}
	if (prim == RECEIVE) {
		if (ep != ANY && !isokendpt(ep, &slot)) {
			p->p_reg.eax = (u32)EDEADSRCDST;
			return;
		}
	} else {
		if (!isokendpt(ep, &slot)) {
			p->p_reg.eax = (u32)EDEADSRCDST;
			return;
		}
		if (!may_send(p, slot)) {
			p->p_reg.eax = (u32)ECALLDENIED;
			return;
		}
		if (proc_addr(slot) == p) {
			p->p_reg.eax = (u32)ELOCKED;
			return;
		}
	}
	if (prim == SEND || prim == SENDREC || prim == SENDNB) {
		struct proc *fp;
		vir_bytes fa;
		int fw;
		u32 flen;
		if (copy_bytes(p, vir, NULL, PHYS(&p->p_sendmsg), sizeof(message), &fp, &fa, &fw, &flen) != OK) {
			vm_request(p, VMSTYPE_REDO, p->p_endpoint, vir, sizeof(message), 0);
			return;
		}
		p->p_sendmsg.m_source = p->p_endpoint;
	}
	switch (prim) {
	case SENDREC:
		p->p_delivermsg_vir = vir;
		p->p_misc_flags |= MF_REPLY_PEND;
		r = mini_send(p, ep, 0);
		if (r == OK || r == SUSPEND)
			r = mini_receive(p, ep);
		else
			p->p_misc_flags &= ~MF_REPLY_PEND;
		break;
	case SEND:
		r = mini_send(p, ep, 0);
		break;
	case SENDNB:
		r = mini_send(p, ep, 1);
		break;
	case RECEIVE:
		p->p_delivermsg_vir = vir;
		p->p_misc_flags &= ~MF_REPLY_PEND;
		r = mini_receive(p, ep);
		break;
	default: /* NOTIFY */
		mini_notify(p->p_endpoint, proc_addr(slot));
		r = OK;
	}
	if (r != SUSPEND)
		p->p_reg.eax = (u32)r;
}

/* A user page fault becomes a message to VM "from" the faulting process. */
void pagefault_to_vm(struct proc *p, u32 addr, u32 err)
{
	struct proc *vm = proc_addr(VM_PROC_NR);
	rts_set(p, RTS_PAGEFAULT);
	memset(&p->p_sendmsg, 0, sizeof(message));
	p->p_sendmsg.m_source = p->p_endpoint;
	p->p_sendmsg.m_type = VM_PAGEFAULT;
	p->p_sendmsg.m.u[0] = addr;
	p->p_sendmsg.m.u[1] = err;
	p->p_sendmsg.m.u[2] = p->p_reg.eip;
	if (can_receive_from(vm, p->p_endpoint))
		deliver(vm, &p->p_sendmsg);
	else
		queue_sender(p, vm);
}

/* ---- VM memory requests ---- */

void vm_request(struct proc *req, int type, endpoint_t target, u32 start, u32 len, int write)
{
	struct proc **xpp;
	if (req->p_nr == VM_PROC_NR)
		panic("VM needs memory it does not have (%08x)", start);
	req->p_vmreq.type = type;
	req->p_vmreq.target = target;
	req->p_vmreq.start = start;
	req->p_vmreq.len = len;
	req->p_vmreq.write = write;
	req->p_vmreq.handed_out = 0;
	req->p_vmreq.failed = 0;
	req->p_vmreq.next = NULL;
	for (xpp = &vmreq_head; *xpp; xpp = &(*xpp)->p_vmreq.next)
		;
	*xpp = req;
	rts_set(req, RTS_VMREQUEST);
	/* SIGKMEM: VM is its own signal manager; the signal arrives as a SYSTEM notification */
	mini_notify(SYSTEM, proc_addr(VM_PROC_NR));
}

struct proc *vmreq_get(void)
{
	struct proc *p;
	for (p = vmreq_head; p; p = p->p_vmreq.next)
		if (!p->p_vmreq.handed_out) {
			p->p_vmreq.handed_out = 1;
			return p;
		}
	return NULL;
}

static void vmreq_unlink(struct proc *p)
{
	struct proc **xpp;
	for (xpp = &vmreq_head; *xpp; xpp = &(*xpp)->p_vmreq.next)
		if (*xpp == p) {
			*xpp = p->p_vmreq.next;
			return;
		}
}

void vmreq_reply(struct proc *p, int result)
{
	if (!(p->p_rts_flags & RTS_VMREQUEST))
		return;
	vmreq_unlink(p);
	if (result != OK && (p->p_vmreq.type == VMSTYPE_DELIVERMSG || p->p_vmreq.target == p->p_endpoint)) {
		/* its own message buffer is bad: that is a segfault */
		cause_sig(p, SIGSEGV);
	} else if (p->p_vmreq.type == VMSTYPE_REDO) {
		/* a kernel call touching another process: re-run it; kcopy
		 * turns a failed request into EFAULT for the caller */
		p->p_vmreq.failed = result != OK;
		p->p_misc_flags |= MF_REDO;
	}
	rts_clear(p, RTS_VMREQUEST);
}

/* ---- signals ---- */

void cause_sig(struct proc *p, int sig)
{
	struct proc *mgr = endpoint_lookup(p->p_priv->s_sig_mgr);
	if (!mgr || mgr == p)
		panic("%s got signal %d and has no signal manager", p->p_name, sig);
	p->p_pending_ksig |= 1u << sig;
	rts_set(p, RTS_SIGNALED);
	mini_notify(SYSTEM, mgr);
}

/* ---- slot teardown ---- */

void clear_proc(struct proc *p, int keep_ep)
{
	int i;
	if (p->p_rts_flags == 0)
		dequeue(p);
	if (p->p_rts_flags & RTS_SENDING)
		unqueue_sender(p);
	if (p->p_rts_flags & RTS_VMREQUEST)
		vmreq_unlink(p);
	for (i = 0; i < NR_SLOTS; i++) {
		struct proc *q = &proc[i];
		int bit = p->p_nr + NR_TASKS;
		if (q == p || (q->p_rts_flags & RTS_SLOT_FREE))
			continue;
		q->p_notify[bit >> 5] &= ~(1u << (bit & 31));
		if ((q->p_rts_flags & RTS_SENDING) && q->p_sendto_e == p->p_endpoint &&
		    !(q->p_rts_flags & RTS_PAGEFAULT)) {
			q->p_reg.eax = (u32)EDEADSRCDST;
			q->p_misc_flags &= ~MF_REPLY_PEND;
			rts_clear(q, RTS_SENDING | RTS_RECEIVING);
		} else if ((q->p_rts_flags & RTS_RECEIVING) && q->p_getfrom_e == p->p_endpoint) {
			q->p_reg.eax = (u32)EDEADSRCDST;
			q->p_misc_flags &= ~MF_REPLY_PEND;
			rts_clear(q, RTS_RECEIVING);
		}
	}
	p->p_caller_q = NULL;
	memset(p->p_notify, 0, sizeof(p->p_notify));
	p->p_pending_ksig = 0;
	p->p_misc_flags = 0;
	p->p_alarm = 0;
	p->p_cr3 = 0;
	p->p_rts_flags = keep_ep ? RTS_NO_PRIV : RTS_SLOT_FREE;
	if (proc_ptr == p)
		proc_ptr = NULL;
}

/* ---- dispatch ---- */

void schedule_and_restore(void)
{
	struct proc *p;
	for (;;) {
		p = pick_proc();
		if (!p) {
			proc_ptr = NULL;
			__asm__ volatile("sti; hlt; cli");
			continue;
		}
		if (p->p_misc_flags & MF_REDO) {
			p->p_misc_flags &= ~MF_REDO;
			proc_ptr = p;
			if (p->p_reg.vector == IPCVEC_INTR)
				do_ipc(p);
			else
				do_kernel_call(p);
			continue;
		}
		if (p->p_misc_flags & MF_DELIVERMSG) {
			struct proc *fp;
			vir_bytes fa;
			int fw;
			u32 flen;
			if (copy_bytes(NULL, PHYS(&p->p_delivermsg), p, p->p_delivermsg_vir, sizeof(message),
				       &fp, &fa, &fw, &flen) != OK) {
				vm_request(p, VMSTYPE_DELIVERMSG, p->p_endpoint, p->p_delivermsg_vir, sizeof(message), 1);
				continue;
			}
			p->p_misc_flags &= ~MF_DELIVERMSG;
		}
		break;
	}
	if (!(p->p_misc_flags & MF_DISPATCHED)) {
		p->p_misc_flags |= MF_DISPATCHED;
		if (p->p_nr == VM_PROC_NR)
			post(POST_VM_FIRST);
		else if (p->p_nr == INIT_PROC_NR)
			post(POST_INIT_FIRST);
	}
	assert(p->p_cr3 != 0);
	if (p->p_cr3 != loaded_cr3) {
		write_cr3(p->p_cr3);
		loaded_cr3 = p->p_cr3;
	}
	proc_ptr = p;
	if (p->p_trapstyle == TRAP_SYSENTER)
		restore_user_sysexit(p);
	restore_user_iret(p);
}

void reload_cr3(void)
{
	loaded_cr3 = read_cr3();
	write_cr3(loaded_cr3);
}
