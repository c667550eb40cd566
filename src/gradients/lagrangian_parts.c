/* lagrangian_parts: steps (7)-(9) of derivations/lagrangian.md: the
 * chain-rule expansion of dLoss/dp with x_p and x'_p from forward
 * sensitivities, the integration by parts that removes x'_p, and the
 * regrouped gradient it leaves, for arbitrary lambda and u.
 */
#include "lagrangian_impl.h"
#include "../numbers/mpvec.h"

/* M->lin (n x np) = h_x x_p + h_x' x'_p + h_p at sample J (derivatives
 * already in M). */
static void linearised(lag_state_t s, lag_sc *m, size_t j)
{
    int n = s->P->n, np = s->P->np;
    mpfr_srcptr xp = s->tr->xp + j * (size_t)(n * np);
    mpfr_srcptr xpd = s->tr->xpd + j * (size_t)(n * np);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < np; k++) {
            mpfr_ptr v = m->lin + i * np + k;
            mpfr_set(v, m->hp + i * np + k, MPFR_RNDN);
            for (int l = 0; l < n; l++) {
                mpfr_fma(v, m->hx + i * n + l, xp + l * np + k, v, MPFR_RNDN);
                mpfr_fma(v, m->hxd + i * n + l, xpd + l * np + k, v, MPFR_RNDN);
            }
        }
}

int lag_boundary(lag_state_t s, lag_sc *m, lag_lambda which, size_t j)
{
    int n = s->P->n, np = s->P->np;
    impl_point pt;
    impl_traj_point(&pt, s->tr, j);
    int rc = lag_eval_derivs(s, m, &pt);
    lag_lambda_eval(m->lam, m->lamd, which, s, j);
    mpfr_srcptr xp = s->tr->xp + j * (size_t)(n * np);
    for (int k = 0; k < np; k++) {
        mpfr_set_zero(m->bnd + k, 1);
        for (int i = 0; i < n; i++)
            for (int l = 0; l < n; l++) {
                mpfr_mul(m->tmp, m->hxd + i * n + l, xp + l * np + k, MPFR_RNDN);
                mpfr_fma(m->bnd + k, m->lam + i, m->tmp, m->bnd + k, MPFR_RNDN);
            }
    }
    return rc;
}

/* OUT (np) += u^T (g_x0 x_p(0) + g_p); MAXRES = max |g_x0 x_p(0) + g_p|. */
static int add_initial(mpfr_ptr out, mpfr_ptr maxres, lag_state_t s, lag_sc *m,
                       mpfr_srcptr u)
{
    int n = s->P->n, np = s->P->np, rc;
    impl_point pt;
    impl_traj_point(&pt, s->tr, 0);
    if ((rc = lag_call(s->P->model->g_x0, m->gx0, &pt, s, m)) != 0
        || (rc = lag_call(s->P->model->g_p, m->gp, &pt, s, m)) != 0)
        return rc;
    if (maxres != NULL)
        mpfr_set_zero(maxres, 1);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < np; k++) {
            mpfr_set(m->tmp, m->gp + i * np + k, MPFR_RNDN);
            for (int l = 0; l < n; l++)
                mpfr_fma(m->tmp, m->gx0 + i * n + l, s->tr->xp + l * np + k,
                         m->tmp, MPFR_RNDN);
            if (maxres != NULL && mpfr_cmpabs(m->tmp, maxres) > 0)
                mpfr_abs(maxres, m->tmp, MPFR_RNDN);
            mpfr_fma(out + k, u + i, m->tmp, out + k, MPFR_RNDN);
        }
    return 0;
}

int lag_check_chain_rule(lag_step_t st, lag_state_t s, averr_t err)
{
    lag_step_begin(st, 7, "dLoss/dp = int [f_x x_p + f_p + lambda^T (h_x x_p + "
                   "h_x' x'_p + h_p)] dt + u^T (g_x0 x0_p + g_p), x_p by forward "
                   "sensitivity, lambda = sin 3t + t^2/2, u = 7/3; against "
                   "central differences of F", "lag_check_chain_rule");
    int n = s->P->n, np = s->P->np, rc = 0;
    lag_sc m;
    lag_sc_map(&m, s);
    impl_point pt;
    mpfr_ptr ua = lag_constant((size_t)n, 7, 3, s->P->prec, err);
    if (ua == NULL)
        return AV_ESYS;
    lag_row *lin = lag_step_add(st, 0, "max_t |h_x x_p + h_x' x'_p + h_p| | 0");
    lag_row *ini = lag_step_add(st, 0, "max |g_x0 x0_p + g_p| | 0");
    for (size_t j = 0; j < s->tr->N && rc == 0; j++) {
        impl_traj_point(&pt, s->tr, j);
        rc = lag_eval_derivs(s, &m, &pt);
        linearised(s, &m, j);
        lag_lambda_eval(m.lam, m.lamd, LAG_LAMBDA_TRIG, s, j);
        for (int i = 0; i < n * np; i++)
            if (mpfr_cmpabs(m.lin + i, lin->left) > 0)
                mpfr_abs(lin->left, m.lin + i, MPFR_RNDN);
        if (j == 0 || j == s->tr->N - 1)
            continue;                       /* end points: not nodes */
        for (int k = 0; k < np; k++) {
            mpfr_ptr v = s->vals + (j - 1) * (size_t)np + k;
            mpfr_set(v, m.fp + k, MPFR_RNDN);
            for (int l = 0; l < n; l++)
                mpfr_fma(v, m.fx + l, s->tr->xp + (j * n + l) * np + k, v,
                         MPFR_RNDN);
            for (int i = 0; i < n; i++)
                mpfr_fma(v, m.lam + i, m.lin + i * np + k, v, MPFR_RNDN);
        }
    }
    if (rc == 0) {
        lag_sum(m.bnd, s, (size_t)np);
        rc = add_initial(m.bnd, ini->left, s, &m, ua);
    }
    for (int k = 0; k < np && rc == 0; k++) {
        lag_row *r = lag_step_add(st, 0, "expansion, d/d%s | central "
                                  "differences", s->P->model->param_names[k]);
        mpfr_set(r->left, m.bnd + k, MPFR_RNDN);
        mpfr_set(r->right, s->has_fd ? s->grad_fd + k : s->grad_sens + k,
                 MPFR_RNDN);
    }
    mpblock_free(ua);
    lag_step_finish(st);
    return rc == 0 ? 0 : averr_set(err, AV_ENUM, "step 7: model failed");
}

