/* claims_notes: checks of the lecture notes' claims N1 to N8 (seed 001) on
 * P7 `notes`, the step table that `adjverify derive notes` prints, and the
 * tables lagrangian_steps and newton_vs_gradient.  The mathematics lives
 * in src/gradients/lagrangian*.c; here are the verdicts and the tables.
 */
#ifndef ADJVERIFY_CLAIMS_NOTES_H
#define ADJVERIFY_CLAIMS_NOTES_H

#include "claim.h"
#include "../gradients/lagrangian.h"

/* Correct digits a step must reach at PREC bits: the digits PREC supports
 * less 6 (a few digits go to rounding in sums over ~10^3 nodes and
 * Taylor recurrences of ~10^2 terms).  71 at 256 bits, 32 at 128. */
long notes_need_digits(mpfr_prec_t prec);

/* The verdict of a claim resting on steps of the derivation: VERIFIED
 * when the sides agree to NEED digits (DIGITS, the minimum over the
 * steps' rows) and every counter-example row stays far from agreeing
 * (CONTRAST < NEED; -1 when there is none); REFUTED otherwise. */
verdict_t notes_decide_steps(long digits, long contrast, long need);

/* N3: as notes_decide_steps, and the precision sweep must show equality up
 * to rounding: SWEEP_OK is 1 when |Loss - F| at each of the sweep's
 * precisions stays within 2^-(p - 8) |F|. */
verdict_t n3_decide(long digits, long contrast, int sweep_ok, long need);

/* N7: the adjoint gradient against forward sensitivities (SENS digits) and
 * against central differences at doubled precision (FD digits), the
 * adjoint equation's residual (RESID digits), and the same derivation on
 * P1 with h = x' - f against the essay's formula (REDUCE digits):
 * VERIFIED when all reach NEED, REFUTED otherwise. */
verdict_t n7_decide(long sens, long fd, long resid, long reduce, long need);

/* N8 from Newton's and gradient descent's runs: VERIFIED when Newton from
 * the notes' parameters converges to a minimum (NEWTON_CONV and no
 * negative Hessian eigenvalue, NEWTON_NEG = 0); QUALIFIED when it
 * converges elsewhere (a saddle) but Newton from inside the minimum's
 * basin converges to it (HYBRID_CONV, HYBRID_NEG = 0); REFUTED when no
 * Newton run reaches a minimum. */
verdict_t n8_decide(int newton_conv, int newton_neg, int hybrid_conv,
                    int hybrid_neg);

/* Runs steps FIRST..LAST (numbers of lag_steps) on S and fills T (which
 * this initialises) with one row per step row: step, check, quantity, left
 * side, right side, difference, digits, printed with DIGITS significant
 * digits; the steps' equations go in the notes.  *MIN_DIGITS and
 * *CONTRAST (either may be NULL) receive the minimum agreement and the
 * largest counter-example agreement over the rows.  On failure T is
 * cleared. */
int notes_steps_table(table_t t, lag_state_t s, int first, int last,
                      int digits, long *min_digits, long *contrast,
                      averr_t err);

/* Bit k set for each step k of FIRST..LAST that does not hold on S
 * (notes_decide_steps at notes_need_digits), 0 when all hold; a negative
 * code with ERR set when a step cannot be computed. */
long notes_failing_steps(lag_state_t s, int first, int last, averr_t err);

/* Builds P7 at PREC and solves it into S (lag_state_init) with VARIANT,
 * with the central differences of F when WANT_FD.  On failure S needs no
 * clearing. */
int notes_state_init(lag_state_t s, mpfr_prec_t prec, lag_variant variant,
                     int want_fd, averr_t err);

/* *S = P7 solved at O's precision with central differences (LAG_EXACT):
 * the one in O->ctx, solved there on first use, or, without a context, a
 * new one.  Checks may use its scratch but change nothing else.  Give it
 * back with notes_state_release (which frees only one of its own). */
