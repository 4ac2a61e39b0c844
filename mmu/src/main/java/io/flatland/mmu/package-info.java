/**
 * Guest physical memory and the linear address space: {@code PhysicalMemory} (off-heap RAM,
 * every access bounded, zeroed per 64 KiB chunk on first use; unassigned addresses read 0),
 * {@code MmioBus}, the two-level {@code PageWalker} (4 KiB and 4 MiB pages, accessed and dirty
 * bits, U/S, R/W, CR0.WP), the software {@code Tlb} (four views: supervisor/user by
 * read/write, so one tag compare answers the permission check), {@code Mmu} (CR0/CR3/CR4,
 * A20, the slow paths) and {@code CodeWatch} (pages holding decoded code: their writes take
 * the slow path and are reported, for self-modifying code).
 */
package io.flatland.mmu;
