/* gbs: Gragg-Bulirsch-Stoer extrapolation, the high-precision integrator
 * behind the reference gradient.  It needs only F, so it serves every
 * model and every augmented system (sensitivities, adjoints).
 *
 * One macro step of size H runs Gragg's modified midpoint rule with
 * n_j = 2j substeps (j = 1, 2, ...), whose error has an expansion in even
 * powers of H/n_j, and extrapolates the results to zero step by the
 * Aitken-Neville tableau T_{j,k}.  The step stops at the first level j >= 3
 * where |T_{j,j} - T_{j,j-1}| <= 2^-bits max(1, |y|) (max norms); that
 * difference is the step's error estimate (it bounds the error of
 * T_{j,j-1}, so it overstates the error of the accepted T_{j,j}).  A step
 * that reaches the last level without meeting the tolerance is rejected and
 * retried with H/2; a step accepted at a level j <= kmax/2 doubles the next
 * H.  Every decision compares MPFR numbers, so the grid is the same on every
 * machine.
 * References: Hairer, Norsett, Wanner, Solving ODEs I, II.9; Gragg (1965);
 * Bulirsch and Stoer (1966).
 */
#ifndef ADJVERIFY_GBS_H
#define ADJVERIFY_GBS_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "rk.h"

/* Largest number of extrapolation levels (order 2 * GBS_KMAX). */
#define GBS_KMAX 200

/* Workspace of one integrator: allocated once, reused by every step. */
typedef struct {
    size_t dim;
    int kmax;          /* levels tried per step before a rejection */
    long bits;         /* local tolerance 2^-bits, relative to max(1, |y|) */
    long max_steps;    /* accepted + rejected steps allowed per gbs_solve */
    mpfr_ptr R;        /* kmax * dim: the current row of the tableau */
    mpfr_ptr v;        /* 7 * dim vectors of scratch */
    mpfr_ptr s;        /* 8 scalars */
    mpfr_ptr H;        /* the next step size (magnitude), kept across calls */
    mpfr_ptr block;
    long steps, rejects, evals;   /* counters since gbs_work_init */
    int last_level;    /* level at which the last step was accepted */
    long shift;        /* log2 of the factor for the next H (internal) */
} gbs_work_struct;
typedef gbs_work_struct gbs_work_t[1];

/* Sets up W for systems of SYS's dimension at PREC bits, with KMAX levels
 * (3 <= KMAX <= GBS_KMAX) and local tolerance 2^-BITS (BITS must be at least
 * 8 below PREC, or rounding would keep the estimate above it).  The first
 * step tries the whole interval.  AV_EINPUT for bad KMAX or BITS, AV_ESYS
 * when memory is short. */
int gbs_work_init(gbs_work_t w, const rk_system *sys, int kmax, long bits,
                  mpfr_prec_t prec, averr_t err);
void gbs_work_clear(gbs_work_t w);

/* Levels suited to a tolerance of 2^-BITS: about half the decimal digits,
 * within [6, GBS_KMAX], so that the work per unit time (about j^2 / H) is
 * near its minimum for analytic fields. */
int gbs_levels_for_bits(long bits);

/* Integrates Y (dim values, in place) from T0 to T1 (either direction;
 * T0 == T1 does nothing) with adaptive macro steps that land exactly on T1.
 * Adds the accepted steps' error estimates to EST (one number; the caller
 * sets it to 0 first).  Errors: F's failure, a NaN, or more than
 * w->max_steps steps (AV_ENUM naming t).  Y is untouched on failure. */
int gbs_solve(mpfr_ptr y, mpfr_ptr est, const rk_system *sys, mpfr_srcptr t0,
              mpfr_srcptr t1, gbs_work_t w, averr_t err);

#endif
