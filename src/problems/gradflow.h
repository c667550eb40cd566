/* gradflow: the gradient flow d theta/dt = -eta dL/dtheta of a monomial loss
 * L = c theta^k (k >= 2 integer, c > 0 rational), its closed-form solutions,
 * an independent Taylor-series solution to any number of digits, and
 * gradient descent theta_{n+1} = theta_n - alpha dL/dtheta against the flow.
 *
 * Problem P4 of the canonical list is c = 1/2, k = 4, eta = 1/10,
 * theta(0) = 2 (the essay's section 2.5).  Closed forms are the power family
 * theta0 (1 + beta theta0^m t)^(-1/m) (m >= 1) and theta0 exp(-beta t)
 * (m = 0); the derived solution has m = k - 2, the essay's m = 2, beta =
 * 6 eta.  References: Hairer, Norsett, Wanner I.8 (Taylor series methods);
 * Jorba and Zou (2005) for the step size from the last coefficients.
 */
#ifndef ADJVERIFY_GRADFLOW_H
#define ADJVERIFY_GRADFLOW_H

#include <gmp.h>
#include <mpfr.h>
#include "../numbers/averr.h"

/* Largest exponent k accepted (keeps theta^(k-1) and the Taylor
 * recurrences of a sensible size). */
#define GFLOW_K_MAX 64

/* One flow: exact parameters and their roundings at PREC. */
typedef struct {
    int k;                 /* L = c theta^k */
    mpq_t c, eta, theta0;  /* exact, c > 0, eta > 0 */
    mpq_t ck;              /* c k: dL/dtheta = ck theta^(k-1) */
    mpq_t a;               /* eta c k: d theta/dt = -a theta^(k-1) */
    mpfr_t theta0m;        /* theta0 rounded to PREC */
    mpfr_prec_t prec;
} gflow_struct;
typedef gflow_struct gflow_t[1];

/* Builds the flow of L = C theta^K with learning rate ETA from THETA0 at
 * PREC bits (values copied).  AV_EINPUT when K is outside [2, GFLOW_K_MAX],
 * C <= 0, ETA <= 0 or PREC outside [MPV_PREC_MIN, MPV_PREC_MAX]; G is then
 * left uninitialised (do not clear it). */
int gflow_init(gflow_t g, const mpq_t c, int k, const mpq_t eta,
               const mpq_t theta0, mpfr_prec_t prec, averr_t err);

/* Builds problem P4 (c = 1/2, k = 4, eta = 1/10, theta0 = 2) from its
 * exact values written as text and parsed. */
int gflow_init_p4(gflow_t g, mpfr_prec_t prec, averr_t err);

void gflow_clear(gflow_t g);

/* L(theta) = c theta^k and dL/dtheta = c k theta^(k-1), rounded to the
 * precision of OUT; THETA may alias OUT. */
void gflow_loss(mpfr_t out, mpfr_srcptr theta, const gflow_t g);
void gflow_grad(mpfr_t out, mpfr_srcptr theta, const gflow_t g);

/* Digits to which a central difference of L at doubled precision (step
 * about 2^(-2 prec/3) max(1, |theta|)) agrees with gflow_grad at THETA:
 * the check that the flow's right-hand side is -eta times the true
 * derivative.  Returns the digits (capped at mpnum_max_digits(prec)), or a
 * negative code with ERR set. */
long gflow_check_grad(const gflow_t g, mpfr_srcptr theta, averr_t err);

/* A closed form of the power family (see the file comment). */
typedef struct {
    int m;        /* 0: exponential; >= 1: power -1/m */
    mpq_t beta;   /* rate, exact */
} gflow_form_struct;
typedef gflow_form_struct gflow_form_t[1];

void gflow_form_init(gflow_form_t f);   /* m = 0, beta = 0 */
void gflow_form_clear(gflow_form_t f);
/* Sets F to (M, BETA); M >= 0. */
void gflow_form_set(gflow_form_t f, int m, const mpq_t beta);
/* The solution derived by separation of variables: m = k - 2 and
 * beta = m eta c k (k > 2), or m = 0 and beta = eta c k (k = 2). */
void gflow_form_derived(gflow_form_t f, const gflow_t g);
/* The essay's formula theta0 (1 + 6 eta theta0^2 t)^(-1/2). */
void gflow_form_essay(gflow_form_t f, const gflow_t g);
/* Writes the formula as text ("theta0 (1 + 4/10 theta0^2 t)^(-1/2)"). */
void gflow_form_describe(char *buf, size_t size, const gflow_form_t f);

