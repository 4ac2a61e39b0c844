/* CLOCK: tick accounting, quantum expiry and one-shot alarms (IRQ0). */
#include "kernel.h"

u32 ticks;
u32 hz = 100;

void clock_tick(int from_user)
{
	int i;
	ticks++;
	if (from_user && proc_ptr) {
		struct proc *p = proc_ptr;
		p->p_user_time++;
		if (--p->p_ticks_left <= 0 && p->p_rts_flags == 0) {
			/* quantum used up: to the back of its queue */
			dequeue(p);
			p->p_ticks_left = 0;
			enqueue(p);
		}
	}
	for (i = 0; i < NR_SLOTS; i++) {
		struct proc *p = &proc[i];
		if (p->p_alarm && ticks >= p->p_alarm && !(p->p_rts_flags & RTS_SLOT_FREE)) {
			p->p_alarm = 0;
			mini_notify(CLOCK, p);
		}
	}
}
