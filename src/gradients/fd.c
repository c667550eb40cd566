/* fd: central differences of the discrete solver map at doubled precision,
 * the independent route that backprop is tested against.  With working
 * precision 2p and step delta = 2^(-2p/3) |x|, truncation (delta^2) and
 * rounding (2^(-2p)/delta) errors are both about 2^(-4p/3), below the
 * 2^(-p) of the result.
 */
#include "grad.h"
#include "../numbers/mpvec.h"

/* L at the final state of a plain forward solve of Q (no trajectory). */
static int loss_of(mpfr_ptr L, mpfr_ptr zT, const problem_t q, const tableau_t tab,
                   long N, const rk_system *sys, mpfr_srcptr zero, averr_t err)
{
    int st = rk_solve(zT, NULL, sys, tab, zero, q->T, N, q->z0, q->prec, err);
    if (st == 0 && (st = problem_loss(L, NULL, zT, q)) != 0)
        averr_set(err, st, "the loss L at z(T) is NaN or infinite (overflow)");
    return st;
}

/* d L / d x by a central difference in the number X (a parameter or a
 * component of z0 of Q), restoring X afterwards. */
static int central(mpfr_ptr out, mpfr_ptr x, const problem_t q, const tableau_t tab,
                   long N, const rk_system *sys, mpfr_ptr v, averr_t err)
{
    mpfr_ptr x0 = v, delta = v + 1, Lp = v + 2, Lm = v + 3, zero = v + 4, zT = v + 6;
    mpfr_set(x0, x, MPFR_RNDN);
    long e = -(long)(q->prec / 3);
    if (!mpfr_zero_p(x0) && mpfr_get_exp(x0) > 0)
        e += mpfr_get_exp(x0);
    mpfr_set_ui_2exp(delta, 1, e, MPFR_RNDN);
    mpfr_add(x, x0, delta, MPFR_RNDN);
    int st = loss_of(Lp, zT, q, tab, N, sys, zero, err);
    mpfr_sub(x, x0, delta, MPFR_RNDN);
    if (st == 0)
        st = loss_of(Lm, zT, q, tab, N, sys, zero, err);
    mpfr_set(x, x0, MPFR_RNDN);
    mpfr_sub(out, Lp, Lm, MPFR_RNDN);
    mpfr_div(out, out, delta, MPFR_RNDN);
    mpfr_div_2ui(out, out, 1, MPFR_RNDN);
    return st;
}

int fd_gradient(grad_result_t g, const problem_t p, const tableau_t tab,
                long N, averr_t err)
{
    mpfr_prec_t p2 = 2 * p->prec;
    problem_t q;
    tableau_t t2;
    rk_problem_ctx pctx;
    rk_system sys;
    int st = problem_init_copy(q, p, p2, err);
    if (st != 0)
        return st;
    /* The tableau at doubled precision too (gauss2 is irrational). */
    if (tab->exact)
        st = tableau_init_q(t2, tab->name, tab->s, (const mpq_t *)tab->Aq,
                            (const mpq_t *)tab->bq, (const mpq_t *)tab->cq,
                            tab->order, p2, err);
    else
        st = tableau_init_builtin(t2, tab->name, p2, err);
    if (st != 0) {
        problem_clear(q);
        return st;
    }
    mpfr_ptr v = NULL;
    int have_ctx = (st = rk_problem_ctx_init(&pctx, q, err)) == 0;
    if (have_ctx) {
        rk_system_of_problem(&sys, &pctx);
        v = mpblock_alloc((size_t)(6 + q->d), p2, err);
        st = v == NULL ? AV_ESYS : 0;
    }
    /* v: x0, delta, L+, L-, zero (t0 = 0), result, zT (d) */
    for (int k = 0; st == 0 && k < q->ntheta; k++)
        if ((st = central(v + 5, q->theta + k, q, t2, N, &sys, v, err)) == 0)
            mpfr_set(g->dtheta + k, v + 5, MPFR_RNDN);
    for (int i = 0; st == 0 && i < q->d; i++)
        if ((st = central(v + 5, q->z0 + i, q, t2, N, &sys, v, err)) == 0)
            mpfr_set(g->dz0 + i, v + 5, MPFR_RNDN);
    if (st == 0 && (st = loss_of(v + 5, v + 6, q, t2, N, &sys, v + 4, err)) == 0) {
        mpfr_set(g->L, v + 5, MPFR_RNDN);
        mpvec_set(g->zT, v + 6, (size_t)q->d);
    }
    if (st != 0)
        averr_prefix(err, "finite differences");
    mpblock_free(v);
    if (have_ctx)
        rk_problem_ctx_clear(&pctx);
    tableau_clear(t2);
    problem_clear(q);
    return st;
}