/* THETA = the closed form at time T and DTHETA its exact derivative in t
 * (analytic, not a difference quotient), both at the precision of THETA
 * (DTHETA may be NULL).  AV_EINPUT when t < 0 or when 1 + beta theta0^m t
 * <= 0 (t at or past the blow-up time of a flow that leaves to infinity);
 * outputs untouched then. */
int gflow_form_eval(mpfr_t theta, mpfr_t dtheta, const gflow_form_t f,
                    const gflow_t g, mpfr_srcptr t, averr_t err);

/* RES = theta'(t) + eta dL/dtheta(theta(t)) for the closed form F: zero
 * when F solves the flow.  REL (may be NULL) = |RES| / |eta dL/dtheta|, or
 * |RES| when that is zero.  Precision of RES.  Errors as gflow_form_eval. */
int gflow_residual(mpfr_t res, mpfr_t rel, const gflow_form_t f,
                   const gflow_t g, mpfr_srcptr t, averr_t err);

/* ACOEF = -theta'(t) / theta(t)^(m+1) for the closed form F, computed from
 * its value and exact derivative: the formula solves theta' = -ACOEF
 * theta^(m+1), the flow of L = (ACOEF / (eta (m+2))) theta^(m+2) at rate
 * eta.  AV_EINPUT when theta0 = 0 (no information) or as gflow_form_eval. */
int gflow_solved_coeff(mpfr_t acoef, const gflow_form_t f, const gflow_t g,
                       mpfr_srcptr t, averr_t err);

/* Compares the closed form F with reference values REFS (N numbers, from
 * gflow_reference at the times TS): *REF_DIGITS = the least number of
 * digits to which F agrees with REFS, *RESID_DIGITS = the least number to
 * which theta'(t) agrees with -eta dL/dtheta(theta(t)) (the residual as
 * digits), both capped at mpnum_max_digits(g->prec).  Errors as
 * gflow_form_eval. */
int gflow_form_compare(long *ref_digits, long *resid_digits,
                       const gflow_form_t f, const gflow_t g, mpfr_srcptr ts,
                       mpfr_srcptr refs, int n, averr_t err);

/* The finite escape time of the flow: for k odd and theta0 < 0 the loss is
 * unbounded below and theta^(-m) = theta0^(-m) + m a t (m = k - 2) reaches
 * 0 at t* = -1 / (m a theta0^m).  Sets TSTAR and returns 1 then; returns 0
 * (TSTAR = 0) when the flow exists for all t >= 0. */
int gflow_blowup_time(mpq_t tstar, const gflow_t g);

/* Numerical solution of the flow by Taylor series: OUT[i] = theta(TS[i])
 * for the N >= 1 times TS (>= 0, any order; one pass through them in
 * increasing order), with ORDER terms per step (ORDER >= 8) and working
 * precision WPREC; the step is the largest for which the last two terms
 * stay below 2^(-WPREC - 8) |theta|.  *NSTEPS (may be NULL) receives the
 * steps taken.  Independent of the closed forms.  AV_EINPUT when a time is
 * negative or at or past the blow-up time (gflow_blowup_time); AV_ENUM
 * when more than 10^5 steps are needed; AV_ESYS when memory is short.
 * OUT is unspecified on failure. */
int gflow_taylor(mpfr_ptr out, long *nsteps, const gflow_t g, mpfr_srcptr ts,
                 int n, int order, mpfr_prec_t wprec, averr_t err);

/* The reference solution at the N times TS: two Taylor solves with
 * different orders and precisions (prec/3 + 24 terms at prec + 32 bits, and
 * 16 more terms at prec + 64 bits); OUT[i] = the second rounded to OUT's
 * precision, ERREST[i] (ERREST may be NULL) = |first - second|, an upper
 * estimate of the first one's error and so of OUT's.  Errors as
 * gflow_taylor. */
int gflow_reference(mpfr_ptr out, mpfr_ptr errest, const gflow_t g,
                    mpfr_srcptr ts, int n, averr_t err);

/* The terms per step ORDER[i] and working precisions WPREC[i] of the two
 * solves gflow_reference makes for a flow at PREC bits. */
