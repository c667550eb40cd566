/* exact_rk: one Runge-Kutta step in exact rationals for a generic system,
 * rational Gaussian elimination, and the recorded exact forward solve.
 * Implicit stages: for F affine in y the stage equations
 *     K_i = F(t_i, y + h sum_j a_ij K_j)
 * are the linear system (I - h [a_ij G_i]) K = [F(t_i, y)], with G_i the
 * (constant) Jacobian whose column k is F(t_i, y + e_k) - F(t_i, y).  The
 * solution is then put back into the stage equations: only an exact fit is
 * accepted, so a nonlinear F is reported rather than solved wrongly.
 * Reference: Hairer, Norsett, Wanner, Solving ODEs I, II.1 and II.7.
 */
#include <stdlib.h>
#include "exact_impl.h"

mpq_t *qvec_alloc(size_t n)
{
    mpq_t *v = malloc((n > 0 ? n : 1) * sizeof(mpq_t));
    if (v != NULL)
        for (size_t k = 0; k < n; k++)
            mpq_init(v[k]);
    return v;
}

void qvec_free(mpq_t *v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t k = 0; k < n; k++)
        mpq_clear(v[k]);
    free(v);
}

int exq_gauss_solve(mpq_t *A, mpq_t *X, size_t n)
{
    mpq_t f, x;
    mpq_inits(f, x, NULL);
    int st = 0;
    for (size_t c = 0; c < n && st == 0; c++) {
        size_t piv = c;
        while (piv < n && mpq_sgn(A[piv * n + c]) == 0)
            piv++;
        if (piv == n) {
            st = AV_ENUM;
            break;
        }
        if (piv != c) {
            for (size_t k = c; k < n; k++)
                mpq_swap(A[piv * n + k], A[c * n + k]);
            mpq_swap(X[piv], X[c]);
        }
        for (size_t r = c + 1; r < n; r++) {
            if (mpq_sgn(A[r * n + c]) == 0)
                continue;
            mpq_div(f, A[r * n + c], A[c * n + c]);
            for (size_t k = c; k < n; k++) {
                mpq_mul(x, f, A[c * n + k]);
                mpq_sub(A[r * n + k], A[r * n + k], x);
            }
            mpq_mul(x, f, X[c]);
            mpq_sub(X[r], X[r], x);
        }
    }
    for (size_t r = n; r-- > 0 && st == 0;) {
        for (size_t k = r + 1; k < n; k++) {
            mpq_mul(x, A[r * n + k], X[k]);
            mpq_sub(X[r], X[r], x);
        }
        mpq_div(X[r], X[r], A[r * n + r]);
    }
    mpq_clears(f, x, NULL);
    return st;
}

int exq_work_init(exq_work *w, const exq_system *sys, const tableau_t tab,
                  averr_t err)
{
    size_t dim = sys->dim, s = (size_t)tab->s, n = s * dim;
    w->dim = dim;
    w->s = s;
    w->nq = sys->nq;
    w->total = 3 * n + (tab->explicit_ ? 0 : n * n) + sys->nq + 3 + dim;
    w->K = qvec_alloc(w->total);
    if (w->K == NULL)
        return averr_set(err, AV_ESYS, "out of memory for an exact RK step");
    w->Y = w->K + n;
    w->F = w->Y + n;
    w->G = w->F + n;
    w->qv = w->G + (tab->explicit_ ? 0 : n * n);
    w->tmp = w->qv + sys->nq;
    return 0;
}

void exq_work_clear(exq_work *w)
{
    qvec_free(w->K, w->total);
    w->K = NULL;
}

/* Y_i = y + sum_{j < jend} (h a_ij) K_j; COEF is scratch. */
static void stage_value(mpq_t *Yi, mpq_t *y, const mpq_t h, mpq_t *K,
                        const tableau_t tab, size_t i, size_t jend, size_t dim,
                        mpq_t coef, mpq_t x)
{
    size_t s = (size_t)tab->s;
    for (size_t k = 0; k < dim; k++)
        mpq_set(Yi[k], y[k]);
    for (size_t j = 0; j < jend; j++) {
        if (mpq_sgn(tab->Aq[i * s + j]) == 0)
            continue;
        mpq_mul(coef, h, tab->Aq[i * s + j]);
        for (size_t k = 0; k < dim; k++) {
            mpq_mul(x, coef, K[j * dim + k]);
            mpq_add(Yi[k], Yi[k], x);
        }
    }
}

