/* ntaylor: a Taylor-series integrator for P7 `notes` at any precision.
 *
 * On each step the Taylor coefficients of x(t) come from the recurrence of
 * (1 + x^2/2) x' = sin(p2 t) - p1 x (products by Cauchy sums, sin and cos
 * by their paired series); the forward sensitivities w_k = dx/dp_k from
 * (a w_k)' = -p1 w_k - h_pk with a = 1 + x^2/2; the running cost
 * q' = f; and, on a backward sweep over the stored steps, the adjoint of
 * the notes, a lambda' = f_x + p1 lambda with lambda(T) = 0, as
 * alpha phi + psi (homogeneous and particular series of the step, alpha
 * fixed by the value at the step's right end).  Every series is evaluated
 * inside its step at the requested sample times, so the result is dense.
 * Order K = 0.35 prec and step rho / e^2 (rho estimated from the last two
 * coefficients) keep the truncation error near 2^-prec per step.
 * References: Jorba and Zou, Experiment. Math. 14 (2005); Corliss and
 * Chang, ACM TOMS 8 (1982); Moore, Interval Analysis (1966), ch. 11.
 */
#ifndef ADJVERIFY_NTAYLOR_H
#define ADJVERIFY_NTAYLOR_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../problems/implicit.h"

/* Largest number of steps a solve may take before it reports failure. */
#define NTAYLOR_MAX_STEPS 100000L

typedef struct {
    int want_sens;   /* fill xp, xpd (forward sensitivities) */
    int want_adj;    /* fill lam, lamd (the adjoint) */
    /* +1 for the adjoint equation; -1 negates its right side, a deliberate
     * sign error that the checks must catch. */
    int adj_sign;
    int order;       /* Taylor order, 0 = chosen from the precision */
    /* 1: fill only the values x, xp, lam (not x', x'', xpd, lamd), which
     * is all a gradient needs and saves their evaluation */
    int values_only;
} ntaylor_opts;

/* Solves P7 (P->model must be impl_model_notes) at P->prec and fills TR
 * at the sample times TR->t[0..N-1] (set by the caller, ascending, in
 * [0, T]): x, x', x'' always, xp and xpd when O->want_sens, lam and lamd
 * when O->want_adj (without the derivatives when O->values_only).  FINT, when not NULL, receives int_0^T f dt
 * integrated as q' = f within the series (a route independent of any
 * quadrature).  NSTEPS, when not NULL, receives the number of steps.
 * P's parameters may be perturbed (they are read as they are).  O may be
 * NULL (x only).  Returns 0; AV_EINPUT for another model, a precision
 * differing from TR's, or samples outside [0, T] or out of order;
 * AV_ENUM for NaN, overflow or too many steps; AV_ESYS when short of
 * memory.  TR's values are unspecified on failure. */
int ntaylor_solve(impl_traj_t tr, mpfr_ptr fint, long *nsteps,
                  const impl_problem_t P, const ntaylor_opts *o, averr_t err);

/* The order chosen for PREC bits when opts.order is 0. */
int ntaylor_order(mpfr_prec_t prec);

#endif
