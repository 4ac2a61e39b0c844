/* printf-style formatting shared by the kernel and user space.
 * Supports %d %u %x %s %c %% with an optional zero-pad width (%08x). */
#include <model/types.h>
#include <stdarg.h>

typedef void (*putc_fn)(int c, void *arg);

static int put_num(putc_fn out, void *arg, u32 v, unsigned base, int neg, int width, char pad)
{
	char buf[12];
	int n = 0, len = 0;
	do {
		unsigned d = v % base;
		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (neg)
		buf[n++] = '-';
	for (; width > n; width--, len++)
		out(pad, arg);
	while (n) {
		out(buf[--n], arg);
		len++;
	}
	return len;
}

int vformat(putc_fn out, void *arg, const char *fmt, va_list ap)
{
	int len = 0;
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out(*fmt, arg);
			len++;
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		switch (*fmt) {
		case 'd': {
			int v = va_arg(ap, int);
			len += put_num(out, arg, v < 0 ? (u32)-v : (u32)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
			len += put_num(out, arg, va_arg(ap, u32), 10, 0, width, pad);
			break;
		case 'x':
			len += put_num(out, arg, va_arg(ap, u32), 16, 0, width, pad);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			for (; *s; s++, len++)
				out(*s, arg);
			break;
		}
		case 'c':
			out(va_arg(ap, int), arg);
			len++;
			break;
		case '%':
			out('%', arg);
			len++;
			break;
		case 0:
			return len;
		default:
			out('?', arg);
			len++;
		}
	}
	return len;
}

struct sbuf { char *p; size_t left; };

static void sbuf_put(int c, void *arg)
{
	struct sbuf *b = arg;
	if (b->left > 1) {
		*b->p++ = (char)c;
		b->left--;
	}
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct sbuf b = { buf, n };
	int len = vformat(sbuf_put, &b, fmt, ap);
	if (n)
		*b.p = 0;
	return len;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return len;
}
