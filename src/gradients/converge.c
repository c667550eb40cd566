/* converge: a method's error over a list of step counts and the observed
 * orders (see converge.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "converge.h"
#include "../numbers/mpvec.h"

void conv_distance(mpfr_ptr out, const grad_result_t a, const grad_result_t b)
{
    mpfr_t tmp, e2;
    mpfr_init2(tmp, mpfr_get_prec(out));
    mpfr_init2(e2, mpfr_get_prec(out));
    mpvec_dist_max(out, a->dtheta, b->dtheta, (size_t)a->ntheta, tmp);
    mpvec_dist_max(e2, a->dz0, b->dz0, (size_t)a->d, tmp);
    mpfr_max(out, out, e2, MPFR_RNDN);
    mpfr_clear(tmp);
    mpfr_clear(e2);
}

int conv_at_rounding(mpfr_srcptr err, const grad_result_t ref, mpfr_prec_t prec)
{
    mpfr_t s, t;
    mpfr_init2(s, 64);
    mpfr_init2(t, 64);
    mpvec_norm_max(s, ref->dtheta, (size_t)ref->ntheta);
    mpvec_norm_max(t, ref->dz0, (size_t)ref->d);
    mpfr_max(s, s, t, MPFR_RNDN);
    if (mpfr_cmp_ui(s, 1) < 0)
        mpfr_set_ui(s, 1, MPFR_RNDN);
    mpfr_mul_2si(s, s, 16 - (long)prec, MPFR_RNDN);
    int r = mpfr_cmp(err, s) <= 0;
    mpfr_clear(s);
    mpfr_clear(t);
    return r;
}

double conv_order(mpfr_srcptr e1, long n1, mpfr_srcptr e2, long n2)
{
    mpfr_t q;
    mpfr_init2(q, 64);
    mpfr_div(q, e1, e2, MPFR_RNDN);
    mpfr_log2(q, q, MPFR_RNDN);
    double o = mpfr_get_d(q, MPFR_RNDN);
    mpfr_clear(q);
    return n2 == 2 * n1 ? o : o / log2((double)n2 / (double)n1);
}

void conv_clear(conv_result *r)
{
    mpblock_free(r->block);
    r->block = NULL;
}

int conv_run(conv_result *r, const problem_t p, const tableau_t tab,
             grad_method method, grad_method against, const long *steps, int n,
             averr_t err)
{
    memset(r, 0, sizeof *r);
    if (n < 1 || n > CONV_MAX_STEPS)
        return averr_set(err, AV_EINPUT, "converge: 1 to %d step counts, not %d",
                         CONV_MAX_STEPS, n);
    if (against != GRAD_BP && against != GRAD_REFERENCE)
        return averr_set(err, AV_EINPUT, "converge: --against must be bp or reference");
    grad_result_t g, y;
    if (grad_result_init(g, p, err) != 0)
        return AV_ESYS;
    if (grad_result_init(y, p, err) != 0) {
        grad_result_clear(g);
        return AV_ESYS;
    }
    int st = 0;
    r->block = mpblock_alloc(2 * (size_t)n, p->prec, err);
    if (r->block == NULL)
        st = AV_ESYS;
    r->h = r->block;
    r->err = r->h + n;
    if (st == 0 && against == GRAD_REFERENCE)
        st = grad_compute(y, p, tab, 1, GRAD_REFERENCE, NULL, err);
    for (int i = 0; i < n && st == 0; i++) {
        r->N[i] = steps[i];
        r->n = i + 1;
        mpfr_div_si(r->h + i, p->T, steps[i], MPFR_RNDN);
        st = grad_compute(g, p, tab, steps[i], method, NULL, err);
        if (st == 0 && against == GRAD_BP)
            st = grad_compute(y, p, tab, steps[i], GRAD_BP, NULL, err);
        if (st != 0) {
            averr_prefix(err, "N = %ld", steps[i]);
            break;
        }
        conv_distance(r->err + i, g, y);
        r->rounding[i] = conv_at_rounding(r->err + i, y, p->prec);
        r->order[i] = NAN;
        r->has_order[i] = i > 0 && !r->rounding[i] && !r->rounding[i - 1] &&
                          !mpfr_zero_p(r->err + i - 1);
        if (r->has_order[i])
            r->order[i] = conv_order(r->err + i - 1, steps[i - 1], r->err + i, steps[i]);
    }
    grad_result_clear(g);
    grad_result_clear(y);
    if (st != 0)
        conv_clear(r);
    return st;
}

int conv_adjoint_vs_bp(mpfr_ptr dist, grad_result_t bp, const problem_t p,
                       const tableau_t tab, long N, const grad_result_t ref,
                       averr_t err)
{
    grad_result_t g[3];
    int k = 0, st = 0;
    for (; k < 3 && st == 0; k++)
        st = grad_result_init(g[k], p, err);
    if (st != 0)
        k--;
    if (st == 0)
        st = grad_compute(g[0], p, tab, N, GRAD_BP, NULL, err);
    if (st == 0)
        st = grad_compute(g[1], p, tab, N, GRAD_BACKSOLVE, NULL, err);
    if (st == 0)
        st = grad_compute(g[2], p, tab, N, GRAD_INTERP, NULL, err);
    if (st == 0) {
        conv_distance(dist + CONV_BP_REF, g[0], ref);
        conv_distance(dist + CONV_BS_BP, g[1], g[0]);
        conv_distance(dist + CONV_IP_BP, g[2], g[0]);
        conv_distance(dist + CONV_BS_REF, g[1], ref);
        conv_distance(dist + CONV_IP_REF, g[2], ref);
        if (bp != NULL)
            mpvec_set(bp->block, g[0]->block, (size_t)(1 + 2 * p->d + p->ntheta));
    }
    while (k-- > 0)
        grad_result_clear(g[k]);
    return st;
}

int conv_parse_steps(long *steps, int *n, const char *list, averr_t err)
{
    const char *s = list;
    int k = 0;
    while (*s != '\0') {
        if (k == CONV_MAX_STEPS)
            return averr_set(err, AV_EINPUT, "--steps: at most %d values", CONV_MAX_STEPS);
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (end == s || errno != 0 || (*end != ',' && *end != '\0') || v < 1 ||
            v > RK_MAX_STEPS)
            return averr_set(err, AV_EINPUT, "--steps: item %d of '%s' is not a step "
                             "count from 1 to %ld", k + 1, list, RK_MAX_STEPS);
        if (k > 0 && v <= steps[k - 1])
            return averr_set(err, AV_EINPUT, "--steps: the counts must ascend ('%s')",
                             list);
        steps[k++] = v;
        s = *end == ',' ? end + 1 : end;
        if (*end == ',' && *s == '\0')
            return averr_set(err, AV_EINPUT, "--steps: '%s' ends with a comma", list);
    }
    if (k == 0)
        return averr_set(err, AV_EINPUT, "--steps: empty list");
    *n = k;
    return 0;
}
