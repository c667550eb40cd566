/* converge: errors of a gradient method over a list of step counts, and
 * the observed order per refinement, log(e(N1) / e(N2)) / log(N2 / N1)
 * (log2 of the ratio when the steps double).
 *
 * The error of one run is the max norm over dL/dtheta and dL/dz(0)
 * together of the difference from the yardstick: `bp` with the same scheme
 * and steps, or `reference` (computed once).  An error at the level of
 * rounding (at most 2^(16 - prec) times max(1, |yardstick|)) carries no
 * order: its order is reported as undefined.
 */
#ifndef ADJVERIFY_CONVERGE_H
#define ADJVERIFY_CONVERGE_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../schemes/tableau.h"
#include "../problems/problem.h"
#include "grad.h"

#define CONV_MAX_STEPS 64

typedef struct {
    int n;                        /* rows */
    long N[CONV_MAX_STEPS];       /* step counts */
    int rounding[CONV_MAX_STEPS]; /* 1 when the error is at rounding level */
    double order[CONV_MAX_STEPS]; /* observed order from row i-1 to i; row 0 NAN */
    int has_order[CONV_MAX_STEPS];
    mpfr_ptr h, err;              /* n each, at the problem's precision */
    mpfr_ptr block;
} conv_result;

/* Runs METHOD with tableau TAB at each of the N step counts STEPS
 * (ascending, 1 <= n <= CONV_MAX_STEPS) and measures it against AGAINST
 * (GRAD_BP or GRAD_REFERENCE).  R must be released with conv_clear.
 * AV_EINPUT for a bad list or yardstick; a method's own failure is
 * returned with its message prefixed by the step count. */
int conv_run(conv_result *r, const problem_t p, const tableau_t tab,
             grad_method method, grad_method against, const long *steps, int n,
             averr_t err);
void conv_clear(conv_result *r);

/* OUT = max(|a.dtheta - b.dtheta|, |a.dz0 - b.dz0|) (max norms). */
void conv_distance(mpfr_ptr out, const grad_result_t a, const grad_result_t b);

/* Returns 1 when ERR is at rounding level against REF (see above). */
int conv_at_rounding(mpfr_srcptr err, const grad_result_t ref, mpfr_prec_t prec);

/* Observed order between errors E1 at N1 and E2 at N2 > N1 (both > 0). */
double conv_order(mpfr_srcptr e1, long n1, mpfr_srcptr e2, long n2);

/* The five distances (conv_distance) of the adjoint_vs_bp comparison at N
 * steps of TAB, with REF the reference gradient: DIST[0] = |bp - ref|,
 * [1] = |backsolve - bp|, [2] = |interp - bp|, [3] = |backsolve - ref|,
 * [4] = |interp - ref|.  BP (may be NULL) receives the bp gradient. */
enum { CONV_BP_REF, CONV_BS_BP, CONV_IP_BP, CONV_BS_REF, CONV_IP_REF, CONV_NDIST };
int conv_adjoint_vs_bp(mpfr_ptr dist, grad_result_t bp, const problem_t p,
                       const tableau_t tab, long N, const grad_result_t ref,
                       averr_t err);

/* Parses "4,8,16" into STEPS (at most CONV_MAX_STEPS ascending values in
 * [1, RK_MAX_STEPS]); *N receives the count.  AV_EINPUT naming the item. */
int conv_parse_steps(long *steps, int *n, const char *list, averr_t err);

#endif
