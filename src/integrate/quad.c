/* quad: Gauss-Legendre nodes and weights by Newton's method on the Legendre
 * recurrence, and composite sums rounded once.
 * References: Davis and Rabinowitz (1984), 2.7; Tricomi (1950); DLMF 18.9.
 */
#include <math.h>
#include "quad.h"
#include "../numbers/mpvec.h"

/* Guard bits carried while the roots are refined and the weights formed. */
#define QUAD_GUARD 32
#define QUAD_NEWTON_MAX 100

/* P_n(x) and P_n'(x) in double, for the cheap first refinement. */
static void legendre_d(double *pn, double *dpn, int n, double x)
{
    double p0 = 1.0, p1 = x;
    for (int k = 1; k < n; k++) {
        double p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
        p0 = p1;
        p1 = p2;
    }
    *pn = n == 0 ? 1.0 : p1;
    *dpn = n * (x * p1 - p0) / (x * x - 1.0);
}

/* S[0] = P_n(x), S[1] = P_n'(x) at x = S[2]; S[3..5] scratch.  n >= 1. */
static void legendre_mp(mpfr_ptr s, int n)
{
    mpfr_ptr pn = s, dpn = s + 1, x = s + 2, p0 = s + 3, p1 = s + 4, p2 = s + 5;
    mpfr_set_ui(p0, 1, MPFR_RNDN);
    mpfr_set(p1, x, MPFR_RNDN);
    for (int k = 1; k < n; k++) {
        /* (k+1) P_{k+1} = (2k+1) x P_k - k P_{k-1} */
        mpfr_mul(p2, x, p1, MPFR_RNDN);
        mpfr_mul_ui(p2, p2, (unsigned long)(2 * k + 1), MPFR_RNDN);
        mpfr_mul_ui(p0, p0, (unsigned long)k, MPFR_RNDN);
        mpfr_sub(p2, p2, p0, MPFR_RNDN);
        mpfr_div_ui(p2, p2, (unsigned long)(k + 1), MPFR_RNDN);
        mpfr_swap(p0, p1);
        mpfr_swap(p1, p2);
    }
    mpfr_set(pn, p1, MPFR_RNDN);
    /* P_n' = n (x P_n - P_{n-1}) / (x^2 - 1) */
    mpfr_mul(p2, x, p1, MPFR_RNDN);
    mpfr_sub(p2, p2, p0, MPFR_RNDN);
    mpfr_mul_ui(p2, p2, (unsigned long)n, MPFR_RNDN);
    mpfr_sqr(p1, x, MPFR_RNDN);
    mpfr_sub_ui(p1, p1, 1, MPFR_RNDN);
    mpfr_div(dpn, p2, p1, MPFR_RNDN);
}

/* Refines the root of P_n near X0 into S[2]; returns 0 or -1 when Newton
 * does not settle within QUAD_NEWTON_MAX iterations. */
static int refine_root(mpfr_ptr s, int n, double x0, mpfr_prec_t wprec)
{
    double x = x0, pn, dpn;
    for (int it = 0; it < 8; it++) {
        legendre_d(&pn, &dpn, n, x);
        x -= pn / dpn;
    }
    mpfr_ptr dx = s + 6;
    mpfr_set_d(s + 2, x, MPFR_RNDN);
    /* Quadratic convergence: once the update is below half the working
     * precision, one more iteration reaches it. */
    int last = 0;
    for (int it = 0; it < QUAD_NEWTON_MAX; it++) {
        legendre_mp(s, n);
        mpfr_div(dx, s, s + 1, MPFR_RNDN);
        mpfr_sub(s + 2, s + 2, dx, MPFR_RNDN);
        if (last)
            return 0;
        if (mpfr_zero_p(dx) || mpfr_get_exp(dx) < -(mpfr_exp_t)(wprec / 2) - 2)
            last = 1;
    }
    return -1;
}

int quad_gl_init(quad_gl_t g, int n, mpfr_prec_t prec, averr_t err)
{
    g->block = NULL;
    g->n = 0;
    if (n < 1 || n > QUAD_MAX_NODES)
        return averr_set(err, AV_EINPUT, "Gauss-Legendre: %d nodes asked, "
                         "expected 1 to %d", n, QUAD_MAX_NODES);
    if (prec < MPV_PREC_MIN || prec > MPV_PREC_MAX)
        return averr_set(err, AV_EINPUT, "Gauss-Legendre: precision %ld "
                         "outside %d..%d", (long)prec, MPV_PREC_MIN, MPV_PREC_MAX);
    mpfr_prec_t wprec = prec + QUAD_GUARD;
    mpfr_ptr s = mpblock_alloc(8, wprec, err);
    if (s == NULL)
        return AV_ESYS;
    g->block = mpblock_alloc(2 * (size_t)n, prec, err);
    if (g->block == NULL) {
        mpblock_free(s);
        return AV_ESYS;
    }
    g->n = n;
    g->prec = prec;
    g->x = g->block;
    g->w = g->block + n;
    const double pi = 3.14159265358979323846;
    /* Roots come in pairs +-r; the middle one of an odd n is exactly 0. */
    for (int i = 0; i < (n + 1) / 2; i++) {
        int up = n - 1 - i;
        if (2 * i + 1 == n) {
            mpfr_set_zero(s + 2, 1);
            legendre_mp(s, n);
        } else {
            double x0 = cos(pi * (i + 0.75) / (n + 0.5));
            if (refine_root(s, n, x0, wprec) != 0) {
                quad_gl_clear(g);
                mpblock_free(s);
                return averr_set(err, AV_ENUM, "Gauss-Legendre: Newton did not "
                                 "converge for root %d of P_%d", i, n);
            }
            legendre_mp(s, n);
        }
        /* w = 2 / ((1 - x^2) P_n'(x)^2) */
        mpfr_ptr t = s + 7;
        mpfr_sqr(t, s + 2, MPFR_RNDN);
        mpfr_ui_sub(t, 1, t, MPFR_RNDN);
        mpfr_mul(t, t, s + 1, MPFR_RNDN);
        mpfr_mul(t, t, s + 1, MPFR_RNDN);
        mpfr_ui_div(t, 2, t, MPFR_RNDN);
        mpfr_set(g->x + up, s + 2, MPFR_RNDN);
        mpfr_set(g->w + up, t, MPFR_RNDN);
        if (up != i) {
            mpfr_neg(g->x + i, g->x + up, MPFR_RNDN);
            mpfr_set(g->w + i, t, MPFR_RNDN);
        }
    }
    mpblock_free(s);
    return 0;
}

