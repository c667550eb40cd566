/* lagrangian_general: the result of the notes' derivation for any model of
 * implicit.h, from its callbacks alone: x' from h = 0 and x(0) from g = 0
 * by Newton's method, x forward and [x, lambda] backwards on the
 * Gragg-Bulirsch-Stoer integrator through the adjoint equation (10)
 * solved for lambda', and the gradient (13) by Gauss-Legendre quadrature.
 * With impl_model_neural it is the essay's adjoint (seed 000, 2.2-2.3).
 * References: Cao, Li, Petzold and Serban, SIAM J. Sci. Comput. 24 (2003);
 * Hairer, Norsett, Wanner I, II.9.
 */
#include <stdlib.h>
#include <string.h>
#include "lagrangian.h"
#include "../integrate/gbs.h"
#include "../numbers/mpvec.h"

#define GEN_NEWTON_MAX 50

typedef struct {
    const impl_problem_struct *P;
    size_t n;
    mpfr_ptr work, xd, xdd, r, M, hx, hxd, dth, fx, rhs, tmp;
    mpfr_ptr block;
    size_t *piv;
} gen_ctx;

static int gen_init(gen_ctx *c, const impl_problem_struct *P, averr_t err)
{
    size_t n = (size_t)P->n, nn = n * n;
    c->P = P;
    c->n = n;
    c->piv = malloc(n * sizeof *c->piv);
    c->block = c->piv ? mpblock_alloc((size_t)P->nwork + 6 * n + 4 * nn + 2,
                                      P->prec, err) : NULL;
    if (c->block == NULL) {
        free(c->piv);
        return averr_set(err, AV_ESYS, "general adjoint: out of memory");
    }
    c->work = c->block;
    c->xd = c->work + P->nwork;
    c->xdd = c->xd + n;
    c->r = c->xdd + n;
    c->fx = c->r + n;
    c->rhs = c->fx + n;
    c->M = c->rhs + n;
    c->hx = c->M + nn;
    c->hxd = c->hx + nn;
    c->dth = c->hxd + nn;
    c->tmp = c->dth + nn;
    return 0;
}

static void gen_clear(gen_ctx *c)
{
    mpblock_free(c->block);
    free(c->piv);
}

/* Solves A(v) = 0 for V (n values, in place from its start value) by
 * Newton's method, with A = h in x' (WHICH = 0) or g in x(0) (WHICH = 1). */
static int newton_solve(gen_ctx *c, mpfr_ptr v, mpfr_srcptr t, mpfr_srcptr x,
                        int which)
{
    const impl_model *m = c->P->model;
    impl_point pt = {t, which ? v : x, which ? NULL : v, c->xdd};
    int rc = 0;
    for (int it = 0; it < GEN_NEWTON_MAX && rc == 0; it++) {
        rc = (which ? m->g : m->h)(c->r, &pt, c->P, c->work);
        if (rc == 0)
            rc = (which ? m->g_x0 : m->h_xd)(c->M, &pt, c->P, c->work);
        if (rc != 0 || (rc = mplu_factor(c->M, c->piv, c->n, c->tmp, NULL)) != 0)
            break;
        mplu_solve(c->r, c->M, c->piv, c->r, c->n, 0, c->tmp);
        mpvec_sub(v, v, c->r, c->n);
        mpvec_norm_max(c->tmp + 1, c->r, c->n);
        /* the update below the working precision: converged */
        if (mpfr_zero_p(c->tmp + 1)
            || mpfr_get_exp(c->tmp + 1) < -(mpfr_exp_t)c->P->prec + 8)
            return 0;
    }
    return rc != 0 ? rc : AV_ENUM;
}

static int forward_F(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr y,
                     void *ctx)
{
    (void)aux;
    gen_ctx *c = ctx;
    mpvec_set(out, c->xd, c->n);            /* last x' as the start value */
    int rc = newton_solve(c, out, t, y, 0);
    if (rc == 0)
        mpvec_set(c->xd, out, c->n);
    return rc;
}

/* y = [x, lambda]: x' from h = 0, and lambda' from (10),
 * h_x'^T lambda' = f_x^T + h_x^T lambda - (d/dt h_x')^T lambda. */
static int backward_F(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr y,
                      void *ctx)
{
    gen_ctx *c = ctx;
    const impl_model *m = c->P->model;
    size_t n = c->n;
    int rc = forward_F(out, aux, t, y, ctx);
    impl_point pt = {t, y, out, c->xdd};
    if (rc == 0 && (rc = m->h_x(c->hx, &pt, c->P, c->work)) == 0
        && (rc = m->h_xd(c->hxd, &pt, c->P, c->work)) == 0
        && (rc = m->dt_h_xd(c->dth, &pt, c->P, c->work)) == 0)
        rc = m->f_x(c->fx, &pt, c->P, c->work);
    if (rc != 0)
        return rc;
    for (size_t l = 0; l < n; l++) {
        mpfr_set(c->rhs + l, c->fx + l, MPFR_RNDN);
        for (size_t i = 0; i < n; i++) {
            mpfr_sub(c->tmp, c->hx + i * n + l, c->dth + i * n + l, MPFR_RNDN);
            mpfr_fma(c->rhs + l, c->tmp, y + n + i, c->rhs + l, MPFR_RNDN);
        }
    }
    if ((rc = mplu_factor(c->hxd, c->piv, n, c->tmp, NULL)) != 0)
        return rc;
    mplu_solve(out + n, c->hxd, c->piv, c->rhs, n, 1, c->tmp);
    return 0;
}


