/* rk_step: one Runge-Kutta step for any tableau.  Explicit tableaux run
 * their stages in order; implicit ones solve for the stage derivatives K by
 * Newton's method on G_i(K) = K_i - F(t + c_i h, y + h sum_j a_ij K_j),
 * whose Jacobian has blocks delta_ij I - h a_ij J(Y_i).
 * Reference: Hairer and Wanner, Solving ODEs II, IV.8.
 */
#include <stdlib.h>
#include <string.h>
#include "rk.h"
#include "../numbers/mpvec.h"

int rk_work_init(rk_work_t w, const rk_system *sys, const tableau_t tab,
                 mpfr_prec_t prec, averr_t err)
{
    memset(w, 0, sizeof *w);
    size_t dim = sys->dim, s = (size_t)tab->s, n = s * dim;
    int implicit = !tab->explicit_;
    w->dim = dim;
    w->s = s;
    w->naux = sys->naux;
    size_t total = 3 * n + s * sys->naux + (implicit ? n * n + dim * dim : 0) + 4 * dim + 6;
    w->block = mpblock_alloc(total, prec, err);
    if (w->block == NULL)
        return AV_ESYS;
    w->K = w->block;
    w->Y = w->K + n;
    w->r = w->Y + n;
    w->aux = w->r + n;
    w->tmp = w->aux + s * sys->naux;
    w->M = implicit ? w->tmp + 4 * dim + 6 : NULL;
    w->J = implicit ? w->M + n * n : NULL;
    w->newton_max = 60;
    if (implicit && (w->piv = malloc(n * sizeof *w->piv)) == NULL) {
        rk_work_clear(w);
        return averr_set(err, AV_ESYS, "out of memory for the stage system");
    }
    return 0;
}

void rk_work_clear(rk_work_t w)
{
    mpblock_free(w->block);
    free(w->piv);
    memset(w, 0, sizeof *w);
}

/* t_i = t + c_i h into OUT */
static void stage_time(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr h,
                       const tableau_t tab, int i)
{
    mpfr_fma(out, tab->c + i, h, t, MPFR_RNDN);
}

/* Y_i = y + h sum_{j in [0, jend)} a_ij K_j */
static void stage_value(mpfr_ptr Yi, mpfr_srcptr y, mpfr_srcptr h, mpfr_srcptr K,
                        const tableau_t tab, int i, int jend, size_t dim,
                        mpfr_ptr coef)
{
    mpvec_set(Yi, y, dim);
    for (int j = 0; j < jend; j++) {
        if (mpfr_zero_p(tab->A + i * tab->s + j))
            continue;
        mpfr_mul(coef, h, tab->A + i * tab->s + j, MPFR_RNDN);
        mpvec_axpy(Yi, coef, K + (size_t)j * dim, dim);
    }
}

/* The forward-difference Jacobian of F at (t, y), for systems that bring
 * none: a step of 2^(-prec/2) leaves half the digits, enough for Newton's
 * method to converge (linearly, at rate 2^(-prec/2)). */
static int fd_jacobian(mpfr_ptr J, mpfr_srcptr t, mpfr_srcptr y,
                       const rk_system *sys, rk_work_t w)
{
    size_t dim = sys->dim;
    mpfr_ptr yp = w->tmp, Fp = w->tmp + dim, delta = w->tmp + 2 * dim;
    mpfr_ptr Fy = w->tmp + 3 * dim;
    int st = sys->F(Fy, NULL, t, y, sys->ctx);
    mpvec_set(yp, y, dim);
    for (size_t k = 0; k < dim && st == 0; k++) {
        mpfr_set_ui_2exp(delta, 1, -(long)mpfr_get_prec(delta) / 2, MPFR_RNDN);
        if (mpfr_cmpabs_ui(y + k, 1) > 0)
            mpfr_mul(delta, delta, y + k, MPFR_RNDN);
        mpfr_abs(delta, delta, MPFR_RNDN);
        mpfr_add(yp + k, y + k, delta, MPFR_RNDN);
        if ((st = sys->F(Fp, NULL, t, yp, sys->ctx)) != 0)
            break;
        for (size_t i = 0; i < dim; i++) {
            mpfr_sub(J + i * dim + k, Fp + i, Fy + i, MPFR_RNDN);
            mpfr_div(J + i * dim + k, J + i * dim + k, delta, MPFR_RNDN);
        }
        mpfr_set(yp + k, y + k, MPFR_RNDN);
    }
    return st;
}

