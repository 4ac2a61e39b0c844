/* kinfo: what the kernel learnt at boot, handed to VM (SYS_GETINFO GET_KINFO). */
#ifndef MODEL_KINFO_H
#define MODEL_KINFO_H
#include <model/types.h>
#include <model/com.h>

#define KINFO_MAGIC 0x4b494e46
#define KINFO_MAXMMAP 32
#define KINFO_MAXFREE 32
#define KINFO_MAXMODS 8
#define KINFO_CMDLINE 1024
#define KINFO_PARAMS 1024
#define MEM_LIMIT (240u << 20) /* direct map covers [0, 240 MiB) */

struct kinfo_mmap { u32 base_lo, base_hi, len_lo, len_hi, type; };
struct kinfo_range { u32 start, len; }; /* bytes, page aligned */
struct kinfo_mod { u32 start, end; char name[16]; };

struct boot_proc {
	u32 mod_start, mod_len; /* physical */
	int slot;
	endpoint_t endpoint;
	u32 vm_call_mask;       /* VM requests it may make: bit (type - VM_RQ_BASE) */
	char name[16];
};

struct kinfo {
	u32 magic;
	u32 mb_flags, mem_lower, mem_upper;
	u32 mmap_count;
	struct kinfo_mmap mmap[KINFO_MAXMMAP];
	u32 mods_count;
	struct kinfo_mod mods[KINFO_MAXMODS];
	char cmdline[KINFO_CMDLINE]; /* Multiboot cmdline as given */
	char params[KINFO_PARAMS];   /* name=value\0name=value\0\0 */
	u32 nfree;
	struct kinfo_range freemem[KINFO_MAXFREE];
	u32 mem_high;                /* end of usable RAM (bytes, truncated) */
	u32 user_sp, user_end, vir_kern_start;
	u32 bootstrap_start, bootstrap_len;
	u32 kern_phys_start, kern_phys_end, kern_static_size;
	u32 cpu_pse, cpu_pge, cpu_sep;
	u32 use_sysenter;
	u32 npost_early;
	u8 post_early[8];
	u32 kernel_pdes[64];         /* PDEs 960..1023 of every address space */
	struct boot_proc boot_procs[NR_BOOT_PROCS];
};

#endif
