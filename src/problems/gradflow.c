/* gradflow: the monomial-loss gradient flow, its closed forms and their
 * exact derivatives, and the residual that tests a closed form against the
 * flow.  Separation of variables for theta' = -a theta^(k-1), a = eta c k:
 * theta^(-m) = theta0^(-m) + m a t with m = k - 2, hence theta = theta0 (1 +
 * m a theta0^m t)^(-1/m); k = 2 gives theta0 exp(-a t).
 */
#include <stdio.h>
#include <gmp.h>
#include <mpfr.h>
#include "../numbers/mpvec.h"
#include "../numbers/qnum.h"
#include "gradflow.h"

/* q = x^n exactly (n >= 0). */
static void q_pow_ui(mpq_t q, const mpq_t x, unsigned long n)
{
    mpz_pow_ui(mpq_numref(q), mpq_numref(x), n);
    mpz_pow_ui(mpq_denref(q), mpq_denref(x), n);
    mpq_canonicalize(q);
}

int gflow_init(gflow_t g, const mpq_t c, int k, const mpq_t eta,
               const mpq_t theta0, mpfr_prec_t prec, averr_t err)
{
    if (k < 2 || k > GFLOW_K_MAX)
        return averr_set(err, AV_EINPUT, "gradflow: exponent k = %d outside "
                         "[2, %d]", k, GFLOW_K_MAX);
    if (mpq_sgn(c) <= 0)
        return averr_set(err, AV_EINPUT, "gradflow: c must be > 0");
    if (mpq_sgn(eta) <= 0)
        return averr_set(err, AV_EINPUT, "gradflow: eta must be > 0");
    if (prec < MPV_PREC_MIN || prec > MPV_PREC_MAX)
        return averr_set(err, AV_EINPUT, "gradflow: precision %ld outside "
                         "[%d, %d]", (long)prec, MPV_PREC_MIN, MPV_PREC_MAX);
    g->k = k;
    g->prec = prec;
    mpq_inits(g->c, g->eta, g->theta0, g->ck, g->a, NULL);
    mpq_set(g->c, c);
    mpq_set(g->eta, eta);
    mpq_set(g->theta0, theta0);
    mpq_set_ui(g->ck, (unsigned long)k, 1);
    mpq_mul(g->ck, g->ck, c);
    mpq_mul(g->a, g->ck, eta);
    mpfr_init2(g->theta0m, prec);
    mpfr_set_q(g->theta0m, theta0, MPFR_RNDN);
    return AV_OK;
}

int gflow_init_p4(gflow_t g, mpfr_prec_t prec, averr_t err)
{
    /* The canonical values as written in the problem list. */
    mpq_t c, eta, th0;
    mpq_inits(c, eta, th0, NULL);
    int rc = qnum_parse_str(c, "1/2", err);
    if (rc == 0)
        rc = qnum_parse_str(eta, "1/10", err);
    if (rc == 0)
        rc = qnum_parse_str(th0, "2", err);
    if (rc == 0)
        rc = gflow_init(g, c, 4, eta, th0, prec, err);
    mpq_clears(c, eta, th0, NULL);
    return rc;
}

void gflow_clear(gflow_t g)
{
    mpq_clears(g->c, g->eta, g->theta0, g->ck, g->a, NULL);
    mpfr_clear(g->theta0m);
}

void gflow_loss(mpfr_t out, mpfr_srcptr theta, const gflow_t g)
{
    mpfr_pow_ui(out, theta, (unsigned long)g->k, MPFR_RNDN);
    mpfr_mul_q(out, out, g->c, MPFR_RNDN);
}

void gflow_grad(mpfr_t out, mpfr_srcptr theta, const gflow_t g)
{
    mpfr_pow_ui(out, theta, (unsigned long)(g->k - 1), MPFR_RNDN);
    mpfr_mul_q(out, out, g->ck, MPFR_RNDN);
}

