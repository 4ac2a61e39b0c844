/* Kernel console: immediate COM1 output plus the kmess diagnostics ring that
 * a panic replays. Also POST codes, shutdown and panic. */
#include "kernel.h"
#include "arch/io.h"

#define KMESS_SIZE 4096
static char kmess[KMESS_SIZE];
static u32 kmess_next;
int postlog = 1;

void kputc(int c)
{
	ser_putc(c);
	kmess[kmess_next++ % KMESS_SIZE] = (char)c;
}

static void kputc_fn(int c, void *arg)
{
	(void)arg;
	kputc(c);
}

void kvprintf(const char *fmt, va_list ap)
{
	vformat(kputc_fn, NULL, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	return 0;
}

/* Looks up name in the NUL-separated parameter list; NULL if absent. */
const char *param(const char *name)
{
	const char *p = kinfo.params;
	size_t n = strlen(name);
	while (*p) {
		if (strncmp(p, name, n) == 0 && p[n] == '=')
			return p + n + 1;
		p += strlen(p) + 1;
	}
	return NULL;
}

void post(int code)
{
	outb(0x80, (u8)code);
	if (postlog)
		kprintf("post: %02x\n", code);
}

static void __attribute__((noreturn)) exit_machine(u8 v)
{
	const char *s = param("shutdown");
	if (!s || strcmp(s, "0") != 0)
		outb(0xF4, v); /* isa-debug-exit: status (v << 1) | 1 */
	for (;;)
		__asm__ volatile("cli; hlt");
}

void shutdown(int status, const char *reason)
{
	if (status == 0)
		kprintf("shutdown: success\n");
	else
		kprintf("shutdown: failure (%s)\n", reason);
	post(status == 0 ? POST_SHUT_OK : POST_SHUT_FAIL);
	exit_machine(status == 0 ? 0x10 : 0x11);
}

void panic(const char *fmt, ...)
{
	static int panicking;
	va_list ap;
	u32 i, start;

	__asm__ volatile("cli");
	if (panicking++)
		exit_machine(0x12);
	kprintf("panic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	kprintf("panic: eip=%08x cr2=%08x proc=%s\n", proc_ptr ? proc_ptr->p_reg.eip : 0,
		read_cr2(), proc_ptr ? proc_ptr->p_name : "kernel");
	/* replay the diagnostics ring as informational lines */
	start = kmess_next > KMESS_SIZE ? kmess_next - KMESS_SIZE : 0;
	for (i = start; i < kmess_next; i++) {
		char c = kmess[i % KMESS_SIZE];
		/* every replayed line becomes informational */
		if ((i == start || kmess[(i - 1) % KMESS_SIZE] == '\n') && c != '@') {
			ser_putc('@');
			ser_putc(' ');
		}
		ser_putc(c);
	}
	if (kmess_next && kmess[(kmess_next - 1) % KMESS_SIZE] != '\n')
		ser_putc('\n');
	post(POST_PANIC);
	exit_machine(0x12);
}
