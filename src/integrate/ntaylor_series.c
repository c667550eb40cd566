/* ntaylor_series: the Taylor-coefficient recurrences of P7 on one step,
 * the store of steps for the backward sweep, and series evaluation.
 * For a y' = r with a = sum A_j s^j, the coefficient of s^k of a y' is
 * sum_j A_j (k + 1 - j) Y_{k+1-j}, which gives Y_{k+1}.
 * References: Jorba and Zou (2005); Corliss and Chang (1982).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ntaylor_series.h"
#include "../numbers/mpvec.h"

#define NT_NSER 14      /* series arrays in the workspace */

int ntaylor_order(mpfr_prec_t prec)
{
    /* e^(-2K) = 2^-(prec + 16): truncation just below the rounding. */
    return (int)ceil(0.5 * (double)(prec + 16) * log(2.0)) + 2;
}

int nts_work_init(nt_work *w, int K, mpfr_prec_t wprec, averr_t err)
{
    memset(w, 0, sizeof *w);
    w->K = K;
    w->wprec = wprec;
    size_t L = (size_t)K + 1;
    w->ws = mpblock_alloc(NT_NSER * L + 8, wprec, err);
    if (w->ws == NULL)
        return AV_ESYS;
    mpfr_ptr *arr[NT_NSER] = {&w->X, &w->Xd, &w->A, &w->S, &w->C, &w->Sn,
                              &w->Cs, &w->G, &w->Y, &w->Yd, &w->Cw, &w->Ph,
                              &w->Ps, &w->Q};
    for (int i = 0; i < NT_NSER; i++)
        *arr[i] = w->ws + (size_t)i * L;
    w->sc = w->ws + NT_NSER * L;
    return 0;
}

void nts_work_clear(nt_work *w)
{
    mpblock_free(w->ws);
    mpblock_free(w->store);
    free(w->j0);
    memset(w, 0, sizeof *w);
}

/* Appends step (TN, H, X) to the store, doubling its room when full. */
int nts_store_push(nt_work *w, mpfr_srcptr tn, mpfr_srcptr h, size_t j0,
                      averr_t err)
{
    size_t per = (size_t)w->K + 3;
    if (w->nst == w->cap) {
        long cap = w->cap ? 2 * w->cap : 16;
        mpfr_ptr s = mpblock_alloc((size_t)cap * per, w->wprec, err);
        size_t *j = s ? malloc(((size_t)cap + 1) * sizeof *j) : NULL;
        if (j == NULL) {
            mpblock_free(s);
            return averr_set(err, AV_ESYS, "Taylor solve: out of memory "
                             "storing %ld steps", cap);
        }
        if (w->store != NULL) {
            mpvec_set(s, w->store, (size_t)w->nst * per);
            memcpy(j, w->j0, ((size_t)w->nst + 1) * sizeof *j);
        }
        mpblock_free(w->store);
        free(w->j0);
        w->store = s;
        w->j0 = j;
        w->cap = cap;
    }
    mpfr_ptr e = w->store + (size_t)w->nst * per;
    mpfr_set(e, tn, MPFR_RNDN);
    mpfr_set(e + 1, h, MPFR_RNDN);
    mpvec_set(e + 2, w->X, (size_t)w->K + 1);
    w->j0[w->nst++] = j0;
    return 0;
}

/* S, C: series of sin, cos(p2 (tn + s)); Sn, Cs: of sin, cos(tn + s). */
void nts_trig(nt_work *w, mpfr_srcptr tn, mpfr_srcptr p2)
{
    mpfr_ptr u = w->sc;
    mpfr_mul(u, p2, tn, MPFR_RNDN);
    mpfr_sin_cos(w->S, w->C, u, MPFR_RNDN);
    mpfr_sin_cos(w->Sn, w->Cs, tn, MPFR_RNDN);
    for (int k = 0; k < w->K; k++) {
        /* (sin)' = p2 cos, (cos)' = -p2 sin */
        mpfr_mul(w->S + k + 1, w->C + k, p2, MPFR_RNDN);
        mpfr_div_ui(w->S + k + 1, w->S + k + 1, (unsigned long)k + 1, MPFR_RNDN);
        mpfr_mul(w->C + k + 1, w->S + k, p2, MPFR_RNDN);
        mpfr_div_si(w->C + k + 1, w->C + k + 1, -(long)k - 1, MPFR_RNDN);
        mpfr_div_ui(w->Sn + k + 1, w->Cs + k, (unsigned long)k + 1, MPFR_RNDN);
        mpfr_div_si(w->Cs + k + 1, w->Sn + k, -(long)k - 1, MPFR_RNDN);
    }
}