/* LEFT (np) = int lambda^T h_x' x'_p dt; RIGHT (np) = [lambda^T h_x' x_p]_0^T
 * - int d/dt(lambda^T h_x') x_p dt, where WITH_DT = 0 drops the lambda^T
 * d/dt(h_x') part of the derivative (the mistake of treating h_x' as
 * constant). */
static int by_parts(mpfr_ptr left, mpfr_ptr right, lag_state_t s,
                    lag_lambda which, int with_dt)
{
    int n = s->P->n, np = s->P->np, rc = 0;
    lag_sc m;
    lag_sc_map(&m, s);
    for (size_t j = 1; j + 1 < s->tr->N && rc == 0; j++) {
        rc = lag_boundary(s, &m, which, j);
        mpfr_srcptr xp = s->tr->xp + j * (size_t)(n * np);
        mpfr_srcptr xpd = s->tr->xpd + j * (size_t)(n * np);
        for (int k = 0; k < np; k++) {
            mpfr_ptr vl = s->vals + (j - 1) * (size_t)(2 * np) + k, vr = vl + np;
            mpfr_set_zero(vl, 1);
            mpfr_set_zero(vr, 1);
            for (int i = 0; i < n; i++)
                for (int l = 0; l < n; l++) {
                    mpfr_mul(m.tmp, m.hxd + i * n + l, xpd + l * np + k, MPFR_RNDN);
                    mpfr_fma(vl, m.lam + i, m.tmp, vl, MPFR_RNDN);
                    /* d/dt(lambda_i h_x'[i,l]) = lambda_i' h_x' + lambda_i dt h_x' */
                    mpfr_mul(m.tmp, m.lamd + i, m.hxd + i * n + l, MPFR_RNDN);
                    if (with_dt)
                        mpfr_fma(m.tmp, m.lam + i, m.dthxd + i * n + l, m.tmp,
                                 MPFR_RNDN);
                    mpfr_fma(vr, m.tmp, xp + l * np + k, vr, MPFR_RNDN);
                }
        }
    }
    if (rc != 0)
        return rc;
    for (int k = 0; k < np; k++) {
        quad_rule_sum(left + k, s->rule, s->vals + k, (size_t)(2 * np));
        quad_rule_sum(right + k, s->rule, s->vals + np + k, (size_t)(2 * np));
    }
    rc = lag_boundary(s, &m, which, s->tr->N - 1);
    mpvec_sub(right, m.bnd, right, (size_t)np);
    if (rc == 0)
        rc = lag_boundary(s, &m, which, 0);
    mpvec_sub(right, right, m.bnd, (size_t)np);
    return rc;
}

int lag_check_by_parts(lag_step_t st, lag_state_t s, averr_t err)
{
    lag_step_begin(st, 8, "integration by parts: int lambda^T h_x' x'_p dt = "
                   "[lambda^T h_x' x_p]_0^T - int d/dt(lambda^T h_x') x_p dt, "
                   "with d/dt(lambda^T h_x') = lambda'^T h_x' + lambda^T "
                   "d/dt(h_x')", "lag_check_by_parts");
    int np = s->P->np, rc = 0;
    mpfr_ptr lr = mpblock_alloc(2 * (size_t)np, s->P->prec, err);
    if (lr == NULL)
        return AV_ESYS;
    for (int w = 0; w <= LAG_NLAMBDA && rc == 0; w++) {
        /* the last pass is the contrast: lambda = 1, d/dt(h_x') dropped */
        int contrast = w == LAG_NLAMBDA;
        lag_lambda which = contrast ? LAG_LAMBDA_ONE : (lag_lambda)w;
        rc = by_parts(lr, lr + np, s, which, !contrast);
        for (int k = 0; k < np && rc == 0; k++) {
            if (contrast && k != 1)
                continue;
            lag_row *r = lag_step_add(st, contrast, "lambda = %s, d/d%s%s",
                                      lag_lambda_name(which),
                                      s->P->model->param_names[k],
                                      contrast ? ", lambda^T d/dt(h_x') "
                                      "dropped" : "");
            mpfr_set(r->left, lr + k, MPFR_RNDN);
            mpfr_set(r->right, lr + np + k, MPFR_RNDN);
        }
    }
    mpblock_free(lr);
    lag_step_finish(st);
    return rc == 0 ? 0 : averr_set(err, AV_ENUM, "step 8: model failed");
}

