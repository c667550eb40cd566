/* exact_adjoint: the continuous adjoint integrated back with the forward
 * tableau itself, in exact rationals, to set against backprop:
 *   backsolve  [z, a]' = [f(z), -J(z)^T a] from (z_N, dL/dz_N) at T to 0 in
 *              N steps of -h (z is recomputed backwards, as in Chen et al.
 *              2018), dtheta = the same scheme's quadrature of
 *              (df/dtheta)^T a;
 *   interp     a' = -J(z(t))^T a from dL/dz_N, with z(t) on [t_n, t_{n+1}]
 *              the cubic Hermite interpolant of z_n, z_{n+1}, f(z_n),
 *              f(z_{n+1}) of the stored grid; dtheta likewise.
 * Every value is rational: the interpolant has rational weights at the
 * rational stage times t_{n+1} - c_i h.
 */
#include "exact_impl.h"

/* ---- backsolve: y = [z, a], q = dtheta ---- */

static int back_F(mpq_t *out, const mpq_t t, mpq_t *y, void *ctx)
{
    const problem_struct *p = ctx;
    size_t d = (size_t)p->d;
    int st = p->model->f_q(out, t, (const mpq_t *)y, p);
    if (st == 0)
        st = p->model->vjp_z_q(out + d, t, (const mpq_t *)y, (const mpq_t *)(y + d), p);
    for (size_t k = 0; k < d && st == 0; k++)
        mpq_neg(out[d + k], out[d + k]);
    return st;
}

static int back_Q(mpq_t *out, const mpq_t t, mpq_t *y, void *ctx)
{
    const problem_struct *p = ctx;
    int st = p->model->vjp_theta_q(out, t, (const mpq_t *)y,
                                   (const mpq_t *)(y + p->d), p);
    for (int k = 0; k < p->ntheta && st == 0; k++)
        mpq_neg(out[k], out[k]);
    return st;
}

/* Integrates SYS from (T, Y) back to 0 in N steps of -h; SETSTEP, when not
 * NULL, is told the step index n before the step over [t_n, t_{n+1}]. */
static int integrate_back(mpq_t *y, mpq_t *q, const exq_system *sys,
                          const exq_traj *tr, const tableau_t tab,
                          void (*setstep)(void *ctx, long n), averr_t err)
{
    exq_work w;
    int st = exq_work_init(&w, sys, tab, err);
    if (st != 0)
        return st;
    mpq_t t, mh;
    mpq_inits(t, mh, NULL);
    mpq_neg(mh, tr->h);
    for (long n = tr->N; n-- > 0 && st == 0;) {
        mpq_set_si(t, n + 1, 1);
        mpq_mul(t, t, tr->h);
        if (setstep != NULL)
            setstep(sys->ctx, n);
        if ((st = exq_step(y, q, NULL, t, mh, sys, tab, &w, err)) != 0)
            averr_prefix(err, "exact backward step over [t_%ld, t_%ld]", n, n + 1);
    }
    mpq_clears(t, mh, NULL);
    exq_work_clear(&w);
    return st;
}

int exact_backsolve(exact_result_t r, const exq_traj *tr, const problem_t p,
                    const tableau_t tab, averr_t err)
{
    size_t d = tr->d, nt = (size_t)p->ntheta;
    exq_system sys = {2 * d, nt, back_F, back_Q, (void *)p};
    mpq_t *y = qvec_alloc(2 * d);
    if (y == NULL)
        return averr_set(err, AV_ESYS, "out of memory for exact backsolve");
    mpq_t *zN = tr->z + (size_t)tr->N * d;
    mpq_t L;
    mpq_init(L);
    for (size_t k = 0; k < d; k++)
        mpq_set(y[k], zN[k]);
    problem_loss_q(L, y + d, (const mpq_t *)zN, p);
    for (size_t k = 0; k < nt; k++)
        mpq_set_ui(r->dtheta[k], 0, 1);
    int st = integrate_back(y, r->dtheta, &sys, tr, tab, NULL, err);
    for (size_t k = 0; k < d && st == 0; k++)
        mpq_set(r->dz0[k], y[d + k]);
    mpq_clear(L);
    qvec_free(y, 2 * d);
    return st;
}

/* ---- interp: y = a, q = dtheta, z(t) by Hermite on the stored grid ---- */

typedef struct {
    const problem_struct *p;
    const exq_traj *tr;
    mpq_t *fz;      /* (N+1)*d: f(z_n) */
    mpq_t *zi;      /* d: the interpolant at the current time */
    mpq_t *tmp;     /* 6 */
    long n;         /* the current step: t in [t_n, t_{n+1}] */
} interp_ctx;

static void interp_setstep(void *ctx, long n)
{
    ((interp_ctx *)ctx)->n = n;
}