static int explicit_stages(mpfr_srcptr t, mpfr_srcptr y, mpfr_srcptr h,
                           const rk_system *sys, const tableau_t tab, rk_work_t w,
                           mpfr_ptr aux)
{
    size_t dim = sys->dim;
    mpfr_ptr ti = w->tmp, coef = w->tmp + 1;
    for (int i = 0; i < tab->s; i++) {
        mpfr_ptr Yi = w->Y + (size_t)i * dim;
        stage_value(Yi, y, h, w->K, tab, i, i, dim, coef);
        stage_time(ti, t, h, tab, i);
        int st = sys->F(w->K + (size_t)i * dim, aux + (size_t)i * sys->naux, ti, Yi,
                        sys->ctx);
        if (st != 0)
            return st;
    }
    return 0;
}

/* Evaluates Y from K, then F(Y) into r (and AUX); returns max |K - F(Y)|
 * in RES. */
static int implicit_residual(mpfr_ptr res, mpfr_srcptr t, mpfr_srcptr y,
                             mpfr_srcptr h, const rk_system *sys,
                             const tableau_t tab, rk_work_t w, mpfr_ptr aux)
{
    size_t dim = sys->dim, n = (size_t)tab->s * dim;
    mpfr_ptr ti = w->tmp + 4 * dim + 2, coef = w->tmp + 4 * dim + 3;
    for (int i = 0; i < tab->s; i++) {
        mpfr_ptr Yi = w->Y + (size_t)i * dim;
        stage_value(Yi, y, h, w->K, tab, i, tab->s, dim, coef);
        stage_time(ti, t, h, tab, i);
        int st = sys->F(w->r + (size_t)i * dim, aux + (size_t)i * sys->naux, ti, Yi,
                        sys->ctx);
        if (st != 0)
            return st;
    }
    mpvec_dist_max(res, w->K, w->r, n, coef);
    return 0;
}

int rk_stage_matrix(rk_work_t w, mpfr_srcptr t, mpfr_srcptr h,
                    const rk_system *sys, const tableau_t tab, mpfr_srcptr stages,
                    mpfr_srcptr aux)
{
    size_t dim = sys->dim, s = (size_t)tab->s, n = s * dim;
    mpfr_ptr ti = w->tmp + 4 * dim, coef = w->tmp + 4 * dim + 1;
    for (size_t i = 0; i < s; i++) {
        mpfr_srcptr Yi = stages + i * dim;
        stage_time(ti, t, h, tab, (int)i);
        int st = sys->jac != NULL
                     ? sys->jac(w->J, ti, Yi, aux + i * sys->naux, sys->ctx)
                     : fd_jacobian(w->J, ti, Yi, sys, w);
        if (st != 0)
            return st;
        for (size_t j = 0; j < s; j++) {
            mpfr_mul(coef, h, tab->A + i * s + j, MPFR_RNDN);
            for (size_t a = 0; a < dim; a++)
                for (size_t b = 0; b < dim; b++) {
                    mpfr_ptr m = w->M + (i * dim + a) * n + j * dim + b;
                    mpfr_mul(m, coef, w->J + a * dim + b, MPFR_RNDN);
                    mpfr_neg(m, m, MPFR_RNDN);
                    if (i == j && a == b)
                        mpfr_add_ui(m, m, 1, MPFR_RNDN);
                }
        }
    }
    return 0;
}

