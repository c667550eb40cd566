/* lagrangian_loss: the notes' Loss (4) for any lambda(t) and u, on the
 * solution or on a perturbed trajectory; F and Loss as functions of p;
 * their central differences at doubled precision; the adjoint gradient at
 * any parameter values (for Newton's method).
 */
#include "lagrangian_impl.h"
#include "../numbers/mpvec.h"

const char *lag_lambda_name(lag_lambda which)
{
    switch (which) {
    case LAG_LAMBDA_ADJOINT: return "adjoint";
    case LAG_LAMBDA_ONE:     return "1";
    case LAG_LAMBDA_TRIG:    return "sin 3t + t^2/2";
    case LAG_LAMBDA_DAMPED:  return "e^-t cos 5t";
    default:                 return "none";
    }
}

/* L, LD = one of the closed-form lambdas and its derivative at T. */
static void lambda_closed(mpfr_ptr l, mpfr_ptr ld, lag_lambda which,
                          mpfr_srcptr t, mpfr_ptr e)
{
    switch (which) {
    case LAG_LAMBDA_ONE:
        mpfr_set_ui(l, 1, MPFR_RNDN);
        mpfr_set_zero(ld, 1);
        break;
    case LAG_LAMBDA_TRIG:                   /* (sin 3t + t^2/2)' = 3 cos 3t + t */
        mpfr_mul_ui(e, t, 3, MPFR_RNDN);
        mpfr_sin_cos(l, ld, e, MPFR_RNDN);
        mpfr_mul_ui(ld, ld, 3, MPFR_RNDN);
        mpfr_add(ld, ld, t, MPFR_RNDN);
        mpfr_sqr(e, t, MPFR_RNDN);
        mpfr_div_2ui(e, e, 1, MPFR_RNDN);
        mpfr_add(l, l, e, MPFR_RNDN);
        break;
    case LAG_LAMBDA_DAMPED:                 /* (e^-t cos 5t)' = -e^-t (cos 5t + 5 sin 5t) */
        mpfr_mul_ui(e, t, 5, MPFR_RNDN);
        mpfr_sin_cos(ld, l, e, MPFR_RNDN);
        mpfr_mul_ui(ld, ld, 5, MPFR_RNDN);
        mpfr_add(ld, ld, l, MPFR_RNDN);
        mpfr_neg(e, t, MPFR_RNDN);
        mpfr_exp(e, e, MPFR_RNDN);
        mpfr_mul(l, l, e, MPFR_RNDN);
        mpfr_mul(ld, ld, e, MPFR_RNDN);
        mpfr_neg(ld, ld, MPFR_RNDN);
        break;
    default:
        mpfr_set_zero(l, 1);
        mpfr_set_zero(ld, 1);
    }
}

void lag_lambda_eval(mpfr_ptr lam, mpfr_ptr lamd, lag_lambda which,
                     lag_state_t s, size_t j)
{
    size_t n = (size_t)s->P->n;
    if (which == LAG_LAMBDA_ADJOINT) {
        mpvec_set(lam, s->tr->lam + j * n, n);
        mpvec_set(lamd, s->tr->lamd + j * n, n);
        return;
    }
    lag_sc m;
    lag_sc_map(&m, s);
    lambda_closed(lam, lamd, which, s->tr->t + j, m.tmp + 7);
    for (size_t i = 1; i < n; i++) {
        mpfr_set(lam + i, lam, MPFR_RNDN);
        mpfr_set(lamd + i, lamd, MPFR_RNDN);
    }
}

void lag_delta(mpfr_ptr d, mpfr_ptr dd, mpfr_ptr ddd, int D, mpfr_srcptr t)
{
    if (D == 1) {                           /* (1 + t)/10 */
        mpfr_add_ui(d, t, 1, MPFR_RNDN);
        mpfr_div_ui(d, d, 10, MPFR_RNDN);
        mpfr_set_ui(dd, 1, MPFR_RNDN);
        mpfr_div_ui(dd, dd, 10, MPFR_RNDN);
        mpfr_set_zero(ddd, 1);
    } else if (D == 2) {                    /* sin(2t)/5 + 1/7 = (7 sin 2t + 5)/35 */
        mpfr_mul_2ui(ddd, t, 1, MPFR_RNDN);
        mpfr_sin_cos(d, dd, ddd, MPFR_RNDN);
        mpfr_mul_si(ddd, d, -4, MPFR_RNDN);
        mpfr_div_ui(ddd, ddd, 5, MPFR_RNDN);
        mpfr_mul_2ui(dd, dd, 1, MPFR_RNDN);
        mpfr_div_ui(dd, dd, 5, MPFR_RNDN);
        mpfr_mul_ui(d, d, 7, MPFR_RNDN);
        mpfr_add_ui(d, d, 5, MPFR_RNDN);
        mpfr_div_ui(d, d, 35, MPFR_RNDN);
    } else {
        mpfr_set_zero(d, 1);
        mpfr_set_zero(dd, 1);
        mpfr_set_zero(ddd, 1);
    }
}

void lag_point(impl_point *pt, lag_sc *m, const lag_state_struct *s, size_t j,
               int D)
{
    impl_traj_point(pt, s->tr, j);
    if (D == 0)
        return;
    size_t n = (size_t)s->P->n;
    lag_delta(m->tmp, m->tmp + 1, m->tmp + 2, D, pt->t);
    for (size_t i = 0; i < n; i++) {
        mpfr_add(m->x + i, pt->x + i, m->tmp, MPFR_RNDN);
        mpfr_add(m->xd + i, pt->xd + i, m->tmp + 1, MPFR_RNDN);
        mpfr_add(m->xdd + i, pt->xdd + i, m->tmp + 2, MPFR_RNDN);
    }
    pt->x = m->x;
    pt->xd = m->xd;
    pt->xdd = m->xdd;
}

