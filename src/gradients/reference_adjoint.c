/* reference_adjoint: route 2 of the reference gradient.  z forward to the
 * panel boundaries, then [z, a, g] backwards with z reset at each boundary,
 * stopping at the Gauss-Legendre nodes (or at the times a caller asks for)
 * to record the state; dL/dtheta is the quadrature of a^T df/dtheta.
 * References: Cao, Li, Petzold, Serban (2003); Davis and Rabinowitz (1984).
 */
#include "reference.h"
#include "../integrate/gbs.h"
#include "../integrate/quad.h"
#include "../numbers/mpvec.h"

/* The backward system y = [z, a, g]: z' = f, a' = -sign J^T a,
 * g' = -(df/dtheta)^T a; with ZONLY set, the forward system z' = f. */
typedef struct {
    const problem_struct *p;
    int sign, zonly;
    mpfr_ptr work, aux, block;
} adj_ctx;

static int adj_F(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr y, void *vctx)
{
    (void)aux;
    adj_ctx *c = vctx;
    const problem_struct *p = c->p;
    size_t d = (size_t)p->d, nth = (size_t)p->ntheta;
    int st = p->model->f(out, c->aux, t, y, p, c->work);
    if (st != 0 || c->zonly)
        return st;
    st = p->model->vjp_z(out + d, t, y, c->aux, y + d, p, c->work);
    if (st == 0)
        st = p->model->vjp_theta(out + 2 * d, t, y, c->aux, y + d, p, c->work);
    for (size_t k = 0; k < d && c->sign > 0; k++)
        mpfr_neg(out + d + k, out + d + k, MPFR_RNDN);
    for (size_t k = 0; k < nth; k++)
        mpfr_neg(out + 2 * d + k, out + 2 * d + k, MPFR_RNDN);
    return st;
}

/* The panel boundaries B[0..P] (P = panels + grade, ascending, B[0] = 0,
 * B[P] = T): `panels` equal panels, the first of them cut geometrically
 * `grade` times toward t = 0 ([0, H 2^-grade], ..., [H/2, H]), because
 * dissipative fields start with a fast layer (P6, P8: width about 1/40)
 * whose complex singularities sit close to the real axis near t = 0. */
static size_t panel_count(const ref_opts *o)
{
    return (size_t)o->panels + (size_t)o->grade;
}

static void panel_bounds(mpfr_ptr B, mpfr_srcptr T, const ref_opts *o)
{
    size_t G = (size_t)o->grade, M = (size_t)o->panels;
    mpfr_set_zero(B, 1);
    for (size_t k = 1; k <= G; k++) {
        mpfr_div_ui(B + k, T, M, MPFR_RNDN);
        mpfr_div_2ui(B + k, B + k, G - k + 1, MPFR_RNDN);
    }
    for (size_t j = 1; j <= M; j++) {
        mpfr_mul_ui(B + G + j, T, j, MPFR_RNDN);
        mpfr_div_ui(B + G + j, B + G + j, M, MPFR_RNDN);
    }
}

/* The sweep: Y0 receives [z, a, g] at t = 0, ZT the forward z(T), REC (nstops rows of 2d +
 * ntheta, may be NULL when NSTOPS is 0) the state at each stop (ascending
 * in [0, T]), EST the sum of the local estimates of both passes. */
