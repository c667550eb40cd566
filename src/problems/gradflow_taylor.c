/* gradflow_taylor: an independent high-precision solution of theta' =
 * -a theta^(k-1) by Taylor series, and the invariant check of the
 * separated equation.  The coefficients of u = theta^p follow from theta
 * u' = p theta' u (J.C.P. Miller's recurrence, Knuth TAOCP 4.7):
 *   u_n = 1/(n theta_0) sum_{j=1..n} ((p+1) j - n) theta_j u_{n-j},
 * and theta_{n+1} = -a u_n / (n+1).  The step is chosen from the last two
 * coefficients (Jorba and Zou 2005), so nothing here knows a closed form.
 */
#include <stdlib.h>
#include <mpfr.h>
#include "../numbers/mpvec.h"
#include "gradflow.h"

#define TAYLOR_MAX_STEPS 100000L
#define TAYLOR_MAX_ORDER 100000

/* Taylor coefficients th[0..N] of the solution through x at the current
 * time; U (N numbers) and S (one) are scratch. */
static void taylor_coeffs(mpfr_ptr th, mpfr_ptr u, mpfr_ptr s, int N,
                          mpfr_srcptr x, mpfr_srcptr a, int p)
{
    mpfr_set(th, x, MPFR_RNDN);
    mpfr_pow_ui(u, x, (unsigned long)p, MPFR_RNDN);
    for (int n = 0; n < N; n++) {
        if (n > 0) {
            mpfr_set_zero(u + n, 1);
            for (int j = 1; j <= n; j++) {
                mpfr_mul(s, th + j, u + (n - j), MPFR_RNDN);
                mpfr_mul_si(s, s, (long)(p + 1) * j - n, MPFR_RNDN);
                mpfr_add(u + n, u + n, s, MPFR_RNDN);
            }
            mpfr_div(u + n, u + n, x, MPFR_RNDN);
            mpfr_div_ui(u + n, u + n, (unsigned long)n, MPFR_RNDN);
        }
        mpfr_mul(th + n + 1, a, u + n, MPFR_RNDN);
        mpfr_div_ui(th + n + 1, th + n + 1, (unsigned long)(n + 1), MPFR_RNDN);
        mpfr_neg(th + n + 1, th + n + 1, MPFR_RNDN);
    }
}

/* H = min over j in {N-1, N} of (tol / |th_j|)^(1/j), tol = 2^(-wprec-8)
 * |th_0|; +Inf when both coefficients vanish.  S is scratch. */
static void taylor_step(mpfr_ptr h, mpfr_srcptr th, int N, mpfr_prec_t wprec,
                        mpfr_ptr s)
{
    mpfr_set_inf(h, 1);
    for (int j = N - 1; j <= N; j++) {
        if (mpfr_zero_p(th + j))
            continue;
        mpfr_div(s, th, th + j, MPFR_RNDN);
        mpfr_abs(s, s, MPFR_RNDN);
        mpfr_log2(s, s, MPFR_RNDN);
        mpfr_sub_si(s, s, (long)wprec + 8, MPFR_RNDN);
        mpfr_div_ui(s, s, (unsigned long)j, MPFR_RNDN);
        mpfr_exp2(s, s, MPFR_RNDN);
        if (mpfr_less_p(s, h))
            mpfr_set(h, s, MPFR_RNDN);
    }
}

/* The state of one Taylor solve: coefficients, the current point (tc, x)
 * and scratch, all in one block. */
typedef struct {
    mpfr_ptr th, u, a, x, tc, h, rem, s;
    int order, p;
    mpfr_prec_t wprec;
    long steps;
} taylor_ws;

