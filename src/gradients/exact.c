/* exact: the exact-rational gradients: results, method names, and the one
 * reverse loop that serves backprop, the partner adjoint and the
 * same-tableau adjoint.  Per step, with lambda = dL/dz_{n+1}:
 *     X_i = r_i lambda + sum_j C_ij J_j^T X_j,        mu_i = J_i^T X_i,
 *     lambda_n = lambda + sum_i w_i mu_i,  dtheta += sum_i w_i (df/dtheta)_i^T X_i,
 * where backprop has X_i = Kbar_i = dL/dK_i, C_ij = h a_ji, r_i = h b_i,
 * w_i = 1, and the partner form has X_i = Lambda_i, C_ij = h (b_j - abar_ij),
 * r_i = 1, w_i = h b_i (derivations/partner_scheme.md, steps 2-5).
 * References: Hager (2000); Sanz-Serna (2016), SIAM Review 58(1).
 */
#include <string.h>
#include "exact_impl.h"
#include "../schemes/partner.h"
#include "../numbers/qnum.h"

int exact_result_init(exact_result_t r, const problem_t p, averr_t err)
{
    r->d = p->d;
    r->ntheta = p->ntheta;
    r->block = qvec_alloc((size_t)(2 * p->d + p->ntheta));
    if (r->block == NULL)
        return averr_set(err, AV_ESYS, "out of memory for an exact result");
    mpq_init(r->L);
    r->zT = r->block;
    r->dtheta = r->zT + p->d;
    r->dz0 = r->dtheta + p->ntheta;
    return 0;
}

void exact_result_clear(exact_result_t r)
{
    qvec_free(r->block, (size_t)(2 * r->d + r->ntheta));
    mpq_clear(r->L);
    r->block = NULL;
}

void exact_result_size(size_t *num, size_t *den, const exact_result_t r)
{
    *num = *den = 0;
    for (int k = 0; k < r->ntheta + r->d; k++) {
        size_t a = qnum_num_digits(r->dtheta[k]), b = qnum_den_digits(r->dtheta[k]);
        *num = a > *num ? a : *num;
        *den = b > *den ? b : *den;
    }
}

int exact_result_diff(mpq_t maxdiff, const exact_result_t a, const exact_result_t b)
{
    mpq_t x;
    mpq_init(x);
    mpq_set_ui(maxdiff, 0, 1);
    /* dtheta and dz0 are consecutive in the block */
    for (int k = 0; k < a->ntheta + a->d; k++) {
        mpq_sub(x, a->dtheta[k], b->dtheta[k]);
        mpq_abs(x, x);
        if (mpq_cmp(x, maxdiff) > 0)
            mpq_set(maxdiff, x);
    }
    mpq_clear(x);
    return mpq_sgn(maxdiff) == 0;
}

static const char *const method_names[EXACT_NMETHODS] = {
    "bp", "partner", "same", "backsolve", "interp",
};

const char *exact_method_name(exact_method m)
{
    return (unsigned)m < EXACT_NMETHODS ? method_names[m] : "?";
}

int exact_method_lookup(exact_method *m, const char *name, averr_t err)
{
    for (int i = 0; i < EXACT_NMETHODS; i++)
        if (strcmp(method_names[i], name) == 0) {
            *m = (exact_method)i;
            return 0;
        }
    return averr_set(err, AV_EINPUT, "no exact-rational form of method '%s' (exact "
                     "methods: bp, partner, same, backsolve, interp)", name);
}

int exact_supported(const problem_t p, const tableau_t tab, long N, averr_t err)
{
    const model_desc *m = p->model;
    if (m->f_q == NULL || m->vjp_z_q == NULL || m->vjp_theta_q == NULL)
        return averr_set(err, AV_EINPUT, "model '%s' has no exact-rational form (the "
                         "polynomial models lotka, linear and scalar have one)", m->name);
    if (!tab->exact)
        return averr_set(err, AV_EINPUT, "scheme '%s' has irrational coefficients: "
                         "exact arithmetic needs a rational tableau", tab->name);
    if (N < 1 || N > EXACT_MAX_STEPS)
        return averr_set(err, AV_EINPUT, "exact arithmetic takes 1 to %d steps, not %ld",
                         EXACT_MAX_STEPS, N);
    return 0;
}

/* The workspace of the reverse loop. */
typedef struct {
    size_t d, s, nt, n;
    int shape;          /* 1 strictly upper, 2 strictly lower, 0 dense */
    mpq_t *X, *mu, *G, *col, *gt, *tmp;   /* s*d, s*d, n*n | 0, d, nt, 3 */
    size_t total;
} rwork;

static int coef_shape(mpq_t *C, size_t s)
{
    int upper = 1, lower = 1;
    for (size_t i = 0; i < s; i++)
        for (size_t j = 0; j < s; j++)
            if (mpq_sgn(C[i * s + j]) != 0) {
                upper &= j > i;
                lower &= j < i;
            }
    return upper ? 1 : lower ? 2 : 0;
}

