/* memset/memcpy for the Multiboot runtime only (the native build uses libc's).
 * GCC may emit calls to these even with -ffreestanding; the workloads do not call them
 * in their timed loops. */
#include "bench.h"

void *memset(void *d, int c, __SIZE_TYPE__ n);
void *memcpy(void *d, const void *s, __SIZE_TYPE__ n);

void *memset(void *d, int c, __SIZE_TYPE__ n)
{
    u8 *p = d;
    while (n--)
        *p++ = (u8)c;
    return d;
}

void *memcpy(void *d, const void *s, __SIZE_TYPE__ n)
{
    u8 *p = d;
    const u8 *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}