/* Advances (tc, x) to the time TT >= tc. */
static int taylor_advance(taylor_ws *w, mpfr_srcptr tt, averr_t err)
{
    size_t N = (size_t)w->order;
    /* theta = 0 is the equilibrium: the series is identically zero. */
    while (!mpfr_zero_p(w->x) && mpfr_less_p(w->tc, tt)) {
        if (w->steps >= TAYLOR_MAX_STEPS)
            return averr_set(err, AV_ENUM, "gradflow: Taylor solve needs "
                             "more than %ld steps", TAYLOR_MAX_STEPS);
        taylor_coeffs(w->th, w->u, w->s, w->order, w->x, w->a, w->p);
        taylor_step(w->h, w->th, w->order, w->wprec, w->s);
        mpfr_sub(w->rem, tt, w->tc, MPFR_RNDN);
        int last = !mpfr_less_p(w->h, w->rem);
        if (last)
            mpfr_set(w->h, w->rem, MPFR_RNDN);
        /* Horner: x = sum th_n h^n */
        mpfr_set(w->x, w->th + N, MPFR_RNDN);
        for (size_t n = N; n-- > 0;)
            mpfr_fma(w->x, w->x, w->h, w->th + n, MPFR_RNDN);
        if (last)
            mpfr_set(w->tc, tt, MPFR_RNDN);
        else
            mpfr_add(w->tc, w->tc, w->h, MPFR_RNDN);
        w->steps++;
        if (!mpfr_number_p(w->x))
            return averr_set(err, AV_ENUM, "gradflow: Taylor solve not "
                             "finite at step %ld", w->steps);
    }
    return AV_OK;
}

/* Checks the N sample times (finite, >= 0, before any blow-up) and sorts
 * their indices into ORD by time. */
static int times_order(size_t *ord, mpfr_srcptr ts, int n, const gflow_t g,
                       averr_t err)
{
    mpq_t tstar;
    char buf[128];
    mpq_init(tstar);
    int blow = gflow_blowup_time(tstar, g);
    gmp_snprintf(buf, sizeof buf, "%Qd", tstar);
    int rc = AV_OK;
    for (int i = 0; i < n && rc == AV_OK; i++) {
        if (mpfr_sgn(ts + i) < 0 || !mpfr_number_p(ts + i))
            rc = averr_set(err, AV_EINPUT, "gradflow: time must be finite "
                           "and >= 0");
        /* past the escape time the steps would shrink without end */
        else if (blow && mpfr_cmp_q(ts + i, tstar) >= 0)
            rc = averr_set(err, AV_EINPUT, "gradflow: t is at or past the "
                           "blow-up time t* = %s of this flow", buf);
        size_t j = (size_t)i;
        for (; j > 0 && mpfr_greater_p(ts + ord[j - 1], ts + i); j--)
            ord[j] = ord[j - 1];
        ord[j] = (size_t)i;
    }
    mpq_clear(tstar);
    return rc;
}

int gflow_taylor(mpfr_ptr out, long *nsteps, const gflow_t g, mpfr_srcptr ts,
                 int n, int order, mpfr_prec_t wprec, averr_t err)
{
    if (n < 1)
        return averr_set(err, AV_EINPUT, "gradflow: no sample times");
    if (order < 8 || order > TAYLOR_MAX_ORDER)
        return averr_set(err, AV_EINPUT, "gradflow: Taylor order %d outside "
                         "[8, %d]", order, TAYLOR_MAX_ORDER);
    if (wprec < MPV_PREC_MIN || wprec > MPV_PREC_MAX)
        return averr_set(err, AV_EINPUT, "gradflow: precision %ld outside "
                         "[%d, %d]", (long)wprec, MPV_PREC_MIN, MPV_PREC_MAX);
    size_t N = (size_t)order;
    size_t *ord = malloc((size_t)n * sizeof *ord);
    mpfr_ptr blk = mpblock_alloc(2 * N + 8, wprec, err);
    int rc = ord == NULL || blk == NULL
                 ? averr_set(err, AV_ESYS, "gradflow: Taylor workspace")
                 : times_order(ord, ts, n, g, err);
    if (rc == AV_OK) {
        taylor_ws w = {blk, blk + N + 1, blk + 2 * N + 1, NULL, NULL, NULL,
                       NULL, NULL, order, g->k - 1, wprec, 0};
        w.x = w.a + 1, w.tc = w.a + 2, w.h = w.a + 3, w.rem = w.a + 4,
        w.s = w.a + 5;
        mpfr_set_q(w.a, g->a, MPFR_RNDN);
        mpfr_set_q(w.x, g->theta0, MPFR_RNDN);
        for (int i = 0; i < n && rc == AV_OK; i++)
            if ((rc = taylor_advance(&w, ts + ord[i], err)) == AV_OK)
                mpfr_set(out + ord[i], w.x, MPFR_RNDN);
        if (rc == AV_OK && nsteps != NULL)
            *nsteps = w.steps;
    }
    free(ord);
    mpblock_free(blk);
    return rc;
}

