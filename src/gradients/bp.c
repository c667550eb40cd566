/* bp: discrete backpropagation, the exact reverse-mode derivative of the RK
 * map z_{n+1} = z_n + h sum_i b_i K_i, K_i = f(t_n + c_i h, Z_i),
 * Z_i = z_n + h sum_j a_ij K_j.  With lambda = dL/dz_{n+1} and
 * Kbar_i = dL/dK_i:
 *     Kbar_i = h b_i lambda + h sum_j a_ji J_j^T Kbar_j,
 *     dL/dz_n = lambda + sum_i J_i^T Kbar_i,
 *     dL/dtheta += sum_i (df/dtheta)_i^T Kbar_i.
 * Explicit tableaux solve the first line by back substitution (i = s..1);
 * implicit ones solve it as M^T Kbar = h b (x) lambda with the stage matrix
 * M of the forward Newton iteration.  The stored tanh values (aux) are
 * reused, never recomputed.
 * References: Griewank and Walther (2008), ch. 3; Hager (2000), section 2.
 */
#include "grad.h"
#include "../numbers/mpvec.h"

static int explicit_reverse(mpfr_ptr lambda, mpfr_ptr gtheta, mpfr_srcptr stages,
                            mpfr_srcptr aux, mpfr_srcptr tn, mpfr_srcptr h,
                            const problem_t p, const tableau_t tab, rk_work_t w,
                            rk_problem_ctx *pctx)
{
    size_t d = (size_t)p->d, s = (size_t)tab->s, na = (size_t)p->naux;
    mpfr_ptr Kbar = w->K, mu = w->Y, ti = w->tmp, coef = w->tmp + 1;
    const model_desc *m = p->model;
    for (size_t i = s; i-- > 0;) {
        mpfr_ptr Kb = Kbar + i * d;
        mpfr_mul(coef, h, tab->b + i, MPFR_RNDN);
        for (size_t k = 0; k < d; k++)
            mpfr_mul(Kb + k, coef, lambda + k, MPFR_RNDN);
        for (size_t j = i + 1; j < s; j++) {
            if (mpfr_zero_p(tab->A + j * s + i))
                continue;
            mpfr_mul(coef, h, tab->A + j * s + i, MPFR_RNDN);
            mpvec_axpy(Kb, coef, mu + j * d, d);
        }
        mpfr_fma(ti, tab->c + i, h, tn, MPFR_RNDN);
        int st = m->vjp_z(mu + i * d, ti, stages + i * d, aux + i * na, Kb, p,
                          pctx->work);
        if (st == 0)
            st = m->vjp_theta(pctx->gtmp, ti, stages + i * d, aux + i * na, Kb, p,
                              pctx->work);
        if (st != 0)
            return st;
        mpvec_add(gtheta, gtheta, pctx->gtmp, (size_t)p->ntheta);
    }
    for (size_t i = 0; i < s; i++)
        mpvec_add(lambda, lambda, mu + i * d, d);
    return 0;
}

static int implicit_reverse(mpfr_ptr lambda, mpfr_ptr gtheta, mpfr_srcptr stages,
                            mpfr_srcptr aux, mpfr_srcptr tn, mpfr_srcptr h,
                            const problem_t p, const tableau_t tab, rk_work_t w,
                            rk_problem_ctx *pctx, averr_t err)
{
    size_t d = (size_t)p->d, s = (size_t)tab->s, n = s * d, na = (size_t)p->naux;
    mpfr_ptr Kbar = w->K, mu = w->Y, ti = w->tmp, coef = w->tmp + 1;
    const model_desc *m = p->model;
    rk_system sys;
    rk_system_of_problem(&sys, pctx);
    int st = rk_stage_matrix(w, tn, h, &sys, tab, stages, aux);
    if (st != 0)
        return st;
    if (mplu_factor(w->M, w->piv, n, coef, err) != 0)
        return averr_prefix(err, "transposed stage system at t = %.6g",
                            mpfr_get_d(tn, MPFR_RNDN));
    for (size_t i = 0; i < s; i++) {
        mpfr_mul(coef, h, tab->b + i, MPFR_RNDN);
        for (size_t k = 0; k < d; k++)
            mpfr_mul(Kbar + i * d + k, coef, lambda + k, MPFR_RNDN);
    }
    mplu_solve(Kbar, w->M, w->piv, Kbar, n, 1, coef);
    for (size_t i = 0; i < s; i++) {
        mpfr_fma(ti, tab->c + i, h, tn, MPFR_RNDN);
        st = m->vjp_z(mu + i * d, ti, stages + i * d, aux + i * na, Kbar + i * d, p,
                      pctx->work);
        if (st == 0)
            st = m->vjp_theta(pctx->gtmp, ti, stages + i * d, aux + i * na,
                              Kbar + i * d, p, pctx->work);
        if (st != 0)
            return st;
        mpvec_add(gtheta, gtheta, pctx->gtmp, (size_t)p->ntheta);
        mpvec_add(lambda, lambda, mu + i * d, d);
    }
    return 0;
}

