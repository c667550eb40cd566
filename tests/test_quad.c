/* test_quad: Gauss-Legendre quadrature (src/integrate/quad.c): nodes and
 * weights against closed forms, exactness for polynomials of degree 2n - 1
 * and not 2n on composite rules, the callback route, bad arguments.
 */
#include <check.h>
#include <mpfr.h>
#include "suites.h"
#include "../src/numbers/mpvec.h"
#include "../src/integrate/quad.h"

#define PREC 128

/* n = 1, 2, 3 against their closed forms: 0 (w 2); +-1/sqrt 3 (w 1);
 * 0, +-sqrt(3/5) (w 8/9, 5/9). */
START_TEST(gl_closed_forms)
{
    const mpfr_prec_t p = 256;
    averr_t err;
    quad_gl_t g;
    mpfr_ptr v = mpblock_alloc(2, p, err);
    long need = mpnum_max_digits(p) - 2;
    ck_assert_int_eq(quad_gl_init(g, 1, p, err), 0);
    ck_assert(mpfr_zero_p(g->x) && mpfr_cmp_ui(g->w, 2) == 0);
    quad_gl_clear(g);
    ck_assert_int_eq(quad_gl_init(g, 2, p, err), 0);
    mpfr_sqrt_ui(v, 3, MPFR_RNDN);
    mpfr_ui_div(v, 1, v, MPFR_RNDN);                    /* 1/sqrt 3 */
    ck_assert_int_ge(mpnum_digits(g->x + 1, v, 1000), need);
    mpfr_neg(v, v, MPFR_RNDN);
    ck_assert_int_ge(mpnum_digits(g->x, v, 1000), need);
    mpfr_set_ui(v + 1, 1, MPFR_RNDN);
    ck_assert_int_ge(mpnum_digits(g->w, v + 1, 1000), need);
    ck_assert_int_ge(mpnum_digits(g->w + 1, v + 1, 1000), need);
    quad_gl_clear(g);
    ck_assert_int_eq(quad_gl_init(g, 3, p, err), 0);
    ck_assert(mpfr_zero_p(g->x + 1) && mpfr_signbit(g->x + 1) == 0);
    mpfr_set_ui(v, 3, MPFR_RNDN);
    mpfr_div_ui(v, v, 5, MPFR_RNDN);
    mpfr_sqrt(v, v, MPFR_RNDN);                         /* sqrt(3/5) */
    ck_assert_int_ge(mpnum_digits(g->x + 2, v, 1000), need);
    mpfr_set_ui(v, 5, MPFR_RNDN);
    mpfr_div_ui(v, v, 9, MPFR_RNDN);
    ck_assert_int_ge(mpnum_digits(g->w, v, 1000), need);
    ck_assert_int_ge(mpnum_digits(g->w + 2, v, 1000), need);
    mpfr_set_ui(v, 8, MPFR_RNDN);
    mpfr_div_ui(v, v, 9, MPFR_RNDN);
    ck_assert_int_ge(mpnum_digits(g->w + 1, v, 1000), need);
    quad_gl_clear(g);
    mpblock_free(v);
}
END_TEST

/* The composite rule on [0, 2] integrates t^k exactly for k <= 2n - 1, and
 * for k = 2n (one panel) misses by exactly the closed-form error, for
 * n = 1..12. */