long gflow_check_grad(const gflow_t g, mpfr_srcptr theta, averr_t err)
{
    mpfr_prec_t p2 = 2 * g->prec;
    mpfr_t h, lp, lm, fd, gr;
    mpfr_inits2(p2, h, lp, lm, fd, NULL);
    mpfr_init2(gr, g->prec);
    /* Step 2^(-2p/3) |theta|: truncation h^2 and rounding 2^(-2p)/h both
     * fall near 2^(-4p/3) relative, far below the working precision. */
    mpfr_exp_t e = -(mpfr_exp_t)(2 * g->prec / 3);
    if (!mpfr_zero_p(theta) && mpfr_get_exp(theta) > 0)
        e += mpfr_get_exp(theta);
    mpfr_set_ui_2exp(h, 1, e, MPFR_RNDN);
    mpfr_add(lp, theta, h, MPFR_RNDN);
    mpfr_sub(lm, theta, h, MPFR_RNDN);
    gflow_loss(lp, lp, g);
    gflow_loss(lm, lm, g);
    mpfr_sub(fd, lp, lm, MPFR_RNDN);
    mpfr_div(fd, fd, h, MPFR_RNDN);
    mpfr_div_2ui(fd, fd, 1, MPFR_RNDN);
    gflow_grad(gr, theta, g);
    mpfr_prec_round(fd, g->prec, MPFR_RNDN);
    long d = mpfr_number_p(fd) ? mpnum_digits(fd, gr, mpnum_max_digits(g->prec))
                               : averr_set(err, AV_ENUM, "gradflow: central "
                                           "difference of L is not finite");
    mpfr_clears(h, lp, lm, fd, gr, NULL);
    return d;
}

void gflow_form_init(gflow_form_t f)
{
    f->m = 0;
    mpq_init(f->beta);
}

void gflow_form_clear(gflow_form_t f)
{
    mpq_clear(f->beta);
}

void gflow_form_set(gflow_form_t f, int m, const mpq_t beta)
{
    f->m = m;
    mpq_set(f->beta, beta);
}

void gflow_form_derived(gflow_form_t f, const gflow_t g)
{
    f->m = g->k - 2;
    mpq_set(f->beta, g->a);
    if (f->m > 0) {
        mpq_t mq;
        mpq_init(mq);
        mpq_set_ui(mq, (unsigned long)f->m, 1);
        mpq_mul(f->beta, f->beta, mq);
        mpq_clear(mq);
    }
}

void gflow_form_essay(gflow_form_t f, const gflow_t g)
{
    f->m = 2;
    mpq_set_ui(f->beta, 6, 1);
    mpq_mul(f->beta, f->beta, g->eta);
}

void gflow_form_describe(char *buf, size_t size, const gflow_form_t f)
{
    if (f->m == 0)
        gmp_snprintf(buf, size, "theta0 exp(-%Qd t)", f->beta);
    else if (f->m == 1)
        gmp_snprintf(buf, size, "theta0 (1 + %Qd theta0 t)^(-1)", f->beta);
    else
        gmp_snprintf(buf, size, "theta0 (1 + %Qd theta0^%d t)^(-1/%d)",
                     f->beta, f->m, f->m);
}

int gflow_blowup_time(mpq_t tstar, const gflow_t g)
{
    int m = g->k - 2;
    mpq_set_ui(tstar, 0, 1);
    if (m < 1 || m % 2 == 0 || mpq_sgn(g->theta0) >= 0)
        return 0;
    /* t* = -1 / (m a theta0^m) > 0 since theta0^m < 0 */
    mpq_t q;
    mpq_init(q);
    q_pow_ui(q, g->theta0, (unsigned long)m);
    mpq_mul(q, q, g->a);
    mpq_set_si(tstar, -1, (unsigned long)m);
    mpq_div(tstar, tstar, q);
    mpq_clear(q);
    return 1;
}

/* OUT = -eta dL/dtheta(theta) = -a theta^(k-1), rounded once from exact a. */
static void flow_rhs(mpfr_t out, mpfr_srcptr theta, const gflow_t g)
{
    mpfr_pow_ui(out, theta, (unsigned long)(g->k - 1), MPFR_RNDN);
    mpfr_mul_q(out, out, g->a, MPFR_RNDN);
    mpfr_neg(out, out, MPFR_RNDN);
}

