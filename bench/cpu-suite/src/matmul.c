/* matmul: 32-bit integer matrix multiply, N x N, repeated with a perturbed input.
 * Row-major loads with a column stride, imul, add; an i-k-j inner loop. */
#include "bench.h"

#ifndef ITERS
#define ITERS 300u
#endif
#define N 128

static u32 A[N][N], B[N][N], C[N][N];

static void multiply(void)
{
    int i, j, k;
    for (i = 0; i < N; i++) {
        for (j = 0; j < N; j++)
            C[i][j] = 0;
        for (k = 0; k < N; k++) {
            u32 a = A[i][k];
            for (j = 0; j < N; j++)
                C[i][j] += a * B[k][j];
        }
    }
}

void workload(void)
{
    u32 seed = 0x6b8b4567u, it, sum = 0;
    int i, j;
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++) {
            A[i][j] = rng_next(&seed) & 0xffff;
            B[i][j] = rng_next(&seed) & 0xffff;
        }
    for (it = 0; it < ITERS; it++) {
        multiply();
        for (i = 0; i < N; i++)
            sum = rotl32(sum, 1) ^ C[i][(i + it) & (N - 1)];
        A[it & (N - 1)][(it * 7) & (N - 1)] += C[0][0] & 0xff;
    }
    out_str("matmul: result=");
    out_hex(sum);
    out_str(" c00=");
    out_hex(C[0][0]);
    out_nl();
}
