/* lagrangian_impl: internal to the lagrangian module (lagrangian*.c): the
 * layout of a state's scratch, building a state, and the sums and
 * evaluations the steps share.
 */
#ifndef ADJVERIFY_LAGRANGIAN_IMPL_H
#define ADJVERIFY_LAGRANGIAN_IMPL_H

#include "lagrangian.h"

/* Largest state width and parameter count the derivation supports: every
 * step's rows then fit in LAG_MAX_ROWS. */
#define LAG_MAX_N 4
#define LAG_MAX_NP 4

/* Named slices of a state's scratch block s->sc. */
typedef struct {
    mpfr_ptr work;                 /* nwork, for the model callbacks */
    mpfr_ptr h, hx, hxd, hp, dthxd, g, gx0, gp, f, fx, fp;
    mpfr_ptr lam, lamd, x, xd, xdd; /* n each: lambda and a shifted x */
    mpfr_ptr lin;                  /* n x np: linearised constraint */
    mpfr_ptr bnd;                  /* np: boundary term */
    mpfr_ptr adl, adr;             /* n each: the adjoint equation's sides */
    mpfr_ptr tmp;                  /* 8; tmp[7] is lag_lambda_eval's */
} lag_sc;

size_t lag_sc_size(int n, int np, int nwork);
void lag_sc_map(lag_sc *m, const lag_state_struct *s);

/* What lag_state_build solves for besides x. */
enum {
    LAG_BUILD_SENS = 1,     /* x_p, x'_p and the forward-sensitivity gradient */
    LAG_BUILD_ADJ = 2,      /* lambda, u and the adjoint gradient */
    LAG_BUILD_DERIVS = 4    /* x', x'' (and lambda'): needed for h and Loss */
};

/* Builds S from SRC at O->prec.  KEEP_P: use SRC's current (perhaps
 * perturbed) parameter values rather than its exact ones.  FLAGS: an OR
 * of LAG_BUILD_*; with LAG_BUILD_SENS the Taylor running cost F_series is
 * formed too. */
int lag_state_build(lag_state_t s, const impl_problem_t src, const lag_opts *o,
                    int keep_p, int flags, averr_t err);

/* Parameters of SRC that differ from the rounding of their exact values
 * (a perturbation) are copied into P; the others stay exact at P->prec. */
void lag_copy_current(impl_problem_t P, const impl_problem_t src);

/* OUT[c] = sum_j w_j s->vals[j M + c], c < M (M <= 2 np + 2). */
void lag_sum(mpfr_ptr out, lag_state_t s, size_t m);

/* D, DD, DDD = delta, delta', delta'' of the perturbations of x used off
 * the solution: 0 for D = 0, (1 + t)/10 for D = 1, sin(2t)/5 + 1/7 for
 * D = 2. */
void lag_delta(mpfr_ptr d, mpfr_ptr dd, mpfr_ptr ddd, int D, mpfr_srcptr t);

/* Fills PT and the scratch so that PT is sample J of S with x replaced by
 * x + delta_D (delta as lag_delta; D = 0 leaves x as solved). */
void lag_point(impl_point *pt, lag_sc *m, const lag_state_struct *s, size_t j,
               int D);

/* Calls model callback FN at PT into OUT with S's work space. */
int lag_call(impl_fn fn, mpfr_ptr out, const impl_point *pt, lag_state_t s,
             lag_sc *m);

/* LOSS = int (f + lambda^T h) dt + u^T g, F = int f dt and CTERM = Loss - F
 * = int lambda^T h dt + u^T g (summed apart, without cancellation) on the
 * trajectory x + delta_D, lambda WHICH (may be the adjoint), multiplier U
 * (n).  Any output may be NULL; without LOSS and CTERM, WHICH and U are
 * not read. */
int lag_loss(mpfr_ptr loss, mpfr_ptr F, mpfr_ptr cterm, lag_state_t s,
             lag_lambda which, mpfr_srcptr u, int D, averr_t err);

/* M->bnd (np) = lambda^T h_x' x_p at sample J (lambda WHICH); calls
 * lag_eval_derivs and lag_lambda_eval there first. */
int lag_boundary(lag_state_t s, lag_sc *m, lag_lambda which, size_t j);

/* M->adl = d/dt(lambda^T h_x') = lambda'^T h_x' + lambda^T d/dt(h_x') and
 * M->adr = f_x + lambda^T h_x (n each), from M's derivatives and lambda. */
void lag_adjoint_terms(lag_state_t s, lag_sc *m);

/* Fills M's hx, hxd, hp, dthxd, fx, fp at PT. */
int lag_eval_derivs(lag_state_t s, lag_sc *m, const impl_point *pt);

/* Starts step ST (clears its rows). */
void lag_step_begin(lag_step_t st, int step, const char *title,
                    const char *func);
/* Appends a row labelled by the printf-style FMT and returns it (NULL
 * when the step is full, which the callers' fixed row counts exclude). */
lag_row *lag_step_add(lag_step_t st, int contrast, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Sets every row's diff = left - right. */
void lag_step_finish(lag_step_t st);

/* A block of N_ copies of the rational A/B at PREC (the arbitrary
 * multipliers u the steps try), or NULL with ERR set. */
mpfr_ptr lag_constant(size_t n, long a, long b, mpfr_prec_t prec, averr_t err);

#endif
