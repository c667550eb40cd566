/* lagrangian: the lecture notes' Lagrangian / integration-by-parts
 * derivation of the adjoint for an implicit ODE (seed 001), evaluated step
 * by step on P7 `notes` at the working precision.
 *
 *   Loss = int_0^T [f + lambda^T h] dt + u^T g                        (4)
 *
 * A state (lag_state) holds one solve: the composite Gauss-Legendre rule,
 * the solution x with x', x'', the forward sensitivities x_p, x'_p and the
 * adjoint lambda sampled at t = 0, at every node and at T; F two ways; the
 * gradient by forward sensitivities, by the adjoint, and by central
 * differences of F at doubled precision.  Each step of the derivation is
 * a check function (lag_check_*, numbered as in derivations/lagrangian.md)
 * that fills a lag_step with rows "left side, right side, difference".
 * References: the notes (seed 001); Cao, Li, Petzold and Serban, SIAM J.
 * Sci. Comput. 24 (2003) (adjoints of implicit DAEs); Hager (2000).
 */
#ifndef ADJVERIFY_LAGRANGIAN_H
#define ADJVERIFY_LAGRANGIAN_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../problems/implicit.h"
#include "../integrate/quad.h"

/* How the adjoint gradient is formed: the derivation as it should be, or
 * with one of two classic mistakes that the checks must catch. */
typedef enum {
    LAG_EXACT = 0,
    LAG_SIGN_ERROR,       /* adjoint equation with its right side negated */
    LAG_DROP_BOUNDARY     /* the t = 0 boundary term dropped: u = 0 */
} lag_variant;

typedef struct {
    mpfr_prec_t prec;     /* working precision, bits */
    int nodes;            /* Gauss-Legendre nodes per panel, 0 = prec/8 + 8 */
    long panels;          /* panels on [0, T], 0 = 8 */
    lag_variant variant;
    int want_fd;          /* also central differences of F at 2 * prec */
} lag_opts;

/* Sets O to the defaults at PREC (exact variant, with differences). */
void lag_opts_default(lag_opts *o, mpfr_prec_t prec);

typedef struct {
    impl_problem_t P;     /* own copy at prec */
    quad_gl_t gl;
    quad_rule_t rule;
    impl_traj_t tr;       /* N + 2 samples: t = 0, the N nodes, t = T */
    long nsteps;          /* Taylor steps of the solve */
    lag_variant variant;
    int has_fd;
    mpfr_ptr F_quad;      /* 1: int f dt by the composite rule */
    mpfr_ptr F_series;    /* 1: the same by the Taylor running cost (only
                           * in a state from lag_state_init) */
    mpfr_ptr u;           /* n: multiplier of g from the t = 0 term */
    mpfr_ptr grad_sens;   /* np: int (f_x x_p + f_p) dt */
    mpfr_ptr grad_adj;    /* np: int (f_p + lambda^T h_p) dt + u^T g_p */
    mpfr_ptr grad_fd;     /* np: central differences of F at 2 * prec */
    mpfr_ptr vals;        /* N * (2 np + 2) scratch integrand values */
    mpfr_ptr sc;          /* scratch: model outputs and temporaries */
    mpfr_ptr block;
} lag_state_struct;
typedef lag_state_struct lag_state_t[1];

/* Solves SRC's problem (P7; state width and parameter count at most 4)
 * at O->prec with sensitivities and adjoint, forms F and the gradients
 * (grad_fd too when O->want_fd).  Returns 0 or a negative code with ERR
 * set (S is then safe to clear). */
int lag_state_init(lag_state_t s, const impl_problem_t src, const lag_opts *o,
                   averr_t err);
/* Frees everything S holds; S may come from a failed init. */
void lag_state_clear(lag_state_t s);

/* The functions lambda(t) the derivation is tried with: the adjoint of
 * the state, and arbitrary smooth ones (every component the same). */
typedef enum {
    LAG_LAMBDA_ADJOINT = 0,
    LAG_LAMBDA_ONE,          /* 1 */
    LAG_LAMBDA_TRIG,         /* sin 3t + t^2/2 */
    LAG_LAMBDA_DAMPED,       /* e^-t cos 5t */
    LAG_NLAMBDA
} lag_lambda;

/* A printable name of WHICH ("adjoint", "sin 3t + t^2/2", ...). */
const char *lag_lambda_name(lag_lambda which);

/* LAM, LAMD (n values each) = lambda and lambda' at sample J of S's
 * trajectory.  Uses the last scratch number of S. */
void lag_lambda_eval(mpfr_ptr lam, mpfr_ptr lamd, lag_lambda which,
                     lag_state_t s, size_t j);

