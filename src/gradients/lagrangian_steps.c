/* lagrangian_steps: steps (1)-(7) of derivations/lagrangian.md, from the
 * problem statement to the chain-rule expansion of dLoss/dp.  Each check
 * fills rows "left side, right side" computed by different routes; rows
 * marked contrast are counter-examples that must NOT agree.
 */
#include <stdarg.h>
#include <stdio.h>
#include "lagrangian_impl.h"
#include "../numbers/mpvec.h"

int lag_step_init(lag_step_t st, mpfr_prec_t prec, averr_t err)
{
    st->nrows = 0;
    st->step = 0;
    st->title = st->func = NULL;
    st->block = mpblock_alloc(3 * LAG_MAX_ROWS, prec, err);
    if (st->block == NULL)
        return AV_ESYS;
    for (int r = 0; r < LAG_MAX_ROWS; r++) {
        st->rows[r].left = st->block + 3 * r;
        st->rows[r].right = st->block + 3 * r + 1;
        st->rows[r].diff = st->block + 3 * r + 2;
    }
    return 0;
}

void lag_step_clear(lag_step_t st)
{
    mpblock_free(st->block);
    st->block = NULL;
    st->nrows = 0;
}

void lag_step_begin(lag_step_t st, int step, const char *title,
                    const char *func)
{
    st->step = step;
    st->title = title;
    st->func = func;
    st->nrows = 0;
}

lag_row *lag_step_add(lag_step_t st, int contrast, const char *fmt, ...)
{
    if (st->nrows >= LAG_MAX_ROWS)
        return NULL;
    lag_row *r = &st->rows[st->nrows++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->label, sizeof r->label, fmt, ap);
    va_end(ap);
    r->contrast = contrast;
    mpfr_set_zero(r->left, 1);
    mpfr_set_zero(r->right, 1);
    return r;
}

void lag_step_finish(lag_step_t st)
{
    for (int r = 0; r < st->nrows; r++)
        mpfr_sub(st->rows[r].diff, st->rows[r].left, st->rows[r].right,
                 MPFR_RNDN);
}

long lag_step_digits(const lag_step_t st, long cap)
{
    long d = cap;
    for (int r = 0; r < st->nrows; r++)
        if (!st->rows[r].contrast) {
            long k = mpnum_digits(st->rows[r].left, st->rows[r].right, cap);
            d = k < d ? k : d;
        }
    return d;
}

long lag_step_contrast_digits(const lag_step_t st, long cap)
{
    long d = -1;
    for (int r = 0; r < st->nrows; r++)
        if (st->rows[r].contrast) {
            long k = mpnum_digits(st->rows[r].left, st->rows[r].right, cap);
            d = k > d ? k : d;
        }
    return d;
}

mpfr_ptr lag_constant(size_t n, long a, long b, mpfr_prec_t prec, averr_t err)
{
    mpfr_ptr c = mpblock_alloc(n, prec, err);
    for (size_t i = 0; c != NULL && i < n; i++) {
        mpfr_set_si(c + i, a, MPFR_RNDN);
        mpfr_div_si(c + i, c + i, b, MPFR_RNDN);
    }
    return c;
}

int lag_eval_derivs(lag_state_t s, lag_sc *m, const impl_point *pt)
{
    const impl_model *md = s->P->model;
    int rc = lag_call(md->h_x, m->hx, pt, s, m);
    if (rc == 0)
        rc = lag_call(md->h_xd, m->hxd, pt, s, m);
    if (rc == 0)
        rc = lag_call(md->h_p, m->hp, pt, s, m);
    if (rc == 0)
        rc = lag_call(md->dt_h_xd, m->dthxd, pt, s, m);
    if (rc == 0)
        rc = lag_call(md->f_x, m->fx, pt, s, m);
    if (rc == 0)
        rc = lag_call(md->f_p, m->fp, pt, s, m);
    return rc;
}

int lag_check_objective(lag_step_t st, lag_state_t s, averr_t err)
{
    (void)err;
    lag_step_begin(st, 1, "F = int_0^T f(x, p, t) dt: composite Gauss-Legendre "
                   "quadrature against the Taylor running cost q' = f, q(T)",
                   "lag_check_objective");
    lag_row *r = lag_step_add(st, 0, "F: quadrature | Taylor q(T)");
    mpfr_set(r->left, s->F_quad, MPFR_RNDN);
    mpfr_set(r->right, s->F_series, MPFR_RNDN);
    lag_step_finish(st);
    return 0;
}