int gflow_form_eval(mpfr_t theta, mpfr_t dtheta, const gflow_form_t f,
                    const gflow_t g, mpfr_srcptr t, averr_t err)
{
    if (mpfr_sgn(t) < 0 || !mpfr_number_p(t))
        return averr_set(err, AV_EINPUT, "gradflow: time must be finite "
                         "and >= 0");
    mpfr_prec_t p = mpfr_get_prec(theta);
    mpfr_t base, th, dth;
    mpq_t q;
    mpfr_inits2(p, base, th, dth, NULL);
    mpq_init(q);
    int rc = AV_OK;
    if (f->m == 0) {
        /* theta0 exp(-beta t); theta' = -beta theta */
        mpfr_mul_q(base, t, f->beta, MPFR_RNDN);
        mpfr_neg(base, base, MPFR_RNDN);
        mpfr_exp(base, base, MPFR_RNDN);
        mpfr_mul_q(th, base, g->theta0, MPFR_RNDN);
        mpfr_mul_q(dth, th, f->beta, MPFR_RNDN);
        mpfr_neg(dth, dth, MPFR_RNDN);
    } else {
        /* base = 1 + q t with q = beta theta0^m exact; theta = theta0
         * base^(-1/m); theta' = -(q/m) theta0 base^(-1/m - 1)
         * = -(q/m) theta / base. */
        q_pow_ui(q, g->theta0, (unsigned long)f->m);
        mpq_mul(q, q, f->beta);
        mpfr_mul_q(base, t, q, MPFR_RNDN);
        mpfr_add_ui(base, base, 1, MPFR_RNDN);
        if (mpfr_sgn(base) <= 0) {
            rc = averr_set(err, AV_EINPUT, "gradflow: t is at or past the "
                           "blow-up time of the closed form");
        } else {
            mpfr_rootn_ui(th, base, (unsigned long)f->m, MPFR_RNDN);
            mpfr_ui_div(th, 1, th, MPFR_RNDN);
            mpfr_mul_q(th, th, g->theta0, MPFR_RNDN);
            mpfr_div(dth, th, base, MPFR_RNDN);
            mpfr_mul_q(dth, dth, q, MPFR_RNDN);
            mpfr_div_ui(dth, dth, (unsigned long)f->m, MPFR_RNDN);
            mpfr_neg(dth, dth, MPFR_RNDN);
        }
    }
    if (rc == AV_OK) {
        mpfr_set(theta, th, MPFR_RNDN);
        if (dtheta != NULL)
            mpfr_set(dtheta, dth, MPFR_RNDN);
    }
    mpfr_clears(base, th, dth, NULL);
    mpq_clear(q);
    return rc;
}

int gflow_residual(mpfr_t res, mpfr_t rel, const gflow_form_t f,
                   const gflow_t g, mpfr_srcptr t, averr_t err)
{
    mpfr_prec_t p = mpfr_get_prec(res);
    mpfr_t th, dth, rhs;
    mpfr_inits2(p, th, dth, rhs, NULL);
    int rc = gflow_form_eval(th, dth, f, g, t, err);
    if (rc == AV_OK) {
        flow_rhs(rhs, th, g);
        mpfr_sub(res, dth, rhs, MPFR_RNDN);
        if (rel != NULL) {
            mpfr_abs(rel, res, MPFR_RNDN);
            if (!mpfr_zero_p(rhs))
                mpfr_div(rel, rel, rhs, MPFR_RNDN);
            mpfr_abs(rel, rel, MPFR_RNDN);
        }
    }
    mpfr_clears(th, dth, rhs, NULL);
    return rc;
}

int gflow_solved_coeff(mpfr_t acoef, const gflow_form_t f, const gflow_t g,
                       mpfr_srcptr t, averr_t err)
{
    if (mpq_sgn(g->theta0) == 0)
        return averr_set(err, AV_EINPUT, "gradflow: theta0 = 0 gives the "
                         "zero solution of every flow");
    mpfr_prec_t p = mpfr_get_prec(acoef);
    mpfr_t th, dth;
    mpfr_inits2(p, th, dth, NULL);
    int rc = gflow_form_eval(th, dth, f, g, t, err);
    if (rc == AV_OK) {
        mpfr_pow_ui(th, th, (unsigned long)(f->m + 1), MPFR_RNDN);
        mpfr_div(acoef, dth, th, MPFR_RNDN);
        mpfr_neg(acoef, acoef, MPFR_RNDN);
    }
    mpfr_clears(th, dth, NULL);
    return rc;
}

int gflow_form_compare(long *ref_digits, long *resid_digits,
                       const gflow_form_t f, const gflow_t g, mpfr_srcptr ts,
                       mpfr_srcptr refs, int n, averr_t err)
{
    long cap = mpnum_max_digits(g->prec);
    mpfr_t th, dth, rhs;
    mpfr_inits2(g->prec, th, dth, rhs, NULL);
    *ref_digits = *resid_digits = cap;
    int rc = AV_OK;
    for (int i = 0; i < n && rc == AV_OK; i++) {
        rc = gflow_form_eval(th, dth, f, g, ts + i, err);
        if (rc != AV_OK)
            break;
        long d = mpnum_digits(th, refs + i, cap);
        *ref_digits = d < *ref_digits ? d : *ref_digits;
        flow_rhs(rhs, th, g);
        d = mpnum_digits(dth, rhs, cap);
        *resid_digits = d < *resid_digits ? d : *resid_digits;
    }
    mpfr_clears(th, dth, rhs, NULL);
    return rc;
}