int notes_state_get(lag_state_struct **s, const claim_opts *o, averr_t err);
void notes_state_release(lag_state_struct *s, const claim_opts *o);

/* *S as notes_state_get, and R's detail filled with the table of steps
 * FIRST..LAST; *D and *C as notes_steps_table.  On failure *S needs no
 * release. */
int notes_claim_steps(claim_result *r, lag_state_struct **s,
                      const claim_opts *o, int first, int last, long *d,
                      long *c, averr_t err);

/* Initialises ST and runs the step FN on S into it; on failure ST needs no
 * clearing. */
int notes_run_step(lag_step_t st, lag_state_t s, lag_check_fn fn, averr_t err);

/* The reduction to the essay's adjoint (h = x' - f on P1), in digits of
 * agreement of the notes' general adjoint gradient with: the essay's
 * formula (ESSAY), forward sensitivities (SENS), dL/dz(0) against
 * -lambda(0) (LAM), backprop through rk4 at the largest N (BP_DIGITS,
 * last observed ORDER); and the general solver against the Taylor
 * adjoint on P7 (P7). */
typedef struct {
    long essay, sens, lam, bp_digits, p7;
    double order;
} notes_reduction;

/* Fills OUT[0] (the gradient three ways) and OUT[1] (backprop's limit),
 * *N = 2, and EV, at PREC bits.  P7 (may be NULL: solved here) is P7's
 * Taylor solution at PREC, whose adjoint gradient EV->p7 is measured
 * against.  On failure no table is left initialised. */
int notes_reduction_tables(table_t *out, int *n, notes_reduction *ev,
                           const lag_state_struct *p7, mpfr_prec_t prec,
                           int digits, averr_t err);
/* notes_reduction_tables with P1's reference gradients taken from the
 * run's cache C (may be NULL: computed here; see claims_refcache.h). */
int notes_reduction_tables_ctx(table_t *out, int *n, notes_reduction *ev,
                               const lag_state_struct *p7, claim_ctx *c,
                               mpfr_prec_t prec, int digits, averr_t err);

/* Newton against gradient descent on F(p) (claim N8). */
typedef struct {
    lag_iter_t newton;    /* Newton from the notes' p */
    lag_iter_t descent;   /* gradient descent from the notes' p */
    lag_iter_t hybrid;    /* Newton from descent iterate NOTES_HYBRID_START */
    mpfr_ptr alpha;       /* the descent step (lag_descent_step) */
    mpfr_ptr tol;         /* convergence: |grad F|_max <= tol */
    mpfr_ptr F_far;       /* F at the hybrid limit with p2 = -40 */
    mpfr_ptr block;
    int newton_neg, hybrid_neg;   /* negative Hessian eigenvalues */
} notes_newton;

#define NOTES_NEWTON_MAXIT 14
#define NOTES_DESCENT_MAXIT 64
#define NOTES_HYBRID_START 16

/* N8 and its table run at the smaller of the working precision and
 * NOTES_NEWTON_PREC bits: they compare how the iterations converge
 * (quadratically to 2^-(7 prec/8), or linearly) and which point each
 * reaches, which 128 bits resolve; more bits only lengthen the runs. */
#define NOTES_NEWTON_PREC 128
mpfr_prec_t notes_newton_prec(mpfr_prec_t prec);

/* Runs the three iterations at PREC bits (tolerance 2^-(7 prec / 8)) and
 * F with p2 = -40; on failure NN needs no clearing.  notes_newton_clear
 * frees a run. */
int notes_newton_run(notes_newton *nn, mpfr_prec_t prec, averr_t err);
void notes_newton_clear(notes_newton *nn);

/* The two tables of N8: iterations side by side, and the points reached
 * (p, F, Hessian eigenvalues, cost per iteration).  OUT[0..1] are
 * initialised here. */
void notes_newton_tables(table_t *out, const notes_newton *nn, int digits);

#endif
