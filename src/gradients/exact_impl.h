/* exact_impl: internals shared by the exact-rational gradient files
 * (exact.c, exact_rk.c, exact_adjoint.c); not part of the public contract.
 */
#ifndef ADJVERIFY_EXACT_IMPL_H
#define ADJVERIFY_EXACT_IMPL_H

#include "exact.h"

/* N rationals, all 0, in one malloc (NULL when memory is short); freed
 * with qvec_free and the same N. */
mpq_t *qvec_alloc(size_t n);
void qvec_free(mpq_t *v, size_t n);

/* Solves A x = X in place (X holds the right side on entry), A n x n
 * row-major, destroyed.  Exact: the first nonzero pivot of each column.
 * Returns 0 or AV_ENUM (singular). */
int exq_gauss_solve(mpq_t *A, mpq_t *X, size_t n);

/* A system y' = F(t, y) of DIM rationals with a quadrature part
 * q' = Q(t, y) of NQ rationals that does not feed back (NQ may be 0).
 * Implicit tableaux need F affine in y. */
typedef struct {
    size_t dim, nq;
    int (*F)(mpq_t *out, const mpq_t t, mpq_t *y, void *ctx);
    int (*Q)(mpq_t *out, const mpq_t t, mpq_t *y, void *ctx);
    void *ctx;
} exq_system;

typedef struct {
    size_t dim, s, nq;
    mpq_t *K, *Y, *F, *G, *qv, *tmp;   /* s*dim, s*dim, s*dim, (s dim)^2 | 0, nq, 3 */
    size_t total;
} exq_work;

int exq_work_init(exq_work *w, const exq_system *sys, const tableau_t tab,
                  averr_t err);
void exq_work_clear(exq_work *w);

/* One exact RK step with the tableau's exact coefficients from (t, y) with
 * step H (may be negative): Y (dim) becomes y_{n+1}, Q (nq, may be NULL
 * when nq = 0) gets h sum_i b_i Q(t + c_i h, Y_i) added.  STAGES, when not
 * NULL, receives the s*dim stage values.  AV_EINPUT when an implicit stage
 * system is not affine; AV_ENUM when it is singular. */
int exq_step(mpq_t *y, mpq_t *q, mpq_t *stages, const mpq_t t, const mpq_t h,
             const exq_system *sys, const tableau_t tab, exq_work *w,
             averr_t err);

/* The exact forward solve: z_n ((N+1)*d) and the stage values Z_{n,i}
 * (N*s*d) at t_n = n h, h = T/N. */
typedef struct {
    long N;
    size_t s, d;
    mpq_t h;
    mpq_t *z, *stages;
} exq_traj;

int exq_record(exq_traj *tr, const problem_t p, const tableau_t tab, long N,
               averr_t err);
void exq_traj_clear(exq_traj *tr);

/* Backsolve and interp (exact_adjoint.c) over a recorded trajectory; R's
 * L and zT are set by the caller. */
int exact_backsolve(exact_result_t r, const exq_traj *tr, const problem_t p,
                    const tableau_t tab, averr_t err);
int exact_interp(exact_result_t r, const exq_traj *tr, const problem_t p,
                 const tableau_t tab, averr_t err);

#endif
