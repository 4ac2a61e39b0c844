/* narrow: 8- and 16-bit data. RC4 (u8 state and indices that wrap), a saturating
 * brightness/blend pass and a 3x3 box blur over an 8-bit image, a Q15 int16_t FIR filter
 * with saturation, a bitwise CRC-16/CCITT (its bit loop in inline asm), and the 16-bit
 * ones'-complement Internet checksum. Byte and word loads/stores, byte-register and operand-size-prefixed (0x66)
 * arithmetic, zero/sign extension. */
#include "bench.h"

#ifndef ITERS
#define ITERS 160u
#endif
#define W 256
#define H 256
#define SAMPLES 16384
#define TAPS 16

typedef short s16;

static u8 img[H][W], img2[H][W], blurred[H][W];
static s16 signal[SAMPLES + TAPS], filtered[SAMPLES];
static u8 stream[W * H];

/* ---- RC4 ---- */
struct rc4 {
    u8 s[256];
    u8 i, j;
};

static void rc4_init(struct rc4 *c, const u8 *key, u32 len)
{
    u32 k;
    u8 j = 0;
    for (k = 0; k < 256; k++)
        c->s[k] = (u8)k;
    for (k = 0; k < 256; k++) {
        u8 t = c->s[k];
        j = (u8)(j + t + key[k % len]);
        c->s[k] = c->s[j];
        c->s[j] = t;
    }
    c->i = c->j = 0;
}

static void rc4_xor(struct rc4 *c, u8 *buf, u32 n)
{
    u8 i = c->i, j = c->j;
    u32 k;
    for (k = 0; k < n; k++) {
        u8 t;
        i++;
        t = c->s[i];
        j += t;
        c->s[i] = c->s[j];
        c->s[j] = t;
        buf[k] ^= c->s[(u8)(t + c->s[i])];
    }
    c->i = i;
    c->j = j;
}

/* ---- 8-bit image ---- */
static u8 sat_add(u8 a, u8 b)
{
    u8 s = (u8)(a + b);
    return s < a ? 255 : s;
}

static void brighten_blend(u8 delta, u8 alpha)
{
    u32 x, y;
    for (y = 0; y < H; y++)
        for (x = 0; x < W; x++) {
            u8 a = sat_add(img[y][x], delta), b = img2[y][x];
            u16 mix = (u16)(a * alpha + b * (u8)(255 - alpha));
            img[y][x] = (u8)((mix + 128 + (mix >> 8)) >> 8);   /* mix / 255, rounded */
        }
}

static void blur(void)
{
    u32 x, y;
    for (y = 1; y < H - 1; y++)
        for (x = 1; x < W - 1; x++) {
            u16 s = (u16)(img[y - 1][x - 1] + img[y - 1][x] + img[y - 1][x + 1]
                          + img[y][x - 1] + img[y][x] + img[y][x + 1]
                          + img[y + 1][x - 1] + img[y + 1][x] + img[y + 1][x + 1]);
            blurred[y][x] = (u8)(s * 7282u >> 16);                /* s / 9 */
        }
}

/* ---- 16-bit signal ---- */
static const s16 taps[TAPS] = {
    -312, -580, -420, 410, 1890, 3690, 5130, 5790,
    5790, 5130, 3690, 1890, 410, -420, -580, -312
};

static void fir(void)
{
    u32 n, k;
    for (n = 0; n < SAMPLES; n++) {
        s32 acc = 0;
        for (k = 0; k < TAPS; k++)
            acc += signal[n + k] * taps[k];
        acc >>= 15;
        if (acc > 32767) acc = 32767;
        if (acc < -32768) acc = -32768;
        filtered[n] = (s16)acc;
    }
}

/* Bitwise CRC-16/CCITT. GCC widens the C version of the bit loop to 32-bit registers,
 * so the core is inline asm with 8- and 16-bit operations: the byte is xored into the
 * high byte register (%ah/%bh/...), each bit is a 16-bit shift whose carry selects the
 * 16-bit xor of the polynomial, and the bit counter is a byte register. */
static u16 crc16_ccitt(const u8 *p, u32 n, u16 crc)
{
    u32 c = crc, i, bits;
    for (i = 0; i < n; i++)
        __asm__("xorb %2, %h0\n\t"
                "movb $8, %b1\n"
                "1:\tshlw $1, %w0\n\t"
                "jnc 2f\n\t"
                "xorw $0x1021, %w0\n"
                "2:\tdecb %b1\n\t"
                "jnz 1b"
                : "+Q"(c), "=&q"(bits)
                : "qm"(p[i])
                : "cc");
    return (u16)c;
}

/* RFC 1071 checksum of big-endian 16-bit words (the buffer is little-endian memory). */
static u16 inet_checksum(const u16 *p, u32 words)
{
    u16 sum = 0;
    u32 i;
    for (i = 0; i < words; i++) {
        u16 w = (u16)(p[i] << 8 | p[i] >> 8);
        u16 s = (u16)(sum + w);
        sum = (u16)(s + (s < sum));                /* end-around carry */
    }
    return (u16)~sum;
}

void workload(void)
{
    static struct rc4 rc;
    u32 seed = 0x0b5ad4ecu, it, i, x, y, sum = 0;
    u8 key[16];
    u16 crc = 0xffff, ck = 0;
    for (i = 0; i < 16; i++)
        key[i] = (u8)rng_next(&seed);
    rc4_init(&rc, key, 16);
    for (y = 0; y < H; y++)
        for (x = 0; x < W; x++) {
            u32 r = rng_next(&seed);
            img[y][x] = (u8)((x ^ y) + (r & 15));
            img2[y][x] = (u8)(r >> 8);
        }
    for (i = 0; i < SAMPLES + TAPS; i++)
        signal[i] = (s16)(rng_next(&seed) >> 16);
    for (it = 0; it < ITERS; it++) {
        for (i = 0; i < W * H; i++)
            stream[i] = img[i / W][i % W];
        rc4_xor(&rc, stream, W * H);
        crc = crc16_ccitt(stream, W * H, crc);
        ck ^= inet_checksum((const u16 *)stream, W * H / 2);
        brighten_blend((u8)(it * 7), (u8)(it * 37 + 64));
        blur();
        for (y = 0; y < H; y++)
            for (x = 0; x < W; x++)
                img[y][x] = (u8)(blurred[y][x] ^ stream[y * W + x]);
        fir();
        for (i = 0; i < SAMPLES; i++)
            signal[i + TAPS] = (s16)(filtered[i] ^ (s16)(stream[i] << 4));
        sum = rotl32(sum, 5) ^ crc ^ (u32)ck << 16 ^ (u16)filtered[it & (SAMPLES - 1)];
    }
    out_str("narrow: result=");
    out_hex(sum);
    out_str(" crc=");
    out_hex(crc);
    out_str(" cksum=");
    out_hex(ck);
    out_nl();
}
