/* test_adjoint: the reference integrator against closed forms and itself
 * at higher precision (100 digits at 512 bits on P1), the observed orders
 * of backsolve and interp, backsolve = bp to rounding for gauss2, and the
 * decide functions of E2, E3, H1, H2, T2 flipping on counter-evidence
 * (a deliberately wrong adjoint, sign flipped in J^T a).
 */
#include <math.h>
#include <stdio.h>
#include <check.h>
#include "suites.h"
#include "../src/claims/claims_adjoint.h"
#include "../src/gradients/adjoint.h"
#include "../src/gradients/closed.h"
#include "../src/gradients/converge.h"
#include "../src/gradients/reference.h"
#include "../src/numbers/mpvec.h"

/* Route 1 of NAME at PREC against its closed form: fewest digits. */
static long closed_digits(const char *name, mpfr_prec_t prec)
{
    problem_t p;
    grad_result_t a, b;
    averr_t err;
    ck_assert_int_eq(problem_init_lookup(p, name, prec, err), 0);
    ck_assert_int_eq(grad_result_init(a, p, err), 0);
    ck_assert_int_eq(grad_result_init(b, p, err), 0);
    ck_assert_int_eq(grad_compute(a, p, NULL, 1, GRAD_REFERENCE, NULL, err), 0);
    ck_assert_int_eq(closed_gradient(b, p, err), 0);
    long cap = mpnum_max_digits(prec), d[4];
    d[0] = mpnum_digits(a->L, b->L, cap);
    d[1] = mpvec_digits(a->zT, b->zT, (size_t)p->d, cap);
    d[2] = mpvec_digits(a->dtheta, b->dtheta, (size_t)p->ntheta, cap);
    d[3] = mpvec_digits(a->dz0, b->dz0, (size_t)p->d, cap);
    long m = d[0];
    for (int i = 1; i < 4; i++)
        m = d[i] < m ? d[i] : m;
    grad_result_clear(a);
    grad_result_clear(b);
    problem_clear(p);
    return m;
}

START_TEST(reference_closed_forms)
{
    static const char *const names[] = {"scalar", "linear", "decay"};
    for (int i = 0; i < 3; i++) {
        long dg = closed_digits(names[i], 256);
        if (dg < 72)
            fprintf(stderr, "%s: %ld digits against the closed form\n", names[i], dg);
        ck_assert_int_ge(dg, 72);
    }
    /* P3 at 512 bits: 100 digits required */
    ck_assert_int_ge(closed_digits("scalar", 512), 100);
}
END_TEST

START_TEST(closed_decay_residual)
{
    /* the variation-of-constants solution solves z' = k z + s sin t */
    problem_t p;
    averr_t err;
    mpfr_t t, z, zd, r;
    ck_assert_int_eq(problem_init_lookup(p, "decay", 256, err), 0);
    mpfr_inits2(256, t, z, zd, r, (mpfr_ptr)0);
    for (int i = 0; i <= 4; i++) {
        mpfr_set_d(t, 0.25 * i, MPFR_RNDN);
        ck_assert_int_eq(closed_decay_state(z, zd, t, p, err), 0);
        mpfr_sin(r, t, MPFR_RNDN);
        mpfr_fma(r, p->theta, z, r, MPFR_RNDN);   /* k z + s sin t (s = 1) */
        mpfr_sub(r, zd, r, MPFR_RNDN);
        mpfr_abs(r, r, MPFR_RNDN);
        ck_assert(mpfr_cmp_ui_2exp(r, 1, -240) < 0);
    }
    mpfr_set_ui(t, 0, MPFR_RNDN);
    ck_assert_int_eq(closed_decay_state(z, zd, t, p, err), 0);
    ck_assert(mpfr_cmp_ui(z, 1) == 0 || mpnum_digits(z, p->z0, 80) >= 75);
    mpfr_clears(t, z, zd, r, (mpfr_ptr)0);
    problem_clear(p);
}
END_TEST

