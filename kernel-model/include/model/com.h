/* Endpoints, call numbers and error codes shared by every component.
 * Values follow MINIX (ipcconst.h, com.h, errno.h) where the spec says so. */
#ifndef MODEL_COM_H
#define MODEL_COM_H

/* Slots and endpoints: ep = gen * 0x8000 + slot. */
#define NR_TASKS 4
#define NR_PROCS 64
#define ENDPOINT_GENERATION_SHIFT 15
#define ENDPOINT_GENERATION_SIZE (1 << ENDPOINT_GENERATION_SHIFT)
#define _ENDPOINT_P(ep) ((((ep) + NR_TASKS) & (ENDPOINT_GENERATION_SIZE - 1)) - NR_TASKS)
#define _ENDPOINT_G(ep) (((ep) + NR_TASKS) >> ENDPOINT_GENERATION_SHIFT)
#define make_endpoint(g, s) ((g) * ENDPOINT_GENERATION_SIZE + (s))

#define IDLE (-4)
#define CLOCK (-3)
#define SYSTEM (-2)
#define KERNEL (-1)
#define HARDWARE KERNEL
#define PM_PROC_NR 0
#define RS_PROC_NR 1
#define VM_PROC_NR 2
#define ECHO_PROC_NR 3
#define INIT_PROC_NR 4
#define NR_BOOT_PROCS 5
#define FIRST_USER_SLOT 5

#define ANY 0x7ace
#define NONE 0x6ace
#define SELF 0x8ace

/* IPC primitives (register ABI: ECX = primitive, EAX = ep, EBX = message). */
#define SEND 1
#define RECEIVE 2
#define SENDREC 3
#define NOTIFY 4
#define SENDNB 5
#define IPCVEC_INTR 0x21
#define KERVEC_INTR 0x20

/* Result codes. */
#define OK 0
#define EPERM (-1)
#define ESRCH (-3)
#define EAGAIN (-35)
#define ENOMEM (-12)
#define EFAULT (-14)
#define EBUSY (-16)
#define EINVAL (-22)
#define ECHILD (-10)
#define ENOSYS (-78)
#define ENOTREADY (-201)
#define EDEADSRCDST (-202)
#define ELOCKED (-208)
#define ECALLDENIED (-210)
#define SUSPEND (-998)

/* Kernel calls: m_type = KERNEL_CALL + n. */
#define KERNEL_CALL 0x600
#define SYS_FORK (KERNEL_CALL + 0)
#define SYS_EXEC (KERNEL_CALL + 1)
#define SYS_CLEAR (KERNEL_CALL + 2)
#define SYS_EXIT (KERNEL_CALL + 3)
#define SYS_PRIVCTL (KERNEL_CALL + 4)
#define SYS_KILL (KERNEL_CALL + 5)
#define SYS_GETKSIG (KERNEL_CALL + 6)
#define SYS_ENDKSIG (KERNEL_CALL + 7)
#define SYS_UMAP (KERNEL_CALL + 8)
#define SYS_VIRCOPY (KERNEL_CALL + 9)
#define SYS_PHYSCOPY (KERNEL_CALL + 10)
#define SYS_MEMSET (KERNEL_CALL + 11)
#define SYS_VMCTL (KERNEL_CALL + 12)
#define SYS_GETINFO (KERNEL_CALL + 13)
#define SYS_DIAGCTL (KERNEL_CALL + 14)
#define SYS_SETALARM (KERNEL_CALL + 15)
#define NR_SYS_CALLS 16
#define SYSCALL_BIT(c) (1u << ((c) - KERNEL_CALL))

/* SYS_PRIVCTL ops, SYS_CLEAR flags. */
#define PRIVCTL_RUN 1
#define PRIVCTL_STOP 2
#define CLEAR_KEEP_EP 1

/* SYS_VMCTL params. */
#define VMCTL_INVLPG 25
#define VMCTL_CLEAR_PAGEFAULT 12
#define VMCTL_GET_PDBR 13
#define VMCTL_MEMREQ_GET 14
#define VMCTL_MEMREQ_REPLY 15
#define VMCTL_FLUSHTLB 26
#define VMCTL_SETADDRSPACE 29
#define VMCTL_VMINHIBIT_SET 30
#define VMCTL_VMINHIBIT_CLEAR 31
#define VMCTL_BOOTINHIBIT_CLEAR 33

/* SYS_GETINFO requests. */
#define GET_KINFO 1
#define GET_PARAMS 2
#define GET_BOOTPROCS 3
#define GET_TICKS 4

/* SYS_DIAGCTL ops. */
#define DIAG_PUTS 1
#define DIAG_POST 2
#define DIAG_SHUTDOWN 3
#define DIAG_PANIC 4 /* test only: workload=panic */

/* Signals (NetBSD/MINIX numbers). */
#define SIGILL 4
#define SIGFPE 8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGKMEM 29

/* Message type ranges. */
#define RS_RQ_BASE 0x700
#define RS_INIT (RS_RQ_BASE + 20)
#define PM_BASE 0xB00
#define VM_RQ_BASE 0xC00
#define ECHO_BASE 0xD00
#define COMMON_PING 0xF00
#define NOTIFY_MESSAGE 0x1000

/* SEF init types. */
#define SEF_INIT_FRESH 0
#define SEF_INIT_LU 1
#define SEF_INIT_RESTART 2

/* ECHO requests. */
#define ECHO_PING (ECHO_BASE + 0)
#define ECHO_CRASH (ECHO_BASE + 1)
#define ECHO_STATUS (ECHO_BASE + 2)

/* POST codes. */
#define POST_ENTRY 0x01
#define POST_PAGING 0x02
#define POST_KMAIN 0x03
#define POST_VM_FIRST 0x04
#define POST_VM_TABLES 0x05
#define POST_INIT_FIRST 0x06
#define POST_BOOT_DONE 0x07
#define POST_WORK_START 0x10
#define POST_WORK_END 0x11
#define POST_PHASE_SETUP 0x12
#define POST_PHASE_VERIFY 0x13
#define POST_RESTART 0x20
#define POST_SHUT_OK 0x7E
#define POST_SHUT_FAIL 0x7F
#define POST_PANIC 0xE0

/* Address-space layout. */
#define VIR_KERN_START 0xF0000000u
#define USR_STACKTOP 0xF0000000u
#define USR_STACK_SIZE (8u << 20)
#define USR_STACK_PREALLOC (16u << 10)
#define VM_STACK_SIZE (64u << 10)

#endif
