/* The fixed 64-byte message. */
#ifndef MODEL_IPC_H
#define MODEL_IPC_H
#include <model/types.h>

typedef struct {
	endpoint_t m_source; /* filled in by the kernel */
	int m_type;
	union {
		i32 i[14];
		u32 u[14];
		char c[56];
	} m;
} message;

_Static_assert(sizeof(message) == 64, "message must be 64 bytes");

#endif
