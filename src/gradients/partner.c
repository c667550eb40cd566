/* partner: the adjoint integrated with a partitioned-RK partner on the
 * stored forward stages (see partner.h for the step), and `--method
 * partner`.  Every coefficient h (b_j - abar_ij) and h b_i is rounded once
 * per solve; the stage system is solved by substitution when its
 * coefficient pattern is strictly triangular, else by LU on the dense
 * (s d) x (s d) matrix I - h [(b_j - abar_ij) J_j^T].
 * References: Hager (2000), Numer. Math. 87, section 2; Sanz-Serna (2016),
 * SIAM Review 58(1), section 3.
 */
#include <stdlib.h>
#include <string.h>
#include "partner.h"
#include "../numbers/mpvec.h"

enum { SHAPE_DENSE = 0, SHAPE_UPPER = 1, SHAPE_LOWER = 2 };

typedef struct {
    size_t d, s, nt, na;
    int shape;
    mpfr_ptr hA;    /* s*s: h (b_j - abar_ij) */
    mpfr_ptr hb;    /* s: h b_i */
    mpfr_ptr Lam;   /* s*d stage adjoints Lambda_i */
    mpfr_ptr mu;    /* s*d products J_i^T Lambda_i */
    mpfr_ptr G;     /* (s d)^2 stage matrix, dense shape only */
    mpfr_ptr J;     /* d*d Jacobian, dense shape only */
    mpfr_srcptr h;  /* the trajectory's step */
    mpfr_ptr tn, ts, ti, tmp;
    mpfr_ptr block;
    size_t *piv;
    rk_problem_ctx pctx;
} pwork;

/* Strictly upper (stage i needs only j > i: solve i = s..1), strictly
 * lower (j < i: solve i = 1..s), or dense. */
static int coef_shape(mpfr_srcptr hA, size_t s)
{
    int upper = 1, lower = 1;
    for (size_t i = 0; i < s; i++)
        for (size_t j = 0; j < s; j++)
            if (!mpfr_zero_p(hA + i * s + j)) {
                upper &= j > i;
                lower &= j < i;
            }
    return upper ? SHAPE_UPPER : lower ? SHAPE_LOWER : SHAPE_DENSE;
}

static void pwork_clear(pwork *w)
{
    mpblock_free(w->block);
    free(w->piv);
    rk_problem_ctx_clear(&w->pctx);
}

static int pwork_init(pwork *w, const traj_t tr, const problem_t p,
                      const tableau_t tab, mpfr_srcptr Abar, averr_t err)
{
    memset(w, 0, sizeof *w);
    size_t d = (size_t)p->d, s = (size_t)tab->s, n = s * d;
    w->d = d;
    w->s = s;
    w->nt = (size_t)p->ntheta;
    w->na = (size_t)p->naux;
    w->h = tr->h;
    if (rk_problem_ctx_init(&w->pctx, p, err) != 0)
        return AV_ESYS;
    /* The shape decides the size, so form h (b_j - abar_ij) first. */
    mpfr_ptr coef = mpblock_alloc(s * s + 1, p->prec, err);
    if (coef == NULL) {
        pwork_clear(w);
        return AV_ESYS;
    }
    for (size_t i = 0; i < s; i++)
        for (size_t j = 0; j < s; j++) {
            mpfr_sub(coef + s * s, tab->b + j, Abar + i * s + j, MPFR_RNDN);
            mpfr_mul(coef + i * s + j, coef + s * s, tr->h, MPFR_RNDN);
        }
    w->shape = coef_shape(coef, s);
    size_t dense = w->shape == SHAPE_DENSE ? n * n + d * d : 0;
    w->block = mpblock_alloc(s * s + s + 2 * n + dense + 4, p->prec, err);
    if (w->block == NULL || (dense && (w->piv = malloc(n * sizeof *w->piv)) == NULL)) {
        mpblock_free(coef);
        pwork_clear(w);
        return averr_set(err, AV_ESYS, "out of memory for the partner adjoint");
    }
    w->hA = w->block;
    w->hb = w->hA + s * s;
    w->Lam = w->hb + s;
    w->mu = w->Lam + n;
    w->tn = w->mu + n;
    w->ts = w->tn + 1;
    w->ti = w->ts + 1;
    w->tmp = w->ti + 1;
    w->G = dense ? w->tmp + 1 : NULL;
    w->J = dense ? w->G + n * n : NULL;
    mpvec_set(w->hA, coef, s * s);
    for (size_t i = 0; i < s; i++)
        mpfr_mul(w->hb + i, tr->h, tab->b + i, MPFR_RNDN);
    mpblock_free(coef);
    return 0;
}

