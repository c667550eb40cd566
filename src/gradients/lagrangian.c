/* lagrangian: one solve of an implicit-ODE problem on a Gauss-Legendre
 * rule (x, x_p, lambda at the nodes), F, the forward-sensitivity and
 * adjoint gradients, and the Loss of the notes for any lambda and u.
 * The steps of the derivation that read this state: lagrangian_steps.c
 * and lagrangian_adjoint.c.
 */
#include <string.h>
#include "lagrangian_impl.h"
#include "../integrate/ntaylor.h"
#include "../numbers/mpvec.h"

void lag_opts_default(lag_opts *o, mpfr_prec_t prec)
{
    o->prec = prec;
    o->nodes = 0;
    o->panels = 0;
    o->variant = LAG_EXACT;
    o->want_fd = 1;
}

size_t lag_sc_size(int n, int np, int nwork)
{
    size_t w = (size_t)n, nn = w * w, p = w * (size_t)np;
    return (size_t)nwork + 4 * nn + 3 * p + 3 * w + 1 + 2 * (size_t)np + 7 * w
           + 8;
}

void lag_sc_map(lag_sc *m, const lag_state_struct *s)
{
    size_t w = (size_t)s->P->n, nn = w * w, p = w * (size_t)s->P->np;
    mpfr_ptr q = s->sc;
    m->work = q;   q += s->P->nwork;
    m->h = q;      q += w;
    m->hx = q;     q += nn;
    m->hxd = q;    q += nn;
    m->hp = q;     q += p;
    m->dthxd = q;  q += nn;
    m->g = q;      q += w;
    m->gx0 = q;    q += nn;
    m->gp = q;     q += p;
    m->f = q;      q += 1;
    m->fx = q;     q += w;
    m->fp = q;     q += (size_t)s->P->np;
    m->lam = q;    q += w;
    m->lamd = q;   q += w;
    m->x = q;      q += w;
    m->xd = q;     q += w;
    m->xdd = q;    q += w;
    m->lin = q;    q += p;
    m->bnd = q;    q += (size_t)s->P->np;
    m->adl = q;    q += w;
    m->adr = q;    q += w;
    m->tmp = q;
}

void lag_sum(mpfr_ptr out, lag_state_t s, size_t m)
{
    for (size_t c = 0; c < m; c++)
        quad_rule_sum(out + c, s->rule, s->vals + c, m);
}

int lag_call(impl_fn fn, mpfr_ptr out, const impl_point *pt, lag_state_t s,
             lag_sc *m)
{
    return fn(out, pt, s->P, m->work);
}

void lag_copy_current(impl_problem_t P, const impl_problem_t src)
{
    mpfr_t q;
    mpfr_init2(q, src->prec);
    for (int k = 0; k < src->np; k++) {
        mpfr_set_q(q, src->p_q[k], MPFR_RNDN);
        if (!mpfr_equal_p(q, src->p + k))
            mpfr_set(P->p + k, src->p + k, MPFR_RNDN);
    }
    mpfr_clear(q);
}

/* u from the t = 0 term: g_x0^T u = h_x'(0)^T lambda(0). */
static int form_multiplier(lag_state_t s, lag_sc *m, averr_t err)
{
    int n = s->P->n, rc = 0;
    size_t piv[LAG_MAX_N];
    impl_point pt;
    if (s->variant == LAG_DROP_BOUNDARY) {
        mpvec_zero(s->u, (size_t)n);
        return 0;
    }
    impl_traj_point(&pt, s->tr, 0);
    if ((rc = lag_call(s->P->model->h_xd, m->hxd, &pt, s, m)) != 0
        || (rc = lag_call(s->P->model->g_x0, m->gx0, &pt, s, m)) != 0)
        return rc;
    for (int j = 0; j < n; j++) {
        mpfr_set_zero(s->u + j, 1);
        for (int i = 0; i < n; i++)
            mpfr_fma(s->u + j, m->hxd + i * n + j, s->tr->lam + i, s->u + j,
                     MPFR_RNDN);
    }
    if ((rc = mplu_factor(m->gx0, piv, (size_t)n, m->tmp, err)) != 0)
        return averr_prefix(err, "multiplier u: g_x0");
    mplu_solve(s->u, m->gx0, piv, s->u, (size_t)n, 1, m->tmp);
    return 0;
}

/* grad_sens = int (f_x x_p + f_p) and grad_adj = int (f_p + lambda^T h_p)
 * + u^T g_p, as the flags ask. */