static int sweep(mpfr_ptr y0, mpfr_ptr zT, mpfr_ptr rec, mpfr_ptr est, const problem_t pw,
                 const ref_opts *o, mpfr_srcptr stops, size_t nstops, averr_t err)
{
    size_t d = (size_t)pw->d, dim = 2 * d + (size_t)pw->ntheta, M = panel_count(o);
    adj_ctx cz = {.p = pw, .sign = o->adjoint_sign, .zonly = 1};
    adj_ctx cy = {.p = pw, .sign = o->adjoint_sign, .zonly = 0};
    rk_system sz = {.dim = d, .naux = 0, .F = adj_F, .jac = NULL, .ctx = &cz};
    rk_system sy = {.dim = dim, .naux = 0, .F = adj_F, .jac = NULL, .ctx = &cy};
    mpfr_ptr v = mpblock_alloc((size_t)(pw->nwork + pw->naux) + (M + 1) * (d + 1) + dim + 3,
                               pw->prec, err);
    if (v == NULL)
        return AV_ESYS;
    cz.work = cy.work = v;
    cz.aux = cy.aux = v + pw->nwork;
    mpfr_ptr zb = cz.aux + pw->naux, y = zb + (M + 1) * d, ta = y + dim, tb = ta + 1;
    mpfr_ptr Lv = tb + 1, B = Lv + 1;
    panel_bounds(B, pw->T, o);
    gbs_work_t wz, wy;
    int st = gbs_work_init(wz, &sz, o->levels, o->bits, o->wprec, err);
    if (st == 0 && (st = gbs_work_init(wy, &sy, o->levels, o->bits, o->wprec, err)) != 0)
        gbs_work_clear(wz);
    if (st != 0) {
        mpblock_free(v);
        return st;
    }
    mpvec_set(zb, pw->z0, d);
    for (size_t m = 0; m < M && st == 0; m++) {
        mpvec_set(zb + (m + 1) * d, zb + m * d, d);
        st = gbs_solve(zb + (m + 1) * d, est, &sz, B + m, B + m + 1, wz, err);
    }
    mpvec_zero(y, dim);
    mpvec_set(y, zb + M * d, d);
    if (st == 0)
        st = problem_loss(Lv, y + d, y, pw);
    mpfr_set(ta, pw->T, MPFR_RNDN);
    size_t k = nstops;
    for (size_t m = M; m-- > 0 && st == 0;) {
        mpfr_set(tb, B + m, MPFR_RNDN);
        for (; k > 0 && mpfr_cmp(stops + k - 1, tb) > 0 && st == 0; k--) {
            st = gbs_solve(y, est, &sy, ta, stops + k - 1, wy, err);
            mpfr_set(ta, stops + k - 1, MPFR_RNDN);
            mpvec_set(rec + (k - 1) * dim, y, dim);
        }
        if (st == 0)
            st = gbs_solve(y, est, &sy, ta, tb, wy, err);
        mpfr_set(ta, tb, MPFR_RNDN);
        mpvec_set(y, zb + m * d, d);    /* z back on the forward solution */
    }
    for (; k > 0 && st == 0; k--)     /* stops at t = 0 */
        mpvec_set(rec + (k - 1) * dim, y, dim);
    if (st == 0) {
        mpvec_set(y0, y, dim);
        mpvec_set(zT, zb + M * d, d);
    }
    gbs_work_clear(wz);
    gbs_work_clear(wy);
    mpblock_free(v);
    return st;
}

int ref_adjoint_at(mpfr_ptr a, mpfr_srcptr ts, size_t n, const problem_t p,
                   const ref_opts *o, averr_t err)
{
    problem_t pw;
    if (problem_init_copy(pw, p, o->wprec, err) != 0)
        return AV_ESYS;
    size_t d = (size_t)p->d, dim = 2 * d + (size_t)p->ntheta;
    mpfr_ptr v = mpblock_alloc((n + 1) * dim + n + 1 + d, o->wprec, err);
    int st = v == NULL ? AV_ESYS : 0;
    if (st == 0) {
        mpfr_ptr rec = v + dim, tw = rec + n * dim, est = tw + n, zT = est + 1;
        mpvec_set(tw, ts, n);
        st = sweep(v, zT, rec, est, pw, o, tw, n, err);
        for (size_t i = 0; i < n && st == 0; i++)
            mpvec_set(a + i * d, rec + i * dim + d, d);
    }
    mpblock_free(v);
    problem_clear(pw);
    return st;
}

/* The nodes TN and weights WN of the n-point rule GL on every panel of
 * B[0..P]: t = (a + b)/2 + (b - a)/2 x_i, w = (b - a)/2 w_i. */
