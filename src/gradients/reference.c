/* reference: route 1 of the reference gradient (forward sensitivities on
 * the extrapolation integrator), dL/dz(t) by the variational equation, and
 * the options.  Route 2 is in reference_adjoint.c.
 * Reference: Hairer, Norsett, Wanner I, I.14 (variational equations).
 */
#include <string.h>
#include "reference.h"
#include "../integrate/gbs.h"
#include "../numbers/mpvec.h"

void ref_opts_default(ref_opts *o, mpfr_prec_t prec)
{
    memset(o, 0, sizeof *o);
    o->wprec = prec + 64;
    o->bits = (long)prec + 24;
    o->levels = gbs_levels_for_bits(o->bits);
    o->panels = 8;
    o->grade = 6;
    o->nodes = o->bits / 8 < 8 ? 8 : (int)(o->bits / 8);
    o->adjoint_sign = 1;
}

/* The system y = [z, Phi (NPHI columns), S (NSENS columns)], each column d
 * values; with RESCALE the field is T f(z, T s). */
typedef struct {
    const problem_struct *p;
    int nphi, nsens, rescale;
    mpfr_ptr work, aux, ft, e, tt, block;
} sens_ctx;

static int sens_ctx_init(sens_ctx *c, const problem_t p, int nphi, int nsens,
                         int rescale, averr_t err)
{
    size_t d = (size_t)p->d;
    c->p = p;
    c->nphi = nphi;
    c->nsens = nsens;
    c->rescale = rescale;
    c->block = mpblock_alloc((size_t)p->nwork + (size_t)p->naux + d * (size_t)p->ntheta
                             + d + 1, p->prec, err);
    if (c->block == NULL)
        return AV_ESYS;
    c->work = c->block;
    c->aux = c->work + p->nwork;
    c->ft = c->aux + p->naux;
    c->e = c->ft + d * (size_t)p->ntheta;
    c->tt = c->e + d;
    return 0;
}

static size_t sens_dim(const sens_ctx *c)
{
    return (size_t)c->p->d * (size_t)(1 + c->nphi + c->nsens);
}

static int sens_F(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr y, void *vctx)
{
    (void)aux;
    sens_ctx *c = vctx;
    const problem_struct *p = c->p;
    size_t d = (size_t)p->d, nth = (size_t)p->ntheta;
    const model_desc *m = p->model;
    if (c->rescale)
        mpfr_mul(c->tt, t, p->T, MPFR_RNDN);
    else
        mpfr_set(c->tt, t, MPFR_RNDN);
    int st = m->f(out, c->aux, c->tt, y, p, c->work);
    for (int k = 0; k < c->nphi + c->nsens && st == 0; k++)
        st = m->jvp_z(out + d * (size_t)(1 + k), c->tt, y, c->aux, y + d * (size_t)(1 + k),
                      p, c->work);
    /* row i of df/dtheta is (df/dtheta)^T e_i; column j of it drives S_j */
    for (size_t i = 0; i < d && c->nsens > 0 && st == 0; i++) {
        mpvec_zero(c->e, d);
        mpfr_set_ui(c->e + i, 1, MPFR_RNDN);
        st = m->vjp_theta(c->ft + i * nth, c->tt, y, c->aux, c->e, p, c->work);
    }
    for (size_t j = 0; j < (size_t)c->nsens && st == 0; j++)
        for (size_t i = 0; i < d; i++) {
            mpfr_ptr o = out + d * (1 + (size_t)c->nphi + j) + i;
            mpfr_add(o, o, c->ft + i * nth + j, MPFR_RNDN);
        }
    if (c->rescale && st == 0)
        for (size_t k = 0; k < sens_dim(c); k++)
            mpfr_mul(out + k, out + k, p->T, MPFR_RNDN);
    return st;
}

/* Integrates Y (sens_dim values) from T0 to T1, adding to EST. */
static int sens_solve(mpfr_ptr y, mpfr_ptr est, sens_ctx *c, mpfr_srcptr t0,
                      mpfr_srcptr t1, const ref_opts *o, averr_t err)
{
    rk_system sys = {.dim = sens_dim(c), .naux = 0, .F = sens_F, .jac = NULL, .ctx = c};
    gbs_work_t w;
    int st = gbs_work_init(w, &sys, o->levels, o->bits, o->wprec, err);
    if (st == 0) {
        st = gbs_solve(y, est, &sys, t0, t1, w, err);
        gbs_work_clear(w);
    }
    return st;
}

/* Y = [z0, I (nphi columns), 0 (nsens columns)] */
static void sens_start(mpfr_ptr y, mpfr_srcptr z, const sens_ctx *c)
{
    size_t d = (size_t)c->p->d;
    mpvec_zero(y, sens_dim(c));
    mpvec_set(y, z, d);
    for (size_t k = 0; k < (size_t)c->nphi; k++)
        mpfr_set_ui(y + d * (1 + k) + k, 1, MPFR_RNDN);
}

/* OUT_k = sum_i Y[col k][i] lam_i for NCOL columns starting at column FIRST:
 * the transposed product with dL/dz(T). */