static void stage_time(mpq_t ti, const mpq_t t, const mpq_t h, const tableau_t tab,
                       size_t i)
{
    mpq_mul(ti, tab->cq[i], h);
    mpq_add(ti, ti, t);
}

/* x += 1, staying canonical: (n + d) / d has gcd(n + d, d) = gcd(n, d) = 1. */
static void q_add_one(mpq_t x)
{
    mpz_add(mpq_numref(x), mpq_numref(x), mpq_denref(x));
}

/* The affine stage system, solved and verified (see the file comment). */
static int implicit_stages(mpq_t *y, const mpq_t t, const mpq_t h,
                           const exq_system *sys, const tableau_t tab, exq_work *w,
                           averr_t err)
{
    size_t dim = w->dim, s = w->s, n = s * dim;
    mpq_ptr ti = w->tmp[0], coef = w->tmp[1], x = w->tmp[2];
    mpq_t *col = w->tmp + 3;
    int st = 0;
    for (size_t i = 0; i < s && st == 0; i++) {
        stage_time(ti, t, h, tab, i);
        mpq_t *Fi = w->F + i * dim, *Yi = w->Y + i * dim;
        if ((st = sys->F(Fi, ti, y, sys->ctx)) != 0)
            break;
        for (size_t k = 0; k < dim && st == 0; k++) {
            for (size_t r = 0; r < dim; r++)
                mpq_set(Yi[r], y[r]);
            q_add_one(Yi[k]);
            if ((st = sys->F(col, ti, Yi, sys->ctx)) != 0)
                break;
            for (size_t r = 0; r < dim; r++) {
                mpq_sub(col[r], col[r], Fi[r]);
                for (size_t j = 0; j < s; j++) {
                    mpq_ptr g = w->G[(i * dim + r) * n + j * dim + k];
                    mpq_mul(coef, h, tab->Aq[i * s + j]);
                    mpq_mul(g, coef, col[r]);
                    mpq_neg(g, g);
                    if (i == j && r == k)
                        q_add_one(g);
                }
            }
        }
    }
    if (st != 0)
        return averr_set(err, st, "the field failed in an exact stage");
    for (size_t k = 0; k < n; k++)
        mpq_set(w->K[k], w->F[k]);
    if (exq_gauss_solve(w->G, w->K, n) != 0)
        return averr_set(err, AV_ENUM, "the exact stage system of '%s' is singular",
                         tab->name);
    /* Put the solution back: K_i = F(t_i, Y_i) must hold exactly. */
    for (size_t i = 0; i < s && st == 0; i++) {
        stage_time(ti, t, h, tab, i);
        stage_value(w->Y + i * dim, y, h, w->K, tab, i, s, dim, coef, x);
        st = sys->F(w->F + i * dim, ti, w->Y + i * dim, sys->ctx);
        for (size_t k = 0; k < dim && st == 0; k++)
            if (!mpq_equal(w->F[i * dim + k], w->K[i * dim + k]))
                return averr_set(err, AV_EINPUT,
                                 "the stage equations of implicit scheme '%s' are not "
                                 "linear for this field, so their solution is not "
                                 "rational: exact arithmetic needs an explicit scheme "
                                 "or a linear model", tab->name);
    }
    return st != 0 ? averr_set(err, st, "the field failed in an exact stage") : 0;
}

