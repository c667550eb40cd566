/* ntaylor_series: internal to the ntaylor module (ntaylor.c and
 * ntaylor_series.c): the workspace of a solve, the recurrences of P7's
 * Taylor coefficients on one step, and the store of steps that the
 * backward (adjoint) sweep reads.  All numbers at wprec; nothing here
 * checks its arguments (ntaylor_solve does).
 */
#ifndef ADJVERIFY_NTAYLOR_SERIES_H
#define ADJVERIFY_NTAYLOR_SERIES_H

#include <stddef.h>
#include <mpfr.h>
#include "../numbers/averr.h"

typedef struct {
    int K;              /* order: series have K + 1 coefficients */
    mpfr_prec_t wprec;
    /* series: x and k x_k; a = 1 + x^2/2; sin, cos(p2 (tn + s)); sin,
     * cos(tn + s); a forcing G; a spare Y and k Y_k; the sensitivity
     * product c = a w; the adjoint's phi and psi; the running cost q */
    mpfr_ptr X, Xd, A, S, C, Sn, Cs, G, Y, Yd, Cw, Ph, Ps, Q;
    mpfr_ptr sc;        /* 8 scalars */
    mpfr_ptr ws;
    long nst, cap;      /* stored steps */
    mpfr_ptr store;     /* per step: t_n, h_n, X_0..X_K */
    size_t *j0;         /* cap + 1: first sample of each step */
} nt_work;

int nts_work_init(nt_work *w, int K, mpfr_prec_t wprec, averr_t err);
void nts_work_clear(nt_work *w);
/* Appends step (TN, H, X, first sample J0) to the store. */
int nts_store_push(nt_work *w, mpfr_srcptr tn, mpfr_srcptr h, size_t j0,
                   averr_t err);
/* S, C = series of sin, cos(p2 (tn + s)); Sn, Cs = of sin, cos(tn + s). */
void nts_trig(nt_work *w, mpfr_srcptr tn, mpfr_srcptr p2);
/* A_m from X_0..X_m. */
void nts_a_coef(nt_work *w, int m);
/* Y (and Yd_k = k Y_k) solving a y' = sigma (c y + F), Y_0 = Y0; F may be
 * NULL; GROW_A: Y is X and A is built alongside. */
void nts_aode(nt_work *w, mpfr_ptr Y, mpfr_ptr Yd, mpfr_srcptr y0,
              mpfr_srcptr c, mpfr_srcptr F, int sigma, int grow_a);
/* w->Y = series of dx/dp_I on the step at TN from W0. */
void nts_sens(nt_work *w, mpfr_srcptr w0, int i, mpfr_srcptr tn,
              mpfr_srcptr p1);
/* w->Q = series of int f from 0 on the step (needs X, A, Cs). */
void nts_cost(nt_work *w, mpfr_srcptr p2);
/* V, D1, D2 = series Y (order K) and its derivatives at S; D1, D2 may be
 * NULL; T4 is 4 scratch numbers. */
void nts_eval(mpfr_ptr v, mpfr_ptr d1, mpfr_ptr d2, mpfr_srcptr Y, int K,
              mpfr_srcptr s, mpfr_ptr t4);
/* The step rho / e^2 from the last two coefficients of X, at most REST. */
double nts_step(const nt_work *w, double rest);

#endif
