/* Multiboot v1 structures (only the fields we read). */
#ifndef MODEL_MULTIBOOT_H
#define MODEL_MULTIBOOT_H
#include <model/types.h>

#define MULTIBOOT_HEADER_MAGIC 0x1BADB002
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MULTIBOOT_PAGE_ALIGN 0x1
#define MULTIBOOT_MEMORY_INFO 0x2

#define MULTIBOOT_INFO_MEMORY 0x1
#define MULTIBOOT_INFO_CMDLINE 0x4
#define MULTIBOOT_INFO_MODS 0x8
#define MULTIBOOT_INFO_MEM_MAP 0x40

#ifndef __ASSEMBLER__
struct multiboot_info {
	u32 flags;
	u32 mem_lower, mem_upper;
	u32 boot_device;
	u32 cmdline;
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
};

struct multiboot_mod {
	u32 mod_start, mod_end;
	u32 cmdline;
	u32 pad;
};

/* One memory-map entry; 'size' does not count itself. */
struct multiboot_mmap {
	u32 size;
	u32 base_lo, base_hi;
	u32 len_lo, len_hi;
	u32 type;
} __attribute__((packed));
#endif

#endif
