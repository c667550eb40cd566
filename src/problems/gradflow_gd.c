/* gradflow_gd: gradient descent theta_{n+1} = theta_n - alpha dL/dtheta
 * against the flow it discretises (forward Euler with step alpha / eta in
 * flow time), its first-step threshold, the shape of its orbits, and the
 * monotonicity of the flow itself.
 */
#include <math.h>
#include <mpfr.h>
#include "../numbers/mpvec.h"
#include "gradflow.h"

/* theta -= alpha ck theta^(k-1); S is scratch at theta's precision. */
static void gd_step(mpfr_t theta, const gflow_t g, const mpq_t alpha,
                    mpfr_t s)
{
    gflow_grad(s, theta, g);
    mpfr_mul_q(s, s, alpha, MPFR_RNDN);
    mpfr_sub(theta, theta, s, MPFR_RNDN);
}

static int gd_diverged(mpfr_srcptr theta)
{
    return !mpfr_number_p(theta) ||
           (!mpfr_zero_p(theta) && mpfr_get_exp(theta) > GFLOW_GD_BIG);
}

int gflow_gd(mpfr_t out, const gflow_t g, const mpq_t alpha, long N,
             averr_t err)
{
    if (mpq_sgn(alpha) <= 0 || N < 0)
        return averr_set(err, AV_EINPUT, "gradflow: gradient descent needs "
                         "alpha > 0 and N >= 0");
    mpfr_t th, s;
    mpfr_inits2(mpfr_get_prec(out), th, s, NULL);
    mpfr_set_q(th, g->theta0, MPFR_RNDN);
    int rc = AV_OK;
    for (long n = 1; n <= N; n++) {
        gd_step(th, g, alpha, s);
        if (gd_diverged(th)) {
            rc = averr_set(err, AV_ENUM, "gradflow: gradient descent "
                           "diverged at step %ld (|theta| > 2^%d)", n,
                           GFLOW_GD_BIG);
            break;
        }
    }
    if (rc == AV_OK)
        mpfr_set(out, th, MPFR_RNDN);
    mpfr_clears(th, s, NULL);
    return rc;
}

int gflow_gd_threshold(mpq_t alpha_star, const gflow_t g)
{
    mpq_t q;
    mpq_init(q);
    mpq_set_ui(q, 1, 1);
    for (int i = 0; i < g->k - 2; i++)
        mpq_mul(q, q, g->theta0);
    int ok = mpq_sgn(q) > 0;
    if (ok) {
        mpq_mul(q, q, g->ck);
        mpq_inv(alpha_star, q);
        mpq_set_ui(q, 2, 1);
        mpq_mul(alpha_star, alpha_star, q);
    } else {
        mpq_set_ui(alpha_star, 0, 1);
    }
    mpq_clear(q);
    return ok;
}