void quad_gl_clear(quad_gl_t g)
{
    mpblock_free(g->block);
    g->block = NULL;
    g->n = 0;
}

int quad_rule_init(quad_rule_t r, const quad_gl_t g, mpfr_srcptr a,
                   mpfr_srcptr b, long M, averr_t err)
{
    r->block = NULL;
    r->acc = NULL;
    r->N = 0;
    if (g->n < 1 || M < 1 || M > QUAD_MAX_PANELS)
        return averr_set(err, AV_EINPUT, "composite quadrature: %ld panels "
                         "asked, expected 1 to %ld", M, QUAD_MAX_PANELS);
    if (!mpfr_number_p(a) || !mpfr_number_p(b) || mpfr_cmp(a, b) >= 0)
        return averr_set(err, AV_EINPUT, "composite quadrature: the interval "
                         "must be finite with a < b");
    size_t N = (size_t)M * (size_t)g->n;
    mpfr_prec_t hprec = g->prec + 64;
    mpfr_ptr s = mpblock_alloc(3, hprec, err);
    if (s == NULL)
        return AV_ESYS;
    r->block = mpblock_alloc(2 * N, g->prec, err);
    mpfr_ptr acc = r->block ? mpblock_alloc(2, hprec, err) : NULL;
    if (acc == NULL) {
        mpblock_free(r->block);
        r->block = NULL;
        mpblock_free(s);
        return AV_ESYS;
    }
    r->N = N;
    r->n = g->n;
    r->M = M;
    r->prec = g->prec;
    r->t = r->block;
    r->w = r->block + N;
    r->acc = acc;
    mpfr_ptr half = s, mid = s + 1, tmp = s + 2;
    mpfr_sub(half, b, a, MPFR_RNDN);
    mpfr_div_ui(half, half, 2 * (unsigned long)M, MPFR_RNDN);   /* H / 2 */
    for (long k = 0; k < M; k++) {
        /* mid = a + (2k + 1) H / 2 */
        mpfr_mul_ui(mid, half, 2 * (unsigned long)k + 1, MPFR_RNDN);
        mpfr_add(mid, mid, a, MPFR_RNDN);
        for (int i = 0; i < g->n; i++) {
            size_t j = (size_t)k * (size_t)g->n + (size_t)i;
            mpfr_mul(tmp, half, g->x + i, MPFR_RNDN);
            mpfr_add(r->t + j, mid, tmp, MPFR_RNDN);
            mpfr_mul(r->w + j, half, g->w + i, MPFR_RNDN);
        }
    }
    mpblock_free(s);
    return 0;
}

void quad_rule_clear(quad_rule_t r)
{
    mpblock_free(r->block);
    mpblock_free(r->acc);
    r->block = NULL;
    r->acc = NULL;
    r->N = 0;
}

void quad_rule_sum(mpfr_ptr out, quad_rule_t r, mpfr_srcptr v, size_t stride)
{
    mpfr_ptr acc = r->acc;
    mpfr_set_zero(acc, 1);
    for (size_t j = 0; j < r->N; j++)
        mpfr_fma(acc, r->w + j, v + j * stride, acc, MPFR_RNDN);
    mpfr_set(out, acc, MPFR_RNDN);
}

int quad_rule_integrate(mpfr_ptr out, quad_rule_t r, quad_fn fn, void *ctx,
                        size_t dim, averr_t err)
{
    mpfr_ptr val = mpblock_alloc(dim, r->prec, err);
    if (val == NULL)
        return AV_ESYS;
    mpfr_ptr acc = mpblock_alloc(dim, r->prec + 64, err);
    if (acc == NULL) {
        mpblock_free(val);
        return AV_ESYS;
    }
    int rc = 0;
    for (size_t j = 0; j < r->N && rc == 0; j++) {
        rc = fn(val, r->t + j, ctx);
        for (size_t c = 0; c < dim && rc == 0; c++)
            mpfr_fma(acc + c, r->w + j, val + c, acc + c, MPFR_RNDN);
    }
    if (rc == 0)
        mpvec_set(out, acc, dim);
    mpblock_free(acc);
    mpblock_free(val);
    return rc;
}
