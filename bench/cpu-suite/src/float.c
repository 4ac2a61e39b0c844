/* float: x87 floating point (built with -mfpmath=387, no SSE): the five-body Jovian
 * planets simulation (advance with dt = 0.01: +, -, *, /, sqrt) with its energy before and
 * after, and a Mandelbrot set escape-count image. Only the basic operations, FSQRT,
 * compares and integer loads/stores (FILD/FISTP) are used, no transcendental instruction;
 * results are printed as fixed point and as a hash of the raw bits of the final state, so
 * the line is the same natively and under any emulator that rounds like the hardware. */
#include "bench.h"

#ifndef ITERS
#define ITERS 24u
#endif
#define NBODY_STEPS 20000
#define MB_W 160
#define MB_H 120
#define MB_MAX 256

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static struct body bodies[5];

static const struct body initial[5] = {
    { 0, 0, 0, 0, 0, 0, SOLAR_MASS },                                 /* sun */
    { 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
      -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS },
    { 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
      2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS },
    { 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
      -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS },
    { 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
      -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS },
};

static double fsqrt(double x)
{
    double r;
    __asm__("fsqrt" : "=t"(r) : "0"(x));
    return r;
}

static void offset_momentum(struct body *b, int n)
{
    double px = 0, py = 0, pz = 0;
    int i;
    for (i = 0; i < n; i++) {
        px += b[i].vx * b[i].mass;
        py += b[i].vy * b[i].mass;
        pz += b[i].vz * b[i].mass;
    }
    b[0].vx = -px / SOLAR_MASS;
    b[0].vy = -py / SOLAR_MASS;
    b[0].vz = -pz / SOLAR_MASS;
}

static double energy(const struct body *b, int n)
{
    double e = 0;
    int i, j;
    for (i = 0; i < n; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= b[i].mass * b[j].mass / fsqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(struct body *b, int n, double dt)
{
    int i, j;
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * fsqrt(d2));
            b[i].vx -= dx * b[j].mass * mag;
            b[i].vy -= dy * b[j].mass * mag;
            b[i].vz -= dz * b[j].mass * mag;
            b[j].vx += dx * b[i].mass * mag;
            b[j].vy += dy * b[i].mass * mag;
            b[j].vz += dz * b[i].mass * mag;
        }
    for (i = 0; i < n; i++) {
        b[i].x += dt * b[i].vx;
        b[i].y += dt * b[i].vy;
        b[i].z += dt * b[i].vz;
    }
}

/* Total escape iterations over a MB_W x MB_H view centred on (cx, cy). */
static u32 mandelbrot(double cx, double cy, double scale)
{
    u32 total = 0;
    int px, py;
    for (py = 0; py < MB_H; py++) {
        double ci = cy + (py - MB_H / 2) * scale;
        for (px = 0; px < MB_W; px++) {
            double cr = cx + (px - MB_W / 2) * scale, zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            int k = 0;
            while (k < MB_MAX && zr2 + zi2 <= 4.0) {
                zi = 2 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                k++;
            }
            total += k;
        }
    }
    return total;
}

/* v as a signed fixed-point number with 9 decimals (|v| < 2). */
static void out_fixed9(double v)
{
    s32 n = (s32)(v * 1e9 + (v < 0 ? -0.5 : 0.5));
    u32 u = n < 0 ? (u32)-n : (u32)n, i;
    char frac[9];
    if (n < 0)
        out_str("-");
    out_dec(u / 1000000000u);
    u %= 1000000000u;
    for (i = 9; i-- > 0; u /= 10)
        frac[i] = (char)('0' + u % 10);
    rt_write(".", 1);
    rt_write(frac, 9);
}

void workload(void)
{
    u32 it, i, sum = 0, escapes = 0;
    double e0, e1;
    /* The Multiboot kernel starts with whatever x87 state the loader left: reset it
     * (control word 0x37F: all exceptions masked, 64-bit mantissa, round to nearest,
     * the same as a Linux process starts with). */
    __asm__ volatile("fninit");
    for (i = 0; i < 5; i++)
        bodies[i] = initial[i];
    offset_momentum(bodies, 5);
    e0 = energy(bodies, 5);
    for (it = 0; it < ITERS; it++) {
        int s;
        for (s = 0; s < NBODY_STEPS; s++)
            advance(bodies, 5, 0.01);
        escapes += mandelbrot(-0.743643887 + it * 1e-4, 0.131825904, 0.02 / (it + 1));
    }
    e1 = energy(bodies, 5);
    for (i = 0; i < 5; i++) {
        union { double d; u32 w[2]; } u;
        u.d = bodies[i].x;
        sum = rotl32(sum, 7) ^ u.w[0] ^ u.w[1];
        u.d = bodies[i].vy;
        sum = rotl32(sum, 7) ^ u.w[0] ^ u.w[1];
    }
    out_str("float: result=");
    out_hex(sum);
    out_str(" e0=");
    out_fixed9(e0);
    out_str(" e1=");
    out_fixed9(e1);
    out_str(" escapes=");
    out_dec(escapes);
    out_nl();
}
