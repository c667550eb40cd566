/* ntaylor: the forward sweep (x, sensitivities, running cost) and the
 * backward sweep (adjoint) of the Taylor integrator for P7, evaluated at
 * the caller's sample times.  Series recurrences: ntaylor_series.c.
 * References: Jorba and Zou, Experiment. Math. 14 (2005).
 */
#include <math.h>
#include "ntaylor.h"
#include "ntaylor_series.h"
#include "../numbers/mpvec.h"

#define NT_GUARD 32     /* bits carried beyond the problem's precision */

/* Scalars of a solve, at wprec. */
enum { S_TN, S_H, S_TNEXT, S_X, S_W, S_Q = S_W + 3, S_LAM, S_S, S_ALPHA,
       S_ONE, S_CX, S_PHIH, S_PSIH, S_T4, S_N = S_T4 + 4 };

static int check_args(const impl_traj_t tr, const impl_problem_t P,
                      averr_t err)
{
    if (P->model != &impl_model_notes || tr->n != 1 || tr->np != 3)
        return averr_set(err, AV_EINPUT, "Taylor solve: only the notes "
                         "problem (n = 1, 3 parameters) is supported");
    if (mpfr_get_prec(tr->x) != P->prec)
        return averr_set(err, AV_EINPUT, "Taylor solve: trajectory at %ld "
                         "bits, problem at %ld", (long)mpfr_get_prec(tr->x),
                         (long)P->prec);
    for (size_t j = 0; j < tr->N; j++)
        if (!mpfr_number_p(tr->t + j) || mpfr_sgn(tr->t + j) < 0
            || mpfr_cmp(tr->t + j, P->T) > 0
            || (j > 0 && mpfr_cmp(tr->t + j, tr->t + j - 1) < 0))
            return averr_set(err, AV_EINPUT, "Taylor solve: sample %zu is "
                             "outside [0, T] or out of order", j);
    return 0;
}

/* Evaluates x (and the sensitivities) of the current step at samples
 * [J0, J1) and advances the state in S to the step's end. */
static void forward_samples(impl_traj_t tr, nt_work *w, mpfr_ptr S,
                            size_t j0, size_t j1, const impl_problem_t P,
                            const ntaylor_opts *o, int want_q)
{
    mpfr_ptr s = S + S_S, t4 = S + S_T4;
    for (size_t j = j0; j < j1; j++) {
        mpfr_sub(s, tr->t + j, S + S_TN, MPFR_RNDN);
        nts_eval(tr->x + j, o->values_only ? NULL : tr->xd + j,
                 o->values_only ? NULL : tr->xdd + j, w->X, w->K, s, t4);
    }
    if (o->want_sens) {
        for (int i = 0; i < 3; i++) {
            nts_sens(w, S + S_W + i, i, S + S_TN, P->p + 1);
            for (size_t j = j0; j < j1; j++) {
                mpfr_sub(s, tr->t + j, S + S_TN, MPFR_RNDN);
                nts_eval(tr->xp + 3 * j + i,
                         o->values_only ? NULL : tr->xpd + 3 * j + i, NULL,
                         w->Y, w->K, s, t4);
            }
            nts_eval(S + S_W + i, NULL, NULL, w->Y, w->K, S + S_H, t4);
        }
    }
    if (want_q) {
        nts_cost(w, P->p + 2);
        nts_eval(s, NULL, NULL, w->Q, w->K, S + S_H, t4);
        mpfr_add(S + S_Q, S + S_Q, s, MPFR_RNDN);
    }
    nts_eval(S + S_X, NULL, NULL, w->X, w->K, S + S_H, t4);
}

static int forward(impl_traj_t tr, nt_work *w, mpfr_ptr S, long *nst,
                   const impl_problem_t P, const ntaylor_opts *o, int want_q,
                   averr_t err)
{
    mpfr_ptr tn = S + S_TN, h = S + S_H, tnext = S + S_TNEXT;
    mpfr_ptr negp1 = S + S_ALPHA;
    mpfr_neg(negp1, P->p + 1, MPFR_RNDN);
    mpfr_set_zero(tn, 1);
    mpfr_set(S + S_X, P->p, MPFR_RNDN);            /* g = x(0) - p0 = 0 */
    mpfr_set_ui(S + S_W, 1, MPFR_RNDN);            /* dx(0)/dp = (1, 0, 0) */
    mpfr_set_zero(S + S_W + 1, 1);
    mpfr_set_zero(S + S_W + 2, 1);
    mpfr_set_zero(S + S_Q, 1);
    size_t j = 0;
    long n = 0;
    while (mpfr_cmp(tn, P->T) < 0) {
        if (n >= NTAYLOR_MAX_STEPS)
            return averr_set(err, AV_ENUM, "Taylor solve: more than %ld steps "
                             "at t = %.6g", NTAYLOR_MAX_STEPS,
                             mpfr_get_d(tn, MPFR_RNDN));
        nts_trig(w, tn, P->p + 2);
        nts_aode(w, w->X, w->Xd, S + S_X, negp1, w->S, 1, 1);
        mpfr_sub(h, P->T, tn, MPFR_RNDN);
        double rest = mpfr_get_d(h, MPFR_RNDN);
        double hd = nts_step(w, rest);
        int last = !(hd < rest);
        if (last)
            mpfr_set(tnext, P->T, MPFR_RNDN);
        else
            mpfr_add_d(tnext, tn, hd, MPFR_RNDN);
        if (!(mpfr_cmp(tnext, tn) > 0))
            return averr_set(err, AV_ENUM, "Taylor solve: step size underflow "
                             "at t = %.6g", mpfr_get_d(tn, MPFR_RNDN));
        mpfr_sub(h, tnext, tn, MPFR_RNDN);
        size_t j0 = j;
        while (j < tr->N && (mpfr_cmp(tr->t + j, tnext) < 0 || last))
            j++;
        if (o->want_adj && nts_store_push(w, tn, h, j0, err) != 0)
            return AV_ESYS;
        forward_samples(tr, w, S, j0, j, P, o, want_q);
        mpfr_set(tn, tnext, MPFR_RNDN);
        n++;
    }
    if (o->want_adj)
        w->j0[w->nst] = tr->N;
    *nst = n;
    return 0;
}

