/* 64-bit helpers. There is no 32-bit libgcc in the link on purpose: every
 * 64-bit division goes through here, written with 32-bit operations only. */
#include <model/types.h>

u64 u64_shl(u64 v, unsigned s)
{
	u32 lo = (u32)v, hi = (u32)(v >> 32);
	if (s >= 64)
		return 0;
	if (s >= 32)
		return (u64)(lo << (s - 32)) << 32;
	if (s == 0)
		return v;
	return ((u64)((hi << s) | (lo >> (32 - s))) << 32) | (u32)(lo << s);
}

u64 u64_shr(u64 v, unsigned s)
{
	u32 lo = (u32)v, hi = (u32)(v >> 32);
	if (s >= 64)
		return 0;
	if (s >= 32)
		return hi >> (s - 32);
	if (s == 0)
		return v;
	return ((u64)(hi >> s) << 32) | ((lo >> s) | (hi << (32 - s)));
}

/* Restoring binary long division: quotient returned, remainder in *rem. */
u64 u64_divmod(u64 n, u64 d, u64 *rem)
{
	u64 q = 0, r = 0;
	int i;
	if (d == 0) {
		if (rem)
			*rem = 0;
		return ~(u64)0;
	}
	if ((u32)(d >> 32) == 0 && (u32)(n >> 32) == 0) {
		if (rem)
			*rem = (u32)n % (u32)d;
		return (u32)n / (u32)d;
	}
	for (i = 63; i >= 0; i--) {
		r = u64_shl(r, 1) | ((u32)u64_shr(n, (unsigned)i) & 1);
		if (r >= d) {
			r -= d;
			q |= u64_shl(1, (unsigned)i);
		}
	}
	if (rem)
		*rem = r;
	return q;
}