/* Scratch of one solve, in one block. */
typedef struct {
    mpfr_ptr ts, X, LAM, yb, vals, hp, fp, f, u, g, gx0, est, block;
} gen_mem;

static int mem_init(gen_mem *m, size_t S, size_t n, size_t np,
                    mpfr_prec_t prec, averr_t err)
{
    size_t N = S - 2;
    m->block = mpblock_alloc(S * (1 + 2 * n) + 2 * n + N * (np + 1)
                             + n * np + np + 1 + 2 * n + n * n + 1, prec, err);
    if (m->block == NULL)
        return AV_ESYS;
    m->ts = m->block;
    m->X = m->ts + S;
    m->LAM = m->X + S * n;
    m->yb = m->LAM + S * n;
    m->vals = m->yb + 2 * n;
    m->hp = m->vals + N * (np + 1);
    m->fp = m->hp + n * np;
    m->f = m->fp + np;
    m->u = m->f + 1;
    m->g = m->u + n;
    m->gx0 = m->g + n;
    m->est = m->gx0 + n * n;
    return 0;
}

/* x(0) from g = 0, then x at every sample, forward. */
static int sweep_forward(gen_mem *m, gen_ctx *c, size_t S, gbs_work_t w,
                         averr_t err)
{
    rk_system sys = {c->n, 0, forward_F, NULL, c};
    mpvec_zero(m->X, c->n);
    mpvec_zero(c->xd, c->n);
    int rc = newton_solve(c, m->X, m->ts, NULL, 1);
    if (rc != 0)
        return averr_set(err, AV_ENUM, "general adjoint: g(x(0), p) = 0 "
                         "not solved");
    if ((rc = newton_solve(c, c->xd, m->ts, m->X, 0)) != 0)
        return averr_set(err, AV_ENUM, "general adjoint: h = 0 not solved "
                         "for x'(0)");
    for (size_t j = 1; j < S && rc == 0; j++) {
        mpvec_set(m->X + j * c->n, m->X + (j - 1) * c->n, c->n);
        rc = gbs_solve(m->X + j * c->n, m->est, &sys, m->ts + j - 1, m->ts + j,
                       w, err);
    }
    return rc;
}

/* lambda(T) from h_x'(T)^T lambda(T) = -phi_x^T, then [x, lambda]
 * backwards, x reset to its forward value at every sample. */
static int sweep_backward(gen_mem *m, gen_ctx *c, size_t S, gbs_work_t w,
                          averr_t err)
{
    const impl_model *md = c->P->model;
    size_t n = c->n;
    rk_system sys = {2 * n, 0, backward_F, NULL, c};
    mpfr_ptr xT = m->X + (S - 1) * n, lT = m->LAM + (S - 1) * n;
    impl_point pt = {m->ts + S - 1, xT, c->xd, c->xdd};
    int rc = newton_solve(c, c->xd, pt.t, xT, 0);
    mpvec_zero(lT, n);
    if (rc == 0 && md->phi_x != NULL) {
        if ((rc = md->phi_x(c->rhs, &pt, c->P, c->work)) == 0
            && (rc = md->h_xd(c->M, &pt, c->P, c->work)) == 0
            && (rc = mplu_factor(c->M, c->piv, n, c->tmp, err)) == 0) {
            mplu_solve(lT, c->M, c->piv, c->rhs, n, 1, c->tmp);
            for (size_t i = 0; i < n; i++)
                mpfr_neg(lT + i, lT + i, MPFR_RNDN);
        }
    }
    for (size_t j = S - 1; j > 0 && rc == 0; j--) {
        mpvec_set(m->yb, m->X + j * n, n);
        mpvec_set(m->yb + n, m->LAM + j * n, n);
        rc = gbs_solve(m->yb, m->est, &sys, m->ts + j, m->ts + j - 1, w, err);
        mpvec_set(m->LAM + (j - 1) * n, m->yb + n, n);
    }
    return rc;
}