START_TEST(gl_exactness_degree)
{
    averr_t err;
    mpfr_ptr v = mpblock_alloc(4 + 2 * 12 * 3, PREC, err);
    mpfr_ptr a = v, b = v + 1, exact = v + 2, got = v + 3, f = v + 4;
    mpfr_set_zero(a, 1);
    mpfr_set_ui(b, 2, MPFR_RNDN);
    for (int n = 1; n <= 12; n++)
        for (long M = 1; M <= 3; M += 2) {
            quad_gl_t g;
            quad_rule_t r;
            ck_assert_int_eq(quad_gl_init(g, n, PREC, err), 0);
            ck_assert_int_eq(quad_rule_init(r, g, a, b, M, err), 0);
            ck_assert_uint_eq(r->N, (size_t)(n * M));
            for (int k = 0; k <= 2 * n; k++) {
                for (size_t j = 0; j < r->N; j++)
                    mpfr_pow_ui(f + j, r->t + j, (unsigned long)k, MPFR_RNDN);
                quad_rule_sum(got, r, f, 1);
                mpfr_ui_pow_ui(exact, 2, (unsigned long)k + 1, MPFR_RNDN);
                mpfr_div_ui(exact, exact, (unsigned long)k + 1, MPFR_RNDN);
                long d = mpnum_digits(got, exact, 1000);
                if (k < 2 * n)
                    ck_assert_msg(d >= mpnum_max_digits(PREC) - 2,
                                  "n=%d M=%ld k=%d: %ld digits", n, M, k, d);
                else if (M == 1) {
                    /* the error for the degree-2n monomial has a closed
                     * form: 2^(2n+1) (n!)^4 / ((2n+1) ((2n)!)^2) */
                    mpfr_sub(got, exact, got, MPFR_RNDN);
                    mpfr_fac_ui(exact, (unsigned long)n, MPFR_RNDN);
                    mpfr_pow_ui(exact, exact, 4, MPFR_RNDN);
                    mpfr_mul_2ui(exact, exact, 2 * (unsigned long)n + 1, MPFR_RNDN);
                    mpfr_div_ui(exact, exact, 2 * (unsigned long)n + 1, MPFR_RNDN);
                    mpfr_fac_ui(f, 2 * (unsigned long)n, MPFR_RNDN);
                    mpfr_div(exact, exact, f, MPFR_RNDN);
                    mpfr_div(exact, exact, f, MPFR_RNDN);
                    d = mpnum_digits(got, exact, 1000);
                    ck_assert_msg(d >= 20, "n=%d: error of t^%d matches the "
                                  "closed form to %ld digits", n, k, d);
                }
            }
            quad_rule_clear(r);
            quad_gl_clear(g);
        }
    mpblock_free(v);
}
END_TEST

static int sin_cos(mpfr_ptr out, mpfr_srcptr t, void *ctx)
{
    (void)ctx;
    mpfr_sin_cos(out, out + 1, t, MPFR_RNDN);
    return 0;
}

/* int_0^2 (sin t, cos t) dt = (1 - cos 2, sin 2) through the callback
 * route; bad arguments are refused. */
START_TEST(gl_integrate_and_errors)
{
    averr_t err;
    quad_gl_t g;
    quad_rule_t r;
    mpfr_ptr v = mpblock_alloc(6, PREC, err);
    mpfr_set_zero(v, 1);
    mpfr_set_ui(v + 1, 2, MPFR_RNDN);
    ck_assert_int_eq(quad_gl_init(g, 24, PREC, err), 0);
    ck_assert_int_eq(quad_rule_init(r, g, v, v + 1, 4, err), 0);
    ck_assert_int_eq(quad_rule_integrate(v + 2, r, sin_cos, NULL, 2, err), 0);
    mpfr_sin_cos(v + 5, v + 4, v + 1, MPFR_RNDN);
    mpfr_ui_sub(v + 4, 1, v + 4, MPFR_RNDN);
    ck_assert_int_ge(mpvec_digits(v + 2, v + 4, 2, 1000), mpnum_max_digits(PREC) - 2);
    quad_rule_clear(r);
    ck_assert_int_eq(quad_rule_init(r, g, v + 1, v, 4, err), AV_EINPUT);
    ck_assert_int_eq(quad_rule_init(r, g, v, v + 1, 0, err), AV_EINPUT);
    quad_gl_clear(g);
    ck_assert_int_eq(quad_gl_init(g, 0, PREC, err), AV_EINPUT);
    ck_assert_int_eq(quad_gl_init(g, QUAD_MAX_NODES + 1, PREC, err), AV_EINPUT);
    ck_assert_int_eq(quad_gl_init(g, 4, 2, err), AV_EINPUT);
    mpblock_free(v);
}
END_TEST

Suite *suite_quad(void)
{
    Suite *s = suite_create("quad");
    TCase *core = tcase_create("core");
    tcase_add_test(core, gl_closed_forms);
    tcase_add_test(core, gl_exactness_degree);
    tcase_add_test(core, gl_integrate_and_errors);
    suite_add_tcase(s, core);
    return s;
}