void lag_adjoint_terms(lag_state_t s, lag_sc *m)
{
    int n = s->P->n;
    for (int l = 0; l < n; l++) {
        mpfr_set_zero(m->adl + l, 1);
        mpfr_set(m->adr + l, m->fx + l, MPFR_RNDN);
        for (int i = 0; i < n; i++) {
            mpfr_fma(m->adl + l, m->lamd + i, m->hxd + i * n + l, m->adl + l,
                     MPFR_RNDN);
            mpfr_fma(m->adl + l, m->lam + i, m->dthxd + i * n + l, m->adl + l,
                     MPFR_RNDN);
            mpfr_fma(m->adr + l, m->lam + i, m->hx + i * n + l, m->adr + l,
                     MPFR_RNDN);
        }
    }
}

/* OUT (np) = int [(f_x + lambda^T h_x - d/dt(lambda^T h_x')) x_p + f_p +
 * lambda^T h_p] dt + [lambda^T h_x' x_p]_0^T + u^T (g_x0 x0_p + g_p). */
static int regrouped(mpfr_ptr out, lag_state_t s, lag_lambda which,
                     mpfr_srcptr u)
{
    int n = s->P->n, np = s->P->np, rc = 0;
    lag_sc m;
    lag_sc_map(&m, s);
    for (size_t j = 1; j + 1 < s->tr->N && rc == 0; j++) {
        rc = lag_boundary(s, &m, which, j);
        lag_adjoint_terms(s, &m);
        for (int k = 0; k < np; k++) {
            mpfr_ptr v = s->vals + (j - 1) * (size_t)np + k;
            mpfr_set(v, m.fp + k, MPFR_RNDN);
            for (int i = 0; i < n; i++) {
                mpfr_fma(v, m.lam + i, m.hp + i * np + k, v, MPFR_RNDN);
                mpfr_sub(m.tmp, m.adr + i, m.adl + i, MPFR_RNDN);
                mpfr_fma(v, m.tmp, s->tr->xp + (j * n + i) * np + k, v,
                         MPFR_RNDN);
            }
        }
    }
    if (rc != 0)
        return rc;
    lag_sum(out, s, (size_t)np);
    if ((rc = lag_boundary(s, &m, which, s->tr->N - 1)) != 0)
        return rc;
    mpvec_add(out, out, m.bnd, (size_t)np);
    if ((rc = lag_boundary(s, &m, which, 0)) != 0)
        return rc;
    mpvec_sub(out, out, m.bnd, (size_t)np);
    return add_initial(out, NULL, s, &m, u);
}

int lag_check_regrouped(lag_step_t st, lag_state_t s, averr_t err)
{
    lag_step_begin(st, 9, "after the integration by parts, for any lambda and "
                   "u: dLoss/dp = int [(f_x + lambda^T h_x - d/dt(lambda^T h_x')) "
                   "x_p + f_p + lambda^T h_p] dt + [lambda^T h_x' x_p]_0^T + u^T "
                   "(g_x0 x0_p + g_p); against central differences of F",
                   "lag_check_regrouped");
    int np = s->P->np, rc = 0;
    mpfr_ptr ua = lag_constant((size_t)s->P->n, 7, 3, s->P->prec, err);
    mpfr_ptr g = ua ? mpblock_alloc((size_t)np, s->P->prec, err) : NULL;
    if (g == NULL) {
        mpblock_free(ua);
        return AV_ESYS;
    }
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        lag_lambda which = pass ? LAG_LAMBDA_ADJOINT : LAG_LAMBDA_TRIG;
        rc = regrouped(g, s, which, pass ? s->u : ua);
        for (int k = 0; k < np && rc == 0; k++) {
            lag_row *r = lag_step_add(st, 0, "lambda = %s, u = %s, d/d%s | "
                                      "central differences",
                                      lag_lambda_name(which),
                                      pass ? "step 12" : "7/3",
                                      s->P->model->param_names[k]);
            mpfr_set(r->left, g + k, MPFR_RNDN);
            mpfr_set(r->right, s->has_fd ? s->grad_fd + k : s->grad_sens + k,
                     MPFR_RNDN);
        }
    }
    mpblock_free(g);
    mpblock_free(ua);
    lag_step_finish(st);
    return rc == 0 ? 0 : averr_set(err, AV_ENUM, "step 9: model failed");
}
