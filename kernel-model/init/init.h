/* init: the workload runner (user process, pid 1). */
#ifndef INIT_INIT_H
#define INIT_INIT_H
#include <model/lib.h>
#include <model/pm.h>
#include <model/vm.h>

struct result {
	u32 value;
	u32 checksum;
	int ok; /* the workload's own self-check passed */
};

struct workload {
	const char *name;
	u32 default_n;
	void (*run)(u32 n, struct result *res);
};
extern const struct workload workloads[];

/* user-level calls (main.c) */
int fork(void);
void exit(int status) __attribute__((noreturn));
int waitpid(int pid, int *status, int options);
u32 mmap_anon(u32 len);
int munmap(u32 addr, u32 len);
u32 sbrk(int incr);
int brk(u32 addr);
int vm_stats(u32 *st);
u32 ping(endpoint_t ep, int *ok);

#endif