static void cols_dot(mpfr_ptr out, mpfr_srcptr y, mpfr_srcptr lam, size_t d,
                     size_t first, size_t ncol, mpfr_ptr acc)
{
    for (size_t k = 0; k < ncol; k++) {
        mpfr_set_zero(acc, 1);
        for (size_t i = 0; i < d; i++)
            mpfr_fma(acc, y + d * (first + k) + i, lam + i, acc, MPFR_RNDN);
        mpfr_set(out + k, acc, MPFR_RNDN);
    }
}

int ref_gradient_sens(grad_result_t g, mpfr_ptr est, const problem_t p,
                      const ref_opts *o, averr_t err)
{
    problem_t pw;
    sens_ctx c;
    if (problem_init_copy(pw, p, o->wprec, err) != 0)
        return AV_ESYS;
    size_t d = (size_t)p->d, nth = (size_t)p->ntheta;
    int st = sens_ctx_init(&c, pw, (int)d, (int)nth, o->rescale, err);
    mpfr_ptr v = st == 0 ? mpblock_alloc(sens_dim(&c) + 2 * d + nth + 5, o->wprec, err)
                         : NULL;
    if (v == NULL) {
        if (st == 0)
            mpblock_free(c.block);
        problem_clear(pw);
        return AV_ESYS;
    }
    mpfr_ptr y = v, lam = y + sens_dim(&c), dz0 = lam + d, dth = dz0 + d;
    mpfr_ptr L = dth + nth, e = L + 1, t0 = e + 1, t1 = t0 + 1, acc = t1 + 1;
    sens_start(y, pw->z0, &c);
    if (o->rescale)
        mpfr_set_ui(t1, 1, MPFR_RNDN);
    else
        mpfr_set(t1, pw->T, MPFR_RNDN);
    st = sens_solve(y, e, &c, t0, t1, o, err);
    if (st == 0)
        st = problem_loss(L, lam, y, pw);
    if (st == 0) {
        cols_dot(dz0, y, lam, d, 1, d, acc);
        cols_dot(dth, y, lam, d, 1 + d, nth, acc);
        mpfr_set(g->L, L, MPFR_RNDN);
        mpvec_set(g->zT, y, d);
        mpvec_set(g->dtheta, dth, nth);
        mpvec_set(g->dz0, dz0, d);
        if (est != NULL) {
            mpvec_norm_max(acc, dth, nth);
            mpfr_mul_2si(acc, acc, -(long)mpfr_get_prec(g->dtheta), MPFR_RNDN);
            mpfr_set_zero(L, 1);
            for (size_t i = 0; i < d; i++) {
                mpfr_abs(dz0, lam + i, MPFR_RNDN);
                mpfr_add(L, L, dz0, MPFR_RNDN);
            }
            if (mpfr_cmp_ui(L, 1) < 0)
                mpfr_set_ui(L, 1, MPFR_RNDN);
            mpfr_fma(est, e, L, acc, MPFR_RNDN);
        }
    }
    mpblock_free(v);
    mpblock_free(c.block);
    problem_clear(pw);
    return st;
}

int ref_dldz_at(mpfr_ptr lam, mpfr_ptr zs, mpfr_srcptr ts, size_t n,
                const problem_t p, const ref_opts *o, averr_t err)
{
    problem_t pw;
    sens_ctx cz, cphi;
    if (problem_init_copy(pw, p, o->wprec, err) != 0)
        return AV_ESYS;
    size_t d = (size_t)p->d;
    int st = sens_ctx_init(&cz, pw, 0, 0, 0, err);
    if (st == 0 && (st = sens_ctx_init(&cphi, pw, (int)d, 0, 0, err)) != 0)
        mpblock_free(cz.block);
    mpfr_ptr v = st == 0 ? mpblock_alloc(sens_dim(&cphi) + 3 * d + 4, o->wprec, err) : NULL;
    if (v == NULL) {
        if (st == 0) {
            mpblock_free(cz.block);
            mpblock_free(cphi.block);
        }
        problem_clear(pw);
        return AV_ESYS;
    }
    mpfr_ptr y = v, z = y + sens_dim(&cphi), dl = z + d, L = dl + d, e = L + 1;
    mpfr_ptr tprev = e + 1, acc = tprev + 1;
    mpvec_set(z, pw->z0, d);
    for (size_t i = 0; i < n && st == 0; i++) {
        /* z(t_i) from z(t_{i-1}): forward, stable */
        st = sens_solve(z, e, &cz, tprev, ts + i, o, err);
        mpfr_set(tprev, ts + i, MPFR_RNDN);
        if (st != 0)
            break;
        if (zs != NULL)
            mpvec_set(zs + i * d, z, d);
        sens_start(y, z, &cphi);
        st = sens_solve(y, e, &cphi, ts + i, pw->T, o, err);
        if (st == 0)
            st = problem_loss(L, dl, y, pw);
        if (st == 0)
            cols_dot(lam + i * d, y, dl, d, 1, d, acc);
    }
    mpblock_free(v);
    mpblock_free(cz.block);
    mpblock_free(cphi.block);
    problem_clear(pw);
    return st;
}

int reference_gradient(grad_result_t g, const problem_t p, averr_t err)
{
    ref_opts o;
    ref_opts_default(&o, p->prec);
    return ref_gradient_sens(g, NULL, p, &o, err);
}
