/* bytecode: a stack-machine interpreter with switch dispatch (a jump table), running a
 * Collatz program: nested loops, locals, arithmetic, DUP/SWAP, conditional jumps.
 * Indirect jumps, loads and stores to the operand stack, short dependent chains. */
#include "bench.h"

#ifndef ITERS
#define ITERS 2u
#endif
#define LIMIT 70000   /* below 100000 no Collatz trajectory leaves 32 bits */

enum {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_DUP, OP_SWAP, OP_POP,
    OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_XOR, OP_SHL, OP_SHR,
    OP_EQ, OP_LT, OP_JMP, OP_JZ, OP_JNZ
};

enum { V_N, V_X, V_STEPS, V_ACC, V_TOTAL, V_LIMIT, NVARS };

static s32 code[256];
static int ncode;

static int emit(s32 op) { code[ncode] = op; return ncode++; }
static int emit1(s32 op, s32 arg) { int at = emit(op); emit(arg); return at; }
static void patch(int at, int target) { code[at + 1] = target; }

static void assemble(void)
{
    int loop_n, loop_x, j_done, j_even, j_next, even, next, done;
    ncode = 0;
    emit1(OP_PUSH, 1); emit1(OP_STORE, V_N);
    loop_n = ncode;
    emit1(OP_LOAD, V_N); emit1(OP_STORE, V_X);
    emit1(OP_PUSH, 0); emit1(OP_STORE, V_STEPS);
    loop_x = ncode;
    emit1(OP_LOAD, V_X); emit1(OP_PUSH, 1); emit(OP_EQ); j_done = emit1(OP_JNZ, 0);
    emit1(OP_LOAD, V_X); emit1(OP_PUSH, 1); emit(OP_AND); j_even = emit1(OP_JZ, 0);
    /* x = 4x - x + 1 */
    emit1(OP_LOAD, V_X); emit(OP_DUP); emit1(OP_PUSH, 2); emit(OP_SHL); emit(OP_SWAP);
    emit(OP_SUB); emit1(OP_PUSH, 1); emit(OP_ADD); emit1(OP_STORE, V_X);
    j_next = emit1(OP_JMP, 0);
    even = ncode;
    emit1(OP_LOAD, V_X); emit1(OP_PUSH, 1); emit(OP_SHR); emit1(OP_STORE, V_X);
    next = ncode;
    emit1(OP_LOAD, V_STEPS); emit1(OP_PUSH, 1); emit(OP_ADD); emit1(OP_STORE, V_STEPS);
    emit1(OP_JMP, loop_x);
    done = ncode;
    /* acc = acc * 31 ^ steps; total += steps */
    emit1(OP_LOAD, V_ACC); emit1(OP_PUSH, 31); emit(OP_MUL); emit1(OP_LOAD, V_STEPS);
    emit(OP_XOR); emit1(OP_STORE, V_ACC);
    emit1(OP_LOAD, V_TOTAL); emit1(OP_LOAD, V_STEPS); emit(OP_ADD); emit1(OP_STORE, V_TOTAL);
    /* n++; loop while n < limit */
    emit1(OP_LOAD, V_N); emit1(OP_PUSH, 1); emit(OP_ADD); emit(OP_DUP); emit1(OP_STORE, V_N);
    emit1(OP_LOAD, V_LIMIT); emit(OP_LT); emit1(OP_JNZ, loop_n);
    emit1(OP_PUSH, 0x5a5a); emit(OP_POP);
    emit(OP_HALT);
    patch(j_done, done);
    patch(j_even, even);
    patch(j_next, next);
}

static s32 vars[NVARS];
static s32 stack[64];

static void run(const s32 *prog)
{
    const s32 *pc = prog;
    s32 *sp = stack;   /* points to the next free slot */
    for (;;) {
        s32 op = *pc++;
        switch (op) {
        case OP_HALT: return;
        case OP_PUSH: *sp++ = *pc++; break;
        case OP_LOAD: *sp++ = vars[*pc++]; break;
        case OP_STORE: vars[*pc++] = *--sp; break;
        case OP_DUP: sp[0] = sp[-1]; sp++; break;
        case OP_SWAP: { s32 t = sp[-1]; sp[-1] = sp[-2]; sp[-2] = t; break; }
        case OP_POP: sp--; break;
        case OP_ADD: sp--; sp[-1] = (s32)((u32)sp[-1] + (u32)sp[0]); break;
        case OP_SUB: sp--; sp[-1] = (s32)((u32)sp[-1] - (u32)sp[0]); break;
        case OP_MUL: sp--; sp[-1] = (s32)((u32)sp[-1] * (u32)sp[0]); break;
        case OP_AND: sp--; sp[-1] &= sp[0]; break;
        case OP_XOR: sp--; sp[-1] ^= sp[0]; break;
        case OP_SHL: sp--; sp[-1] = (s32)((u32)sp[-1] << (sp[0] & 31)); break;
        case OP_SHR: sp--; sp[-1] = (s32)((u32)sp[-1] >> (sp[0] & 31)); break;
        case OP_EQ: sp--; sp[-1] = sp[-1] == sp[0]; break;
        case OP_LT: sp--; sp[-1] = (u32)sp[-1] < (u32)sp[0]; break;
        case OP_JMP: pc = prog + *pc; break;
        case OP_JZ: if (*--sp == 0) pc = prog + *pc; else pc++; break;
        case OP_JNZ: if (*--sp != 0) pc = prog + *pc; else pc++; break;
        default: return;
        }
    }
}

void workload(void)
{
    u32 it, sum = 0;
    assemble();
    for (it = 0; it < ITERS; it++) {
        vars[V_ACC] = (s32)it;
        vars[V_TOTAL] = 0;
        vars[V_LIMIT] = LIMIT - (s32)it;
        run(code);
        sum = rotl32(sum, 5) ^ (u32)vars[V_ACC];
    }
    out_str("bytecode: result=");
    out_hex(sum);
    out_str(" steps=");
    out_dec((u32)vars[V_TOTAL]);
    out_str(" ops=");
    out_dec((u32)ncode);
    out_nl();
}