/* The adjoint a lambda' = sigma (f_x + p1 lambda), lambda(T) = 0, with
 * f_x = (1 + p2/5) x - cos t, step by step from the right end. */
static void backward(impl_traj_t tr, nt_work *w, mpfr_ptr S,
                     const impl_problem_t P, int sigma, int values_only)
{
    size_t per = (size_t)w->K + 3;
    mpfr_ptr one = S + S_ONE, cx = S + S_CX, lam = S + S_LAM;
    mpfr_ptr alpha = S + S_ALPHA, s = S + S_S, t4 = S + S_T4;
    mpfr_ptr phih = S + S_PHIH, psih = S + S_PSIH;
    mpfr_set_zero(lam, 1);                  /* lambda(T) h_x'(T) = 0 */
    for (long n = w->nst - 1; n >= 0; n--) {
        mpfr_srcptr e = w->store + (size_t)n * per;
        mpvec_set(w->X, e + 2, (size_t)w->K + 1);
        for (int m = 0; m <= w->K; m++)
            nts_a_coef(w, m);
        nts_trig(w, e, P->p + 2);
        mpfr_div_ui(cx, P->p + 2, 5, MPFR_RNDN);
        mpfr_add_ui(cx, cx, 1, MPFR_RNDN);
        for (int k = 0; k <= w->K; k++) {
            mpfr_mul(w->G + k, cx, w->X + k, MPFR_RNDN);
            mpfr_sub(w->G + k, w->G + k, w->Cs + k, MPFR_RNDN);
        }
        mpfr_set_ui(one, 1, MPFR_RNDN);
        nts_aode(w, w->Ph, w->Yd, one, P->p + 1, NULL, sigma, 0);
        mpfr_set_zero(one, 1);
        nts_aode(w, w->Ps, w->Yd, one, P->p + 1, w->G, sigma, 0);
        nts_eval(phih, NULL, NULL, w->Ph, w->K, e + 1, t4);
        nts_eval(psih, NULL, NULL, w->Ps, w->K, e + 1, t4);
        /* lambda = alpha phi + psi matches lambda at the step's right end */
        mpfr_sub(alpha, lam, psih, MPFR_RNDN);
        mpfr_div(alpha, alpha, phih, MPFR_RNDN);
        for (int k = 0; k <= w->K; k++)
            mpfr_fma(w->Y + k, alpha, w->Ph + k, w->Ps + k, MPFR_RNDN);
        for (size_t j = w->j0[n]; j < w->j0[n + 1]; j++) {
            mpfr_sub(s, tr->t + j, e, MPFR_RNDN);
            nts_eval(tr->lam + j, values_only ? NULL : tr->lamd + j, NULL,
                     w->Y, w->K, s, t4);
        }
        mpfr_set(lam, alpha, MPFR_RNDN);
    }
}

int ntaylor_solve(impl_traj_t tr, mpfr_ptr fint, long *nsteps,
                  const impl_problem_t P, const ntaylor_opts *o, averr_t err)
{
    static const ntaylor_opts x_only = {0, 0, 1, 0, 0};
    if (o == NULL)
        o = &x_only;
    int rc = check_args(tr, P, err);
    if (rc != 0)
        return rc;
    int K = o->order > 0 ? o->order : ntaylor_order(P->prec);
    mpfr_prec_t wprec = P->prec + NT_GUARD;
    nt_work w;
    if (nts_work_init(&w, K, wprec, err) != 0)
        return AV_ESYS;
    mpfr_ptr S = mpblock_alloc(S_N, wprec, err);
    if (S == NULL) {
        nts_work_clear(&w);
        return AV_ESYS;
    }
    long nst = 0;
    mpfr_clear_flags();
    rc = forward(tr, &w, S, &nst, P, o, fint != NULL, err);
    if (rc == 0 && o->want_adj)
        backward(tr, &w, S, P, o->adj_sign < 0 ? -1 : 1, o->values_only);
    if (rc == 0 && (mpfr_nanflag_p() || mpfr_overflow_p()))
        rc = averr_set(err, AV_ENUM, "Taylor solve: NaN or overflow");
    if (rc == 0 && fint != NULL)
        mpfr_set(fint, S + S_Q, MPFR_RNDN);
    if (rc == 0 && nsteps != NULL)
        *nsteps = nst;
    mpblock_free(S);
    nts_work_clear(&w);
    return rc;
}