void gflow_reference_setup(int order[2], mpfr_prec_t wprec[2],
                           mpfr_prec_t prec)
{
    /* prec/3 terms make the step about 1/8 of the radius of convergence;
     * the second solve differs in order, step sequence and precision. */
    order[0] = (int)(prec / 3) + 24;
    order[1] = order[0] + 16;
    wprec[0] = prec + 32;
    wprec[1] = prec + 64;
}

int gflow_reference(mpfr_ptr out, mpfr_ptr errest, const gflow_t g,
                    mpfr_srcptr ts, int n, averr_t err)
{
    int ord[2];
    mpfr_prec_t wp[2];
    gflow_reference_setup(ord, wp, g->prec);
    if (n < 1)
        return averr_set(err, AV_EINPUT, "gradflow: no sample times");
    mpfr_ptr y1 = mpblock_alloc((size_t)n, wp[0], err);
    mpfr_ptr y2 = mpblock_alloc((size_t)n, wp[1], err);
    int rc = y1 == NULL || y2 == NULL ? AV_ESYS
             : gflow_taylor(y1, NULL, g, ts, n, ord[0], wp[0], err);
    if (rc == AV_OK)
        rc = gflow_taylor(y2, NULL, g, ts, n, ord[1], wp[1], err);
    for (int i = 0; i < n && rc == AV_OK; i++) {
        if (errest != NULL) {
            mpfr_sub(y1 + i, y1 + i, y2 + i, MPFR_RNDN);
            mpfr_abs(errest + i, y1 + i, MPFR_RNDN);
        }
        mpfr_set(out + i, y2 + i, MPFR_RNDN);
    }
    mpblock_free(y1);
    mpblock_free(y2);
    return rc;
}

/* The invariant at (t, theta): theta^(-m) - m a t, or log|theta| + a t. */
static void invariant(mpfr_t out, mpfr_srcptr th, mpfr_srcptr t,
                      const gflow_t g, mpfr_t tmp)
{
    int m = g->k - 2;
    mpfr_mul_q(tmp, t, g->a, MPFR_RNDN);
    if (m == 0) {
        mpfr_abs(out, th, MPFR_RNDN);
        mpfr_log(out, out, MPFR_RNDN);
        mpfr_add(out, out, tmp, MPFR_RNDN);
    } else {
        mpfr_pow_si(out, th, -(long)m, MPFR_RNDN);
        mpfr_mul_ui(tmp, tmp, (unsigned long)m, MPFR_RNDN);
        mpfr_sub(out, out, tmp, MPFR_RNDN);
    }
}

long gflow_check_invariant(const gflow_t g, mpfr_srcptr t, averr_t err)
{
    if (mpq_sgn(g->theta0) == 0)
        return averr_set(err, AV_EINPUT, "gradflow: theta0 = 0: the "
                         "separated equation divides by theta");
    mpfr_t th, i0, i1, zero, tmp;
    mpfr_inits2(g->prec, th, i0, i1, zero, tmp, NULL);
    mpfr_set_zero(zero, 1);
    long rc = gflow_reference(th, NULL, g, t, 1, err);
    if (rc == AV_OK) {
        invariant(i1, th, t, g, tmp);
        invariant(i0, g->theta0m, zero, g, tmp);
        rc = mpnum_digits(i1, i0, mpnum_max_digits(g->prec));
    }
    mpfr_clears(th, i0, i1, zero, tmp, NULL);
    return rc;
}