/* c->zi = the cubic Hermite interpolant at T on [t_n, t_{n+1}]:
 * with u = (t - t_n)/h,  (2u^3 - 3u^2 + 1) z_n + (u^3 - 2u^2 + u) h f_n
 *                      + (-2u^3 + 3u^2) z_{n+1} + (u^3 - u^2) h f_{n+1}. */
static void hermite(interp_ctx *c, const mpq_t t)
{
    const exq_traj *tr = c->tr;
    size_t d = tr->d;
    mpq_ptr u = c->tmp[0], u2 = c->tmp[1], u3 = c->tmp[2], w = c->tmp[3],
            x = c->tmp[4];
    mpq_set_si(u, c->n, 1);
    mpq_mul(u, u, tr->h);
    mpq_sub(u, t, u);
    mpq_div(u, u, tr->h);
    mpq_mul(u2, u, u);
    mpq_mul(u3, u2, u);
    for (size_t k = 0; k < d; k++)
        mpq_set_ui(c->zi[k], 0, 1);
    for (int term = 0; term < 4; term++) {
        /* weights: h00, h10 h, h01, h11 h */
        static const long cu3[4] = {2, 1, -2, 1}, cu2[4] = {-3, -2, 3, -1},
                          cu1[4] = {0, 1, 0, 0}, cu0[4] = {1, 0, 0, 0};
        mpq_set_si(w, cu0[term], 1);
        mpq_set_si(x, cu1[term], 1);
        mpq_mul(x, x, u);
        mpq_add(w, w, x);
        mpq_set_si(x, cu2[term], 1);
        mpq_mul(x, x, u2);
        mpq_add(w, w, x);
        mpq_set_si(x, cu3[term], 1);
        mpq_mul(x, x, u3);
        mpq_add(w, w, x);
        if (term % 2 == 1)
            mpq_mul(w, w, tr->h);
        long idx = c->n + term / 2;
        mpq_t *src = (term % 2 == 0 ? tr->z : c->fz) + (size_t)idx * d;
        for (size_t k = 0; k < d; k++) {
            mpq_mul(x, w, src[k]);
            mpq_add(c->zi[k], c->zi[k], x);
        }
    }
}

static int interp_F(mpq_t *out, const mpq_t t, mpq_t *y, void *ctx)
{
    interp_ctx *c = ctx;
    hermite(c, t);
    int st = c->p->model->vjp_z_q(out, t, (const mpq_t *)c->zi, (const mpq_t *)y, c->p);
    for (int k = 0; k < c->p->d && st == 0; k++)
        mpq_neg(out[k], out[k]);
    return st;
}

static int interp_Q(mpq_t *out, const mpq_t t, mpq_t *y, void *ctx)
{
    interp_ctx *c = ctx;
    hermite(c, t);
    int st = c->p->model->vjp_theta_q(out, t, (const mpq_t *)c->zi, (const mpq_t *)y,
                                      c->p);
    for (int k = 0; k < c->p->ntheta && st == 0; k++)
        mpq_neg(out[k], out[k]);
    return st;
}

int exact_interp(exact_result_t r, const exq_traj *tr, const problem_t p,
                 const tableau_t tab, averr_t err)
{
    size_t d = tr->d, nt = (size_t)p->ntheta, nf = (size_t)(tr->N + 1) * d;
    interp_ctx c = {p, tr, NULL, NULL, NULL, 0};
    exq_system sys = {d, nt, interp_F, interp_Q, &c};
    mpq_t *v = qvec_alloc(nf + d + 6 + 1);
    if (v == NULL)
        return averr_set(err, AV_ESYS, "out of memory for exact interp");
    c.fz = v;
    c.zi = v + nf;
    c.tmp = c.zi + d;
    int st = 0;
    for (long n = 0; n <= tr->N && st == 0; n++) {
        mpq_set_si(c.tmp[5], n, 1);
        mpq_mul(c.tmp[5], c.tmp[5], tr->h);   /* t_n */
        st = p->model->f_q(c.fz + (size_t)n * d, c.tmp[5],
                           (const mpq_t *)(tr->z + (size_t)n * d), p);
    }
    mpq_t L;
    mpq_init(L);
    problem_loss_q(L, r->dz0, (const mpq_t *)(tr->z + (size_t)tr->N * d), p);
    for (size_t k = 0; k < nt; k++)
        mpq_set_ui(r->dtheta[k], 0, 1);
    if (st != 0)
        st = averr_set(err, st, "the field failed on the stored grid");
    else
        st = integrate_back(r->dz0, r->dtheta, &sys, tr, tab, interp_setstep, err);
    mpq_clear(L);
    qvec_free(v, nf + d + 7);
    return st;
}