int lag_check_initial(lag_step_t st, lag_state_t s, averr_t err)
{
    lag_sc m;
    lag_sc_map(&m, s);
    impl_point pt;
    impl_traj_point(&pt, s->tr, 0);
    lag_step_begin(st, 2, "g(x(0), p) = x(0) - p0 = 0 on the computed solution",
                   "lag_check_initial");
    if (lag_call(s->P->model->g, m.g, &pt, s, &m) != 0)
        return averr_set(err, AV_ENUM, "step 2: g failed");
    for (int i = 0; i < s->P->n; i++)
        mpfr_set(lag_step_add(st, 0, "g_%d(x(0), p) | 0", i)->left, m.g + i,
                 MPFR_RNDN);
    lag_step_finish(st);
    return 0;
}

/* OUT = max over every sample and component of |h| on x + delta_D. */
static int max_residual_h(mpfr_ptr out, lag_state_t s, int D)
{
    lag_sc m;
    lag_sc_map(&m, s);
    impl_point pt;
    mpfr_set_zero(out, 1);
    for (size_t j = 0; j < s->tr->N; j++) {
        lag_point(&pt, &m, s, j, D);
        int rc = lag_call(s->P->model->h, m.h, &pt, s, &m);
        if (rc != 0)
            return rc;
        for (int i = 0; i < s->P->n; i++)
            if (mpfr_cmpabs(m.h + i, out) > 0)
                mpfr_abs(out, m.h + i, MPFR_RNDN);
    }
    return 0;
}

int lag_check_constraint(lag_step_t st, lag_state_t s, averr_t err)
{
    lag_step_begin(st, 3, "h(x, x', p, t) = 0 along the computed solution, "
                   "x' from the derivative of the Taylor series",
                   "lag_check_constraint");
    lag_row *r = lag_step_add(st, 0, "max_t |h| on x(t) | 0");
    lag_row *c = lag_step_add(st, 1, "max_t |h| on x(t) + (1 + t)/10 | 0");
    if (max_residual_h(r->left, s, 0) != 0 || max_residual_h(c->left, s, 1) != 0)
        return averr_set(err, AV_ENUM, "step 3: h failed");
    lag_step_finish(st);
    return 0;
}

/* OUT = dLoss/dx in the direction delta_D (every component): int [f_x d +
 * lambda^T (h_x d + h_x' d')] dt + u^T g_x0 d(0). */
static int first_variation(mpfr_ptr out, lag_state_t s, lag_lambda which,
                           mpfr_srcptr u, int D)
{
    lag_sc m;
    lag_sc_map(&m, s);
    impl_point pt;
    int n = s->P->n, rc = 0;
    mpfr_ptr d = m.tmp, dd = m.tmp + 1, v;
    for (size_t j = 0; j < s->rule->N && rc == 0; j++) {
        impl_traj_point(&pt, s->tr, j + 1);
        rc = lag_eval_derivs(s, &m, &pt);
        lag_lambda_eval(m.lam, m.lamd, which, s, j + 1);
        lag_delta(d, dd, m.tmp + 2, D, pt.t);
        mpfr_set_zero(v = s->vals + j, 1);
        for (int l = 0; l < n; l++) {
            mpfr_fma(v, m.fx + l, d, v, MPFR_RNDN);
            for (int i = 0; i < n; i++) {
                mpfr_mul(m.tmp + 3, m.hx + i * n + l, d, MPFR_RNDN);
                mpfr_fma(m.tmp + 3, m.hxd + i * n + l, dd, m.tmp + 3, MPFR_RNDN);
                mpfr_fma(v, m.lam + i, m.tmp + 3, v, MPFR_RNDN);
            }
        }
    }
    impl_traj_point(&pt, s->tr, 0);
    if (rc != 0 || (rc = lag_call(s->P->model->g_x0, m.gx0, &pt, s, &m)) != 0)
        return rc;
    lag_sum(out, s, 1);
    lag_delta(d, dd, m.tmp + 2, D, pt.t);
    for (int i = 0; i < n; i++)
        for (int l = 0; l < n; l++) {
            mpfr_mul(m.tmp + 3, m.gx0 + i * n + l, d, MPFR_RNDN);
            mpfr_fma(out, u + i, m.tmp + 3, out, MPFR_RNDN);
        }
    return 0;
}