static void graded_rule(mpfr_ptr tn, mpfr_ptr wn, const quad_gl_t gl, mpfr_srcptr B,
                        size_t P, mpfr_ptr half, mpfr_ptr mid)
{
    for (size_t k = 0; k < P; k++) {
        mpfr_sub(half, B + k + 1, B + k, MPFR_RNDN);
        mpfr_div_2ui(half, half, 1, MPFR_RNDN);
        mpfr_add(mid, B + k, half, MPFR_RNDN);
        for (int i = 0; i < gl->n; i++) {
            size_t j = k * (size_t)gl->n + (size_t)i;
            mpfr_fma(tn + j, half, gl->x + i, mid, MPFR_RNDN);
            mpfr_mul(wn + j, half, gl->w + i, MPFR_RNDN);
        }
    }
}

int ref_gradient_adjoint(grad_result_t g, mpfr_ptr gode, mpfr_ptr est,
                         const problem_t p, const ref_opts *o, averr_t err)
{
    problem_t pw;
    quad_gl_t gl;
    if (problem_init_copy(pw, p, o->wprec, err) != 0)
        return AV_ESYS;
    if (quad_gl_init(gl, o->nodes, o->wprec, err) != 0) {
        problem_clear(pw);
        return err->code;
    }
    size_t d = (size_t)p->d, nth = (size_t)p->ntheta, dim = 2 * d + nth;
    size_t P = panel_count(o), N = P * (size_t)o->nodes;
    mpfr_ptr v = mpblock_alloc(dim + N * (dim + nth + 2) + P + 1 + nth
                               + (size_t)(pw->nwork + pw->naux) + 4 + d, o->wprec, err);
    mpfr_ptr acc = v == NULL ? NULL : mpblock_alloc(1, o->wprec + 64, err);
    int st = acc == NULL ? AV_ESYS : 0;
    mpfr_ptr y0 = v, rec = y0 + dim, h = rec + N * dim, tn = h + N * nth, wn = tn + N;
    mpfr_ptr B = wn + N, dth = B + P + 1, work = dth + nth, aux = work + pw->nwork;
    mpfr_ptr e = aux + pw->naux, L = e + 1, zT = L + 1, tmp = zT + d;
    if (st == 0) {
        panel_bounds(B, pw->T, o);
        graded_rule(tn, wn, gl, B, P, tmp, tmp + 1);
        st = sweep(y0, zT, rec, e, pw, o, tn, N, err);
    }
    /* the integrand a^T df/dtheta at every node */
    for (size_t j = 0; j < N && st == 0; j++) {
        mpfr_srcptr yj = rec + j * dim;
        st = pw->model->f(tmp, aux, tn + j, yj, pw, work);
        if (st == 0)
            st = pw->model->vjp_theta(h + j * nth, tn + j, yj, aux, yj + d, pw, work);
    }
    for (size_t c = 0; c < nth && st == 0; c++) {
        /* one rounding for the whole sum: accumulate 64 bits above wprec */
        mpfr_set_zero(acc, 1);
        for (size_t j = 0; j < N; j++)
            mpfr_fma(acc, wn + j, h + j * nth + c, acc, MPFR_RNDN);
        mpfr_set(dth + c, acc, MPFR_RNDN);
    }
    if (st == 0)
        st = problem_loss(L, NULL, zT, pw);
    if (st == 0) {
        mpfr_set(g->L, L, MPFR_RNDN);
        mpvec_set(g->zT, zT, d);
        mpvec_set(g->dtheta, dth, nth);
        mpvec_set(g->dz0, y0 + d, d);
        if (gode != NULL)
            mpvec_set(gode, y0 + 2 * d, nth);
        if (est != NULL)
            mpfr_set(est, e, MPFR_RNDN);
    }
    mpblock_free(acc);
    mpblock_free(v);
    quad_gl_clear(gl);
    problem_clear(pw);
    return st;
}
