/* FNV-1a over the little-endian bytes of 32-bit values (spec section 6.3). */
#include <model/types.h>

u32 fnv_u32(u32 h, u32 v)
{
	int i;
	for (i = 0; i < 4; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x01000193u;
	}
	return h;
}