int bp_step_reverse(mpfr_ptr lambda, mpfr_ptr gtheta, mpfr_srcptr stages,
                    mpfr_srcptr aux, mpfr_srcptr tn, mpfr_srcptr h,
                    const problem_t p, const tableau_t tab, rk_work_t w,
                    rk_problem_ctx *pctx, averr_t err)
{
    int st = tab->explicit_
                 ? explicit_reverse(lambda, gtheta, stages, aux, tn, h, p, tab, w, pctx)
                 : implicit_reverse(lambda, gtheta, stages, aux, tn, h, p, tab, w, pctx,
                                    err);
    if (st != 0 && tab->explicit_)
        averr_set(err, st, "a model product failed at t = %.6g", mpfr_get_d(tn, MPFR_RNDN));
    return st;
}

int bp_reverse(grad_result_t g, const traj_t tr, const problem_t p,
               const tableau_t tab, averr_t err)
{
    size_t d = (size_t)p->d, s = (size_t)tab->s, na = (size_t)p->naux;
    rk_problem_ctx pctx;
    rk_system sys;
    rk_work_t w;
    if (rk_problem_ctx_init(&pctx, p, err) != 0)
        return AV_ESYS;
    rk_system_of_problem(&sys, &pctx);
    int st = rk_work_init(w, &sys, tab, p->prec, err);
    mpfr_ptr v = st == 0 ? mpblock_alloc(2, p->prec, err) : NULL;
    if (v == NULL) {
        if (st == 0)
            rk_work_clear(w);
        rk_problem_ctx_clear(&pctx);
        return AV_ESYS;
    }
    mpfr_ptr tn = v, ts = v + 1;
    mpvec_set(g->zT, tr->y + (size_t)tr->N * d, d);
    st = problem_loss(g->L, g->dz0, g->zT, p);
    if (st != 0)
        averr_set(err, st, "the loss L at z(T) is NaN or infinite (overflow)");
    mpvec_zero(g->dtheta, (size_t)p->ntheta);
    for (long n = tr->N; n-- > 0 && st == 0;) {
        mpfr_mul_si(ts, tr->h, n, MPFR_RNDN);
        mpfr_add(tn, tr->t0, ts, MPFR_RNDN);
        st = bp_step_reverse(g->dz0, g->dtheta, tr->stages + (size_t)n * s * d,
                             tr->aux + (size_t)n * s * na, tn, tr->h, p, tab, w, &pctx,
                             err);
        if (st != 0)
            averr_prefix(err, "backprop, step %ld", n + 1);
    }
    mpblock_free(v);
    rk_work_clear(w);
    rk_problem_ctx_clear(&pctx);
    return st;
}

int bp_record(traj_t tr, const problem_t p, const tableau_t tab, long N,
              averr_t err)
{
    rk_problem_ctx pctx;
    rk_system sys;
    int st = traj_init(tr, N, (size_t)tab->s, (size_t)p->d, (size_t)p->naux, p->prec,
                       err);
    if (st != 0)
        return st;
    if ((st = rk_problem_ctx_init(&pctx, p, err)) == 0) {
        rk_system_of_problem(&sys, &pctx);
        mpfr_ptr v = mpblock_alloc((size_t)p->d + 1, p->prec, err);   /* z(T), t0 = 0 */
        st = v == NULL ? AV_ESYS
                       : rk_solve(v, tr, &sys, tab, v + p->d, p->T, N, p->z0, p->prec,
                                  err);
        mpblock_free(v);
        rk_problem_ctx_clear(&pctx);
    }
    if (st != 0)
        traj_clear(tr);
    return st;
}

int bp_gradient(grad_result_t g, const problem_t p, const tableau_t tab,
                long N, averr_t err)
{
    traj_t tr;
    int st = bp_record(tr, p, tab, N, err);
    if (st != 0)
        return st;
    st = bp_reverse(g, tr, p, tab, err);
    traj_clear(tr);
    return st;
}