/* A_m = [m = 0] + 1/2 sum_{i=0}^{m} X_i X_{m-i}, by symmetry. */
void nts_a_coef(nt_work *w, int m)
{
    mpfr_ptr acc = w->A + m;
    mpfr_set_zero(acc, 1);
    /* the pairs i < m - i once each (the 1/2 cancels their 2), then the
     * middle term halved */
    for (int i = 0; 2 * i < m; i++)
        mpfr_fma(acc, w->X + i, w->X + m - i, acc, MPFR_RNDN);
    if (m % 2 == 0) {
        mpfr_ptr t = w->sc + 7;
        mpfr_sqr(t, w->X + m / 2, MPFR_RNDN);
        mpfr_div_2ui(t, t, 1, MPFR_RNDN);
        mpfr_add(acc, acc, t, MPFR_RNDN);
    }
    if (m == 0)
        mpfr_add_ui(acc, acc, 1, MPFR_RNDN);
}

/* Solves a y' = sigma (c y + F) for the series Y (Yd_k = k Y_k) from
 * Y_0 = Y0.  F may be NULL (zero).  When GROW_A, Y is x itself and A is
 * built alongside from X (a = 1 + x^2/2). */
void nts_aode(nt_work *w, mpfr_ptr Y, mpfr_ptr Yd, mpfr_srcptr y0,
              mpfr_srcptr c, mpfr_srcptr F, int sigma, int grow_a)
{
    mpfr_ptr r = w->sc + 1, u = w->sc + 2;
    mpfr_set(Y, y0, MPFR_RNDN);
    mpfr_set_zero(Yd, 1);
    if (grow_a)
        nts_a_coef(w, 0);
    for (int k = 0; k < w->K; k++) {
        mpfr_mul(r, c, Y + k, MPFR_RNDN);
        if (F != NULL)
            mpfr_add(r, r, F + k, MPFR_RNDN);
        if (sigma < 0)
            mpfr_neg(r, r, MPFR_RNDN);
        mpfr_set_zero(u, 1);
        for (int j = 1; j <= k; j++)
            mpfr_fma(u, w->A + j, Yd + k + 1 - j, u, MPFR_RNDN);
        mpfr_sub(r, r, u, MPFR_RNDN);
        mpfr_div(Yd + k + 1, r, w->A, MPFR_RNDN);
        mpfr_div_ui(Y + k + 1, Yd + k + 1, (unsigned long)k + 1, MPFR_RNDN);
        if (grow_a)
            nts_a_coef(w, k + 1);
    }
}

/* Sensitivity to p_i: (a w)' = -p1 w - h_pi with c = a w, from W_0 = w0.
 * h_p0 = 0, h_p1 = x, h_p2 = -(tn + s) cos(p2 (tn + s)). */
void nts_sens(nt_work *w, mpfr_srcptr w0, int i, mpfr_srcptr tn,
              mpfr_srcptr p1)
{
    mpfr_ptr W = w->Y, r = w->sc + 1, u = w->sc + 2;
    mpfr_set(W, w0, MPFR_RNDN);
    mpfr_mul(w->Cw, w->A, W, MPFR_RNDN);
    for (int k = 0; k < w->K; k++) {
        mpfr_mul(r, p1, W + k, MPFR_RNDN);
        if (i == 1)
            mpfr_add(r, r, w->X + k, MPFR_RNDN);
        if (i == 2) {
            mpfr_fms(u, tn, w->C + k, r, MPFR_RNDN);   /* u = -r' */
            if (k > 0)
                mpfr_add(u, u, w->C + k - 1, MPFR_RNDN);
            mpfr_neg(r, u, MPFR_RNDN);
        }
        mpfr_div_si(w->Cw + k + 1, r, -(long)k - 1, MPFR_RNDN);
        /* W_{k+1} = (c_{k+1} - sum_{j>=1} A_j W_{k+1-j}) / A_0 */
        mpfr_set_zero(u, 1);
        for (int j = 1; j <= k + 1; j++)
            mpfr_fma(u, w->A + j, W + k + 1 - j, u, MPFR_RNDN);
        mpfr_sub(r, w->Cw + k + 1, u, MPFR_RNDN);
        mpfr_div(W + k + 1, r, w->A, MPFR_RNDN);
    }
}