static int implicit_stages(mpfr_srcptr t, mpfr_srcptr y, mpfr_srcptr h,
                           const rk_system *sys, const tableau_t tab, rk_work_t w,
                           mpfr_ptr aux, averr_t err)
{
    size_t dim = sys->dim, n = (size_t)tab->s * dim;
    mpfr_ptr res = w->tmp + 4 * dim + 4, tol = w->tmp + 4 * dim + 5;
    mpfr_ptr scratch = w->tmp + 4 * dim + 3;
    mpfr_prec_t prec = mpfr_get_prec(res);
    /* Start from K_i = F(t, y) for every stage. */
    int st = sys->F(w->K, NULL, t, y, sys->ctx);
    for (size_t i = 1; st == 0 && i < (size_t)tab->s; i++)
        mpvec_set(w->K + i * dim, w->K, dim);
    /* Converged when the residual, or else the last Newton update, is at
     * the working precision relative to K: the residual cannot fall below
     * the rounding of F's terms, which may be far larger than K, while
     * Newton's quadratic convergence makes a tiny update a tiny error. */
    int small_update = 0;
    for (int it = 0; st == 0; it++) {
        if ((st = implicit_residual(res, t, y, h, sys, tab, w, aux)) != 0)
            break;
        if (!mpfr_number_p(res))
            return averr_set(err, AV_ENUM, "implicit stage equations gave NaN or "
                             "infinity (overflow) at t = %.6g", mpfr_get_d(t, MPFR_RNDN));
        mpvec_norm_max(tol, w->K, n);
        if (mpfr_cmp_ui(tol, 1) < 0)
            mpfr_set_ui(tol, 1, MPFR_RNDN);
        mpfr_mul_2si(tol, tol, -(long)prec + 6, MPFR_RNDN);
        if (small_update || mpfr_cmp(res, tol) <= 0)
            break;
        if (it >= w->newton_max)
            return averr_set(err, AV_ENUM, "Newton iteration for the implicit stages "
                             "did not converge in %d iterations at t = %.6g "
                             "(residual %.3e)", w->newton_max,
                             mpfr_get_d(t, MPFR_RNDN), mpfr_get_d(res, MPFR_RNDN));
        if ((st = rk_stage_matrix(w, t, h, sys, tab, w->Y, aux)) != 0)
            break;
        if (mplu_factor(w->M, w->piv, n, scratch, err) != 0)
            return averr_prefix(err, "implicit stage system at t = %.6g",
                                mpfr_get_d(t, MPFR_RNDN));
        /* M delta = F(Y) - K, then K += delta */
        mpvec_sub(w->r, w->r, w->K, n);
        mplu_solve(w->r, w->M, w->piv, w->r, n, 0, scratch);
        mpvec_norm_max(res, w->r, n);
        small_update = mpfr_cmp(res, tol) <= 0;
        mpvec_add(w->K, w->K, w->r, n);
    }
    if (st != 0)
        return averr_set(err, st, "the vector field failed at t = %.6g",
                         mpfr_get_d(t, MPFR_RNDN));
    /* The last residual evaluated F at the final Y: use it as K so that
     * K, Y and aux belong together. */
    mpvec_set(w->K, w->r, n);
    return 0;
}

int rk_step(mpfr_ptr ynew, mpfr_ptr stages, mpfr_ptr aux, mpfr_srcptr t,
            mpfr_srcptr y, mpfr_srcptr h, const rk_system *sys,
            const tableau_t tab, rk_work_t w, averr_t err)
{
    size_t dim = sys->dim, n = (size_t)tab->s * dim;
    mpfr_ptr a = aux != NULL ? aux : w->aux;
    int st = tab->explicit_ ? explicit_stages(t, y, h, sys, tab, w, a)
                            : implicit_stages(t, y, h, sys, tab, w, a, err);
    if (st != 0)
        return tab->explicit_ ? averr_set(err, st, "the vector field failed at t = %.6g",
                                          mpfr_get_d(t, MPFR_RNDN))
                              : st;
    mpfr_ptr coef = w->tmp;
    if (ynew != y)
        mpvec_set(ynew, y, dim);
    for (int i = 0; i < tab->s; i++) {
        if (mpfr_zero_p(tab->b + i))
            continue;
        mpfr_mul(coef, h, tab->b + i, MPFR_RNDN);
        mpvec_axpy(ynew, coef, w->K + (size_t)i * dim, dim);
    }
    if (stages != NULL)
        mpvec_set(stages, w->Y, n);
    return 0;
}
