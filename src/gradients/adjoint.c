/* adjoint: backsolve and interp (definitions in adjoint.h).  One backward
 * system serves both: it takes z(t) either from its own first d components
 * (backsolve) or from the Hermite interpolant of the forward grid (interp).
 * References: Chen et al. (2018), algorithm 1; Serban and Hindmarsh (2005).
 */
#include "adjoint.h"
#include "../numbers/mpvec.h"

typedef struct {
    const problem_struct *p;
    int carry_z;          /* 1: y = [z, a, g] (backsolve); 0: y = [a, g] */
    const traj_struct *tr;   /* interp: the forward grid */
    mpfr_srcptr fgrid;    /* interp: f(z_n, t_n), (N + 1) * d */
    long n;               /* interp: the step [t_n, t_{n+1}] being integrated */
    mpfr_ptr work, aux, z, fz, s, c, block;   /* s: 3 scalars, c: 4 weights */
} back_ctx;

static int back_ctx_init(back_ctx *c, const problem_t p, int carry_z, averr_t err)
{
    c->p = p;
    c->carry_z = carry_z;
    c->tr = NULL;
    c->fgrid = NULL;
    c->n = 0;
    c->block = mpblock_alloc((size_t)(p->nwork + p->naux + 2 * p->d) + 7, p->prec, err);
    if (c->block == NULL)
        return AV_ESYS;
    c->work = c->block;
    c->aux = c->work + p->nwork;
    c->z = c->aux + p->naux;
    c->fz = c->z + p->d;
    c->s = c->fz + p->d;
    c->c = c->s + 3;
    return 0;
}

/* c->z = the cubic Hermite interpolant of the forward grid at T on step n */
static void hermite(back_ctx *c, mpfr_srcptr t)
{
    size_t d = (size_t)c->p->d, n = (size_t)c->n;
    mpfr_ptr s = c->s, u = c->s + 1, w = c->c, tmp = c->s + 2;
    const traj_struct *tr = c->tr;
    mpfr_mul_si(tmp, tr->h, c->n, MPFR_RNDN);
    mpfr_add(tmp, tmp, tr->t0, MPFR_RNDN);
    mpfr_sub(s, t, tmp, MPFR_RNDN);
    mpfr_div(s, s, tr->h, MPFR_RNDN);            /* s = (t - t_n) / h */
    mpfr_ui_sub(u, 1, s, MPFR_RNDN);             /* 1 - s */
    mpfr_sqr(tmp, u, MPFR_RNDN);
    mpfr_mul_2ui(w, s, 1, MPFR_RNDN);
    mpfr_add_ui(w, w, 1, MPFR_RNDN);
    mpfr_mul(w, w, tmp, MPFR_RNDN);              /* (1 + 2s)(1 - s)^2 */
    mpfr_mul(w + 2, s, tmp, MPFR_RNDN);
    mpfr_mul(w + 2, w + 2, tr->h, MPFR_RNDN);    /* h s (1 - s)^2 */
    mpfr_sqr(tmp, s, MPFR_RNDN);
    mpfr_mul_2ui(w + 1, s, 1, MPFR_RNDN);
    mpfr_ui_sub(w + 1, 3, w + 1, MPFR_RNDN);
    mpfr_mul(w + 1, w + 1, tmp, MPFR_RNDN);      /* s^2 (3 - 2s) */
    mpfr_mul(w + 3, tmp, u, MPFR_RNDN);
    mpfr_mul(w + 3, w + 3, tr->h, MPFR_RNDN);
    mpfr_neg(w + 3, w + 3, MPFR_RNDN);           /* -h s^2 (1 - s) */
    mpfr_srcptr zn = tr->y + n * d, fn = c->fgrid + n * d;
    for (size_t k = 0; k < d; k++) {
        mpfr_mul(c->z + k, w, zn + k, MPFR_RNDN);
        mpfr_fma(c->z + k, w + 1, zn + d + k, c->z + k, MPFR_RNDN);
        mpfr_fma(c->z + k, w + 2, fn + k, c->z + k, MPFR_RNDN);
        mpfr_fma(c->z + k, w + 3, fn + d + k, c->z + k, MPFR_RNDN);
    }
}

/* y' for the backward system: [f,] -J^T a, -(df/dtheta)^T a */
static int back_F(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr y, void *vctx)
{
    (void)aux;
    back_ctx *c = vctx;
    const problem_struct *p = c->p;
    size_t d = (size_t)p->d, nth = (size_t)p->ntheta, off = c->carry_z ? d : 0;
    mpfr_srcptr z = y;
    if (!c->carry_z) {
        hermite(c, t);
        z = c->z;
    }
    /* backsolve needs f itself; interp only the aux that the products read */
    int st = p->model->f(c->carry_z ? out : c->fz, c->aux, t, z, p, c->work);
    if (st == 0)
        st = p->model->vjp_z(out + off, t, z, c->aux, y + off, p, c->work);
    if (st == 0)
        st = p->model->vjp_theta(out + off + d, t, z, c->aux, y + off, p, c->work);
    for (size_t k = off; k < off + d + nth && st == 0; k++)
        mpfr_neg(out + k, out + k, MPFR_RNDN);
    return st;
}

