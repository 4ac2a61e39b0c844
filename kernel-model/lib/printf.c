/* User-space printf: formats a whole line into a buffer and writes it with
 * one console call, so lines from different processes never interleave.
 * System processes write through SYS_DIAGCTL; init switches to PM WRITE. */
#include <model/lib.h>

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int (*console_write)(const char *s, size_t len) = sys_diagctl_puts;

int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	console_write(buf, (size_t)n);
	return n;
}

void panic(const char *fmt, ...)
{
	message m;
	va_list ap;
	int n;
	memset(&m, 0, sizeof(m));
	n = snprintf(&m.m.c[8], 48, "%s: ", progname);
	va_start(ap, fmt);
	vsnprintf(&m.m.c[8 + n], 48 - n, fmt, ap);
	va_end(ap);
	m.m.i[0] = DIAG_PANIC;
	kernel_call(SYS_DIAGCTL, &m);
	for (;;)
		;
}
