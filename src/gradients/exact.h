/* exact: forward pass, backprop and adjoints in exact rationals (GMP mpq),
 * for polynomial models (f_q, vjp_z_q, vjp_theta_q: lotka, linear, scalar)
 * and rational tableaux, for a few steps.
 *
 * With a rational tableau and the rational step h = T / N every stage is a
 * rational number, so the claim "backprop equals the partner-scheme
 * adjoint" can be checked as an identity of rationals (difference exactly
 * 0) instead of up to rounding.  Implicit tableaux are allowed when the
 * stage equations are affine in the unknowns (the linear model): they are
 * solved by rational Gaussian elimination and the solution is checked to
 * satisfy the stage equations exactly; a nonlinear stage system is an
 * AV_EINPUT error.  Sizes grow fast (through 4 explicit stages a degree-2
 * field makes z_{n+1} a polynomial of degree 16 in z_n, so the digits grow
 * at least about 16-fold per step), hence the limit EXACT_MAX_DIGITS on the
 * state entering a step; tables/exact_rational_equality.md shows the sizes.
 * References: Hager (2000); Sanz-Serna (2016), SIAM Review 58(1);
 * Chen et al. (2018) for backsolve.
 */
#ifndef ADJVERIFY_EXACT_H
#define ADJVERIFY_EXACT_H

#include <stddef.h>
#include <gmp.h>
#include "../numbers/averr.h"
#include "../schemes/tableau.h"
#include "../problems/problem.h"

/* Largest step count accepted by the exact routines. */
#define EXACT_MAX_STEPS 64
/* A step whose input state has a numerator or denominator of more decimal
 * digits than this is refused (AV_EINPUT), before the step: the step's cost
 * grows faster than its input (backsolve of lotka with rk4 and N = 3, which
 * this refuses, ends with gradients of millions of digits). */
#define EXACT_MAX_DIGITS 20000

typedef enum {
    EXACT_BP = 0,     /* reverse mode through the rational RK map */
    EXACT_PARTNER,    /* adjoint with the partner abar on the stored stages */
    EXACT_SAME,       /* the same, with abar = a (the forward tableau itself) */
    EXACT_BACKSOLVE,  /* [z, a] integrated back from (z_N, dL/dz_N) with the
                         same tableau and step -h; dtheta by its quadrature */
    EXACT_INTERP,     /* a' = -J(z(t))^T a back with the same tableau, z(t) by
                         cubic Hermite interpolation of the stored grid */
    EXACT_NMETHODS
} exact_method;

typedef struct {
    int d, ntheta;
    mpq_t L;
    mpq_t *zT;       /* d */
    mpq_t *dtheta;   /* ntheta, theta order */
    mpq_t *dz0;      /* d */
    mpq_t *block;    /* the 2 d + ntheta numbers above */
} exact_result_struct;
typedef exact_result_struct exact_result_t[1];

/* Initialises R for problem P (all zero); AV_ESYS when memory is short. */
int exact_result_init(exact_result_t r, const problem_t p, averr_t err);
void exact_result_clear(exact_result_t r);

/* The largest numbers of decimal digits of a numerator (*NUM) and of a
 * denominator (*DEN) among the gradient values dtheta and dz0 of R. */
void exact_result_size(size_t *num, size_t *den, const exact_result_t r);

/* MAXDIFF = max |a - b| over dtheta and dz0 (exact).  Returns 1 when every
 * component is identical, else 0. */
int exact_result_diff(mpq_t maxdiff, const exact_result_t a,
                      const exact_result_t b);

/* Names: "bp", "partner", "same", "backsolve", "interp"; lookup is
 * AV_EINPUT for an unknown name, listing the known ones. */
const char *exact_method_name(exact_method m);
int exact_method_lookup(exact_method *m, const char *name, averr_t err);

/* Checks that P and TAB can be carried exactly with N steps: a model with
 * exact products, an exact tableau, 1 <= N <= EXACT_MAX_STEPS; AV_EINPUT
 * naming what is missing. */
int exact_supported(const problem_t p, const tableau_t tab, long N, averr_t err);

/* The gradient of P with TAB and N uniform steps by METHOD, every operation
 * exact.  R must come from exact_result_init for P; it is untouched on
 * failure.  AV_EINPUT for an unsupported combination (exact_supported, no
 * partner when some b_i = 0, a nonlinear implicit stage system). */
int exact_gradient(exact_result_t r, const problem_t p, const tableau_t tab,
                   long N, exact_method method, averr_t err);

/* The partner-form adjoint with the given stage coefficients ABAR (s*s
 * exact, row-major) instead of the partner's: used to show that changing
 * one coefficient breaks the identity with backprop. */
int exact_partner_coef(exact_result_t r, const problem_t p, const tableau_t tab,
                       long N, const mpq_t *Abar, averr_t err);

#endif
