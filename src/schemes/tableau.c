/* tableau: construction of Butcher tableaux from exact rationals, from the
 * file format, and the order conditions up to order 4.
 * Reference: Hairer, Norsett, Wanner, Solving ODEs I, II.2 (Table 2.2).
 */
#include <stdlib.h>
#include <string.h>
#include "tableau.h"
#include "../numbers/mpvec.h"

static int alloc_mpfr(tableau_t t, averr_t err)
{
    size_t s = (size_t)t->s;
    t->A = mpblock_alloc(s * s + 2 * s, t->prec, err);
    if (t->A == NULL)
        return AV_ESYS;
    t->b = t->A + s * s;
    t->c = t->b + s;
    return 0;
}

static void set_explicit_flag(tableau_t t)
{
    t->explicit_ = 1;
    for (int i = 0; i < t->s; i++)
        for (int j = i; j < t->s; j++)
            if (!mpfr_zero_p(t->A + i * t->s + j))
                t->explicit_ = 0;
}

int tableau_init_q(tableau_t t, const char *name, int s, const mpq_t *A,
                   const mpq_t *b, const mpq_t *c, int order,
                   mpfr_prec_t prec, averr_t err)
{
    memset(t, 0, sizeof *t);
    if (s < 1 || s > TABLEAU_MAX_STAGES)
        return averr_set(err, AV_EINPUT, "a tableau needs 1 to %d stages, not %d",
                         TABLEAU_MAX_STAGES, s);
    snprintf(t->name, sizeof t->name, "%s", name);
    t->s = s;
    t->prec = prec;
    t->exact = 1;
    size_t n = (size_t)s * (size_t)s + 2 * (size_t)s;
    t->Aq = malloc(n * sizeof(mpq_t));
    if (t->Aq == NULL)
        return averr_set(err, AV_ESYS, "out of memory for a %d-stage tableau", s);
    t->bq = t->Aq + (size_t)s * s;
    t->cq = t->bq + s;
    for (size_t k = 0; k < n; k++)
        mpq_init(t->Aq[k]);
    for (int k = 0; k < s * s; k++)
        mpq_set(t->Aq[k], A[k]);
    for (int k = 0; k < s; k++) {
        mpq_set(t->bq[k], b[k]);
        mpq_set(t->cq[k], c[k]);
    }
    if (alloc_mpfr(t, err) != 0) {
        tableau_clear(t);
        return AV_ESYS;
    }
    for (size_t k = 0; k < n; k++)
        mpfr_set_q(t->A + k, t->Aq[k], MPFR_RNDN);
    set_explicit_flag(t);
    t->order = order > 0 ? order : tableau_computed_order(t);
    return 0;
}

void tableau_clear(tableau_t t)
{
    if (t->Aq != NULL) {
        size_t n = (size_t)t->s * (size_t)t->s + 2 * (size_t)t->s;
        for (size_t k = 0; k < n; k++)
            mpq_clear(t->Aq[k]);
        free(t->Aq);
    }
    mpblock_free(t->A);
    memset(t, 0, sizeof *t);
}

static const char *const tableau_keys[] = {"name", "A", "b", "c", "order", NULL};

/* Checks c against the row sums of A; an inconsistent c is an error
 * because every order condition above 1 assumes c_i = sum_j a_ij. */
static int check_row_sums(const qmat_t A, const qmat_t c, const kvfile_t kv,
                          averr_t err)
{
    const kv_entry *e = kvfile_find(kv, "c");
    mpq_t sum;
    mpq_init(sum);
    int status = 0;
    for (int i = 0; i < A->rows && status == 0; i++) {
        mpq_set_ui(sum, 0, 1);
        for (int j = 0; j < A->cols; j++)
            mpq_add(sum, sum, A->q[i * A->cols + j]);
        if (!mpq_equal(sum, c->q[i])) {
            char given[128], rowsum[128];
            gmp_snprintf(given, sizeof given, "%Qd", c->q[i]);
            gmp_snprintf(rowsum, sizeof rowsum, "%Qd", sum);
            status = averr_set(err, AV_EINPUT,
                               "%s:%d:%d: c[%d] = %s but row %d of A sums to %s "
                               "(c_i must equal sum_j a_ij)",
                               kv->origin, e->line, e->col, i + 1, given, i + 1,
                               rowsum);
        }
    }
    mpq_clear(sum);
    return status;
}

