/* rk_solve: N uniform steps of any tableau, recording the trajectory in one
 * allocation; the system of a problem (its f and dense Jacobian).
 */
#include <stdint.h>
#include <string.h>
#include "rk.h"
#include "../numbers/mpvec.h"

int traj_init(traj_t tr, long N, size_t s, size_t dim, size_t naux,
              mpfr_prec_t prec, averr_t err)
{
    memset(tr, 0, sizeof *tr);
    if (N < 1 || N > RK_MAX_STEPS)
        return averr_set(err, AV_EINPUT, "steps must be from 1 to %ld, not %ld",
                         RK_MAX_STEPS, N);
    size_t n = (size_t)N;
    size_t per_step = s * (dim + naux) + dim;
    if (per_step != 0 && n > (SIZE_MAX / 2) / per_step)
        return averr_set(err, AV_EINPUT, "a trajectory of %ld steps is too large", N);
    size_t total = n * per_step + dim + 2;
    /* Refuse rather than let the kernel kill us half-way: 4 GiB is far more
     * than any check of the suite needs. */
    size_t bytes = total * (sizeof(__mpfr_struct) + mpfr_custom_get_size(prec));
    if (bytes / total < sizeof(__mpfr_struct) || bytes > RK_MAX_TRAJ_BYTES)
        return averr_set(err, AV_EINPUT, "recording %ld steps at %ld bits would need "
                         "%.1f GB (limit %.0f GB): use fewer steps or less precision",
                         N, (long)prec, (double)total *
                         (double)(sizeof(__mpfr_struct) + mpfr_custom_get_size(prec)) / 1e9,
                         (double)RK_MAX_TRAJ_BYTES / 1e9);
    tr->block = mpblock_alloc(total, prec, err);
    if (tr->block == NULL)
        return averr_prefix(err, "recording %ld steps (use fewer steps or checkpoints)", N);
    tr->N = N;
    tr->s = s;
    tr->dim = dim;
    tr->naux = naux;
    tr->y = tr->block;
    tr->stages = tr->y + (n + 1) * dim;
    tr->aux = tr->stages + n * s * dim;
    tr->t0 = tr->aux + n * s * naux;
    tr->h = tr->t0 + 1;
    return 0;
}

void traj_clear(traj_t tr)
{
    mpblock_free(tr->block);
    memset(tr, 0, sizeof *tr);
}

int rk_check_flags(const char *what, averr_t err)
{
    if (mpfr_nanflag_p())
        return averr_set(err, AV_ENUM, "%s: a NaN appeared (invalid operation)", what);
    if (mpfr_overflow_p())
        return averr_set(err, AV_ENUM, "%s: overflow beyond MPFR's exponent range", what);
    return 0;
}

int rk_solve(mpfr_ptr yend, traj_t tr, const rk_system *sys,
             const tableau_t tab, mpfr_srcptr t0, mpfr_srcptr t1, long N,
             mpfr_srcptr y0, mpfr_prec_t prec, averr_t err)
{
    if (N < 1 || N > RK_MAX_STEPS)
        return averr_set(err, AV_EINPUT, "steps must be from 1 to %ld, not %ld",
                         RK_MAX_STEPS, N);
    size_t dim = sys->dim, s = (size_t)tab->s, naux = sys->naux;
    rk_work_t w;
    int st = rk_work_init(w, sys, tab, prec, err);
    if (st != 0)
        return st;
    mpfr_ptr v = mpblock_alloc(2 * dim + 3, prec, err);
    if (v == NULL) {
        rk_work_clear(w);
        return AV_ESYS;
    }
    mpfr_ptr y = v, ynext = v + dim, h = v + 2 * dim, t = h + 1, ts = t + 1;
    mpfr_sub(h, t1, t0, MPFR_RNDN);
    mpfr_div_si(h, h, N, MPFR_RNDN);
    mpvec_set(y, y0, dim);
    if (tr != NULL) {
        mpfr_set(tr->t0, t0, MPFR_RNDN);
        mpfr_set(tr->h, h, MPFR_RNDN);
        mpvec_set(tr->y, y0, dim);
    }
    for (long n = 0; n < N && st == 0; n++) {
        /* t_n = t0 + n h, not an accumulated sum: the same bytes whatever
         * path reached step n. */
        mpfr_mul_si(ts, h, n, MPFR_RNDN);
        mpfr_add(t, t0, ts, MPFR_RNDN);
        size_t off = (size_t)n * s;
        st = rk_step(ynext, tr ? tr->stages + off * dim : NULL,
                     tr ? tr->aux + off * naux : NULL, t, y, h, sys, tab, w, err);
        if (st == 0 && !mpvec_is_finite(ynext, dim))
            st = averr_set(err, AV_ENUM, "the solution is NaN or infinite (overflow)");
        if (st != 0) {
            averr_prefix(err, "step %ld of %ld", n + 1, N);
            break;
        }
        mpvec_set(y, ynext, dim);
        if (tr != NULL)
            mpvec_set(tr->y + (size_t)(n + 1) * dim, y, dim);
    }
    if (st == 0)
        mpvec_set(yend, y, dim);
    mpblock_free(v);
    rk_work_clear(w);
    return st;
}

/* ---- the system of a problem ---- */

int rk_problem_ctx_init(rk_problem_ctx *pctx, const problem_t p, averr_t err)
{
    pctx->p = p;
    pctx->block = mpblock_alloc((size_t)(p->nwork + p->d + p->ntheta), p->prec, err);
    if (pctx->block == NULL)
        return AV_ESYS;
    pctx->work = pctx->block;
    pctx->vtmp = pctx->work + p->nwork;
    pctx->gtmp = pctx->vtmp + p->d;
    return 0;
}

void rk_problem_ctx_clear(rk_problem_ctx *pctx)
{
    mpblock_free(pctx->block);
    pctx->block = NULL;
}

static int problem_F(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr y,
                     void *ctx)
{
    rk_problem_ctx *c = ctx;
    return c->p->model->f(out, aux, t, y, c->p, c->work);
}

int rk_problem_jacobian(mpfr_ptr J, mpfr_srcptr t, mpfr_srcptr z,
                        mpfr_srcptr aux, const problem_struct *p,
                        mpfr_ptr work, mpfr_ptr vtmp)
{
    int d = p->d;
    /* J^T e_k is row k of J, written straight into place. */
    for (int k = 0; k < d; k++) {
        mpvec_zero(vtmp, (size_t)d);
        mpfr_set_ui(vtmp + k, 1, MPFR_RNDN);
        int st = p->model->vjp_z(J + (size_t)k * d, t, z, aux, vtmp, p, work);
        if (st != 0)
            return st;
    }
    return 0;
}

static int problem_jac(mpfr_ptr J, mpfr_srcptr t, mpfr_srcptr y, mpfr_srcptr aux,
                       void *ctx)
{
    rk_problem_ctx *c = ctx;
    return rk_problem_jacobian(J, t, y, aux, c->p, c->work, c->vtmp);
}

void rk_system_of_problem(rk_system *sys, rk_problem_ctx *pctx)
{
    sys->dim = (size_t)pctx->p->d;
    sys->naux = (size_t)pctx->p->naux;
    sys->F = problem_F;
    sys->jac = problem_jac;
    sys->ctx = pctx;
}