/* X_i and mu_i of one step (see the file comment). */
static int stage_adjoints(rwork *w, mpq_t *lambda, mpq_t *Z, const mpq_t tn,
                          const mpq_t h, mpq_t *C, mpq_t *rs, const problem_t p,
                          const tableau_t tab)
{
    size_t d = w->d, s = w->s, n = w->n;
    const model_desc *m = p->model;
    mpq_ptr ti = w->tmp[0], x = w->tmp[1];
    int st = 0;
    if (w->shape != 0) {
        for (size_t k = 0; k < s && st == 0; k++) {
            size_t i = w->shape == 1 ? s - 1 - k : k;
            mpq_t *Xi = w->X + i * d;
            for (size_t l = 0; l < d; l++)
                mpq_mul(Xi[l], rs[i], lambda[l]);
            for (size_t j = 0; j < s; j++)
                for (size_t l = 0; l < d && mpq_sgn(C[i * s + j]) != 0; l++) {
                    mpq_mul(x, C[i * s + j], w->mu[j * d + l]);
                    mpq_add(Xi[l], Xi[l], x);
                }
            mpq_mul(ti, tab->cq[i], h);
            mpq_add(ti, ti, tn);
            st = m->vjp_z_q(w->mu + i * d, ti, (const mpq_t *)(Z + i * d),
                            (const mpq_t *)Xi, p);
        }
        return st;
    }
    for (size_t j = 0; j < s && st == 0; j++) {
        mpq_mul(ti, tab->cq[j], h);
        mpq_add(ti, ti, tn);
        for (size_t k = 0; k < d && st == 0; k++) {
            /* column k of J_j^T is J_j^T e_k */
            for (size_t l = 0; l < d; l++)
                mpq_set_ui(w->X[l], l == k, 1);
            st = m->vjp_z_q(w->col, ti, (const mpq_t *)(Z + j * d), (const mpq_t *)w->X, p);
            for (size_t i = 0; i < s && st == 0; i++)
                for (size_t l = 0; l < d; l++) {
                    mpq_ptr g = w->G[(i * d + l) * n + j * d + k];
                    mpq_mul(g, C[i * s + j], w->col[l]);
                    mpq_neg(g, g);
                    if (i == j && l == k)
                        mpz_add(mpq_numref(g), mpq_numref(g), mpq_denref(g));
                }
        }
    }
    for (size_t i = 0; i < s && st == 0; i++)
        for (size_t l = 0; l < d; l++)
            mpq_mul(w->X[i * d + l], rs[i], lambda[l]);
    if (st == 0 && exq_gauss_solve(w->G, w->X, n) != 0)
        return AV_ENUM;
    for (size_t i = 0; i < s && st == 0; i++) {
        mpq_mul(ti, tab->cq[i], h);
        mpq_add(ti, ti, tn);
        st = m->vjp_z_q(w->mu + i * d, ti, (const mpq_t *)(Z + i * d),
                        (const mpq_t *)(w->X + i * d), p);
    }
    return st;
}

/* The reverse loop over the exact trajectory with coefficients C, R, W. */
static int reverse_q(exact_result_t r, const exq_traj *tr, const problem_t p,
                     const tableau_t tab, mpq_t *C, mpq_t *rs, mpq_t *wt, averr_t err)
{
    rwork w;
    size_t d = tr->d, s = tr->s;
    w.d = d;
    w.s = s;
    w.nt = (size_t)p->ntheta;
    w.n = s * d;
    w.shape = coef_shape(C, s);
    w.total = 2 * w.n + (w.shape == 0 ? w.n * w.n : 0) + d + w.nt + 3;
    if ((w.X = qvec_alloc(w.total)) == NULL)
        return averr_set(err, AV_ESYS, "out of memory for an exact reverse pass");
    w.mu = w.X + w.n;
    w.G = w.mu + w.n;
    w.col = w.G + (w.shape == 0 ? w.n * w.n : 0);
    w.gt = w.col + d;
    w.tmp = w.gt + w.nt;
    mpq_ptr tn = w.tmp[2], x = w.tmp[1];
    problem_loss_q(r->L, r->dz0, (const mpq_t *)(tr->z + (size_t)tr->N * d), p);
    for (size_t k = 0; k < d; k++)
        mpq_set(r->zT[k], tr->z[(size_t)tr->N * d + k]);
    for (size_t k = 0; k < w.nt; k++)
        mpq_set_ui(r->dtheta[k], 0, 1);
    int st = 0;
    for (long n = tr->N; n-- > 0 && st == 0;) {
        mpq_t *Z = tr->stages + (size_t)n * s * d;
        mpq_set_si(tn, n, 1);
        mpq_mul(tn, tn, tr->h);
        st = stage_adjoints(&w, r->dz0, Z, tn, tr->h, C, rs, p, tab);
        for (size_t i = 0; i < s && st == 0; i++) {
            mpq_mul(w.tmp[0], tab->cq[i], tr->h);
            mpq_add(w.tmp[0], w.tmp[0], tn);
            st = p->model->vjp_theta_q(w.gt, w.tmp[0], (const mpq_t *)(Z + i * d),
                                       (const mpq_t *)(w.X + i * d), p);
            for (size_t k = 0; k < w.nt && st == 0; k++) {
                mpq_mul(x, wt[i], w.gt[k]);
                mpq_add(r->dtheta[k], r->dtheta[k], x);
            }
        }
        for (size_t i = 0; i < s && st == 0; i++)
            for (size_t l = 0; l < d; l++) {
                mpq_mul(x, wt[i], w.mu[i * d + l]);
                mpq_add(r->dz0[l], r->dz0[l], x);
            }
        if (st != 0)
            averr_set(err, st, st == AV_ENUM ? "singular exact stage system at step %ld"
                                             : "a model product failed at step %ld", n + 1);
    }
    qvec_free(w.X, w.total);
    return st;
}

