/* bench_ops: the cost of one MPFR operation of each kind at a precision,
 * timed on the numbers P1's computation actually meets: the parameters
 * (short exact rationals such as 1/2 next to full-length ones such as 1/3)
 * and the states, stages and tanh values of a recorded rk4 trajectory.
 */
#include <stdlib.h>
#include "bench.h"
#include "../../src/numbers/mpvec.h"

#define POOL_N 8
#define OPS 256

/* Operand triples (x, y, z) cycling through a pool; R receives results. */
typedef struct {
    mpfr_ptr x, y, z, r;
    mpfr_ptr block;
} operands;

static int operands_init(operands *o, mpfr_prec_t prec)
{
    averr_t err;
    bench_case bc;
    if (bench_setup(&bc, "mlp", "rk4", prec) != 0)
        return -1;
    traj_t tr;
    rk_problem_ctx pctx;
    rk_system sys;
    int st = traj_init(tr, POOL_N, 4, (size_t)bc.p->d, (size_t)bc.p->naux, prec, err);
    if (st == 0 && (st = rk_problem_ctx_init(&pctx, bc.p, err)) == 0) {
        rk_system_of_problem(&sys, &pctx);
        st = rk_solve(bc.g->zT, tr, &sys, bc.tab, tr->t0, bc.p->T, POOL_N, bc.p->z0, prec,
                      err);
        rk_problem_ctx_clear(&pctx);
    }
    o->block = st == 0 ? mpblock_alloc(4 * OPS, prec, err) : NULL;
    if (o->block != NULL) {
        o->x = o->block;
        o->y = o->x + OPS;
        o->z = o->y + OPS;
        o->r = o->z + OPS;
        /* pool: parameters, then every recorded number (all in [-2, 2]) */
        size_t np = (size_t)bc.p->ntheta, nt = (size_t)(tr->t0 - tr->block);
        unsigned long s = 12345;
        for (size_t i = 0; i < 3 * OPS; i++) {
            s = s * 6364136223846793005UL + 1442695040888963407UL;
            size_t k = (size_t)(s >> 33) % (np + nt);
            mpfr_set(o->x + i, k < np ? bc.p->theta + k : tr->block + (k - np), MPFR_RNDN);
        }
    }
    traj_clear(tr);
    bench_teardown(&bc);
    return o->block == NULL ? -1 : 0;
}

/* One pass over the operands with operation KIND; 0 when not timed. */
static int pass(int kind, operands *o)
{
    mpfr_ptr x = o->x, y = o->y, z = o->z, r = o->r;
    for (int i = 0; i < OPS; i++) {
        switch (kind) {
        case OPC_FMA: mpfr_fma(r + i, x + i, y + i, z + i, MPFR_RNDN); break;
        case OPC_FMS: mpfr_fms(r + i, x + i, y + i, z + i, MPFR_RNDN); break;
        case OPC_MUL: mpfr_mul(r + i, x + i, y + i, MPFR_RNDN); break;
        case OPC_SQR: mpfr_sqr(r + i, x + i, MPFR_RNDN); break;
        case OPC_ADD: mpfr_add(r + i, x + i, y + i, MPFR_RNDN); break;
        case OPC_SUB: mpfr_sub(r + i, x + i, y + i, MPFR_RNDN); break;
        case OPC_UI_SUB: mpfr_ui_sub(r + i, 1, x + i, MPFR_RNDN); break;
        case OPC_ADD_UI: mpfr_add_ui(r + i, x + i, 1, MPFR_RNDN); break;
        case OPC_MUL_SI: mpfr_mul_si(r + i, x + i, 997, MPFR_RNDN); break;
        case OPC_DIV_SI: mpfr_div_si(r + i, x + i, 1000, MPFR_RNDN); break;
        case OPC_DIV: mpfr_div(r + i, x + i, y + i, MPFR_RNDN); break;
        case OPC_DIV_2UI: mpfr_div_2ui(r + i, x + i, 1, MPFR_RNDN); break;
        case OPC_TANH: mpfr_tanh(r + i, x + i, MPFR_RNDN); break;
        case OPC_SIN: mpfr_sin(r + i, x + i, MPFR_RNDN); break;
        case OPC_SET: mpfr_set(r + i, x + i, MPFR_RNDN); break;
        case OPC_SET_ZERO: mpfr_set_zero(r + i, 1); break;
        case OPC_SET_UI: mpfr_set_ui(r + i, 1, MPFR_RNDN); break;
        case OPC_NEG: mpfr_neg(r + i, x + i, MPFR_RNDN); break;
        default: return 0;
        }
    }
    return 1;
}

double bench_op_cost(int kind, mpfr_prec_t prec)
{
    operands o;
    if (operands_init(&o, prec) != 0 || !pass(kind, &o))
        return -1.0;
    /* Size the loop to about 20 ms, then take the median of 5. */
    long reps = 1;
    double t;
    for (;;) {
        double t0 = bench_cpu();
        for (long k = 0; k < reps; k++)
            pass(kind, &o);
        t = bench_cpu() - t0;
        if (t > 0.02 || reps > (1L << 24))
            break;
        reps *= 2;
    }
    double runs[5];
    for (int j = 0; j < 5; j++) {
        double t0 = bench_cpu();
        for (long k = 0; k < reps; k++)
            pass(kind, &o);
        runs[j] = (bench_cpu() - t0) / ((double)reps * OPS);
    }
    mpblock_free(o.block);
    return bench_median(runs, 5);
}
