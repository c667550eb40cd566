/* reference: the exact continuous solution and gradient of a problem, to
 * the working precision, by two independent routes on the Gragg-Bulirsch-
 * Stoer integrator (gbs.h), which needs only f and the model's products.
 *
 *   route 1 (forward sensitivities): y = [z, Phi, S] with
 *       z' = f,  Phi' = J Phi (Phi(0) = I),  S' = J S + df/dtheta (S(0) = 0),
 *     J Phi and J S by the forward product jvp_z, df/dtheta from d products
 *     (df/dtheta)^T e_i; then dL/dtheta = S(T)^T dL/dz(T) and
 *     dL/dz(0) = Phi(T)^T dL/dz(T).
 *   route 2 (adjoint and quadrature): z forward to the boundaries of M equal
 *     panels, the first cut geometrically toward t = 0 (a fast initial layer
 *     of a dissipative field needs small panels there); then [z, a, g] backwards, z' = f, a' = -J^T a, g' =
 *     -(df/dtheta)^T a, from a(T) = dL/dz(T), g(T) = 0, with z reset to its
 *     forward value at every panel boundary (so the unstable backward z
 *     never runs further than one panel); the integrand a^T df/dtheta is
 *     taken at the n Gauss-Legendre nodes of each panel (quad.h) and
 *     dL/dtheta = int_0^T a^T df/dtheta dt is their weighted sum; g(0) is the
 *     same integral as an ODE component, a(0) = dL/dz(0).
 *
 * Everything runs at a working precision above the problem's (default
 * prec + 64 bits) with a local tolerance 2^-(prec + 24), on a copy of the
 * problem rebuilt from its exact values; results are rounded once to the
 * caller's precision.
 * References: Hairer, Norsett, Wanner I, II.9 (extrapolation) and I.14
 * (variational equations); Cao, Li, Petzold, Serban (2003) (adjoint
 * sensitivity); Chen et al. (2018), appendix B.
 */
#ifndef ADJVERIFY_REFERENCE_H
#define ADJVERIFY_REFERENCE_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../problems/problem.h"
#include "grad.h"

typedef struct {
    mpfr_prec_t wprec;   /* working precision, bits */
    long bits;           /* local extrapolation tolerance 2^-bits */
    int levels;          /* extrapolation levels per step */
    long panels;         /* route 2: equal panels of [0, T] */
    int grade;           /* route 2: geometric cuts of the first panel */
    int nodes;           /* route 2: Gauss-Legendre nodes per panel */
    /* +1 for the adjoint ODE a' = -J^T a; -1 integrates a' = +J^T a, a
     * deliberately wrong adjoint that lets a test show E2 and E3 flip. */
    int adjoint_sign;
    /* route 1 only: 1 solves the rescaled problem z' = T f(z, T s) on
     * s in [0, 1] instead of z' = f on [0, T] (the essay's section 4). */
    int rescale;
} ref_opts;

/* Defaults for results wanted at PREC bits: wprec = prec + 64, bits =
 * prec + 24, levels from gbs_levels_for_bits, 8 panels with 6 geometric
 * cuts, max(8, bits / 8) nodes per panel, adjoint_sign = +1, rescale = 0. */
void ref_opts_default(ref_opts *o, mpfr_prec_t prec);

/* Route 1.  Fills G (L, zT, dtheta, dz0 at G's precision, which must be the
 * problem's); EST (one number, may be NULL) receives the error estimate:
 * the sum of the local extrapolation estimates of the sensitivity system
 * times max(1, |dL/dz(T)|_1), plus one unit in the last place of the
 * largest output.  G and EST are untouched on failure. */
int ref_gradient_sens(grad_result_t g, mpfr_ptr est, const problem_t p,
                      const ref_opts *o, averr_t err);

/* Route 2.  Fills G as route 1 does (dtheta from the quadrature, dz0 =
 * a(0)) and GODE (ntheta values, may be NULL) with g(0), the same integral
 * as the ODE component g.  EST (may be NULL) as route 1, for the [z, a, g]
 * system. */
int ref_gradient_adjoint(grad_result_t g, mpfr_ptr gode, mpfr_ptr est,
                         const problem_t p, const ref_opts *o, averr_t err);

/* dL/dz(t) at the N times TS (ascending, in [0, T]) computed without the
 * adjoint ODE: z(t) forward from 0, then Phi(T, t) = dz(T)/dz(t) by the
 * variational equation from t to T, and dL/dz(t) = Phi^T dL/dz(T).  LAM
 * receives N * d values (row i for TS[i]); ZS (may be NULL) N * d values of
 * z(t). */
int ref_dldz_at(mpfr_ptr lam, mpfr_ptr zs, mpfr_srcptr ts, size_t n,
                const problem_t p, const ref_opts *o, averr_t err);

/* a(t) at the N times TS (ascending, in [0, T]) from the adjoint ODE of
 * route 2 (with O's adjoint_sign).  A receives N * d values. */
int ref_adjoint_at(mpfr_ptr a, mpfr_srcptr ts, size_t n, const problem_t p,
                   const ref_opts *o, averr_t err);

/* The `reference` method of grad_compute: route 1 with the defaults for
 * the problem's precision. */
int reference_gradient(grad_result_t g, const problem_t p, averr_t err);

#endif
