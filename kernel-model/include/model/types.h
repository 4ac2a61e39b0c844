/* Basic fixed-size types shared by kernel and user space. */
#ifndef MODEL_TYPES_H
#define MODEL_TYPES_H

#ifndef __ASSEMBLER__
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char i8;
typedef short i16;
typedef int i32;
typedef long long i64;
typedef unsigned int size_t;
typedef u32 phys_bytes;
typedef u32 vir_bytes;
typedef int endpoint_t;

#define NULL ((void *)0)
#endif
#define PAGE_SIZE 4096u
#define PAGE_MASK 0xFFFu
#define PAGE_DOWN(x) ((u32)(x) & ~PAGE_MASK)
#define PAGE_UP(x) (((u32)(x) + PAGE_MASK) & ~PAGE_MASK)

#endif
