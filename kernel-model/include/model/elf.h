/* The ELF32 subset needed to load static i386 executables. */
#ifndef MODEL_ELF_H
#define MODEL_ELF_H
#include <model/types.h>

typedef struct {
	u8 e_ident[16];
	u16 e_type, e_machine;
	u32 e_version, e_entry, e_phoff, e_shoff, e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf32_Ehdr;

typedef struct {
	u32 p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
} Elf32_Phdr;

#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

/* Returns 0 if the image looks like a static i386 executable. */
int elf_check(const void *image, u32 len);

#endif