/* Lambda_i = lambda + sum_{j in pattern} hA_ij mu_j, then mu_i = J_i^T
 * Lambda_i, for the stages in the order the triangular pattern allows. */
static int solve_substitution(pwork *w, mpfr_srcptr lambda, mpfr_srcptr stages,
                              mpfr_srcptr aux, const problem_t p, const tableau_t tab)
{
    size_t d = w->d, s = w->s;
    for (size_t k = 0; k < s; k++) {
        size_t i = w->shape == SHAPE_UPPER ? s - 1 - k : k;
        mpfr_ptr Li = w->Lam + i * d;
        mpvec_set(Li, lambda, d);
        for (size_t j = 0; j < s; j++)
            if (!mpfr_zero_p(w->hA + i * s + j))
                mpvec_axpy(Li, w->hA + i * s + j, w->mu + j * d, d);
        mpfr_fma(w->ti, tab->c + i, w->h, w->tn, MPFR_RNDN);
        int st = p->model->vjp_z(w->mu + i * d, w->ti, stages + i * d, aux + i * w->na,
                                 Li, p, w->pctx.work);
        if (st != 0)
            return st;
    }
    return 0;
}

/* The dense stage system (I - [hA_ij J_j^T]) Lambda = 1 (x) lambda by LU,
 * then mu_i = J_i^T Lambda_i. */
static int solve_dense(pwork *w, mpfr_srcptr lambda, mpfr_srcptr stages,
                       mpfr_srcptr aux, const problem_t p, const tableau_t tab,
                       averr_t err)
{
    size_t d = w->d, s = w->s, n = s * d;
    int st = 0;
    for (size_t j = 0; j < s && st == 0; j++) {
        mpfr_fma(w->ti, tab->c + j, w->h, w->tn, MPFR_RNDN);
        st = rk_problem_jacobian(w->J, w->ti, stages + j * d, aux + j * w->na, p,
                                 w->pctx.work, w->pctx.vtmp);
        for (size_t i = 0; i < s && st == 0; i++)
            for (size_t k = 0; k < d; k++)
                for (size_t l = 0; l < d; l++) {
                    mpfr_ptr g = w->G + (i * d + k) * n + j * d + l;
                    /* block (i, j), entry (k, l) of J_j^T is J_j[l][k] */
                    mpfr_mul(g, w->hA + i * s + j, w->J + l * d + k, MPFR_RNDN);
                    mpfr_neg(g, g, MPFR_RNDN);
                    if (i == j && k == l)
                        mpfr_add_ui(g, g, 1, MPFR_RNDN);
                }
    }
    if (st != 0)
        return averr_set(err, st, "a model product failed at t = %.6g",
                         mpfr_get_d(w->tn, MPFR_RNDN));
    if (mplu_factor(w->G, w->piv, n, w->tmp, err) != 0)
        return averr_prefix(err, "partner stage system at t = %.6g",
                            mpfr_get_d(w->tn, MPFR_RNDN));
    for (size_t i = 0; i < s; i++)
        mpvec_set(w->Lam + i * d, lambda, d);
    mplu_solve(w->Lam, w->G, w->piv, w->Lam, n, 0, w->tmp);
    for (size_t i = 0; i < s && st == 0; i++) {
        mpfr_fma(w->ti, tab->c + i, w->h, w->tn, MPFR_RNDN);
        st = p->model->vjp_z(w->mu + i * d, w->ti, stages + i * d, aux + i * w->na,
                             w->Lam + i * d, p, w->pctx.work);
    }
    return st != 0 ? averr_set(err, st, "a model product failed at t = %.6g",
                               mpfr_get_d(w->tn, MPFR_RNDN))
                   : 0;
}

