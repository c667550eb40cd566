/* sens: the forward sensitivity S = dz/dtheta of a problem, the correct
 * form of the essay's section 2.3 step.  Differentiating z' = f(z, t;
 * theta) in theta gives the sensitivity equation
 *     S' = (df/dz) S + df/dtheta,   S(0) = 0   (d x ntheta),
 * and by variation of constants S(T) = int_0^T Phi(T, t) df/dtheta dt with
 * Phi the state transition matrix.  The essay's integrand (dz(t)/dtheta)
 * (df/dtheta) multiplies two d x ntheta matrices, undefined unless
 * ntheta = d, and wrong even then (P3).
 * References: Hairer, Norsett, Wanner I.14 (variational equations);
 * Griewank and Walther (2008) ch. 3.
 */
#ifndef ADJVERIFY_SENS_H
#define ADJVERIFY_SENS_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../schemes/tableau.h"
#include "../problems/problem.h"

/* Integrates [z, S] from 0 to p->T with tableau TAB in N uniform steps (the
 * augmented system, d (1 + ntheta) equations, through rk_solve): ZT (d)
 * receives z(T), S (d x ntheta, row-major: S[i * ntheta + j] = dz_i(T) /
 * dtheta_j) the sensitivity.  For an RK method this is also the exact
 * derivative of the discrete map z0 -> z_N (differentiation and RK
 * discretisation commute), which is what sens_fd checks.  Needs the
 * model's jvp_z and jvp_theta (AV_EINPUT naming the model otherwise).
 * Precision of P.  Outputs untouched on failure. */
int sens_solve(mpfr_ptr zT, mpfr_ptr S, const problem_t p, const tableau_t tab,
               long N, averr_t err);

/* S (d x ntheta, row-major) = dz_N/dtheta of the discrete map (TAB, N) by
 * central differences at doubled precision: row i is the gradient of the
 * linear loss e_i . z(T) computed by fd_gradient.  Precision of P. */
int sens_fd(mpfr_ptr S, const problem_t p, const tableau_t tab, long N,
            averr_t err);

/* The chain-rule step dL/dtheta = dL/dz(T) dz(T)/dtheta, checked on the
 * discrete map (TAB, N): returns the digits (capped at mpnum_max_digits
 * of P's precision) to which dL/dz(T) S, S from sens_solve, agrees with
 * the gradient of L by central differences at doubled precision
 * (fd_gradient), or a negative code. */
long sens_check_chain(const problem_t p, const tableau_t tab, long N,
                      averr_t err);

/* ---- problem P3, z' = theta z, z(0) = 1: everything in closed form ---- */

/* The two integrands of section 2.3 on P3, at time t:
 *   SENS_ESSAY       (dz(t)/dtheta)(df/dtheta) = t e^(theta t) e^(theta t)
 *   SENS_TRANSITION  Phi(T, t) df/dtheta       = e^(theta (T - t)) e^(theta t) */
typedef enum { SENS_ESSAY = 0, SENS_TRANSITION } sens_form;

const char *sens_form_name(sens_form f);

/* OUT = dz(T)/dtheta = T e^(theta T) (the left side), precision of OUT. */
void sens_scalar_lhs(mpfr_t out, mpfr_srcptr theta, mpfr_srcptr T);

/* OUT = d/dtheta e^(theta T) by a central difference at doubled precision:
 * an independent route to the left side. */
void sens_scalar_lhs_fd(mpfr_t out, mpfr_srcptr theta, mpfr_srcptr T);

/* OUT = int_0^T of the integrand FORM in closed form:
 *   SENS_ESSAY:      (e^(2 theta T)(2 theta T - 1) + 1) / (4 theta^2),
 *                    T^2 / 2 when theta = 0;
 *   SENS_TRANSITION: T e^(theta T). */
void sens_scalar_rhs(mpfr_t out, sens_form form, mpfr_srcptr theta,
                     mpfr_srcptr T);

/* OUT = the same integral by Gauss-Legendre quadrature with NODES nodes on
 * one panel (the integrands are entire), at the precision of OUT. */
int sens_scalar_rhs_quad(mpfr_t out, sens_form form, mpfr_srcptr theta,
                         mpfr_srcptr T, int nodes, averr_t err);

/* Residual of S(t) = t e^(theta t) in the sensitivity equation S' = theta S
 * + z at time t, with the exact derivative S' = (1 + theta t) e^(theta t):
 * OUT = S' - theta S - z, relative to |S'| (zero to working precision). */
void sens_scalar_residual(mpfr_t out, mpfr_srcptr theta, mpfr_srcptr t);

/* Everything the section 2.3 check measures on P3 for one integrand form,
 * at the precision PREC. */
typedef struct {
    long lhs_routes;    /* digits: closed-form LHS vs its central difference */
    long rhs_routes;    /* digits: closed-form RHS vs quadrature */
    long rhs_vs_lhs;    /* digits: RHS (closed form) vs LHS */
    long resid_digits;  /* digits to which the sensitivity-equation residual
                           of t e^(theta t) vanishes (min over 5 times) */
} sens_scalar_cmp;

/* Fills C for FORM on P3 with THETA and T at precision PREC; VALS (3
 * numbers, any precision, may be NULL) receives LHS, RHS closed form, RHS
 * by quadrature.  Quadrature nodes: prec / 8 + 16. */
int sens_scalar_compare(sens_scalar_cmp *c, mpfr_ptr vals, sens_form form,
                        mpfr_srcptr theta, mpfr_srcptr T, mpfr_prec_t prec,
                        averr_t err);

#endif
