/* implicit: optimisation problems constrained by an implicit ODE, in the
 * notation of the lecture notes (seed 001):
 *
 *   minimise F = int_0^T f(x, p, t) dt   subject to
 *   h(x, x', p, t) = 0 on [0, T]  and  g(x(0), p) = 0,
 *
 * with x(t) in R^n and p in R^np.  A model gives h, g, f and their partial
 * derivatives as callbacks over MPFR vectors; a problem is a model plus
 * exact parameters p and horizon T, rounded once to the working precision.
 * P7 `notes` of the canonical list is the built-in instance.  A trajectory
 * (impl_traj) holds a solution sampled at given times, with its forward
 * sensitivities and an adjoint when the solver provides them.
 */
#ifndef ADJVERIFY_IMPLICIT_H
#define ADJVERIFY_IMPLICIT_H

#include <stddef.h>
#include <gmp.h>
#include <mpfr.h>
#include "../numbers/averr.h"
#include "problem.h"

typedef struct impl_problem_struct impl_problem_struct;

/* A point at which the model is evaluated: time, x, x' and x'' (n values
 * each; x'' is read only by dt_h_xd).  For g, g_x0 and g_p the point is
 * t = 0 and X is x(0). */
typedef struct {
    mpfr_srcptr t, x, xd, xdd;
} impl_point;

/* A model callback: writes OUT (shape given per callback, matrices
 * row-major) at PT.  WORK is P->nwork scratch numbers at P->prec.  OUT
 * never aliases the point.  Returns 0 or a negative AV_E* code. */
typedef int (*impl_fn)(mpfr_ptr out, const impl_point *pt,
                       const impl_problem_struct *P, mpfr_ptr work);

typedef struct {
    const char *name;
    const char *summary;
    impl_fn h;        /* n:       h(x, x', p, t) */
    impl_fn h_x;      /* n x n:   dh_i/dx_j */
    impl_fn h_xd;     /* n x n:   dh_i/dx'_j */
    impl_fn h_p;      /* n x np:  dh_i/dp_k */
    impl_fn dt_h_xd;  /* n x n:   d/dt of h_xd along the trajectory */
    impl_fn g;        /* n:       g(x(0), p) */
    impl_fn g_x0;     /* n x n:   dg_i/dx0_j */
    impl_fn g_p;      /* n x np:  dg_i/dp_k */
    impl_fn f;        /* 1:       f(x, p, t) */
    impl_fn f_x;      /* n:       df/dx_j */
    impl_fn f_p;      /* np:      df/dp_k */
    /* Optional terminal cost phi(x(T)) added to F (the Bolza form), and
     * its gradient phi_x (n); NULL when F is the integral alone. */
    impl_fn phi;
    impl_fn phi_x;
    const char *const *param_names;   /* np names, "p0", ...; may be NULL */
} impl_model;

struct impl_problem_struct {
    char name[32];
    const impl_model *model;
    int n;             /* state width */
    int np;            /* number of parameters */
    int nwork;         /* scratch numbers the callbacks need */
    mpq_t *p_q;        /* np exact parameters */
    mpq_t T_q;         /* horizon, > 0 */
    mpfr_ptr p;        /* np values at PREC; a caller may perturb them
                        * (finite differences), impl_round restores them */
    mpfr_ptr T;
    mpfr_prec_t prec;
    mpfr_ptr block;
    /* Data of a wrapping model (the problem_t of impl_model_neural), NULL
     * for the others.  Not owned. */
    const void *ctx;
};
typedef impl_problem_struct impl_problem_t[1];

/* The built-in model of P7 `notes`:
 *   h = (1 + x^2/2) x' + p1 x - sin(p2 t),   g = x(0) - p0,
 *   f = 1/2 (x - cos t)^2 + (1/10) p2 x^2,   n = 1, np = 3. */
extern const impl_model impl_model_notes;

/* Builds P7 with p = (1/2, 3/4, 2), T = 2 read as exact rationals and
 * rounded to PREC bits.  AV_EINPUT for a precision outside
 * MPV_PREC_MIN..MPV_PREC_MAX, AV_ESYS when memory is short; P is then
 * safe to pass to impl_clear. */
int impl_init_notes(impl_problem_t P, mpfr_prec_t prec, averr_t err);

/* A neural ODE z' = f_theta(z, t) as an implicit-ODE problem:
 * h = x' - f(x, t; theta), g = x(0) - z0, no running cost, the terminal
 * cost phi = L(x(T)) of the problem; p = theta (ntheta values), n = d.
 * The callbacks evaluate f with the wrapped problem's own theta (P->p
 * mirrors it; changing P->p has no effect). */
extern const impl_model impl_model_neural;

/* Wraps SRC (kept by pointer, which must outlive P) at SRC's precision.
 * AV_ESYS when memory is short. */
int impl_init_neural(impl_problem_t P, const problem_struct *src, averr_t err);

/* Builds a copy of SRC at precision PREC from its exact values (the
 * perturbations of SRC->p are not copied).  A wrapping problem (ctx not
 * NULL) can be copied only at its own precision (else AV_EINPUT). */
int impl_init_copy(impl_problem_t P, const impl_problem_t src,
                   mpfr_prec_t prec, averr_t err);

void impl_clear(impl_problem_t P);

/* Re-rounds p and T from the exact values. */
void impl_round(impl_problem_t P);

/* A solution sampled at N times t[j]: x, x', x'' (n each), the forward
 * sensitivities dx_i/dp_k and their time derivatives (n x np each,
 * row-major), and an adjoint lambda with lambda' (n each).  Sample j of a
 * quantity of width m starts at index j * m.  One allocation. */
typedef struct {
    size_t N;
    int n, np;
    mpfr_ptr t, x, xd, xdd, xp, xpd, lam, lamd;
    mpfr_ptr block;
} impl_traj_struct;
typedef impl_traj_struct impl_traj_t[1];

/* Allocates a trajectory of N samples for width N_ and NP parameters at
 * PREC, every value +0.  AV_EINPUT when N is 0, AV_ESYS when short of
 * memory (TR then safe to clear). */
int impl_traj_init(impl_traj_t tr, size_t N, int n, int np, mpfr_prec_t prec,
                   averr_t err);
void impl_traj_clear(impl_traj_t tr);

/* Sets PT to sample J of TR (pointers into TR). */
void impl_traj_point(impl_point *pt, const impl_traj_t tr, size_t j);

#endif
