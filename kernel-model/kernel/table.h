#ifndef KERNEL_TABLE_H
#define KERNEL_TABLE_H
struct boot_image { int slot; const char *name; int queue; int quantum; u32 vm_calls; };
extern const struct boot_image image[NR_TASKS + NR_BOOT_PROCS];
extern struct priv priv_table[NR_BOOT_PROCS + 1];
#define USER_PRIV (&priv_table[NR_BOOT_PROCS])
#endif