/* F (and Loss, when LOSS is not NULL) at P's current parameters, which
 * may be perturbed: x alone is solved, at P->prec, on the rule of NODES x
 * PANELS (0: the defaults); Loss uses the closed-form lambda WHICH (not
 * the adjoint) and the multiplier U (n values). */
int lag_objective(mpfr_ptr F, mpfr_ptr loss, const impl_problem_t P,
                  lag_lambda which, mpfr_srcptr u, int nodes, long panels,
                  averr_t err);

/* OUT = int lambda^T h dt + u^T g on S's solution, lambda WHICH, U (n):
 * Loss - F formed without cancellation, at the level of the residuals of
 * h and g.  Uses S's scratch. */
int lag_constraint_terms(mpfr_ptr out, lag_state_t s, lag_lambda which,
                         mpfr_srcptr u, averr_t err);

/* OUT (np) = central differences of F (WHICH = LAG_NLAMBDA) or of Loss
 * with lambda WHICH and multiplier U held fixed, at twice SRC's precision
 * with step 2^-(prec/2 + 8) around SRC's current parameters, rounded to
 * OUT's precision. */
int lag_fd_gradient(mpfr_ptr out, const impl_problem_t src, lag_lambda which,
                    mpfr_srcptr u, averr_t err);

/* GRAD (np) = the adjoint gradient of F, and F, at P's current (possibly
 * perturbed) parameters and precision; VARIANT as in lag_opts. */
int lag_adjoint_gradient(mpfr_ptr grad, mpfr_ptr F, const impl_problem_t P,
                         lag_variant variant, averr_t err);

/* ---- second order: what Newton's method on F(p) needs ------------- */

/* H (np x np, row-major) = the Hessian of F at P's current parameters:
 * central differences of the adjoint gradient at twice P's precision, step
 * 2^-(prec/2 + 8), then symmetrised.  ASYM (may be NULL) receives the
 * largest |H_kl - H_lk| before symmetrising (a measure of its accuracy).
 * Costs 2 np adjoint gradients at doubled precision. */
int lag_hessian(mpfr_ptr H, mpfr_ptr asym, const impl_problem_t P, averr_t err);

/* H and ASYM as lag_hessian, but from adjoint gradients at P's own
 * precision with step 2^-(prec/3): about 2/3 of the working bits are
 * correct, which is what a Newton step needs (its error multiplies
 * |grad F|).  Costs 2 np adjoint gradients at P's precision. */
int lag_hessian_step(mpfr_ptr H, mpfr_ptr asym, const impl_problem_t P,
                     averr_t err);

/* EIG (N values, ascending) = the eigenvalues of the symmetric N x N
 * matrix H (cyclic Jacobi rotations to H's precision).  AV_ENUM if the
 * rotations do not settle in 100 sweeps. */
int lag_sym_eigenvalues(mpfr_ptr eig, mpfr_srcptr H, int n, averr_t err);

/* The record of an iteration on p: iterates 0..iters, each with F and the
 * max-norm of the adjoint gradient; for Newton, the Hessian's eigenvalues
 * at the last iterate. */
typedef struct {
    int maxit, np, iters;
    int converged;        /* |grad| <= tol reached */
    long grads, grads2;   /* adjoint gradients at working / doubled precision */
    mpfr_ptr asym;        /* 1: Newton's last H, largest |H_kl - H_lk| */
    mpfr_ptr p;           /* (maxit + 1) * np */
    mpfr_ptr F, gnorm;    /* maxit + 1 each */
    mpfr_ptr eig;         /* np: Hessian eigenvalues at the last iterate */
    mpfr_ptr block;
} lag_iter_struct;
typedef lag_iter_struct lag_iter_t[1];

/* Allocates IT for MAXIT iterations of NP (<= 4) parameters at PREC;
 * AV_EINPUT for bad sizes, AV_ESYS when memory is short.  lag_iter_clear
 * frees it. */
int lag_iter_init(lag_iter_t it, int maxit, int np, mpfr_prec_t prec,
                  averr_t err);
void lag_iter_clear(lag_iter_t it);

/* Newton's method on grad F = 0 from P0 (np values): p <- p - H^-1 grad F
 * with H from lag_hessian_step, at most IT->maxit steps, stopping when
 * the gradient's max-norm is at most TOL; the last iterate's H gives
 * IT->eig and IT->asym.  P gives the problem and the precision. */
int lag_newton(lag_iter_t it, const impl_problem_t P, mpfr_srcptr p0,
               mpfr_srcptr tol, averr_t err);

/* Gradient descent p <- p - ALPHA grad F from P0, as lag_newton. */
int lag_descent(lag_iter_t it, const impl_problem_t P, mpfr_srcptr p0,
                mpfr_srcptr alpha, mpfr_srcptr tol, averr_t err);

