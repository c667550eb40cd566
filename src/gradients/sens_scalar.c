/* sens_scalar: both sides of the essay's section 2.3 formula on problem P3
 * (z' = theta z, z(0) = 1), where z(t) = e^(theta t) and dz(t)/dtheta =
 * t e^(theta t) are known: each integral in closed form and by Gauss-
 * Legendre quadrature, the left side in closed form and by a central
 * difference.
 */
#include <mpfr.h>
#include "../numbers/mpvec.h"
#include "../integrate/quad.h"
#include "sens.h"

const char *sens_form_name(sens_form f)
{
    return f == SENS_ESSAY ? "essay: int (dz/dtheta)(df/dtheta) dt"
                           : "corrected: int Phi(T,t) (df/dtheta) dt";
}

void sens_scalar_lhs(mpfr_t out, mpfr_srcptr theta, mpfr_srcptr T)
{
    mpfr_t e;
    mpfr_init2(e, mpfr_get_prec(out));
    mpfr_mul(e, theta, T, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_mul(out, e, T, MPFR_RNDN);
    mpfr_clear(e);
}

void sens_scalar_lhs_fd(mpfr_t out, mpfr_srcptr theta, mpfr_srcptr T)
{
    mpfr_prec_t p2 = 2 * mpfr_get_prec(out);
    mpfr_t h, zp, zm;
    mpfr_inits2(p2, h, zp, zm, NULL);
    /* step 2^(-2p/3): truncation and rounding both near 2^(-4p/3) */
    mpfr_set_ui_2exp(h, 1, -(mpfr_exp_t)(p2 / 3), MPFR_RNDN);
    mpfr_add(zp, theta, h, MPFR_RNDN);
    mpfr_mul(zp, zp, T, MPFR_RNDN);
    mpfr_exp(zp, zp, MPFR_RNDN);
    mpfr_sub(zm, theta, h, MPFR_RNDN);
    mpfr_mul(zm, zm, T, MPFR_RNDN);
    mpfr_exp(zm, zm, MPFR_RNDN);
    mpfr_sub(zp, zp, zm, MPFR_RNDN);
    mpfr_div(zp, zp, h, MPFR_RNDN);
    mpfr_div_2ui(out, zp, 1, MPFR_RNDN);
    mpfr_clears(h, zp, zm, NULL);
}

void sens_scalar_rhs(mpfr_t out, sens_form form, mpfr_srcptr theta,
                     mpfr_srcptr T)
{
    if (form == SENS_TRANSITION) {
        sens_scalar_lhs(out, theta, T);
        return;
    }
    mpfr_t a, e;
    mpfr_inits2(mpfr_get_prec(out) + 16, a, e, NULL);
    if (mpfr_zero_p(theta)) {
        mpfr_sqr(a, T, MPFR_RNDN);
        mpfr_div_2ui(out, a, 1, MPFR_RNDN);
    } else {
        /* antiderivative e^(2 theta t) (2 theta t - 1) / (4 theta^2) */
        mpfr_mul(a, theta, T, MPFR_RNDN);
        mpfr_mul_2ui(a, a, 1, MPFR_RNDN);
        mpfr_exp(e, a, MPFR_RNDN);
        mpfr_sub_ui(a, a, 1, MPFR_RNDN);
        mpfr_mul(a, e, a, MPFR_RNDN);
        mpfr_add_ui(a, a, 1, MPFR_RNDN);
        mpfr_sqr(e, theta, MPFR_RNDN);
        mpfr_mul_2ui(e, e, 2, MPFR_RNDN);
        mpfr_div(out, a, e, MPFR_RNDN);
    }
    mpfr_clears(a, e, NULL);
}

typedef struct {
    sens_form form;
    mpfr_srcptr theta, T;
    mpfr_ptr s;   /* one scratch number */
} integrand_ctx;

static int integrand(mpfr_ptr out, mpfr_srcptr t, void *vctx)
{
    integrand_ctx *c = vctx;
    if (c->form == SENS_ESSAY) {
        /* t e^(theta t) * e^(theta t) = t e^(2 theta t) */
        mpfr_mul(c->s, c->theta, t, MPFR_RNDN);
        mpfr_mul_2ui(c->s, c->s, 1, MPFR_RNDN);
        mpfr_exp(c->s, c->s, MPFR_RNDN);
        mpfr_mul(out, c->s, t, MPFR_RNDN);
    } else {
        /* e^(theta (T - t)) * e^(theta t), each factor evaluated as such */
        mpfr_sub(c->s, c->T, t, MPFR_RNDN);
        mpfr_mul(c->s, c->s, c->theta, MPFR_RNDN);
        mpfr_exp(c->s, c->s, MPFR_RNDN);
        mpfr_mul(out, c->theta, t, MPFR_RNDN);
        mpfr_exp(out, out, MPFR_RNDN);
        mpfr_mul(out, out, c->s, MPFR_RNDN);
    }
    return 0;
}

int sens_scalar_rhs_quad(mpfr_t out, sens_form form, mpfr_srcptr theta,
                         mpfr_srcptr T, int nodes, averr_t err)
{
    mpfr_prec_t p = mpfr_get_prec(out);
    quad_gl_t g;
    quad_rule_t r;
    mpfr_t zero, s, res;
    int st = quad_gl_init(g, nodes, p, err);
    if (st != 0)
        return st;
    mpfr_inits2(p, zero, s, res, NULL);
    mpfr_set_zero(zero, 1);
    st = quad_rule_init(r, g, zero, T, 1, err);
    if (st == 0) {
        integrand_ctx c = { form, theta, T, s };
        st = quad_rule_integrate(res, r, integrand, &c, 1, err);
        if (st == 0)
            mpfr_set(out, res, MPFR_RNDN);
        quad_rule_clear(r);
    }
    mpfr_clears(zero, s, res, NULL);
    quad_gl_clear(g);
    return st;
}

/* LHS and RHS of the sensitivity equation for S = t e^(theta t). */
static void resid_sides(mpfr_t lhs, mpfr_t rhs, mpfr_srcptr theta,
                        mpfr_srcptr t)
{
    mpfr_t e, s;
    mpfr_inits2(mpfr_get_prec(lhs), e, s, NULL);
    mpfr_mul(e, theta, t, MPFR_RNDN);
    mpfr_add_ui(lhs, e, 1, MPFR_RNDN);
    mpfr_exp(e, e, MPFR_RNDN);
    mpfr_mul(lhs, lhs, e, MPFR_RNDN);          /* S' = (1 + theta t) e */
    mpfr_mul(s, t, e, MPFR_RNDN);              /* S = t e */
    mpfr_fma(rhs, theta, s, e, MPFR_RNDN);     /* theta S + z */
    mpfr_clears(e, s, NULL);
}

void sens_scalar_residual(mpfr_t out, mpfr_srcptr theta, mpfr_srcptr t)
{
    mpfr_t l, r;
    mpfr_inits2(mpfr_get_prec(out), l, r, NULL);
    resid_sides(l, r, theta, t);
    mpfr_sub(r, l, r, MPFR_RNDN);
    mpfr_div(out, r, l, MPFR_RNDN);
    mpfr_clears(l, r, NULL);
}

int sens_scalar_compare(sens_scalar_cmp *c, mpfr_ptr vals, sens_form form,
                        mpfr_srcptr theta, mpfr_srcptr T, mpfr_prec_t prec,
                        averr_t err)
{
    if (prec < MPV_PREC_MIN || prec > MPV_PREC_MAX)
        return averr_set(err, AV_EINPUT, "sens: precision %ld outside "
                         "[%d, %d]", (long)prec, MPV_PREC_MIN, MPV_PREC_MAX);
    long cap = mpnum_max_digits(prec);
    mpfr_ptr v = mpblock_alloc(7, prec, err);
    if (v == NULL)
        return AV_ESYS;
    mpfr_ptr lhs = v, lfd = v + 1, rc = v + 2, rq = v + 3, a = v + 4,
             b = v + 5, t = v + 6;
    int st = sens_scalar_rhs_quad(rq, form, theta, T, (int)(prec / 8) + 16,
                                  err);
    if (st == 0) {
        sens_scalar_lhs(lhs, theta, T);
        sens_scalar_lhs_fd(lfd, theta, T);
        sens_scalar_rhs(rc, form, theta, T);
        c->lhs_routes = mpnum_digits(lfd, lhs, cap);
        c->rhs_routes = mpnum_digits(rq, rc, cap);
        c->rhs_vs_lhs = mpnum_digits(rc, lhs, cap);
        c->resid_digits = cap;
        for (int i = 0; i <= 4; i++) {
            /* t = i T / 4 */
            mpfr_mul_ui(t, T, (unsigned long)i, MPFR_RNDN);
            mpfr_div_2ui(t, t, 2, MPFR_RNDN);
            resid_sides(a, b, theta, t);
            long dg = mpnum_digits(b, a, cap);
            if (dg < c->resid_digits)
                c->resid_digits = dg;
        }
        if (vals != NULL) {
            mpfr_set(vals, lhs, MPFR_RNDN);
            mpfr_set(vals + 1, rc, MPFR_RNDN);
            mpfr_set(vals + 2, rq, MPFR_RNDN);
        }
    }
    mpblock_free(v);
    return st;
}
