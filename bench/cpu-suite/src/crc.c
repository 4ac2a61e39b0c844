/* crc: table-driven CRC-32 (reflected, polynomial 0xEDB88320) over a 64 KiB buffer,
 * repeated; each pass continues from the previous CRC. Byte loads, table loads, shifts, xors. */
#include "bench.h"

#ifndef ITERS
#define ITERS 3000u
#endif
#define BUF_SIZE 65536u

static u32 table[256];
static u8 buf[BUF_SIZE];

static void make_table(void)
{
    u32 i, j, c;
    for (i = 0; i < 256; i++) {
        c = i;
        for (j = 0; j < 8; j++)
            c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
        table[i] = c;
    }
}

static u32 crc32_update(u32 crc, const u8 *p, u32 n)
{
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

void workload(void)
{
    u32 seed = 0x2545f491u, i, crc = 0;
    make_table();
    for (i = 0; i < BUF_SIZE; i++)
        buf[i] = (u8)rng_next(&seed);
    for (i = 0; i < ITERS; i++) {
        crc = crc32_update(crc, buf, BUF_SIZE);
        buf[i & (BUF_SIZE - 1)] ^= (u8)crc;   /* keep passes distinct */
    }
    out_str("crc: result=");
    out_hex(crc);
    out_str(" check=");
    out_hex(crc32_update(0, (const u8 *)"123456789", 9));
    out_nl();
}