START_TEST(reference_p1_512)
{
    /* 100 digits at 512 bits: route 1 at 512 against route 1 at 640 */
    problem_t p, q;
    grad_result_t a, b;
    averr_t err;
    mpfr_t est;
    ck_assert_int_eq(problem_init_lookup(p, "mlp", 512, err), 0);
    ck_assert_int_eq(problem_init_copy(q, p, 640, err), 0);
    ck_assert_int_eq(grad_result_init(a, p, err), 0);
    ck_assert_int_eq(grad_result_init(b, q, err), 0);
    mpfr_init2(est, 64);
    ref_opts o;
    ref_opts_default(&o, 512);
    ck_assert_int_eq(ref_gradient_sens(a, est, p, &o, err), 0);
    ck_assert_int_eq(grad_compute(b, q, NULL, 1, GRAD_REFERENCE, NULL, err), 0);
    long dt = mpvec_digits(a->dtheta, b->dtheta, 17, 200);
    long d0 = mpvec_digits(a->dz0, b->dz0, 2, 200);
    long dz = mpvec_digits(a->zT, b->zT, 2, 200);
    ck_assert_int_ge(dt, 100);
    ck_assert_int_ge(d0, 100);
    ck_assert_int_ge(dz, 100);
    ck_assert(mpfr_cmp_ui_2exp(est, 1, -332) < 0);   /* estimate below 1e-100 */
    mpfr_clear(est);
    grad_result_clear(a);
    grad_result_clear(b);
    problem_clear(q);
    problem_clear(p);
}
END_TEST

/* Order of METHOD against the reference on P1 at 128 bits, N = 16 -> 32 -> 64:
 * the last refinement's order. */
static double last_order(const char *scheme, grad_method m, grad_method against)
{
    static const long steps[] = {16, 32, 64};
    problem_t p;
    tableau_t tab;
    averr_t err;
    conv_result r;
    ck_assert_int_eq(problem_init_lookup(p, "mlp", 128, err), 0);
    ck_assert_int_eq(tableau_init_builtin(tab, scheme, 128, err), 0);
    ck_assert_int_eq(conv_run(&r, p, tab, m, against, steps, 3, err), 0);
    ck_assert(r.has_order[2]);
    double o = r.order[2];
    conv_clear(&r);
    tableau_clear(tab);
    problem_clear(p);
    return o;
}

START_TEST(adjoint_orders)
{
    static const char *const schemes[] = {"euler", "heun", "rk4", "rk38"};
    static const int p[] = {1, 2, 4, 4};
    for (int i = 0; i < 4; i++) {
        double ob = last_order(schemes[i], GRAD_BACKSOLVE, GRAD_REFERENCE);
        double oi = last_order(schemes[i], GRAD_INTERP, GRAD_REFERENCE);
        if (fabs(ob - p[i]) > 0.15 || fabs(oi - p[i]) > 0.15)
            fprintf(stderr, "%s: backsolve order %.3f, interp %.3f, expected %d\n",
                    schemes[i], ob, oi, p[i]);
        ck_assert(fabs(ob - p[i]) <= 0.15);
        ck_assert(fabs(oi - p[i]) <= 0.15);
    }
    /* the design contract's example: backsolve against bp with rk4 is order 4 */
    ck_assert(fabs(last_order("rk4", GRAD_BACKSOLVE, GRAD_BP) - 4) <= 0.15);
}
END_TEST

START_TEST(gauss2_backsolve_is_bp)
{
    /* symmetric and symplectic: backsolve equals bp to rounding at 64 and
     * 128 bits, while rk4's backsolve does not */
    for (mpfr_prec_t prec = 64; prec <= 128; prec *= 2) {
        problem_t p;
        tableau_t g2, r4;
        averr_t err;
        grad_result_t ref;
        ck_assert_int_eq(problem_init_lookup(p, "mlp", prec, err), 0);
        ck_assert_int_eq(tableau_init_builtin(g2, "gauss2", prec, err), 0);
        ck_assert_int_eq(tableau_init_builtin(r4, "rk4", prec, err), 0);
        ck_assert_int_eq(grad_result_init(ref, p, err), 0);
        ck_assert_int_eq(reference_gradient(ref, p, err), 0);
        mpfr_ptr d = mpblock_alloc(2 * CONV_NDIST, prec, err);
        ck_assert_int_eq(conv_adjoint_vs_bp(d, NULL, p, g2, 8, ref, err), 0);
        ck_assert_int_eq(conv_adjoint_vs_bp(d + CONV_NDIST, NULL, p, r4, 8, ref, err), 0);
        ck_assert(conv_at_rounding(d + CONV_BS_BP, ref, prec));
        ck_assert(!conv_at_rounding(d + CONV_IP_BP, ref, prec));
        ck_assert(!conv_at_rounding(d + CONV_NDIST + CONV_BS_BP, ref, prec));
        mpblock_free(d);
        grad_result_clear(ref);
        tableau_clear(r4);
        tableau_clear(g2);
        problem_clear(p);
    }
}
END_TEST

