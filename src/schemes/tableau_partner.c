/* tableau_partner: the partner tableau abar_ij = b_j - b_j a_ji / b_i, the
 * symplecticity matrix M_ij = b_i a_ij + b_j a_ji - b_i b_j, and the
 * expansion of backprop's one-step map for explicit tableaux.
 * References: Hager (2000); Sanz-Serna (2016), SIAM Review 58(1), sec. 3;
 * Hairer, Lubich, Wanner, Geometric Numerical Integration, VI.4.
 */
#include <stdlib.h>
#include <string.h>
#include "partner.h"
#include "../numbers/mpvec.h"

void tableau_partner_coef(mpq_t out, const tableau_t t, int i, int j)
{
    int s = t->s;
    /* b_j (1 - a_ji / b_i): one division, kept exact */
    mpq_div(out, t->Aq[j * s + i], t->bq[i]);
    mpq_neg(out, out);
    mpz_add(mpq_numref(out), mpq_numref(out), mpq_denref(out));   /* 1 + out */
    mpq_canonicalize(out);
    mpq_mul(out, out, t->bq[j]);
}

void tableau_symplectic_entry(mpq_t out, const tableau_t t, int i, int j)
{
    int s = t->s;
    mpq_t x;
    mpq_init(x);
    mpq_mul(out, t->bq[i], t->Aq[i * s + j]);
    mpq_mul(x, t->bq[j], t->Aq[j * s + i]);
    mpq_add(out, out, x);
    mpq_mul(x, t->bq[i], t->bq[j]);
    mpq_sub(out, out, x);
    mpq_clear(x);
}

/* The partner of an exact tableau, exact, through tableau_init_q. */
static int partner_exact(partner_t pt, const tableau_t t, averr_t err)
{
    int s = t->s;
    size_t n = (size_t)s * (size_t)s + (size_t)s;
    mpq_t *Ab = malloc(n * sizeof(mpq_t));
    if (Ab == NULL)
        return averr_set(err, AV_ESYS, "out of memory for the partner tableau");
    mpq_t *cb = Ab + (size_t)s * s;
    for (size_t k = 0; k < n; k++)
        mpq_init(Ab[k]);
    for (int i = 0; i < s; i++)
        for (int j = 0; j < s; j++) {
            tableau_partner_coef(Ab[i * s + j], t, i, j);
            mpq_add(cb[i], cb[i], Ab[i * s + j]);
        }
    char name[64];
    snprintf(name, sizeof name, "%.55s-partner", t->name);
    int st = tableau_init_q(pt->bar, name, s, (const mpq_t *)Ab, (const mpq_t *)t->bq,
                            (const mpq_t *)cb, 0, t->prec, err);
    for (size_t k = 0; k < n; k++)
        mpq_clear(Ab[k]);
    free(Ab);
    return st;
}

/* The partner of an MPFR-only tableau, each entry rounded once from the
 * tableau's own (rounded) coefficients: it is then the exact partner of
 * the tableau actually used, up to that one rounding. */
static int partner_mpfr(partner_t pt, const tableau_t t, averr_t err)
{
    tableau_struct *bar = pt->bar;
    int s = t->s;
    memset(bar, 0, sizeof *bar);
    snprintf(bar->name, sizeof bar->name, "%.55s-partner", t->name);
    bar->s = s;
    bar->prec = t->prec;
    bar->A = mpblock_alloc((size_t)(s * s + 2 * s + 1), t->prec, err);
    if (bar->A == NULL)
        return AV_ESYS;
    bar->b = bar->A + s * s;
    bar->c = bar->b + s;
    mpfr_ptr q = bar->c + s;
    bar->explicit_ = 1;
    for (int i = 0; i < s; i++) {
        mpfr_set(bar->b + i, t->b + i, MPFR_RNDN);
        for (int j = 0; j < s; j++) {
            mpfr_ptr a = bar->A + i * s + j;
            mpfr_div(q, t->A + j * s + i, t->b + i, MPFR_RNDN);
            mpfr_ui_sub(q, 1, q, MPFR_RNDN);
            mpfr_mul(a, q, t->b + j, MPFR_RNDN);
            mpfr_add(bar->c + i, bar->c + i, a, MPFR_RNDN);
            if (j >= i && !mpfr_zero_p(a))
                bar->explicit_ = 0;
        }
    }
    bar->order = tableau_computed_order(bar);
    return 0;
}

/* M in MPFR from the exact M or from the MPFR coefficients; Mmax; own. */
static void fill_m(partner_t pt, const tableau_t t)
{
    int s = t->s;
    mpfr_ptr x = pt->Mmax + 1;
    mpfr_set_zero(pt->Mmax, 1);
    for (int i = 0; i < s; i++)
        for (int j = 0; j < s; j++) {
            mpfr_ptr m = pt->M + i * s + j;
            if (pt->exact) {
                tableau_symplectic_entry(pt->Mq[i * s + j], t, i, j);
                mpfr_set_q(m, pt->Mq[i * s + j], MPFR_RNDN);
            } else {
                mpfr_mul(m, t->b + i, t->A + i * s + j, MPFR_RNDN);
                mpfr_fma(m, t->b + j, t->A + j * s + i, m, MPFR_RNDN);
                mpfr_mul(x, t->b + i, t->b + j, MPFR_RNDN);
                mpfr_sub(m, m, x, MPFR_RNDN);
            }
            if (mpfr_cmpabs(m, pt->Mmax) > 0) {
                mpfr_abs(pt->Mmax, m, MPFR_RNDN);
                pt->Mmax_i = i;
                pt->Mmax_j = j;
            }
        }
    if (pt->exact) {
        pt->own = mpfr_zero_p(pt->Mmax);
    } else {
        mpfr_set_ui_2exp(x, 1, 8 - (long)t->prec, MPFR_RNDN);
        pt->own = mpfr_cmp(pt->Mmax, x) <= 0;
    }
}