const char *gflow_gd_kind_name(gflow_gd_kind k)
{
    static const char *const names[] = {
        "monotone", "oscillating", "2-cycle", "diverging", "stuck at 0"
    };
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

int gflow_gd_orbit_run(gflow_gd_orbit *o, mpfr_ptr snap, const long *steps,
                       int nsnap, const gflow_t g, const mpq_t alpha, long N,
                       averr_t err)
{
    if (mpq_sgn(alpha) <= 0 || N < 1 || nsnap < 0)
        return averr_set(err, AV_EINPUT, "gradflow: an orbit needs alpha > "
                         "0 and N >= 1");
    mpfr_prec_t p = nsnap > 0 ? mpfr_get_prec(snap) : g->prec;
    mpfr_t th, prev, s;
    mpfr_inits2(p, th, prev, s, NULL);
    mpfr_set_q(th, g->theta0, MPFR_RNDN);
    long rises = 0, falls = 0;
    o->sign_changes = 0;
    o->diverged_at = -1;
    o->steps = 0;
    for (int i = 0; i < nsnap; i++)
        mpfr_set_zero(snap + i, 1);
    for (long n = 1; n <= N && o->diverged_at < 0; n++) {
        mpfr_set(prev, th, MPFR_RNDN);
        gd_step(th, g, alpha, s);
        o->steps = n;
        int c = mpfr_cmpabs(th, prev);
        rises += c > 0;
        falls += c < 0;
        o->sign_changes += mpfr_sgn(th) * mpfr_sgn(prev) < 0;
        if (gd_diverged(th))
            o->diverged_at = n;
        for (int i = 0; i < nsnap; i++)
            if (steps[i] == n && o->diverged_at < 0)
                mpfr_set(snap + i, th, MPFR_RNDN);
    }
    if (mpq_sgn(g->theta0) == 0)
        o->kind = GFLOW_GD_STUCK;
    else if (o->diverged_at >= 0 || (rises > 0 && falls == 0))
        o->kind = GFLOW_GD_DIVERGING;
    else if (rises == 0 && falls == 0)
        o->kind = GFLOW_GD_CYCLE;
    else if (mpfr_cmpabs(th, g->theta0m) > 0)
        o->kind = GFLOW_GD_DIVERGING;
    else
        o->kind = o->sign_changes > 0 ? GFLOW_GD_OSCILLATING
                                      : GFLOW_GD_MONOTONE;
    mpfr_clears(th, prev, s, NULL);
    return AV_OK;
}

int gflow_gd_study(mpfr_ptr vals, mpfr_ptr errs, mpfr_ptr orders,
                   mpfr_ptr ref_out, const gflow_t g, const mpq_t tend,
                   const long *ns, int n, averr_t err)
{
    if (mpq_sgn(tend) <= 0 || n < 1)
        return averr_set(err, AV_EINPUT, "gradflow: a study needs t > 0 and "
                         "at least one step count");
    for (int j = 0; j < n; j++)
        if (ns[j] < 1 || (j > 0 && ns[j] <= ns[j - 1]))
            return averr_set(err, AV_EINPUT, "gradflow: step counts must be "
                             "positive and increasing");
    mpfr_t ref, t, gd, r;
    mpq_t alpha;
    mpfr_inits2(g->prec, ref, t, gd, r, NULL);
    mpq_init(alpha);
    mpfr_set_q(t, tend, MPFR_RNDN);
    int rc = gflow_reference(ref, NULL, g, t, 1, err);
    if (rc == AV_OK && ref_out != NULL)
        mpfr_set(ref_out, ref, MPFR_RNDN);
    for (int j = 0; j < n && rc == AV_OK; j++) {
        /* alpha = eta t / N: N steps of GD reach flow time t */
        mpq_set_ui(alpha, 1, (unsigned long)ns[j]);
        mpq_mul(alpha, alpha, g->eta);
        mpq_mul(alpha, alpha, tend);
        rc = gflow_gd(gd, g, alpha, ns[j], err);
        if (rc != AV_OK)
            break;
        if (vals != NULL)
            mpfr_set(vals + j, gd, MPFR_RNDN);
        mpfr_sub(gd, gd, ref, MPFR_RNDN);
        mpfr_abs(errs + j, gd, MPFR_RNDN);
        if (j == 0 || mpfr_zero_p(errs + j) || mpfr_zero_p(errs + j - 1)) {
            mpfr_set_zero(orders + j, 1);
            continue;
        }
        mpfr_div(r, errs + j - 1, errs + j, MPFR_RNDN);
        mpfr_log(r, r, MPFR_RNDN);
        mpfr_div_d(r, r, log((double)ns[j] / (double)ns[j - 1]), MPFR_RNDN);
        mpfr_set(orders + j, r, MPFR_RNDN);
    }
    mpfr_clears(ref, t, gd, r, NULL);
    mpq_clear(alpha);
    return rc;
}

int gflow_monotonicity(gflow_monotone *mo, const gflow_t g, mpfr_srcptr ts,
                       int n, averr_t err)
{
    if (n < 2)
        return averr_set(err, AV_EINPUT, "gradflow: monotonicity needs two "
                         "or more times");
    mpfr_ptr blk = mpblock_alloc((size_t)n + 5, g->prec, err);
    if (blk == NULL)
        return averr_prefix(err, "gradflow: monotonicity");
    mpfr_ptr dth = blk, L = blk + 1, dL = blk + 2, pL = blk + 3,
             ths = blk + 4;
    mo->theta_falls = mo->theta_rises = mo->abs_falls = mo->loss_falls = 1;
    int rc = gflow_reference(ths, NULL, g, ts, n, err);
    for (int i = 0; i < n && rc == AV_OK; i++) {
        mpfr_ptr th = ths + i;
        if (i > 0 && !mpfr_greater_p(ts + i, ts + i - 1)) {
            rc = averr_set(err, AV_EINPUT, "gradflow: monotonicity needs "
                           "increasing times");
            break;
        }
        /* theta' = -eta dL/dtheta; dL/dt = dL/dtheta theta'. */
        gflow_grad(dL, th, g);
        mpfr_mul_q(dth, dL, g->eta, MPFR_RNDN);
        mpfr_neg(dth, dth, MPFR_RNDN);
        mpfr_mul(dL, dL, dth, MPFR_RNDN);
        gflow_loss(L, th, g);
        int sd = mpfr_sgn(dth), st = mpfr_sgn(th);
        mo->theta_falls &= sd < 0;
        mo->theta_rises &= sd > 0;
        mo->abs_falls &= sd * st < 0;
        mo->loss_falls &= mpfr_sgn(dL) < 0;
        if (i > 0) {
            mpfr_srcptr pth = th - 1;
            mo->theta_falls &= mpfr_less_p(th, pth);
            mo->theta_rises &= mpfr_greater_p(th, pth);
            mo->abs_falls &= mpfr_cmpabs(th, pth) < 0;
            mo->loss_falls &= mpfr_less_p(L, pL);
        }
        mpfr_set(pL, L, MPFR_RNDN);
    }
    mpblock_free(blk);
    return rc;
}
