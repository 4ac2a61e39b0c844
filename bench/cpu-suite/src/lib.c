/* Output helpers and the two memory routines GCC may call even in freestanding mode. */
#include "bench.h"

void out_str(const char *s)
{
    u32 n = 0;
    while (s[n])
        n++;
    rt_write(s, n);
}

void out_hex(u32 v)
{
    char b[10];
    int i;
    b[0] = '0';
    b[1] = 'x';
    for (i = 0; i < 8; i++)
        b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    rt_write(b, 10);
}

void out_dec(u32 v)
{
    char b[10];
    int i = 10;
    do {
        b[--i] = (char)('0' + v % 10);   /* 32-bit division only */
        v /= 10;
    } while (v);
    rt_write(b + i, (u32)(10 - i));
}

void out_nl(void)
{
    rt_write("\n", 1);
}