/* The forward pass shared by both: z_N (into G's zT), L and a(T). */
static int forward(grad_result_t g, mpfr_ptr aT, traj_t tr, const problem_t p,
                   const tableau_t tab, long N, mpfr_srcptr zero, averr_t err)
{
    rk_problem_ctx pctx;
    rk_system sys;
    int st = rk_problem_ctx_init(&pctx, p, err);
    if (st != 0)
        return st;
    rk_system_of_problem(&sys, &pctx);
    st = rk_solve(g->zT, tr, &sys, tab, zero, p->T, N, p->z0, p->prec, err);
    if (st == 0 && (st = problem_loss(g->L, aT, g->zT, p)) != 0)
        averr_set(err, st, "the loss is NaN at z(T)");
    rk_problem_ctx_clear(&pctx);
    return st;
}

int adj_backsolve(grad_result_t g, mpfr_ptr z0back, const problem_t p,
                  const tableau_t tab, long N, averr_t err)
{
    size_t d = (size_t)p->d, nth = (size_t)p->ntheta, dim = 2 * d + nth;
    back_ctx c;
    grad_result_t tmp;
    if (grad_result_init(tmp, p, err) != 0)
        return AV_ESYS;
    int st = back_ctx_init(&c, p, 1, err);
    mpfr_ptr y = st == 0 ? mpblock_alloc(2 * dim + 1, p->prec, err) : NULL;
    st = y == NULL ? AV_ESYS : 0;
    mpfr_ptr y0 = y + dim, zero = y0 + dim;
    if (st == 0)
        st = forward(tmp, y + d, NULL, p, tab, N, zero, err);
    if (st == 0) {
        rk_system sys = {.dim = dim, .naux = 0, .F = back_F, .jac = NULL, .ctx = &c};
        mpvec_set(y, tmp->zT, d);
        st = rk_solve(y0, NULL, &sys, tab, p->T, zero, N, y, p->prec, err);
        if (st != 0)
            averr_prefix(err, "backsolve, backward pass");
    }
    if (st == 0) {
        mpvec_set(tmp->dz0, y0 + d, d);
        mpvec_set(tmp->dtheta, y0 + 2 * d, nth);
        mpvec_set(g->block, tmp->block, 1 + 2 * d + nth);
        if (z0back != NULL)
            mpvec_set(z0back, y0, d);
    }
    mpblock_free(y);
    mpblock_free(c.block);
    grad_result_clear(tmp);
    return st;
}

int adj_interp(grad_result_t g, const problem_t p, const tableau_t tab, long N,
               averr_t err)
{
    size_t d = (size_t)p->d, nth = (size_t)p->ntheta, dim = d + nth;
    back_ctx c;
    traj_t tr;
    grad_result_t tmp;
    if (grad_result_init(tmp, p, err) != 0)
        return AV_ESYS;
    int st = traj_init(tr, N, (size_t)tab->s, d, (size_t)p->naux, p->prec, err);
    if (st != 0) {
        grad_result_clear(tmp);
        return st;
    }
    if ((st = back_ctx_init(&c, p, 0, err)) != 0) {
        traj_clear(tr);
        grad_result_clear(tmp);
        return st;
    }
    mpfr_ptr v = mpblock_alloc((size_t)(N + 1) * d + 2 * dim + 3, p->prec, err);
    rk_work_t w;
    rk_system sys = {.dim = dim, .naux = 0, .F = back_F, .jac = NULL, .ctx = &c};
    st = v == NULL ? AV_ESYS : rk_work_init(w, &sys, tab, p->prec, err);
    int have_w = st == 0;
    mpfr_ptr fg = v, y = fg + (size_t)(N + 1) * d, t = y + dim, mh = t + 1, zero = mh + 1;
    if (st == 0 && (st = forward(tmp, y, tr, p, tab, N, zero, err)) == 0) {
        c.tr = tr;
        c.fgrid = fg;
        for (long n = 0; n <= N && st == 0; n++) {
            mpfr_mul_si(t, tr->h, n, MPFR_RNDN);
            st = p->model->f(fg + (size_t)n * d, c.aux, t, tr->y + (size_t)n * d, p, c.work);
        }
        mpfr_neg(mh, tr->h, MPFR_RNDN);
        /* step n runs from t_{n+1} back to t_n with step -h */
        for (long n = N; n-- > 0 && st == 0;) {
            c.n = n;
            mpfr_mul_si(t, tr->h, n + 1, MPFR_RNDN);
            if ((st = rk_step(y, NULL, NULL, t, y, mh, &sys, tab, w, err)) != 0)
                averr_prefix(err, "interp, backward step %ld", N - n);
        }
    }
    if (have_w)
        rk_work_clear(w);
    if (st == 0) {
        mpvec_set(tmp->dz0, y, d);
        mpvec_set(tmp->dtheta, y + d, nth);
        mpvec_set(g->block, tmp->block, 1 + 2 * d + nth);
    }
    mpblock_free(v);
    mpblock_free(c.block);
    traj_clear(tr);
    grad_result_clear(tmp);
    return st;
}