int exq_step(mpq_t *y, mpq_t *q, mpq_t *stages, const mpq_t t, const mpq_t h,
             const exq_system *sys, const tableau_t tab, exq_work *w,
             averr_t err)
{
    size_t dim = w->dim, s = w->s;
    mpq_ptr ti = w->tmp[0], coef = w->tmp[1], x = w->tmp[2];
    int st = 0;
    /* The cost of a step grows faster than the size of its input, so the
     * guard looks before the step, not after. */
    for (size_t k = 0; k < dim; k++)
        if (mpz_sizeinbase(mpq_numref(y[k]), 10) > EXACT_MAX_DIGITS ||
            mpz_sizeinbase(mpq_denref(y[k]), 10) > EXACT_MAX_DIGITS)
            return averr_set(err, AV_EINPUT, "the exact state has grown beyond %d "
                             "decimal digits: take fewer steps", EXACT_MAX_DIGITS);
    if (tab->explicit_) {
        for (size_t i = 0; i < s && st == 0; i++) {
            stage_time(ti, t, h, tab, i);
            stage_value(w->Y + i * dim, y, h, w->K, tab, i, i, dim, coef, x);
            st = sys->F(w->K + i * dim, ti, w->Y + i * dim, sys->ctx);
        }
        if (st != 0)
            return averr_set(err, st, "the field failed in an exact stage");
    } else if ((st = implicit_stages(y, t, h, sys, tab, w, err)) != 0) {
        return st;
    }
    for (size_t i = 0; i < s && st == 0; i++) {
        mpq_mul(coef, h, tab->bq[i]);
        if (w->nq > 0) {
            stage_time(ti, t, h, tab, i);
            if ((st = sys->Q(w->qv, ti, w->Y + i * dim, sys->ctx)) != 0)
                return averr_set(err, st, "the quadrature failed in an exact stage");
            for (size_t k = 0; k < w->nq; k++) {
                mpq_mul(x, coef, w->qv[k]);
                mpq_add(q[k], q[k], x);
            }
        }
        for (size_t k = 0; k < dim; k++) {
            mpq_mul(x, coef, w->K[i * dim + k]);
            mpq_add(y[k], y[k], x);
        }
    }
    if (stages != NULL)
        for (size_t k = 0; k < s * dim; k++)
            mpq_set(stages[k], w->Y[k]);
    return 0;
}

/* ---- the recorded exact forward solve ---- */

static int field_F(mpq_t *out, const mpq_t t, mpq_t *y, void *ctx)
{
    const problem_struct *p = ctx;
    return p->model->f_q(out, t, (const mpq_t *)y, p);
}

void exq_traj_clear(exq_traj *tr)
{
    qvec_free(tr->z, (size_t)(tr->N + 1) * tr->d);
    qvec_free(tr->stages, (size_t)tr->N * tr->s * tr->d);
    mpq_clear(tr->h);
    tr->z = tr->stages = NULL;
}

int exq_record(exq_traj *tr, const problem_t p, const tableau_t tab, long N,
               averr_t err)
{
    size_t d = (size_t)p->d, s = (size_t)tab->s;
    exq_system sys = {d, 0, field_F, NULL, (void *)p};
    exq_work w;
    tr->N = N;
    tr->s = s;
    tr->d = d;
    mpq_init(tr->h);
    mpq_set_si(tr->h, N, 1);
    mpq_div(tr->h, p->T_q, tr->h);
    tr->z = qvec_alloc((size_t)(N + 1) * d);
    tr->stages = qvec_alloc((size_t)N * s * d);
    if (tr->z == NULL || tr->stages == NULL || exq_work_init(&w, &sys, tab, err) != 0) {
        exq_traj_clear(tr);
        return averr_set(err, AV_ESYS, "out of memory for an exact trajectory");
    }
    mpq_t t;
    mpq_init(t);
    for (size_t k = 0; k < d; k++)
        mpq_set(tr->z[k], p->z0_q[k]);
    int st = 0;
    for (long n = 0; n < N && st == 0; n++) {
        mpq_set_si(t, n, 1);
        mpq_mul(t, t, tr->h);
        mpq_t *zn = tr->z + (size_t)n * d, *z1 = zn + d;
        for (size_t k = 0; k < d; k++)
            mpq_set(z1[k], zn[k]);
        st = exq_step(z1, NULL, tr->stages + (size_t)n * s * d, t, tr->h, &sys, tab, &w,
                      err);
        if (st != 0)
            averr_prefix(err, "exact forward step %ld", n + 1);
    }
    mpq_clear(t);
    exq_work_clear(&w);
    if (st != 0)
        exq_traj_clear(tr);
    return st;
}