/* One step back: lambda (d) from lambda_{n+1} to lambda_n, and the step's
 * quadrature terms added to GTHETA. */
static int step_back(pwork *w, mpfr_ptr lambda, mpfr_ptr gtheta, mpfr_srcptr stages,
                     mpfr_srcptr aux, const problem_t p, const tableau_t tab,
                     averr_t err)
{
    size_t d = w->d;
    int st;
    if (w->shape == SHAPE_DENSE) {
        st = solve_dense(w, lambda, stages, aux, p, tab, err);
    } else if ((st = solve_substitution(w, lambda, stages, aux, p, tab)) != 0) {
        averr_set(err, st, "a model product failed at t = %.6g",
                  mpfr_get_d(w->tn, MPFR_RNDN));
    }
    for (size_t i = 0; i < w->s && st == 0; i++) {
        mpfr_fma(w->ti, tab->c + i, w->h, w->tn, MPFR_RNDN);
        st = p->model->vjp_theta(w->pctx.gtmp, w->ti, stages + i * d, aux + i * w->na,
                                 w->Lam + i * d, p, w->pctx.work);
        if (st != 0)
            return averr_set(err, st, "a model product failed at t = %.6g",
                             mpfr_get_d(w->tn, MPFR_RNDN));
        mpvec_axpy(gtheta, w->hb + i, w->pctx.gtmp, w->nt);
    }
    /* lambda changes only after every stage has read lambda_{n+1} */
    for (size_t i = 0; i < w->s && st == 0; i++)
        mpvec_axpy(lambda, w->hb + i, w->mu + i * d, d);
    return st;
}

int partner_reverse(grad_result_t g, const traj_t tr, const problem_t p,
                    const tableau_t tab, mpfr_srcptr Abar, averr_t err)
{
    size_t d = (size_t)p->d, s = (size_t)tab->s, na = (size_t)p->naux;
    pwork w;
    int st = pwork_init(&w, tr, p, tab, Abar, err);
    if (st != 0)
        return st;
    mpvec_set(g->zT, tr->y + (size_t)tr->N * d, d);
    st = problem_loss(g->L, g->dz0, g->zT, p);
    if (st != 0)
        averr_set(err, st, "the loss L at z(T) is NaN or infinite (overflow)");
    mpvec_zero(g->dtheta, (size_t)p->ntheta);
    for (long n = tr->N; n-- > 0 && st == 0;) {
        mpfr_mul_si(w.ts, tr->h, n, MPFR_RNDN);
        mpfr_add(w.tn, tr->t0, w.ts, MPFR_RNDN);
        st = step_back(&w, g->dz0, g->dtheta, tr->stages + (size_t)n * s * d,
                       tr->aux + (size_t)n * s * na, p, tab, err);
        if (st != 0)
            averr_prefix(err, "partner adjoint, step %ld", n + 1);
    }
    pwork_clear(&w);
    return st;
}

/* Records the forward solve and runs the reverse pass with ABAR. */
static int record_and_reverse(grad_result_t g, const problem_t p, const tableau_t tab,
                              long N, mpfr_srcptr Abar, averr_t err)
{
    traj_t tr;
    int st = bp_record(tr, p, tab, N, err);
    if (st != 0)
        return st;
    st = partner_reverse(g, tr, p, tab, Abar, err);
    traj_clear(tr);
    return st;
}

int partner_gradient(grad_result_t g, const problem_t p, const tableau_t tab,
                     long N, averr_t err)
{
    partner_t pt;
    int st = partner_init(pt, tab, err);
    if (st != 0)
        return st;
    if ((st = partner_require(pt, tab, err)) == 0)
        st = record_and_reverse(g, p, tab, N, pt->bar->A, err);
    partner_clear(pt);
    return st;
}

int partner_same_gradient(grad_result_t g, const problem_t p, const tableau_t tab,
                          long N, averr_t err)
{
    return record_and_reverse(g, p, tab, N, tab->A, err);
}
