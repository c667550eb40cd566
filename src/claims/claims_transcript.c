/* claims_transcript: T1, "dL/dx(t) = dL/dx(t + eps) dx(t + eps)/dx(t)",
 * read on the solver's grid with eps = h: the adjoint lambda_n that
 * backprop builds step by step from lambda_{n+1} by the chain rule is
 * compared with dL/dz_n computed independently, by central differences of
 * the loss of the remaining solve from t_n at doubled precision. */
#include <stdio.h>
#include "claims_transcript.h"
#include "../numbers/mpvec.h"
#include "../gradients/grad.h"

#define T1_STEPS 8

verdict_t t1_decide(long min_digits, long required)
{
    return min_digits >= required ? VERDICT_VERIFIED : VERDICT_REFUTED;
}

/* dL/dz_n by central differences: the solve from t_n = n h to T in N - n
 * steps, at the precision of Q, from Z (perturbed in place, restored). */
static int fd_adjoint(mpfr_ptr out, mpfr_ptr z, long n, long N, const problem_t q,
                      const tableau_t tab, mpfr_ptr v, averr_t err)
{
    rk_problem_ctx pctx;
    rk_system sys;
    int st = rk_problem_ctx_init(&pctx, q, err);
    if (st != 0)
        return st;
    rk_system_of_problem(&sys, &pctx);
    mpfr_ptr tn = v, delta = v + 1, Lp = v + 2, Lm = v + 3, zT = v + 4;
    mpfr_mul_si(tn, q->T, n, MPFR_RNDN);
    mpfr_div_si(tn, tn, N, MPFR_RNDN);
    mpfr_set_ui_2exp(delta, 1, -(long)(q->prec / 3), MPFR_RNDN);
    for (int i = 0; i < q->d && st == 0; i++) {
        mpfr_add(z + i, z + i, delta, MPFR_RNDN);
        st = rk_solve(zT, NULL, &sys, tab, tn, q->T, N - n, z, q->prec, err);
        if (st == 0 && (st = problem_loss(Lp, NULL, zT, q)) == 0) {
            mpfr_mul_2ui(delta, delta, 1, MPFR_RNDN);
            mpfr_sub(z + i, z + i, delta, MPFR_RNDN);
            st = rk_solve(zT, NULL, &sys, tab, tn, q->T, N - n, z, q->prec, err);
            mpfr_div_2ui(delta, delta, 1, MPFR_RNDN);
            mpfr_add(z + i, z + i, delta, MPFR_RNDN);
        }
        if (st == 0 && (st = problem_loss(Lm, NULL, zT, q)) == 0) {
            mpfr_sub(out + i, Lp, Lm, MPFR_RNDN);
            mpfr_div(out + i, out + i, delta, MPFR_RNDN);
            mpfr_div_2ui(out + i, out + i, 1, MPFR_RNDN);
        }
    }
    rk_problem_ctx_clear(&pctx);
    return st;
}

static int check_t1(claim_result *r, const claim_opts *o, averr_t err)
{
    problem_t p, q;
    tableau_t tab, tab2;
    traj_t tr;
    rk_problem_ctx pctx;
    rk_system sys;
    rk_work_t w;
    int st = problem_init_lookup(p, "mlp", o->prec, err);
    if (st != 0)
        return st;
    mpfr_prec_t p2 = 2 * o->prec;
    size_t d = (size_t)p->d, s;
    mpfr_ptr v = NULL;
    long worst = mpnum_max_digits(o->prec);
    if ((st = problem_init_copy(q, p, p2, err)) == 0 &&
        (st = tableau_init_builtin(tab, "rk4", o->prec, err)) == 0 &&
        (st = tableau_init_builtin(tab2, "rk4", p2, err)) == 0 &&
        (st = traj_init(tr, T1_STEPS, 4, d, (size_t)p->naux, o->prec, err)) == 0 &&
        (st = rk_problem_ctx_init(&pctx, p, err)) == 0) {
        rk_system_of_problem(&sys, &pctx);
        s = (size_t)tab->s;
        v = mpblock_alloc(d * (T1_STEPS + 1) + (size_t)p->ntheta + 3, o->prec, err);
        mpfr_ptr vq = mpblock_alloc(3 * d + 8, p2, err);
        st = (v == NULL || vq == NULL) ? AV_ESYS
             : rk_work_init(w, &sys, tab, o->prec, err);
        if (st == 0) {
            /* lambda_N = dL/dz_N, then the chain rule step by step */
            mpfr_ptr lam = v, g = v + d * (T1_STEPS + 1), tn = g + p->ntheta;
            st = rk_solve(vq, tr, &sys, tab, tr->t0, p->T, T1_STEPS, p->z0, o->prec, err);
            if (st == 0)
                st = problem_loss(tn + 1, lam + d * T1_STEPS, tr->y + d * T1_STEPS, p);
            for (long n = T1_STEPS; n-- > 0 && st == 0;) {
                mpvec_set(lam + d * n, lam + d * (n + 1), d);
                mpfr_mul_si(tn, tr->h, n, MPFR_RNDN);
                st = bp_step_reverse(lam + d * n, g, tr->stages + n * s * d,
                                     tr->aux + n * s * (size_t)p->naux, tn, tr->h, p,
                                     tab, w, &pctx, err);
            }
            for (long n = 0; n < T1_STEPS && st == 0; n++) {
                mpvec_set(vq + 8, tr->y + d * n, d);
                if ((st = fd_adjoint(vq + 8 + d, vq + 8, n, T1_STEPS, q, tab2, vq, err)) == 0) {
                    long dg = mpvec_digits(lam + d * n, vq + 8 + d, d, worst);
                    worst = dg < worst ? dg : worst;
                }
            }
            rk_work_clear(w);
        }
        mpblock_free(vq);
        mpblock_free(v);
        rk_problem_ctx_clear(&pctx);
    }
    long required = mpnum_max_digits(o->prec) - 12;
    if (st == 0) {
        r->verdict = t1_decide(worst, required);
        claim_evidence(r, "P1, rk4, N = %d: lambda_n from lambda_{n+1} by the chain rule "
                       "agrees with dL/dz_n by central differences at %ld bits to %ld "
                       "digits at every n (required %ld)", T1_STEPS, (long)p2, worst,
                       required);
    }
    traj_clear(tr);
    tableau_clear(tab2);
    tableau_clear(tab);
    problem_clear(q);
    problem_clear(p);
    return st;
}

const claim_def claim_T1 = {
    .id = "T1",
    .source = "003",
    .statement = "Chain rule in depth: dL/dx(t) = dL/dx(t + eps) * dx(t + eps)/dx(t).",
    .reading = "On the solver's grid (eps = h) the adjoint lambda_n = (dz_{n+1}/dz_n)^T "
               "lambda_{n+1} built step by step equals dL/dz_n of the remaining solve, "
               "computed independently by central differences at doubled precision.",
    .command = "adjverify verify --only T1",
    .file = "src/claims/claims_transcript.c",
    .func = "check_t1",
    .check = check_t1,
};
