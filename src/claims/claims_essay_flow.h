/* claims_essay_flow: the essay's (seed 000) section 2.3 formula (E4) and
 * its gradient-flow example of sections 2.4-2.5 (E5, E6, E7): the decide
 * functions the checks use (exported so the tests can show each verdict
 * flip) and the tables behind them (gradient_flow, gradient_descent_vs_flow,
 * sensitivity_formula), which `adjverify gradflow` prints as well.
 */
#ifndef ADJVERIFY_CLAIMS_ESSAY_FLOW_H
#define ADJVERIFY_CLAIMS_ESSAY_FLOW_H

#include <mpfr.h>
#include "claim.h"
#include "../problems/gradflow.h"

/* Digits a comparison must reach at PREC bits to count as agreement:
 * mpnum_max_digits(prec) - 5, the last few digits left to rounding. */
long essay_flow_required_digits(mpfr_prec_t prec);

/* E4: ESSAY_VS_LHS = digits to which the essay's integral agrees with
 * dz(T)/dtheta on P3; ROUTES = digits to which its two routes (closed form,
 * quadrature) agree.  VERDICT_ERROR when ROUTES < REQUIRED (the integral
 * itself is not established), VERIFIED when ESSAY_VS_LHS >= REQUIRED,
 * REFUTED otherwise. */
verdict_t e4_decide(long essay_vs_lhs, long routes, long required);

/* E5: ORDER = the observed order of gradient descent against the flow at
 * the smallest steps; BELOW_OK = 1 when every step below the threshold
 * gave a converging orbit; ABOVE_DIVERGES = 1 when a step above it gave a
 * diverging one.  VERIFIED when |ORDER - 1| <= 0.1 and BELOW_OK and no
 * step diverged; QUALIFIED when the order holds but some step size
 * diverges (the claim needs the unstated bound on the step); REFUTED when
 * the order is not 1 or a small step fails. */
verdict_t e5_decide(double order, int below_ok, int above_diverges);

/* E6 evidence: digits are minima over the sample times. */
typedef struct {
    long flow_digits;     /* central difference of L vs the stated gradient */
    int flow_matches;     /* the stated flow coefficient and power are c k, k-1 */
    long essay_ref;       /* essay's formula vs the numerical solution */
    long essay_resid;     /* digits to which the essay's residual vanishes */
    long derived_ref;     /* derived formula vs the numerical solution */
    long derived_resid;
    long required;
} e6_evidence;

/* E6: REFUTED when the stated flow is wrong or the essay's formula misses
 * the numerical solution or its residual; VERIFIED when both hold. */
verdict_t e6_decide(const e6_evidence *e);

/* Measures E6 for the closed form ESSAY (the essay's, or any candidate)
 * against flow G at the times TS (N values); the derived formula is
 * measured alongside. */
int e6_measure(e6_evidence *e, const gflow_form_t essay, const gflow_t g,
               mpfr_srcptr ts, int n, averr_t err);

/* E7's measures for one theta(0): monotonicity on P4's times and the
 * exponent p of L(t) ~ t^p between t = 100 and t = 1000. */
typedef struct {
    gflow_monotone mono;
    double loss_exponent;
} e7_evidence;

/* Measures E7 for the flow G. */
int e7_measure(e7_evidence *e, const gflow_t g, averr_t err);

/* E7: POS and NEG are the monotonicity flags for theta(0) > 0 and
 * theta(0) < 0; LOSS_TO_ZERO = 1 when L(t) was measured to fall to 0.
 * VERIFIED when theta falls in both cases and the loss falls to 0;
 * QUALIFIED when the loss and |theta| fall in both but theta itself falls
 * only for one sign; REFUTED otherwise. */
verdict_t e7_decide(const gflow_monotone *pos, const gflow_monotone *neg,
                    int loss_to_zero);

/* The table builders (each initialises T; on failure T is cleared).
 * gradient_flow: for each of the N times TS, the numerical solution and
 * its error estimate, the derived closed form and (k = 4 only) the essay's,
 * each with digits and residual; DIGITS significant digits printed. */
int essay_flow_table_flow(table_t t, const gflow_t g, mpfr_srcptr ts, int n,
                          int digits, averr_t err);

/* What the descent tables measure (E5's evidence). */
typedef struct {
    double order;          /* observed order of the last pair of step counts */
    double order_lo, order_hi;
    int has_threshold;     /* a step size exists below which |theta| falls */
    char alpha_star[96];   /* the exact threshold as a rational */
    int below_ok;          /* every orbit below the threshold converged */
    int above_diverges;    /* an orbit above it diverged */
} e5_evidence;

/* gradient_descent_vs_flow: OUT[0] the error of descent against the flow at
 * flow time TEND for step counts NS (N >= 2 of them) and the observed
 * order; OUT[1] the orbits around the exact first-step threshold (when one
 * exists).  *NOUT tables; EV (may be NULL) receives the measures. */
int essay_flow_table_gd(table_t *out, int *nout, e5_evidence *ev,
                        const gflow_t g, const mpq_t tend, const long *ns,
                        int n, int digits, averr_t err);

/* P4's sample times t in {1/2, 1, 2, 5, 10}, parsed from their exact text
 * and rounded into TS (ESSAY_FLOW_P4_NTIMES numbers). */
#define ESSAY_FLOW_P4_NTIMES 5
int essay_flow_p4_times(mpfr_ptr ts, averr_t err);

/* The descent tables of P4: flow time 2, N = 20, 40, ..., 640 steps, at
 * O's precision and digits. */
int essay_flow_p4_descent(table_t *out, int *nout, e5_evidence *ev,
                          const claim_opts *o, averr_t err);

/* What the sensitivity tables measure (E4's evidence). */
typedef struct {
    long essay_vs_lhs, essay_routes;   /* essay's integral on P3 */
    long corr_vs_lhs, corr_routes;     /* the corrected integral on P3 */
    long lhs_routes, resid_digits;     /* LHS closed vs FD; S' residual */
    double p3_order;                   /* rk4 sensitivity solve on P3 */
    long p1_digits;                    /* P1: sens_solve vs central differences */
    int p1_d, p1_ntheta;               /* shapes of dz/dtheta and df/dtheta */
    long chain_digits;                 /* P1: dL/dz(T) S vs central differences */
    double lhs, essay_rhs;             /* P3 values, for the evidence line */
    long required;
} e4_evidence;

/* sensitivity_formula: OUT[0] both sides of the section 2.3 formula on P3,
 * OUT[1] the sensitivity equation on P3 solved by rk4 against the closed
 * form, OUT[2] the d x ntheta sensitivity of P1 against central
 * differences.  *NOUT = 3.  At PREC bits.  EV may be NULL. */
int essay_flow_table_sens(table_t *out, int *nout, e4_evidence *ev,
                          mpfr_prec_t prec, int digits, averr_t err);

#endif