int lag_check_stationary(lag_step_t st, lag_state_t s, averr_t err)
{
    lag_step_begin(st, 4, "the Lagrangian is stationary in x at the solution: "
                   "dLoss/dx[delta] = int [f_x delta + lambda^T (h_x delta + "
                   "h_x' delta')] dt + u^T g_x0 delta(0) = 0 for every delta, "
                   "with lambda the adjoint and u from step 12",
                   "lag_check_stationary");
    mpfr_ptr ua = lag_constant((size_t)s->P->n, 7, 3, s->P->prec, err);
    if (ua == NULL)
        return AV_ESYS;
    int rc = first_variation(lag_step_add(st, 0, "delta = (1 + t)/10, lambda "
                             "adjoint | 0")->left, s, LAG_LAMBDA_ADJOINT, s->u, 1);
    if (rc == 0)
        rc = first_variation(lag_step_add(st, 0, "delta = sin(2t)/5 + 1/7, "
                             "lambda adjoint | 0")->left, s, LAG_LAMBDA_ADJOINT,
                             s->u, 2);
    if (rc == 0)
        rc = first_variation(lag_step_add(st, 1, "delta = (1 + t)/10, lambda = "
                             "%s, u = 7/3 | 0", lag_lambda_name(LAG_LAMBDA_TRIG))
                             ->left, s, LAG_LAMBDA_TRIG, ua, 1);
    mpblock_free(ua);
    lag_step_finish(st);
    return rc == 0 ? 0 : averr_set(err, AV_ENUM, "step 4: model failed");
}

int lag_check_loss_is_F(lag_step_t st, lag_state_t s, averr_t err)
{
    static const long uq[LAG_NLAMBDA][2] = {{0, 1}, {7, 3}, {-2, 1}, {1, 3}};
    lag_step_begin(st, 5, "on the solution Loss = int [f + lambda^T 0] dt + "
                   "u^T 0 = F for every lambda and u (h = 0 and g = 0 there)",
                   "lag_check_loss_is_F");
    int rc = 0;
    for (int w = 0; w < LAG_NLAMBDA && rc == 0; w++) {
        mpfr_ptr ua = lag_constant((size_t)s->P->n, uq[w][0], uq[w][1],
                                   s->P->prec, err);
        if (ua == NULL)
            return AV_ESYS;
        lag_row *r;
        if (w == LAG_LAMBDA_ADJOINT)
            r = lag_step_add(st, 0, "Loss, lambda adjoint, u from step 12 | F");
        else if (uq[w][1] == 1)
            r = lag_step_add(st, 0, "Loss, lambda = %s, u = %ld | F",
                             lag_lambda_name(w), uq[w][0]);
        else
            r = lag_step_add(st, 0, "Loss, lambda = %s, u = %ld/%ld | F",
                             lag_lambda_name(w), uq[w][0], uq[w][1]);
        rc = lag_loss(r->left, NULL, NULL, s, w, w ? ua : s->u, 0, err);
        mpfr_set(r->right, s->F_quad, MPFR_RNDN);
        if (rc == 0 && w == LAG_LAMBDA_ONE) {
            lag_row *c = lag_step_add(st, 1, "off the solution, x + (1 + t)/10: "
                                      "Loss, lambda = 1, u = 7/3 | F");
            rc = lag_loss(c->left, c->right, NULL, s, w, ua, 1, err);
        }
        mpblock_free(ua);
    }
    lag_step_finish(st);
    return rc;
}

int lag_check_dloss_dp(lag_step_t st, lag_state_t s, averr_t err)
{
    lag_step_begin(st, 6, "dLoss/dp = dF/dp: central differences of Loss(p) "
                   "(lambda = sin 3t + t^2/2, u = 7/3 held fixed) at doubled "
                   "precision against the forward-sensitivity gradient",
                   "lag_check_dloss_dp");
    int np = s->P->np, n = s->P->n;
    mpfr_ptr g = mpblock_alloc((size_t)(np + n), s->P->prec, err);
    if (g == NULL)
        return AV_ESYS;
    for (int i = 0; i < n; i++) {
        mpfr_set_ui(g + np + i, 7, MPFR_RNDN);
        mpfr_div_ui(g + np + i, g + np + i, 3, MPFR_RNDN);
    }
    int rc = lag_fd_gradient(g, s->P, LAG_LAMBDA_TRIG, g + np, err);
    for (int k = 0; k < np && rc == 0; k++) {
        lag_row *r = lag_step_add(st, 0, "dLoss/d%s | dF/d%s",
                                  s->P->model->param_names[k],
                                  s->P->model->param_names[k]);
        mpfr_set(r->left, g + k, MPFR_RNDN);
        mpfr_set(r->right, s->grad_sens + k, MPFR_RNDN);
    }
    mpblock_free(g);
    lag_step_finish(st);
    return rc;
}