static int form_gradients(lag_state_t s, lag_sc *m, int sens, int adj,
                          averr_t err)
{
    const impl_model *md = s->P->model;
    int n = s->P->n, np = s->P->np, rc = 0;
    impl_point pt;
    for (int pass = 0; pass < 2; pass++) {
        if ((pass == 0 && !sens) || (pass == 1 && !adj))
            continue;
        for (size_t j = 0; j < s->rule->N && rc == 0; j++) {
            impl_traj_point(&pt, s->tr, j + 1);
            rc = lag_call(md->f_p, m->fp, &pt, s, m);
            if (rc == 0)
                rc = lag_call(pass ? md->h_p : md->f_x, pass ? m->hp : m->fx,
                              &pt, s, m);
            for (int k = 0; k < np && rc == 0; k++) {
                mpfr_ptr v = s->vals + j * (size_t)np + k;
                mpfr_set(v, m->fp + k, MPFR_RNDN);
                for (int i = 0; i < n; i++)
                    if (pass)
                        mpfr_fma(v, s->tr->lam + (j + 1) * n + i,
                                 m->hp + i * np + k, v, MPFR_RNDN);
                    else
                        mpfr_fma(v, m->fx + i,
                                 s->tr->xp + ((j + 1) * n + i) * np + k, v,
                                 MPFR_RNDN);
            }
        }
        if (rc == 0)
            lag_sum(pass ? s->grad_adj : s->grad_sens, s, (size_t)np);
    }
    if (rc != 0 || !adj)
        return rc;
    if ((rc = form_multiplier(s, m, err)) != 0)
        return rc;
    impl_traj_point(&pt, s->tr, 0);
    if ((rc = lag_call(md->g_p, m->gp, &pt, s, m)) != 0)
        return rc;
    for (int k = 0; k < np; k++)
        for (int i = 0; i < n; i++)
            mpfr_fma(s->grad_adj + k, s->u + i, m->gp + i * np + k,
                     s->grad_adj + k, MPFR_RNDN);
    return 0;
}

int lag_state_build(lag_state_t s, const impl_problem_t src, const lag_opts *o,
                    int keep_p, int flags, averr_t err)
{
    int want_sens = (flags & LAG_BUILD_SENS) != 0;
    int want_adj = (flags & LAG_BUILD_ADJ) != 0;
    memset(s, 0, sizeof *s);
    if (src->n > LAG_MAX_N || src->np > LAG_MAX_NP)
        return averr_set(err, AV_EINPUT, "Lagrangian: state width %d or %d "
                         "parameters over %d, %d", src->n, src->np, LAG_MAX_N,
                         LAG_MAX_NP);
    int rc = impl_init_copy(s->P, src, o->prec, err);
    if (rc != 0)
        return rc;
    if (keep_p)
        lag_copy_current(s->P, src);
    s->variant = o->variant;
    int nodes = o->nodes > 0 ? o->nodes : (int)(o->prec / 8) + 8;
    long panels = o->panels > 0 ? o->panels : 8;
    size_t n = (size_t)src->n, np = (size_t)src->np, N;
    if ((rc = quad_gl_init(s->gl, nodes, o->prec, err)) != 0)
        goto fail;
    N = (size_t)nodes * (size_t)panels;
    s->block = mpblock_alloc(3 + n + 3 * np + N * (2 * np + 2)
                             + lag_sc_size(src->n, src->np, src->nwork),
                             o->prec, err);
    if (s->block == NULL) {
        rc = AV_ESYS;
        goto fail;
    }
    s->F_quad = s->block + 1;          /* block[0] stays 0: the left end */
    s->F_series = s->F_quad + 1;
    s->u = s->F_series + 1;
    s->grad_sens = s->u + n;
    s->grad_adj = s->grad_sens + np;
    s->grad_fd = s->grad_adj + np;
    s->vals = s->grad_fd + np;
    s->sc = s->vals + N * (2 * np + 2);
    if ((rc = quad_rule_init(s->rule, s->gl, s->block, s->P->T, panels, err))
        || (rc = impl_traj_init(s->tr, N + 2, src->n, src->np, o->prec, err)))
        goto fail;
    mpfr_set_zero(s->tr->t, 1);
    for (size_t j = 0; j < N; j++)
        mpfr_set(s->tr->t + j + 1, s->rule->t + j, MPFR_RNDN);
    mpfr_set(s->tr->t + N + 1, s->P->T, MPFR_RNDN);
    ntaylor_opts no = {want_sens, want_adj,
                       o->variant == LAG_SIGN_ERROR ? -1 : 1, 0,
                       !(flags & LAG_BUILD_DERIVS)};
    if ((rc = ntaylor_solve(s->tr, want_sens ? s->F_series : NULL, &s->nsteps,
                            s->P, &no, err)))
        goto fail;
    lag_sc m;
    lag_sc_map(&m, s);
    if ((rc = lag_loss(NULL, s->F_quad, NULL, s, LAG_NLAMBDA, NULL, 0, err))
        || (rc = form_gradients(s, &m, want_sens, want_adj, err)))
        goto fail;
    return 0;
fail:
    lag_state_clear(s);
    return rc;
}

int lag_state_init(lag_state_t s, const impl_problem_t src, const lag_opts *o,
                   averr_t err)
{
    int rc = lag_state_build(s, src, o, 0, LAG_BUILD_SENS | LAG_BUILD_ADJ
                             | LAG_BUILD_DERIVS, err);
    if (rc != 0 || !o->want_fd)
        return rc;
    if ((rc = lag_fd_gradient(s->grad_fd, s->P, LAG_NLAMBDA, NULL, err)) != 0) {
        lag_state_clear(s);
        return rc;
    }
    s->has_fd = 1;
    return 0;
}

void lag_state_clear(lag_state_t s)
{
    impl_traj_clear(s->tr);
    quad_rule_clear(s->rule);
    quad_gl_clear(s->gl);
    mpblock_free(s->block);
    impl_clear(s->P);
    memset(s, 0, sizeof *s);
}
