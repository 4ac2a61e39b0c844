/* String and memory helpers. Built for user space, the paged kernel, and
 * (objcopy-prefixed) the unpaged kernel. */
#include <model/types.h>

void *memcpy(void *d, const void *s, size_t n)
{
	/* word copy when both are aligned: this runs for every message */
	if ((((u32)d | (u32)s | n) & 3) == 0) {
		void *dd = d;
		const void *ss = s;
		size_t cnt = n >> 2;
		__asm__ volatile("cld; rep movsl" : "+D"(dd), "+S"(ss), "+c"(cnt) : : "memory");
		return d;
	}
	char *dp = d;
	const char *sp = s;
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	u8 *p = d;
	if ((((u32)d | n) & 3) == 0) {
		u32 v = (u8)c * 0x01010101u;
		void *dd = d;
		size_t cnt = n >> 2;
		__asm__ volatile("cld; rep stosl" : "+D"(dd), "+c"(cnt) : "a"(v) : "memory");
		return d;
	}
	while (n--)
		*p++ = (u8)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strncpy_z(char *d, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i + 1 < n && s[i]; i++)
		d[i] = s[i];
	if (n)
		d[i] = 0;
	return d;
}

u32 atou(const char *s)
{
	u32 v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (u32)(*s++ - '0');
	return v;
}