/* Fills C, R, W for backprop (ABAR NULL) or for the partner form with the
 * stage coefficients ABAR. */
static void reverse_coefs(mpq_t *C, mpq_t *rs, mpq_t *wt, const tableau_t tab,
                          const mpq_t h, const mpq_t *Abar)
{
    size_t s = (size_t)tab->s;
    for (size_t i = 0; i < s; i++) {
        for (size_t j = 0; j < s; j++) {
            mpq_ptr c = C[i * s + j];
            if (Abar == NULL) {
                mpq_mul(c, h, tab->Aq[j * s + i]);
            } else {
                mpq_sub(c, tab->bq[j], Abar[i * s + j]);
                mpq_mul(c, c, h);
            }
        }
        mpq_mul(Abar == NULL ? rs[i] : wt[i], h, tab->bq[i]);
        mpq_set_ui(Abar == NULL ? wt[i] : rs[i], 1, 1);
    }
}

/* Records the exact forward solve and runs METHOD into R (a result of
 * the problem); ABAR is read by the partner form only. */
static int run(exact_result_t r, const problem_t p, const tableau_t tab, long N,
               exact_method method, const mpq_t *Abar, averr_t err)
{
    exq_traj tr;
    size_t s = (size_t)tab->s;
    int st = exq_record(&tr, p, tab, N, err);
    if (st != 0)
        return st;
    if (method == EXACT_BACKSOLVE || method == EXACT_INTERP) {
        mpq_t *zN = tr.z + (size_t)N * tr.d;
        problem_loss_q(r->L, NULL, (const mpq_t *)zN, p);
        for (size_t k = 0; k < tr.d; k++)
            mpq_set(r->zT[k], zN[k]);
        st = method == EXACT_BACKSOLVE ? exact_backsolve(r, &tr, p, tab, err)
                                       : exact_interp(r, &tr, p, tab, err);
    } else {
        mpq_t *coef = qvec_alloc(s * s + 2 * s);
        if (coef == NULL) {
            st = averr_set(err, AV_ESYS, "out of memory for exact coefficients");
        } else {
            reverse_coefs(coef, coef + s * s, coef + s * s + s, tab, tr.h,
                          method == EXACT_BP ? NULL : Abar);
            st = reverse_q(r, &tr, p, tab, coef, coef + s * s, coef + s * s + s, err);
        }
        qvec_free(coef, s * s + 2 * s);
    }
    exq_traj_clear(&tr);
    return st;
}

/* Runs into a fresh result and copies it to R only on success. */
static int run_into(exact_result_t r, const problem_t p, const tableau_t tab, long N,
                    exact_method method, const mpq_t *Abar, averr_t err)
{
    exact_result_t tmp;
    int st = exact_result_init(tmp, p, err);
    if (st != 0)
        return st;
    if ((st = run(tmp, p, tab, N, method, Abar, err)) == 0) {
        mpq_set(r->L, tmp->L);
        for (int k = 0; k < 2 * p->d + p->ntheta; k++)
            mpq_set(r->block[k], tmp->block[k]);
    }
    exact_result_clear(tmp);
    return st;
}

int exact_gradient(exact_result_t r, const problem_t p, const tableau_t tab,
                   long N, exact_method method, averr_t err)
{
    int st = exact_supported(p, tab, N, err);
    if (st != 0)
        return st;
    if ((unsigned)method >= EXACT_NMETHODS)
        return averr_set(err, AV_EINPUT, "unknown exact method %d", (int)method);
    if (method != EXACT_PARTNER)
        return run_into(r, p, tab, N, method, (const mpq_t *)tab->Aq, err);
    partner_t pt;
    if ((st = partner_init(pt, tab, err)) != 0)
        return st;
    if ((st = partner_require(pt, tab, err)) == 0)
        st = run_into(r, p, tab, N, method, (const mpq_t *)pt->bar->Aq, err);
    partner_clear(pt);
    return st;
}

int exact_partner_coef(exact_result_t r, const problem_t p, const tableau_t tab,
                       long N, const mpq_t *Abar, averr_t err)
{
    int st = exact_supported(p, tab, N, err);
    return st != 0 ? st : run_into(r, p, tab, N, EXACT_PARTNER, Abar, err);
}
