/* dispatch: virtual calls and table dispatch. 4096 objects of six "classes" (a struct of
 * function pointers each: update, value, name), in a random mix, are updated and read
 * through their class every round; a stream of events goes through a table of handler
 * functions indexed by event type. Indirect calls with varying targets, returns, small
 * functions reading and writing their object through a pointer. */
#include "bench.h"

#ifndef ITERS
#define ITERS 4800u
#endif
#define NOBJ 4096
#define NEVENTS 8192

struct object;

struct class {
    const char *name;
    void (*update)(struct object *self, u32 input);
    u32 (*value)(const struct object *self);
    u32 size;                      /* words of state used */
};

struct object {
    const struct class *cls;
    u32 s[4];
};

/* counter: counts inputs with the low bit set */
static void counter_update(struct object *o, u32 in) { o->s[0] += in & 1; o->s[1]++; }
static u32 counter_value(const struct object *o) { return o->s[0] * 3 + o->s[1]; }

/* lcg: a linear congruential generator stirred by the input */
static void lcg_update(struct object *o, u32 in) { o->s[0] = o->s[0] * 1664525u + 1013904223u + in; }
static u32 lcg_value(const struct object *o) { return o->s[0] >> 7; }

/* average: an exponential moving average, in 1/16ths */
static void avg_update(struct object *o, u32 in)
{
    o->s[0] = o->s[0] - (o->s[0] >> 4) + (in & 0xffff);
    if ((in & 0xffff) > o->s[1])
        o->s[1] = in & 0xffff;
}
static u32 avg_value(const struct object *o) { return (o->s[0] >> 4) + o->s[1]; }

/* fsm: a four-state machine driven by input bits */
static void fsm_update(struct object *o, u32 in)
{
    switch (o->s[0]) {
    case 0: o->s[0] = in & 1 ? 1 : 0; break;
    case 1: o->s[0] = in & 2 ? 2 : 0; break;
    case 2: o->s[0] = in & 4 ? 3 : 1; o->s[1] += o->s[0] == 3; break;
    default: o->s[0] = 0; o->s[2] += in >> 28; break;
    }
}
static u32 fsm_value(const struct object *o) { return o->s[0] | o->s[1] << 2 | o->s[2] << 20; }

/* minmax: the smallest and largest input seen */
static void minmax_update(struct object *o, u32 in)
{
    if (in < o->s[0]) o->s[0] = in;
    if (in > o->s[1]) o->s[1] = in;
}
static u32 minmax_value(const struct object *o) { return o->s[1] - o->s[0]; }

/* history: a shift register of the last four inputs' low bytes */
static void history_update(struct object *o, u32 in)
{
    o->s[3] = o->s[2];
    o->s[2] = o->s[1];
    o->s[1] = o->s[0];
    o->s[0] = in & 0xff;
}
static u32 history_value(const struct object *o) { return o->s[0] | o->s[1] << 8 | o->s[2] << 16 | o->s[3] << 24; }

static const struct class classes[6] = {
    { "counter", counter_update, counter_value, 2 },
    { "lcg", lcg_update, lcg_value, 1 },
    { "average", avg_update, avg_value, 2 },
    { "fsm", fsm_update, fsm_value, 3 },
    { "minmax", minmax_update, minmax_value, 2 },
    { "history", history_update, history_value, 4 },
};

static struct object objs[NOBJ];

/* ---- table dispatch: an event stream through a handler table ---- */
struct machine {
    u32 acc, count, mode, stack[16], sp;
};

static void ev_add(struct machine *m, u32 arg) { m->acc += arg; }
static void ev_xor(struct machine *m, u32 arg) { m->acc ^= arg << m->mode; }
static void ev_push(struct machine *m, u32 arg) { m->stack[m->sp++ & 15] = m->acc; m->acc = arg; }
static void ev_pop(struct machine *m, u32 arg) { m->acc += m->stack[--m->sp & 15] ^ arg; }
static void ev_mode(struct machine *m, u32 arg) { m->mode = arg & 7; }
static void ev_count(struct machine *m, u32 arg) { m->count += (arg & 3) == 0; }
static void ev_mul(struct machine *m, u32 arg) { m->acc *= arg | 1; }
static void ev_nop(struct machine *m, u32 arg) { (void)m; (void)arg; }

static void (*const handlers[8])(struct machine *, u32) = {
    ev_add, ev_xor, ev_push, ev_pop, ev_mode, ev_count, ev_mul, ev_nop
};

static u32 events[NEVENTS];

void workload(void)
{
    u32 seed = 0x19660d15u, it, i, sum = 0, names = 0;
    struct machine m = { 0, 0, 0, { 0 }, 0 };
    for (i = 0; i < NOBJ; i++) {
        u32 r = rng_next(&seed), k;
        objs[i].cls = &classes[r % 6];
        for (k = 0; k < 4; k++)
            objs[i].s[k] = 0;
        if (objs[i].cls->update == minmax_update)
            objs[i].s[0] = 0xffffffffu;
    }
    for (i = 0; i < NEVENTS; i++)
        events[i] = rng_next(&seed);
    for (it = 0; it < ITERS; it++) {
        u32 x = it;
        for (i = 0; i < NOBJ; i++) {
            struct object *o = &objs[i];
            o->cls->update(o, x);
            x = rotl32(x, 5) ^ o->cls->value(o);
        }
        sum = rotl32(sum, 3) ^ x;
        for (i = 0; i < NEVENTS; i++) {
            u32 e = events[i] ^ sum;
            handlers[e & 7](&m, e >> 3);
        }
        events[it % NEVENTS] ^= m.acc;
    }
    for (i = 0; i < NOBJ; i++)
        names += objs[i].cls->name[0] + objs[i].cls->size;
    out_str("dispatch: result=");
    out_hex(sum ^ m.acc);
    out_str(" count=");
    out_dec(m.count);
    out_str(" names=");
    out_dec(names);
    out_nl();
}