/* GRAD = int (f_p + lambda^T h_p) dt + u^T g_p; F = int f dt + phi. */
static int form_result(mpfr_ptr grad, mpfr_ptr F, gen_mem *m, gen_ctx *c,
                       quad_rule_t r, size_t S)
{
    const impl_model *md = c->P->model;
    size_t n = c->n, np = (size_t)c->P->np;
    int rc = 0;
    for (size_t j = 1; j + 1 < S && rc == 0; j++) {
        impl_point pt = {m->ts + j, m->X + j * n, c->xd, c->xdd};
        mpfr_ptr v = m->vals + (j - 1) * (np + 1);
        if ((rc = newton_solve(c, c->xd, pt.t, pt.x, 0)) == 0
            && (rc = md->h_p(m->hp, &pt, c->P, c->work)) == 0
            && (rc = md->f_p(m->fp, &pt, c->P, c->work)) == 0)
            rc = md->f(v + np, &pt, c->P, c->work);
        for (size_t k = 0; k < np && rc == 0; k++) {
            mpfr_set(v + k, m->fp + k, MPFR_RNDN);
            for (size_t i = 0; i < n; i++)
                mpfr_fma(v + k, m->LAM + j * n + i, m->hp + i * np + k, v + k,
                         MPFR_RNDN);
        }
    }
    impl_point p0 = {m->ts, m->X, c->xd, c->xdd};
    if (rc != 0 || (rc = newton_solve(c, c->xd, p0.t, p0.x, 0)) != 0
        || (rc = md->h_xd(c->M, &p0, c->P, c->work)) != 0
        || (rc = md->g_x0(m->gx0, &p0, c->P, c->work)) != 0
        || (rc = md->g_p(m->hp, &p0, c->P, c->work)) != 0)
        return rc;
    /* (12): g_x0^T u = h_x'(0)^T lambda(0) */
    for (size_t l = 0; l < n; l++) {
        mpfr_set_zero(m->u + l, 1);
        for (size_t i = 0; i < n; i++)
            mpfr_fma(m->u + l, c->M + i * n + l, m->LAM + i, m->u + l, MPFR_RNDN);
    }
    if ((rc = mplu_factor(m->gx0, c->piv, n, c->tmp, NULL)) != 0)
        return rc;
    mplu_solve(m->u, m->gx0, c->piv, m->u, n, 1, c->tmp);
    for (size_t k = 0; k < np; k++) {
        quad_rule_sum(grad + k, r, m->vals + k, np + 1);
        for (size_t i = 0; i < n; i++)
            mpfr_fma(grad + k, m->u + i, m->hp + i * np + k, grad + k, MPFR_RNDN);
    }
    if (F == NULL)
        return 0;
    quad_rule_sum(F, r, m->vals + np, np + 1);
    impl_point pT = {m->ts + S - 1, m->X + (S - 1) * n, c->xd, c->xdd};
    if (md->phi != NULL && (rc = md->phi(m->f, &pT, c->P, c->work)) == 0)
        mpfr_add(F, F, m->f, MPFR_RNDN);
    return rc;
}

int lag_general_gradient(mpfr_ptr grad, mpfr_ptr F, mpfr_ptr lam0,
                         const impl_problem_t P, averr_t err)
{
    mpfr_prec_t prec = P->prec;
    long bits = (long)prec - 16;
    int nodes = (int)(prec / 8) + 8, rc;
    quad_gl_t gl;
    quad_rule_t r;
    gen_ctx c;
    gen_mem m;
    gbs_work_t wf, wb;
    if ((rc = quad_gl_init(gl, nodes, prec, err)) != 0)
        return rc;
    size_t N = (size_t)nodes * 8, S = N + 2, n = (size_t)P->n;
    if ((rc = gen_init(&c, P, err)) != 0) {
        quad_gl_clear(gl);
        return rc;
    }
    rk_system sf = {n, 0, forward_F, NULL, &c}, sb = {2 * n, 0, backward_F, NULL, &c};
    int have_wf = 0, have_wb = 0, have_r = 0;
    if ((rc = mem_init(&m, S, n, (size_t)P->np, prec, err)) == 0
        && (rc = quad_rule_init(r, gl, m.est, P->T, 8, err)) == 0
        && (have_r = 1)
        && (rc = gbs_work_init(wf, &sf, gbs_levels_for_bits(bits), bits, prec,
                               err)) == 0
        && (have_wf = 1)
        && (rc = gbs_work_init(wb, &sb, gbs_levels_for_bits(bits), bits, prec,
                               err)) == 0) {
        have_wb = 1;
        mpfr_set_zero(m.ts, 1);
        for (size_t j = 0; j < N; j++)
            mpfr_set(m.ts + j + 1, r->t + j, MPFR_RNDN);
        mpfr_set(m.ts + S - 1, P->T, MPFR_RNDN);
        mpfr_clear_flags();
        if ((rc = sweep_forward(&m, &c, S, wf, err)) == 0
            && (rc = sweep_backward(&m, &c, S, wb, err)) == 0
            && (rc = form_result(grad, F, &m, &c, r, S)) != 0)
            averr_set(err, AV_ENUM, "general adjoint: a model callback failed");
        if (rc == 0 && (mpfr_nanflag_p() || mpfr_overflow_p()))
            rc = averr_set(err, AV_ENUM, "general adjoint: NaN or overflow");
        if (rc == 0 && lam0 != NULL)
            mpvec_set(lam0, m.LAM, n);
    }
    if (have_wb)
        gbs_work_clear(wb);
    if (have_wf)
        gbs_work_clear(wf);
    if (have_r)
        quad_rule_clear(r);
    mpblock_free(m.block);
    gen_clear(&c);
    quad_gl_clear(gl);
    return rc;
}
