/* The boot image table: names, queues and static privileges of the kernel
 * tasks and the five boot modules (module order = slot order). */
#include "kernel.h"
#include "table.h"
#include <model/vm.h>

#define V(x) VM_CALL_BIT(x)

#define C(x) SYSCALL_BIT(x)
#define SLOTBIT(s) (1ull << ((s) + NR_TASKS))
#define ALL_SLOTS (~0ull & ~(SLOTBIT(IDLE) | SLOTBIT(CLOCK) | SLOTBIT(SYSTEM) | SLOTBIT(KERNEL)))
#define SERVERS (SLOTBIT(PM_PROC_NR) | SLOTBIT(RS_PROC_NR) | SLOTBIT(VM_PROC_NR) | SLOTBIT(ECHO_PROC_NR))

struct priv priv_table[NR_BOOT_PROCS + 1] = {
	/* pm */ { SYS_PROC, ALL_SLOTS,
		   C(SYS_EXEC) | C(SYS_CLEAR) | C(SYS_EXIT) | C(SYS_KILL) | C(SYS_GETKSIG) | C(SYS_ENDKSIG) |
		   C(SYS_VIRCOPY) | C(SYS_GETINFO) | C(SYS_DIAGCTL), RS_PROC_NR },
	/* rs */ { SYS_PROC, ALL_SLOTS,
		   C(SYS_CLEAR) | C(SYS_EXIT) | C(SYS_PRIVCTL) | C(SYS_KILL) | C(SYS_GETKSIG) | C(SYS_ENDKSIG) |
		   C(SYS_VIRCOPY) | C(SYS_GETINFO) | C(SYS_DIAGCTL) | C(SYS_SETALARM), RS_PROC_NR },
	/* vm */ { SYS_PROC, ALL_SLOTS,
		   C(SYS_FORK) | C(SYS_EXEC) | C(SYS_EXIT) | C(SYS_KILL) | C(SYS_UMAP) | C(SYS_VIRCOPY) |
		   C(SYS_PHYSCOPY) | C(SYS_MEMSET) | C(SYS_VMCTL) | C(SYS_GETINFO) | C(SYS_DIAGCTL), VM_PROC_NR },
	/* echo */ { SYS_PROC, ALL_SLOTS,
		   C(SYS_EXIT) | C(SYS_VIRCOPY) | C(SYS_GETINFO) | C(SYS_DIAGCTL), RS_PROC_NR },
	/* init */ { 0, SERVERS, C(SYS_DIAGCTL), PM_PROC_NR },
	/* forked user processes */ { 0, SERVERS, 0, PM_PROC_NR },
};

const struct boot_image image[NR_TASKS + NR_BOOT_PROCS] = {
	{ IDLE, "idle", TASK_Q, 0, 0 },
	{ CLOCK, "clock", TASK_Q, 0, 0 },
	{ SYSTEM, "system", TASK_Q, 0, 0 },
	{ KERNEL, "kernel", TASK_Q, 0, 0 },
	/* VM call masks (MINIX: the boot image's vm_calls) */
	{ PM_PROC_NR, "pm", SYS_Q, 20, V(VM_FORK) | V(VM_EXIT) | V(VM_WILLEXIT) | VM_USER_CALLS },
	{ RS_PROC_NR, "rs", SYS_Q, 20, V(VM_EXIT) | V(VM_RS_EXEC) | VM_USER_CALLS },
	{ VM_PROC_NR, "vm", SYS_Q, 20, 0 },
	{ ECHO_PROC_NR, "echo", SYS_Q, 20, VM_USER_CALLS },
	{ INIT_PROC_NR, "init", USER_Q, 10, VM_USER_CALLS },
};
