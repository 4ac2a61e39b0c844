/* ELF sanity check shared by the loaders. */
#include <model/elf.h>

int elf_check(const void *image, u32 len)
{
	const Elf32_Ehdr *eh = image;
	if (len < sizeof(*eh) || eh->e_ident[0] != 0x7f || eh->e_ident[1] != 'E' ||
	    eh->e_ident[2] != 'L' || eh->e_ident[3] != 'F' || eh->e_ident[4] != 1 ||
	    eh->e_machine != 3 || eh->e_phentsize != sizeof(Elf32_Phdr) ||
	    eh->e_phoff + eh->e_phnum * sizeof(Elf32_Phdr) > len)
		return -1;
	return 0;
}