/* ALPHA = the first of 4, 2, 1, 1/2, ... (12 halvings at most) for which
 * one descent step from P0 lowers F; AV_ENUM when none does. */
int lag_descent_step(mpfr_ptr alpha, const impl_problem_t P, mpfr_srcptr p0,
                     averr_t err);

/* ---- the derivation's result for any implicit-ODE problem ---------- */

/* GRAD (np) = dF/dp for any model of implicit.h, from its callbacks alone:
 * x(0) from g = 0 and x' from h = 0 by Newton's method; x forward and
 * [x, lambda] backwards by Gragg-Bulirsch-Stoer extrapolation (gbs.h,
 * tolerance 2^-(prec - 16)) through the adjoint equation (10) solved for
 * lambda', from the terminal condition h_x'(T)^T lambda(T) = -phi_x^T
 * (step 11 with the model's terminal cost, lambda(T) = 0 without one), x
 * reset to its forward value at every Gauss-Legendre node (8 panels of
 * prec/8 + 8); u from step 12; then step 13 by quadrature.  F (may be
 * NULL) = int f dt + phi(x(T)); LAM0 (n, may be NULL) = lambda(0).  All at
 * P->prec.  d/dt(h_x') is evaluated with x'' = 0: models whose d/dt(h_x')
 * reads x'' are not supported.  AV_ENUM when Newton's method, the
 * integrator or a callback fails. */
int lag_general_gradient(mpfr_ptr grad, mpfr_ptr F, mpfr_ptr lam0,
                         const impl_problem_t P, averr_t err);

/* ---- the steps ---------------------------------------------------- */

#define LAG_MAX_ROWS 24

typedef struct {
    char label[96];
    int contrast;     /* 1: a counter-example row, the sides must differ */
    mpfr_ptr left, right, diff;
} lag_row;

typedef struct {
    int step;            /* number in derivations/lagrangian.md */
    const char *title;   /* the equation the step states */
    const char *func;    /* the check function's name */
    int nrows;
    lag_row rows[LAG_MAX_ROWS];
    mpfr_ptr block;
} lag_step_struct;
typedef lag_step_struct lag_step_t[1];

/* Allocates ST's LAG_MAX_ROWS rows at PREC (no rows in use); AV_ESYS
 * when memory is short.  lag_step_clear frees them. */
int lag_step_init(lag_step_t st, mpfr_prec_t prec, averr_t err);
void lag_step_clear(lag_step_t st);

/* Correct digits of left against right, minimum over the rows that must
 * agree (absolute where the right side is 0), capped at CAP. */
long lag_step_digits(const lag_step_t st, long cap);
/* Largest correct-digit count over the contrast rows (how far a
 * counter-example comes from agreeing); -1 when there is none. */
long lag_step_contrast_digits(const lag_step_t st, long cap);

/* A check: fills ST from S (S's scratch is used, so S is not const).
 * Returns 0 or a negative code with ERR set. */
typedef int (*lag_check_fn)(lag_step_t st, lag_state_t s, averr_t err);

int lag_check_objective(lag_step_t st, lag_state_t s, averr_t err);      /* 1 */
int lag_check_initial(lag_step_t st, lag_state_t s, averr_t err);        /* 2 */
int lag_check_constraint(lag_step_t st, lag_state_t s, averr_t err);     /* 3 */
int lag_check_stationary(lag_step_t st, lag_state_t s, averr_t err);     /* 4 */
int lag_check_loss_is_F(lag_step_t st, lag_state_t s, averr_t err);      /* 5 */
int lag_check_dloss_dp(lag_step_t st, lag_state_t s, averr_t err);       /* 6 */
int lag_check_chain_rule(lag_step_t st, lag_state_t s, averr_t err);     /* 7 */
int lag_check_by_parts(lag_step_t st, lag_state_t s, averr_t err);       /* 8 */
int lag_check_regrouped(lag_step_t st, lag_state_t s, averr_t err);      /* 9 */
int lag_check_adjoint_ode(lag_step_t st, lag_state_t s, averr_t err);    /* 10 */
int lag_check_terminal(lag_step_t st, lag_state_t s, averr_t err);       /* 11 */
int lag_check_multiplier(lag_step_t st, lag_state_t s, averr_t err);     /* 12 */
int lag_check_grad_sens(lag_step_t st, lag_state_t s, averr_t err);      /* 13 */
int lag_check_grad_fd(lag_step_t st, lag_state_t s, averr_t err);        /* 14 */

/* The steps in order, with their names (for the derivation document,
 * `adjverify derive notes` and the lagrangian_steps table). */
typedef struct {
    int step;
    const char *func;
    lag_check_fn fn;
} lag_step_entry;

/* The 14 steps, step k at index k - 1; *N receives the count. */
const lag_step_entry *lag_steps(int *n);

#endif