/* Q: series of q with q' = f = 1/2 (x - cos t)^2 + (p2/10) x^2 and Q_0 = 0;
 * (p2/10) (x^2)_k = (p2/5) (A_k - [k = 0]).  G holds x - cos t. */
void nts_cost(nt_work *w, mpfr_srcptr p2)
{
    mpfr_ptr r = w->sc + 1, u = w->sc + 2;
    for (int k = 0; k <= w->K; k++)
        mpfr_sub(w->G + k, w->X + k, w->Cs + k, MPFR_RNDN);
    mpfr_set_zero(w->Q, 1);
    for (int k = 0; k < w->K; k++) {
        mpfr_set_zero(r, 1);
        for (int i = 0; i <= k; i++)
            mpfr_fma(r, w->G + i, w->G + k - i, r, MPFR_RNDN);
        mpfr_div_2ui(r, r, 1, MPFR_RNDN);
        mpfr_mul(u, p2, w->A + k, MPFR_RNDN);
        if (k == 0)
            mpfr_sub(u, u, p2, MPFR_RNDN);
        mpfr_div_ui(u, u, 5, MPFR_RNDN);
        mpfr_add(r, r, u, MPFR_RNDN);
        mpfr_div_ui(w->Q + k + 1, r, (unsigned long)k + 1, MPFR_RNDN);
    }
}

/* V, D1, D2 (any may be NULL but V) = the series Y and its first two
 * derivatives at s, by Horner's rule carried for the derivatives. */
void nts_eval(mpfr_ptr v, mpfr_ptr d1, mpfr_ptr d2, mpfr_srcptr Y,
              int K, mpfr_srcptr s, mpfr_ptr t3)
{
    mpfr_ptr p = t3, dp = t3 + 1, ddp = t3 + 2;
    if (d1 == NULL && d2 == NULL) {
        mpfr_set(p, Y + K, MPFR_RNDN);
        for (int k = K - 1; k >= 0; k--)
            mpfr_fma(p, p, s, Y + k, MPFR_RNDN);
        mpfr_set(v, p, MPFR_RNDN);
        return;
    }
    mpfr_set(p, Y + K, MPFR_RNDN);
    mpfr_set_zero(dp, 1);
    mpfr_set_zero(ddp, 1);
    for (int k = K - 1; k >= 0; k--) {
        mpfr_mul(ddp, ddp, s, MPFR_RNDN);
        mpfr_mul_2ui(t3 + 3, dp, 1, MPFR_RNDN);
        mpfr_add(ddp, ddp, t3 + 3, MPFR_RNDN);
        mpfr_fma(dp, dp, s, p, MPFR_RNDN);
        mpfr_fma(p, p, s, Y + k, MPFR_RNDN);
    }
    mpfr_set(v, p, MPFR_RNDN);
    if (d1 != NULL)
        mpfr_set(d1, dp, MPFR_RNDN);
    if (d2 != NULL)
        mpfr_set(d2, ddp, MPFR_RNDN);
}

/* The step rho / e^2, rho = min over the last two coefficients of
 * |X_m|^(-1/m) (Jorba and Zou), capped by the time left REST. */
double nts_step(const nt_work *w, double rest)
{
    double lr = INFINITY;
    for (int m = w->K - 1; m <= w->K; m++) {
        if (mpfr_zero_p(w->X + m))
            continue;
        long e;
        double d = mpfr_get_d_2exp(&e, w->X + m, MPFR_RNDN);
        double l2 = (log2(fabs(d)) + (double)e) / -(double)m;
        if (l2 < lr)
            lr = l2;
    }
    double h = isinf(lr) ? rest : exp2(lr) * exp(-2.0);
    return h < rest ? h : rest;
}