int partner_init(partner_t pt, const tableau_t t, averr_t err)
{
    int s = t->s;
    memset(pt, 0, sizeof *pt);
    pt->s = s;
    pt->exact = t->exact;
    pt->zero_b = -1;
    for (int i = s; i-- > 0;)
        if (mpfr_zero_p(t->b + i))
            pt->zero_b = i;
    pt->has_partner = pt->zero_b < 0;
    pt->block = mpblock_alloc((size_t)(s * s + 2), t->prec, err);
    if (pt->block == NULL)
        return AV_ESYS;
    pt->M = pt->block;
    pt->Mmax = pt->M + s * s;
    if (pt->exact) {
        pt->Mq = malloc((size_t)s * (size_t)s * sizeof(mpq_t));
        if (pt->Mq == NULL) {
            partner_clear(pt);
            return averr_set(err, AV_ESYS, "out of memory for the matrix M");
        }
        for (int k = 0; k < s * s; k++)
            mpq_init(pt->Mq[k]);
    }
    fill_m(pt, t);
    int st = 0;
    if (pt->has_partner)
        st = pt->exact ? partner_exact(pt, t, err) : partner_mpfr(pt, t, err);
    if (st != 0) {
        pt->has_partner = 0;
        partner_clear(pt);
    }
    return st;
}

void partner_clear(partner_t pt)
{
    if (pt->has_partner)
        tableau_clear(pt->bar);
    if (pt->Mq != NULL) {
        for (int k = 0; k < pt->s * pt->s; k++)
            mpq_clear(pt->Mq[k]);
        free(pt->Mq);
    }
    mpblock_free(pt->block);
    memset(pt, 0, sizeof *pt);
}

int partner_require(const partner_t pt, const tableau_t t, averr_t err)
{
    if (pt->has_partner)
        return 0;
    return averr_set(err, AV_EINPUT,
                     "scheme '%s' has b_%d = 0: it has no partner Runge-Kutta method "
                     "(the stage adjoint Lambda_%d = Kbar_%d / (h b_%d) is undefined); "
                     "use --method bp, and see `adjverify partner --scheme %s`",
                     t->name, pt->zero_b + 1, pt->zero_b + 1, pt->zero_b + 1,
                     pt->zero_b + 1, t->name);
}

/* ---- backprop's one-step map, expanded ---- */

/* Orders terms by length, then lexicographically by stage indices. */
static int term_cmp(const void *x, const void *y)
{
    const partner_term *u = x, *v = y;
    if (u->len != v->len)
        return u->len < v->len ? -1 : 1;
    for (int k = 0; k < u->len; k++)
        if (u->idx[k] != v->idx[k])
            return u->idx[k] < v->idx[k] ? -1 : 1;
    return 0;
}

int partner_bp_terms(partner_term **terms, int *n, const tableau_t t, averr_t err)
{
    int s = t->s;
    *terms = NULL;
    *n = 0;
    if (!t->exact || !t->explicit_ || s > PARTNER_TERM_MAX_STAGES)
        return averr_set(err, AV_EINPUT, "the expansion of backprop's step needs an "
                         "explicit exact tableau with at most %d stages ('%s' is not)",
                         PARTNER_TERM_MAX_STAGES, t->name);
    unsigned long nsub = (1UL << s) - 1;
    partner_term *out = malloc(nsub * sizeof *out);
    if (out == NULL)
        return averr_set(err, AV_ESYS, "out of memory for %lu terms", nsub);
    int cnt = 0;
    /* A chain is a nonempty subset of the stages taken in increasing order;
     * its coefficient is b of the last stage times a along the chain. */
    for (unsigned long set = 1; set <= nsub; set++) {
        partner_term *w = out + cnt;
        w->len = 0;
        for (int i = 0; i < s; i++)
            if (set & (1UL << i))
                w->idx[w->len++] = i;
        mpq_init(w->coef);
        mpq_set(w->coef, t->bq[w->idx[w->len - 1]]);
        for (int k = w->len - 1; k > 0; k--)
            mpq_mul(w->coef, w->coef, t->Aq[w->idx[k] * s + w->idx[k - 1]]);
        if (mpq_sgn(w->coef) == 0)
            mpq_clear(w->coef);
        else
            cnt++;
    }
    qsort(out, (size_t)cnt, sizeof *out, term_cmp);
    *terms = out;
    *n = cnt;
    return 0;
}

void partner_terms_free(partner_term *terms, int n)
{
    for (int k = 0; k < n; k++)
        mpq_clear(terms[k].coef);
    free(terms);
}
