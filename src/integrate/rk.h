/* rk: one Runge-Kutta step for any tableau, and a forward solve with N
 * uniform steps that records the trajectory.
 *
 * The step works on a generic system y' = F(t, y) (rk_system) so that the
 * same code integrates a problem's state, an adjoint, or an augmented state.
 * Explicit tableaux evaluate their stages in order; implicit ones solve the
 * stage equations K_i = F(t + c_i h, y + h sum_j a_ij K_j) by Newton's method
 * with the system's Jacobian (or, when it has none, a forward-difference
 * Jacobian at the working precision), iterated to the working precision.
 * On failure a step leaves its outputs untouched and reports why.
 * References: Hairer, Norsett, Wanner, Solving ODEs I, II.1 and II.7.
 */
#ifndef ADJVERIFY_RK_H
#define ADJVERIFY_RK_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../schemes/tableau.h"
#include "../problems/problem.h"

/* A system y' = F(t, y) of DIM equations.  F fills AUX (NAUX values) when
 * AUX is not NULL.  JAC, when not NULL, writes the dense Jacobian dF/dy
 * (dim x dim, row-major) at (t, y) given AUX from F there. */
typedef struct {
    size_t dim;
    size_t naux;
    int (*F)(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr y,
             void *ctx);
    int (*jac)(mpfr_ptr J, mpfr_srcptr t, mpfr_srcptr y, mpfr_srcptr aux,
               void *ctx);
    void *ctx;
} rk_system;

/* The system of a problem: dim = p->d, naux = p->naux.  The context is
 * PCTX, which the caller owns; rk_problem_ctx_init allocates its scratch. */
typedef struct {
    const problem_struct *p;
    mpfr_ptr work;      /* p->nwork numbers */
    mpfr_ptr vtmp;      /* p->d numbers, for building the Jacobian */
    mpfr_ptr gtmp;      /* p->ntheta numbers, for parameter products */
    mpfr_ptr block;
} rk_problem_ctx;

int rk_problem_ctx_init(rk_problem_ctx *pctx, const problem_t p, averr_t err);
void rk_problem_ctx_clear(rk_problem_ctx *pctx);
void rk_system_of_problem(rk_system *sys, rk_problem_ctx *pctx);

/* Dense Jacobian df/dz (d x d row-major) of a problem at (t, z) with AUX
 * from f there, built from d products J^T e_k.  WORK is p->nwork, VTMP is
 * p->d scratch numbers. */
int rk_problem_jacobian(mpfr_ptr J, mpfr_srcptr t, mpfr_srcptr z,
                        mpfr_srcptr aux, const problem_struct *p,
                        mpfr_ptr work, mpfr_ptr vtmp);

/* The workspace of one solve: allocated once, reused by every step. */
typedef struct {
    size_t dim, s, naux;
    mpfr_ptr K;       /* s*dim stage derivatives */
    mpfr_ptr Y;       /* s*dim stage values */
    mpfr_ptr aux;     /* s*naux */
    mpfr_ptr M;       /* (s*dim)^2 Newton matrix (implicit only) */
    mpfr_ptr J;       /* dim*dim Jacobian (implicit only) */
    mpfr_ptr r;       /* s*dim residual / update */
    mpfr_ptr tmp;     /* 4*dim + 6 scratch */
    mpfr_ptr block;
    size_t *piv;
    int newton_max;   /* iteration limit */
} rk_work_struct;
typedef rk_work_struct rk_work_t[1];

int rk_work_init(rk_work_t w, const rk_system *sys, const tableau_t tab,
                 mpfr_prec_t prec, averr_t err);
void rk_work_clear(rk_work_t w);

/* One step from (t, y) with step H (may be negative): YNEW = y + h sum b_i K_i.
 * When STAGES is not NULL it receives the s*dim stage values Y_i; when
 * AUX is not NULL the s*naux aux values at the stages.  YNEW may alias Y.
 * Errors: a singular stage system, a Newton iteration that does not
 * converge, a NaN or infinite value (AV_ENUM, message naming the step). */
int rk_step(mpfr_ptr ynew, mpfr_ptr stages, mpfr_ptr aux, mpfr_srcptr t,
            mpfr_srcptr y, mpfr_srcptr h, const rk_system *sys,
            const tableau_t tab, rk_work_t w, averr_t err);

/* Builds the stage matrix M = I - h [a_ij J(Y_i)] (s*dim square, blocks
 * (i, j)) into w->M at the stage values STAGES (s*dim) with their AUX,
 * from the system's Jacobian (or forward differences when it has none).
 * Newton's method for implicit stages solves with M; backprop through an
 * implicit step solves with M^T.  W must come from rk_work_init with an
 * implicit tableau. */
int rk_stage_matrix(rk_work_t w, mpfr_srcptr t, mpfr_srcptr h,
                    const rk_system *sys, const tableau_t tab, mpfr_srcptr stages,
                    mpfr_srcptr aux);

/* A recorded trajectory: N steps of S stages of a DIM-dimensional system,
 * in one allocation.  y_n at y + n*dim (n = 0..N); stage i of step n at
 * stages + (n*s + i)*dim; its aux at aux + (n*s + i)*naux. */
typedef struct {
    long N;
    size_t s, dim, naux;
    mpfr_ptr y, stages, aux;
    mpfr_ptr t0, h;   /* start time and (signed) step */
    mpfr_ptr block;
} traj_struct;
typedef traj_struct traj_t[1];

/* Allocates for N steps; AV_EINPUT when N < 1 or the size overflows,
 * AV_ESYS when memory is short (message gives the bytes asked). */
int traj_init(traj_t tr, long N, size_t s, size_t dim, size_t naux,
              mpfr_prec_t prec, averr_t err);
void traj_clear(traj_t tr);

/* Largest N accepted by solves (memory guard; larger N is AV_EINPUT). */
#define RK_MAX_STEPS 100000000L
/* Largest recorded trajectory, in bytes (traj_init refuses more). */
#define RK_MAX_TRAJ_BYTES ((size_t)4 << 30)

/* Integrates from T0 to T1 (either direction) in N uniform steps h =
 * (t1 - t0)/N from Y0; YEND (dim) receives the final value.  TR, when not
 * NULL, must come from traj_init with the same N, s, dim, naux and
 * receives every state, stage and aux.  Errors name the step number. */
int rk_solve(mpfr_ptr yend, traj_t tr, const rk_system *sys,
             const tableau_t tab, mpfr_srcptr t0, mpfr_srcptr t1, long N,
             mpfr_srcptr y0, mpfr_prec_t prec, averr_t err);

/* Checks the MPFR exception flags raised since the caller's
 * mpfr_clear_flags(): NaN or overflow is AV_ENUM naming WHAT. */
int rk_check_flags(const char *what, averr_t err);

#endif
