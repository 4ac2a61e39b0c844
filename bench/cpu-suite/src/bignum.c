/* bignum: 1024-bit modular exponentiation (Montgomery multiplication) on 32-bit limbs, with
 * the limb product built from 16-bit halves as portable multi-precision C does when it has no
 * 64-bit multiply (the shape of a 686 kernel's RSA signature check): multiply-accumulate loops
 * over limb arrays, IMUL of halves, carries through compares, stack-held loop state. */
#include "bench.h"

#ifndef ITERS
#define ITERS 24u
#endif
#define N 32u                       /* limbs: 1024 bits */

/* hi:lo = u * v from four 16x16 products (no 64-bit arithmetic). */
static inline void umul(u32 *hi, u32 *lo, u32 u, u32 v)
{
    u32 ul = u & 0xffffu, uh = u >> 16, vl = v & 0xffffu, vh = v >> 16;
    u32 x0 = ul * vl, x1 = ul * vh, x2 = uh * vl, x3 = uh * vh;
    x1 += x0 >> 16;
    x1 += x2;
    if (x1 < x2)
        x3 += 0x10000u;
    *hi = x3 + (x1 >> 16);
    *lo = (x1 << 16) + (x0 & 0xffffu);
}

/* r[0..n) += s[0..n) * m; returns the carry limb. */
static u32 addmul_1(u32 *r, const u32 *s, u32 n, u32 m)
{
    u32 carry = 0, i, hi, lo;
    for (i = 0; i < n; i++) {
        umul(&hi, &lo, s[i], m);
        lo += carry;
        hi += lo < carry;
        lo += r[i];
        hi += lo < r[i];
        r[i] = lo;
        carry = hi;
    }
    return carry;
}

/* r[0..n) = a - b; returns the borrow. */
static u32 sub_n(u32 *r, const u32 *a, const u32 *b, u32 n)
{
    u32 borrow = 0, i;
    for (i = 0; i < n; i++) {
        u32 x = a[i], y = b[i] + borrow;
        borrow = (y < borrow) | (x < y);
        r[i] = x - y;
    }
    return borrow;
}

static int cmp_n(const u32 *a, const u32 *b, u32 n)
{
    while (n--) {
        if (a[n] != b[n])
            return a[n] > b[n] ? 1 : -1;
    }
    return 0;
}

/* -m^-1 mod 2^32 for odd m (Newton's iteration: each step doubles the correct bits). */
static u32 neg_inverse(u32 m)
{
    u32 x = m, i;
    for (i = 0; i < 5; i++)
        x *= 2u - m * x;
    return 0u - x;
}

/* r = a * b * 2^-1024 mod m (Montgomery): r may not alias a or b. */
static void mont_mul(u32 *r, const u32 *a, const u32 *b, const u32 *m, u32 minv)
{
    u32 t[2 * N + 1], i, top = 0;
    for (i = 0; i < 2 * N + 1; i++)
        t[i] = 0;
    for (i = 0; i < N; i++) {
        u32 c = addmul_1(t + i, a, N, b[i]);
        u32 j = i + N;
        t[j] += c;
        if (t[j] < c) {
            while (++t[++j] == 0 && j < 2 * N)
                ;
        }
    }
    for (i = 0; i < N; i++) {
        u32 u = t[i] * minv;
        u32 c = addmul_1(t + i, m, N, u);
        u32 j = i + N;
        t[j] += c;
        if (t[j] < c) {
            while (++t[++j] == 0 && j < 2 * N)
                ;
        }
    }
    top = t[2 * N];
    if (top || cmp_n(t + N, m, N) >= 0)
        sub_n(r, t + N, m, N);
    else
        for (i = 0; i < N; i++)
            r[i] = t[N + i];
}

/* r = base^exp mod m, everything in Montgomery form (one = R mod m). */
static void mont_pow(u32 *r, const u32 *base, const u32 *exp, const u32 *one, const u32 *m, u32 minv)
{
    u32 acc[N], tmp[N], i;
    int bit;
    for (i = 0; i < N; i++)
        acc[i] = one[i];
    for (i = N; i-- > 0;) {
        for (bit = 31; bit >= 0; bit--) {
            mont_mul(tmp, acc, acc, m, minv);
            if ((exp[i] >> bit) & 1)
                mont_mul(acc, tmp, base, m, minv);
            else {
                u32 k;
                for (k = 0; k < N; k++)
                    acc[k] = tmp[k];
            }
        }
    }
    for (i = 0; i < N; i++)
        r[i] = acc[i];
}

void workload(void)
{
    u32 seed = 0x9e3779b9u, m[N], base[N], exp[N], one[N], r[N], iter, i, h = 0;
    for (i = 0; i < N; i++) {
        m[i] = rng_next(&seed);
        base[i] = rng_next(&seed);
        exp[i] = rng_next(&seed);
    }
    m[0] |= 1;                       /* odd modulus */
    m[N - 1] |= 0x80000000u;         /* full 1024 bits */
    base[N - 1] &= 0x7fffffffu;      /* below m */
    /* R mod m = 2^1024 - m (m has its top bit set, so 2^1024 - m < m). */
    for (i = 0; i < N; i++)
        one[i] = 0;
    sub_n(one, one, m, N);
    u32 minv = neg_inverse(m[0]);
    for (iter = 0; iter < ITERS; iter++) {
        mont_pow(r, base, exp, one, m, minv);
        for (i = 0; i < N; i++) {
            h = rotl32(h, 5) ^ r[i];
            base[i] ^= r[(i + 1) % N] & 0x7fffffffu;   /* the next round starts elsewhere */
        }
        base[N - 1] &= 0x7fffffffu;
    }
    out_str("bignum: result=");
    out_hex(h);
    out_str(" check=");
    out_hex(m[0] * (0u - minv));     /* 1: minv is -m^-1 mod 2^32 */
    out_nl();
}
