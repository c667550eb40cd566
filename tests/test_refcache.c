/* test_refcache: the run's cache of reference gradients gives exactly what
 * a fresh call gives (every bit, both routes, g(0) and the estimate), keeps
 * one entry per problem, precision and route, and bypasses itself for an
 * estimate at another precision.
 */
#include <check.h>
#include "suites.h"
#include "../src/claims/claims_refcache.h"
#include "../src/gradients/reference.h"
#include "../src/numbers/mpvec.h"

/* Values of A and B (N each) that are not the same number at the same
 * precision. */
static int unequal(mpfr_srcptr a, mpfr_srcptr b, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += !(mpfr_get_prec(a + i) == mpfr_get_prec(b + i) && mpfr_equal_p(a + i, b + i));
    return k;
}

START_TEST(test_refcache_identical)
{
    static const char *const names[] = {"mlp", "lotka"};
    averr_t err;
    claim_ctx c;
    claim_ctx_init(&c);
    for (int k = 0; k < 2; k++)
        for (int route = REFC_SENS; route <= REFC_ADJOINT; route++) {
            problem_t p;
            grad_result_t f, h;
            ref_opts o;
            ck_assert_int_eq(problem_init_lookup(p, names[k], 64, err), 0);
            size_t nth = (size_t)p->ntheta, n = (size_t)(1 + 2 * p->d) + nth;
            mpfr_ptr v = mpblock_alloc(2 * nth, 64, err), e = mpblock_alloc(2, REFC_EST_PREC, err);
            ck_assert(v != NULL && e != NULL);
            ck_assert_int_eq(grad_result_init(f, p, err), 0);
            ck_assert_int_eq(grad_result_init(h, p, err), 0);
            ref_opts_default(&o, 64);
            if (route == REFC_SENS)
                ck_assert_int_eq(ref_gradient_sens(f, e, p, &o, err), 0);
            else
                ck_assert_int_eq(ref_gradient_adjoint(f, v, e, p, &o, err), 0);
            for (int pass = 0; pass < 2; pass++) {   /* a miss, then a hit */
                mpvec_zero(h->block, n);
                mpvec_zero(v + nth, nth);
                mpfr_set_zero(e + 1, 1);
                ck_assert_int_eq(refc_gradient(h, v + nth, e + 1, &c, names[k], 64,
                                               (refc_route)route, err), 0);
                ck_assert_int_eq(unequal(f->block, h->block, n), 0);
                ck_assert_int_eq(unequal(e, e + 1, 1), 0);
                if (route == REFC_ADJOINT)
                    ck_assert_int_eq(unequal(v, v + nth, nth), 0);
            }
            ck_assert_int_eq(refc_count(&c), 2 * k + route);
            grad_result_clear(h);
            grad_result_clear(f);
            mpblock_free(e);
            mpblock_free(v);
            problem_clear(p);
        }
    claim_ctx_clear(&c);
    ck_assert_ptr_null(c.refs);
}
END_TEST

/* Another precision is another entry; an estimate at a precision the cache
 * does not keep is computed afresh and the cache left as it was. */
START_TEST(test_refcache_keys)
{
    averr_t err;
    claim_ctx c;
    claim_ctx_init(&c);
    problem_t p, q;
    grad_result_t a, b;
    ck_assert_int_eq(problem_init_lookup(p, "lotka", 64, err), 0);
    ck_assert_int_eq(problem_init_lookup(q, "lotka", 96, err), 0);
    ck_assert_int_eq(grad_result_init(a, p, err), 0);
    ck_assert_int_eq(grad_result_init(b, q, err), 0);
    mpfr_ptr e = mpblock_alloc(1, REFC_EST_PREC + 1, err);
    ck_assert(e != NULL);
    ck_assert_int_eq(refc_gradient(a, NULL, NULL, &c, "lotka", 64, REFC_SENS, err), 0);
    ck_assert_int_eq(refc_gradient(b, NULL, NULL, &c, "lotka", 96, REFC_SENS, err), 0);
    ck_assert_int_eq(refc_count(&c), 2);
    ck_assert_int_eq(mpfr_get_prec(b->L), 96);
    ck_assert_int_eq(refc_gradient(a, NULL, e, &c, "lotka", 64, REFC_ADJOINT, err), 0);
    ck_assert_int_eq(refc_count(&c), 2);
    ck_assert(mpfr_number_p(e));
    ck_assert_int_lt(refc_gradient(a, NULL, NULL, &c, "no-such-problem", 64, REFC_SENS,
                                   err), 0);
    ck_assert_int_eq(refc_count(&c), 2);
    mpblock_free(e);
    grad_result_clear(b);
    grad_result_clear(a);
    problem_clear(q);
    problem_clear(p);
    claim_ctx_clear(&c);
}
END_TEST

Suite *suite_refcache(void)
{
    Suite *s = suite_create("refcache");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_refcache_identical);
    tcase_add_test(tc, test_refcache_keys);
    suite_add_tcase(s, tc);
    return s;
}
