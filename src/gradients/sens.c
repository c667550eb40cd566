/* sens: forward sensitivities of a problem by integrating the augmented
 * system [z, S_0, ..., S_{ntheta-1}] (S_j the column dz/dtheta_j) with any
 * tableau, and the same matrix by central differences of the discrete map.
 * Column j obeys S_j' = (df/dz) S_j + (df/dtheta) e_j: one jvp_z and one
 * jvp_theta product per column, with the aux values of one evaluation of f.
 */
#include <string.h>
#include "../numbers/mpvec.h"
#include "../integrate/rk.h"
#include "grad.h"
#include "sens.h"

typedef struct {
    const problem_struct *p;
    mpfr_ptr work;    /* p->nwork */
    mpfr_ptr aux;     /* p->naux */
    mpfr_ptr e;       /* ntheta: the unit vector e_j, kept all zero between calls */
    mpfr_ptr tmp;     /* d */
    mpfr_ptr block;
} sens_ctx;

static int sens_F(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr y,
                  void *vctx)
{
    (void)aux;
    sens_ctx *c = vctx;
    const problem_struct *p = c->p;
    size_t d = (size_t)p->d;
    int st = p->model->f(out, c->aux, t, y, p, c->work);
    for (int j = 0; st == 0 && j < p->ntheta; j++) {
        mpfr_ptr oj = out + d * (size_t)(j + 1);
        st = p->model->jvp_z(oj, t, y, c->aux, y + d * (size_t)(j + 1), p,
                             c->work);
        if (st != 0)
            break;
        mpfr_set_ui(c->e + j, 1, MPFR_RNDN);
        st = p->model->jvp_theta(c->tmp, t, y, c->aux, c->e, p, c->work);
        mpfr_set_zero(c->e + j, 1);
        mpvec_add(oj, oj, c->tmp, d);
    }
    return st;
}

int sens_solve(mpfr_ptr zT, mpfr_ptr S, const problem_t p, const tableau_t tab,
               long N, averr_t err)
{
    const model_desc *m = p->model;
    if (m->jvp_z == NULL || m->jvp_theta == NULL)
        return averr_set(err, AV_EINPUT, "sens: model %s has no forward "
                         "products (jvp_z, jvp_theta)", m->name);
    size_t d = (size_t)p->d, nt = (size_t)p->ntheta, dim = d * (nt + 1);
    sens_ctx c;
    c.p = p;
    c.block = mpblock_alloc((size_t)(p->nwork + p->naux) + nt + d + 2 * dim
                            + 1, p->prec, err);
    if (c.block == NULL)
        return averr_prefix(err, "sens: workspace");
    c.work = c.block;
    c.aux = c.work + p->nwork;
    c.e = c.aux + p->naux;
    c.tmp = c.e + nt;
    mpfr_ptr y0 = c.tmp + d, yT = y0 + dim, zero = yT + dim;
    /* S(0) = 0: z0 does not depend on theta. */
    mpvec_set(y0, p->z0, d);
    rk_system sys = { dim, 0, sens_F, NULL, &c };
    mpfr_clear_flags();
    int st = rk_solve(yT, NULL, &sys, tab, zero, p->T, N, y0, p->prec, err);
    if (st == 0)
        st = rk_check_flags("sens: sensitivity solve", err);
    if (st == 0) {
        mpvec_set(zT, yT, d);
        for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < nt; j++)
                mpfr_set(S + i * nt + j, yT + d * (j + 1) + i, MPFR_RNDN);
    }
    mpblock_free(c.block);
    return st;
}

int sens_fd(mpfr_ptr S, const problem_t p, const tableau_t tab, long N,
            averr_t err)
{
    problem_t q;
    grad_result_t g;
    int st = problem_init_copy(q, p, p->prec, err);
    if (st != 0)
        return st;
    if ((st = grad_result_init(g, q, err)) != 0) {
        problem_clear(q);
        return st;
    }
    size_t nt = (size_t)p->ntheta;
    /* Row i of dz(T)/dtheta is the gradient of the linear loss e_i . z(T). */
    q->loss = LOSS_LINEAR;
    for (int i = 0; i < p->d && st == 0; i++) {
        for (int k = 0; k < p->d; k++)
            mpq_set_ui(q->y_q[k], k == i, 1);
        problem_round(q);
        st = grad_compute(g, q, tab, N, GRAD_FD, NULL, err);
        if (st == 0)
            mpvec_set(S + (size_t)i * nt, g->dtheta, nt);
    }
    grad_result_clear(g);
    problem_clear(q);
    return st;
}

long sens_check_chain(const problem_t p, const tableau_t tab, long N,
                      averr_t err)
{
    size_t d = (size_t)p->d, nt = (size_t)p->ntheta;
    grad_result_t g;
    int st = grad_result_init(g, p, err);
    if (st != 0)
        return st;
    mpfr_ptr v = mpblock_alloc(2 * d + d * nt + nt + 1, p->prec, err);
    if (v == NULL) {
        grad_result_clear(g);
        return AV_ESYS;
    }
    mpfr_ptr zT = v, dLdz = v + d, S = v + 2 * d, chain = S + d * nt,
             L = chain + nt;
    long digits = 0;
    if ((st = sens_solve(zT, S, p, tab, N, err)) == 0 &&
        (st = problem_loss(L, dLdz, zT, p)) == 0 &&
        (st = grad_compute(g, p, tab, N, GRAD_FD, NULL, err)) == 0) {
        /* chain_j = sum_i dL/dz_i S_ij */
        for (size_t j = 0; j < nt; j++) {
            mpfr_set_zero(chain + j, 1);
            for (size_t i = 0; i < d; i++)
                mpfr_fma(chain + j, dLdz + i, S + i * nt + j, chain + j,
                         MPFR_RNDN);
        }
        digits = mpvec_digits(chain, g->dtheta, nt,
                              mpnum_max_digits(p->prec));
    }
    mpblock_free(v);
    grad_result_clear(g);
    return st != 0 ? st : digits;
}
