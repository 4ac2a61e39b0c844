/* User-space library: IPC stubs, kernel calls, console, string, 64-bit helpers. */
#ifndef MODEL_LIB_H
#define MODEL_LIB_H
#include <model/types.h>
#include <model/ipc.h>
#include <model/com.h>
#include <stdarg.h>

int ipc_send(endpoint_t dst, message *m);
int ipc_receive(endpoint_t src, message *m);
int ipc_sendrec(endpoint_t dst, message *m);
int ipc_sendnb(endpoint_t dst, message *m);
int ipc_notify(endpoint_t dst);
int kernel_call(int type, message *m);
extern int use_sysenter;

/* string.c */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strncpy_z(char *d, const char *s, size_t n); /* always NUL-terminates */
u32 atou(const char *s);

/* printf.c */
typedef void (*putc_fn)(int c, void *arg);
int vformat(putc_fn out, void *arg, const char *fmt, va_list ap);
int snprintf(char *buf, size_t n, const char *fmt, ...);
int printf(const char *fmt, ...); /* system processes: SYS_DIAGCTL PUTS; init: PM WRITE */
extern int (*console_write)(const char *s, size_t len);

/* u64.c */
u64 u64_divmod(u64 n, u64 d, u64 *rem);
u64 u64_shl(u64 v, unsigned s);
u64 u64_shr(u64 v, unsigned s);

/* fnv.c */
#define FNV_INIT 0x811c9dc5u
u32 fnv_u32(u32 h, u32 v);

/* syscall.c: kernel-call wrappers */
int sys_diagctl_puts(const char *s, size_t len);
int sys_post(int code);
int sys_getinfo(int what, void *buf, size_t len);
int sys_vircopy(endpoint_t se, vir_bytes sa, endpoint_t de, vir_bytes da, size_t len);
int sys_vmctl(endpoint_t ep, int param, u32 value, message *reply);
int sys_kill(endpoint_t ep, int sig);
int sys_getksig(endpoint_t *ep, u32 *sigs);
int sys_endksig(endpoint_t ep);
int sys_clear(endpoint_t ep, int flags);
int sys_privctl(endpoint_t ep, int op);
int sys_exec(endpoint_t ep, vir_bytes sp, vir_bytes pc);
int sys_fork(endpoint_t parent, int slot, endpoint_t *child);
int sys_memset(phys_bytes p, int c, size_t len);
int sys_exit(void);
int sys_diag_shutdown(int status);
const char *env_get(const char *name);
const char *param_get(const char *params, const char *name);

/* sef.c */
typedef int (*sef_cb_t)(int type, int restarts);
void sef_setcb_init(sef_cb_t fresh, sef_cb_t restart);
void sef_startup(void);

void panic(const char *fmt, ...) __attribute__((noreturn));
#define assert(x) do { if (!(x)) panic("assert \"%s\" failed at %s:%d", #x, __FILE__, __LINE__); } while (0)

extern char **environ;
extern const char *progname;

#endif