void gflow_reference_setup(int order[2], mpfr_prec_t wprec[2],
                           mpfr_prec_t prec);

/* The invariant of the separated equation, theta(t)^(-m) - m a t (m =
 * k - 2 >= 1) or log|theta(t)| + a t (k = 2), evaluated on the reference
 * solution at T and at 0: returns the digits to which the two agree (the
 * check of the integration step of the derivation), or a negative code. */
long gflow_check_invariant(const gflow_t g, mpfr_srcptr t, averr_t err);

/* Gradient descent: OUT = theta_N with theta_{n+1} = theta_n - ALPHA
 * dL/dtheta(theta_n) from theta0, at the precision of OUT.  AV_ENUM naming
 * the step when |theta_n| exceeds 2^GFLOW_GD_BIG (divergence), OUT then
 * untouched.  ALPHA > 0, N >= 0. */
#define GFLOW_GD_BIG 4096
int gflow_gd(mpfr_t out, const gflow_t g, const mpq_t alpha, long N,
             averr_t err);

/* The exact first-step threshold: theta_1 = theta0 (1 - alpha ck
 * theta0^(k-2)), so |theta_1| < |theta_0| iff 0 < alpha ck theta0^(k-2) < 2.
 * Sets ALPHA_STAR = 2 / (ck theta0^(k-2)) and returns 1 when theta0^(k-2) >
 * 0; returns 0 (ALPHA_STAR = 0) when no step size decreases |theta|
 * (theta0 = 0, or k odd and theta0 < 0). */
int gflow_gd_threshold(mpq_t alpha_star, const gflow_t g);

/* What an orbit of gradient descent does. */
typedef enum {
    GFLOW_GD_MONOTONE = 0,   /* |theta| falls, no sign change */
    GFLOW_GD_OSCILLATING,    /* |theta| falls, the sign alternates */
    GFLOW_GD_CYCLE,          /* |theta| constant (theta -> -theta) */
    GFLOW_GD_DIVERGING,      /* |theta| grows */
    GFLOW_GD_STUCK           /* theta0 = 0 */
} gflow_gd_kind;

const char *gflow_gd_kind_name(gflow_gd_kind k);

typedef struct {
    gflow_gd_kind kind;
    long steps;          /* steps run */
    long sign_changes;
    long diverged_at;    /* first n with |theta_n| > 2^GFLOW_GD_BIG, or -1 */
} gflow_gd_orbit;

/* Runs N steps with ALPHA at the precision of the SNAP numbers and
 * classifies the orbit; SNAP[i] (NSNAP numbers, may be 0) receives
 * theta_{STEPS[i]}, or 0 when the orbit diverged at or before that step
 * (STEPS[i] >= o->diverged_at >= 0).  The orbit stops at divergence. */
int gflow_gd_orbit_run(gflow_gd_orbit *o, mpfr_ptr snap, const long *steps,
                       int nsnap, const gflow_t g, const mpq_t alpha, long N,
                       averr_t err);

/* Gradient descent against the flow at the flow time TEND (exact): for
 * each NS[j] steps, alpha_j = eta TEND / NS[j], VALS[j] (may be NULL) =
 * theta_GD after NS[j] steps and ERRS[j] = |theta_GD - theta_ref(TEND)|
 * with the reference solution, which REF (may be NULL) receives;
 * ORDERS[j] (j >= 1) = log(ERRS[j-1] / ERRS[j]) / log(NS[j] / NS[j-1]),
 * ORDERS[0] = 0 (no pair), and 0 when an error is exactly zero.  Arrays of N numbers (any precision: computed at g's).
 * NS increasing and positive. */
int gflow_gd_study(mpfr_ptr vals, mpfr_ptr errs, mpfr_ptr orders,
                   mpfr_ptr ref, const gflow_t g, const mpq_t tend,
                   const long *ns, int n, averr_t err);

/* Monotonicity of the flow on the sample times TS (N >= 2, increasing,
 * >= 0), from the reference solution: each flag is 1 when the quantity
 * falls strictly between every pair of consecutive samples and its time
 * derivative (from the flow equation) is < 0 at every sample. */
typedef struct {
    int theta_falls;
    int theta_rises;
    int abs_falls;
    int loss_falls;
} gflow_monotone;

int gflow_monotonicity(gflow_monotone *mo, const gflow_t g, mpfr_srcptr ts,
                       int n, averr_t err);

#endif