static int read_order(int *order, const kvfile_t kv, averr_t err)
{
    qmat_t o;
    *order = 0;
    int status = kvfile_qmat(o, kv, "order", 0, err);
    if (status != 0)
        return status;
    if (o->rows * o->cols == 1) {
        if (mpz_cmp_ui(mpq_denref(o->q[0]), 1) != 0 || mpq_sgn(o->q[0]) <= 0 ||
            mpz_cmp_ui(mpq_numref(o->q[0]), 20) > 0) {
            const kv_entry *e = kvfile_find(kv, "order");
            status = averr_set(err, AV_EINPUT, "%s:%d:%d: expected an order from 1 to 20",
                               kv->origin, e->line, e->col);
        } else {
            *order = (int)mpz_get_ui(mpq_numref(o->q[0]));
        }
    } else if (o->rows * o->cols > 1) {
        const kv_entry *e = kvfile_find(kv, "order");
        status = averr_set(err, AV_EINPUT, "%s:%d:%d: expected one integer for order",
                           kv->origin, e->line, e->col);
    }
    qmat_clear(o);
    return status;
}

int tableau_init_kv(tableau_t t, const kvfile_t kv, mpfr_prec_t prec,
                    averr_t err)
{
    memset(t, 0, sizeof *t);
    const char *name = NULL;
    int order = 0, status;
    qmat_t A, b, c;
    A->q = b->q = c->q = NULL;
    A->rows = b->rows = c->rows = A->cols = b->cols = c->cols = 0;
    if ((status = kvfile_check_keys(kv, tableau_keys, err)) != 0 ||
        (status = kvfile_word(&name, kv, "name", 0, err)) != 0 ||
        (status = read_order(&order, kv, err)) != 0 ||
        (status = kvfile_qmat(A, kv, "A", 1, err)) != 0)
        return status;
    int s = A->rows;
    if (name != NULL && strlen(name) >= sizeof t->name) {
        /* Cut short it would be printed as another name. */
        const kv_entry *e = kvfile_find(kv, "name");
        status = averr_set(err, AV_EINPUT, "%s:%d:%d: name longer than %d characters",
                           kv->origin, e->line, e->col, (int)sizeof t->name - 1);
    }
    if (status == 0 && s > TABLEAU_MAX_STAGES) {
        const kv_entry *e = kvfile_find(kv, "A");
        status = averr_set(err, AV_EINPUT, "%s:%d:%d: A has %d stages; at most %d are supported",
                           kv->origin, e->line, e->col, s, TABLEAU_MAX_STAGES);
    }
    if (status == 0)
        status = kvfile_expect_shape(A, kv, "A", s, s, err);
    if (status == 0 && (status = kvfile_qmat(b, kv, "b", 1, err)) == 0)
        status = kvfile_expect_shape(b, kv, "b", 1, s, err);
    if (status == 0 && (status = kvfile_qmat(c, kv, "c", 0, err)) == 0) {
        if (c->rows == 0) {
            qmat_clear(c);
            qmat_init(c, 1, s);
            for (int i = 0; i < s; i++)
                for (int j = 0; j < s; j++)
                    mpq_add(c->q[i], c->q[i], A->q[i * s + j]);
        } else if ((status = kvfile_expect_shape(c, kv, "c", 1, s, err)) == 0) {
            status = check_row_sums(A, c, kv, err);
        }
    }
    if (status == 0)
        status = tableau_init_q(t, name != NULL ? name : "user", s,
                                (const mpq_t *)A->q, (const mpq_t *)b->q,
                                (const mpq_t *)c->q, order, prec, err);
    qmat_clear(A);
    qmat_clear(b);
    qmat_clear(c);
    return status;
}

int tableau_all_b_nonzero(const tableau_t t)
{
    for (int i = 0; i < t->s; i++)
        if (mpfr_zero_p(t->b + i))
            return 0;
    return 1;
}