START_TEST(wrong_adjoint_refutes_e2_e3)
{
    averr_t err;
    long good, bad;
    long need = adjc_required(128);
    ck_assert_int_eq(e2_measure(&good, 128, 1, err), 0);
    ck_assert_int_eq(e2_measure(&bad, 128, -1, err), 0);
    ck_assert_int_eq(adjc_decide_agree(good, need), VERDICT_VERIFIED);
    ck_assert_int_eq(adjc_decide_agree(bad, need), VERDICT_REFUTED);
    ck_assert_int_eq(e3_measure(&good, 128, 1, err), 0);
    ck_assert_int_eq(e3_measure(&bad, 128, -1, err), 0);
    ck_assert_int_eq(adjc_decide_agree(good, need), VERDICT_VERIFIED);
    ck_assert_int_eq(adjc_decide_agree(bad, need), VERDICT_REFUTED);
}
END_TEST

START_TEST(decide_functions_flip)
{
    ck_assert_int_eq(h1_decide(80, 72), VERDICT_QUALIFIED);
    ck_assert_int_eq(h1_decide(10, 72), VERDICT_VERIFIED);
    ck_assert_int_eq(h2_decide(0, 10, 1), VERDICT_VERIFIED);
    ck_assert_int_eq(h2_decide(1, 10, 1), VERDICT_QUALIFIED);
    ck_assert_int_eq(h2_decide(10, 10, 1), VERDICT_REFUTED);
    ck_assert_int_eq(h2_decide(0, 10, 0), VERDICT_REFUTED);
    const double good[] = {0.7, 0.95, 1.02, 0.99, 1.0}, flat[] = {1.0, 1.0, 0.1, 0.0, 0.0};
    ck_assert_int_eq(t2_decide(good, 5), VERDICT_VERIFIED);
    ck_assert_int_eq(t2_decide(flat, 5), VERDICT_REFUTED);
    ck_assert_int_eq(t2_decide(good, 2), VERDICT_REFUTED);
}
END_TEST

START_TEST(converge_steps_parse)
{
    long s[CONV_MAX_STEPS];
    int n;
    averr_t err;
    ck_assert_int_eq(conv_parse_steps(s, &n, "4,8,16", err), 0);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(s[2], 16);
    ck_assert_int_eq(conv_parse_steps(s, &n, "8,4", err), AV_EINPUT);
    ck_assert_int_eq(conv_parse_steps(s, &n, "4,x", err), AV_EINPUT);
    ck_assert_int_eq(conv_parse_steps(s, &n, "4,", err), AV_EINPUT);
    ck_assert_int_eq(conv_parse_steps(s, &n, "", err), AV_EINPUT);
    ck_assert_int_eq(conv_parse_steps(s, &n, "0,4", err), AV_EINPUT);
}
END_TEST

Suite *suite_adjoint(void)
{
    Suite *s = suite_create("adjoint");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 60);
    tcase_add_test(core, reference_closed_forms);
    tcase_add_test(core, closed_decay_residual);
    tcase_add_test(core, reference_p1_512);
    tcase_add_test(core, adjoint_orders);
    tcase_add_test(core, gauss2_backsolve_is_bp);
    tcase_add_test(core, wrong_adjoint_refutes_e2_e3);
    tcase_add_test(core, decide_functions_flip);
    tcase_add_test(core, converge_steps_parse);
    suite_add_tcase(s, core);
    return s;
}