int lag_loss(mpfr_ptr loss, mpfr_ptr F, mpfr_ptr cterm, lag_state_t s,
             lag_lambda which, mpfr_srcptr u, int D, averr_t err)
{
    const impl_model *md = s->P->model;
    int n = s->P->n, rc = 0, lam = loss != NULL || cterm != NULL;
    lag_sc m;
    lag_sc_map(&m, s);
    impl_point pt;
    /* f and lambda^T h summed apart, so that Loss - F = int lambda^T h +
     * u^T g is formed without cancellation */
    for (size_t j = 0; j < s->rule->N && rc == 0; j++) {
        lag_point(&pt, &m, s, j + 1, D);
        mpfr_ptr v = s->vals + 2 * j;
        rc = lag_call(md->f, v, &pt, s, &m);
        mpfr_set_zero(v + 1, 1);
        if (rc != 0 || !lam)
            continue;
        rc = lag_call(md->h, m.h, &pt, s, &m);
        lag_lambda_eval(m.lam, m.lamd, which, s, j + 1);
        for (int i = 0; i < n; i++)
            mpfr_fma(v + 1, m.lam + i, m.h + i, v + 1, MPFR_RNDN);
    }
    if (rc != 0)
        return averr_prefix(err, "Loss");
    lag_sum(m.tmp + 3, s, 2);
    if (F != NULL)
        mpfr_set(F, m.tmp + 3, MPFR_RNDN);
    if (!lam)
        return 0;
    lag_point(&pt, &m, s, 0, D);
    if ((rc = lag_call(md->g, m.g, &pt, s, &m)) != 0)
        return averr_prefix(err, "Loss: g");
    for (int i = 0; i < n; i++)
        mpfr_fma(m.tmp + 4, u + i, m.g + i, m.tmp + 4, MPFR_RNDN);
    if (cterm != NULL)
        mpfr_set(cterm, m.tmp + 4, MPFR_RNDN);
    if (loss != NULL)
        mpfr_add(loss, m.tmp + 3, m.tmp + 4, MPFR_RNDN);
    return 0;
}

int lag_constraint_terms(mpfr_ptr out, lag_state_t s, lag_lambda which,
                         mpfr_srcptr u, averr_t err)
{
    return lag_loss(NULL, NULL, out, s, which, u, 0, err);
}

int lag_objective(mpfr_ptr F, mpfr_ptr loss, const impl_problem_t P,
                  lag_lambda which, mpfr_srcptr u, int nodes, long panels,
                  averr_t err)
{
    lag_opts o = {P->prec, nodes, panels, LAG_EXACT, 0};
    lag_state_t s;
    int rc = lag_state_build(s, P, &o, 1, loss ? LAG_BUILD_DERIVS : 0, err);
    if (rc != 0)
        return rc;
    if (F != NULL)
        mpfr_set(F, s->F_quad, MPFR_RNDN);
    if (loss != NULL)
        rc = lag_loss(loss, NULL, NULL, s, which, u, 0, err);
    lag_state_clear(s);
    return rc;
}

int lag_fd_gradient(mpfr_ptr out, const impl_problem_t src, lag_lambda which,
                    mpfr_srcptr u, averr_t err)
{
    mpfr_prec_t prec = src->prec, prec2 = 2 * prec;
    impl_problem_t P2;
    int rc = impl_init_copy(P2, src, prec2, err);
    if (rc != 0)
        return rc;
    lag_copy_current(P2, src);
    size_t n = (size_t)src->n;
    mpfr_ptr t = mpblock_alloc(5 + n, prec2, err);
    if (t == NULL) {
        impl_clear(P2);
        return AV_ESYS;
    }
    mpfr_ptr h = t, save = t + 1, vp = t + 2, vm = t + 3, u2 = t + 5;
    if (u != NULL)
        mpvec_set(u2, u, n);
    mpfr_set_ui(h, 1, MPFR_RNDN);
    mpfr_mul_2si(h, h, -(long)(prec / 2 + 8), MPFR_RNDN);
    int want_loss = which != LAG_NLAMBDA;
    for (int k = 0; k < src->np && rc == 0; k++) {
        mpfr_set(save, P2->p + k, MPFR_RNDN);
        mpfr_add(P2->p + k, save, h, MPFR_RNDN);
        rc = lag_objective(want_loss ? NULL : vp, want_loss ? vp : NULL, P2,
                           which, u2, 0, 0, err);
        mpfr_sub(P2->p + k, save, h, MPFR_RNDN);
        if (rc == 0)
            rc = lag_objective(want_loss ? NULL : vm, want_loss ? vm : NULL, P2,
                               which, u2, 0, 0, err);
        mpfr_set(P2->p + k, save, MPFR_RNDN);
        mpfr_sub(t + 4, vp, vm, MPFR_RNDN);
        mpfr_div(t + 4, t + 4, h, MPFR_RNDN);
        mpfr_div_2ui(out + k, t + 4, 1, MPFR_RNDN);
    }
    mpblock_free(t);
    impl_clear(P2);
    return rc == 0 ? 0 : averr_prefix(err, "central differences");
}

int lag_adjoint_gradient(mpfr_ptr grad, mpfr_ptr F, const impl_problem_t P,
                         lag_variant variant, averr_t err)
{
    lag_opts o = {P->prec, 0, 0, variant, 0};
    lag_state_t s;
    int rc = lag_state_build(s, P, &o, 1, LAG_BUILD_ADJ, err);
    if (rc != 0)
        return rc;
    mpvec_set(grad, s->grad_adj, (size_t)P->np);
    if (F != NULL)
        mpfr_set(F, s->F_quad, MPFR_RNDN);
    lag_state_clear(s);
    return 0;
}
