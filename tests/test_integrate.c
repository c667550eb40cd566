/* test_integrate: the RK step and the forward solve.  Observed order of
 * every built-in scheme on P2 against its closed form; implicit stages
 * solved to the working precision; a singular stage system and a Newton
 * iteration that cannot converge reported as AV_ENUM; bad step counts; the
 * recorded trajectory identical to the unrecorded solve, bit for bit.
 */
#include <stdio.h>
#include <string.h>
#include <check.h>
#include <mpfr.h>
#include "suites.h"
#include "testutil.h"
#include "../src/numbers/mpvec.h"
#include "../src/gradients/closed.h"
#include "../src/integrate/rk.h"

#define PREC 128

static int n_builtins(void)
{
    int n = 0;
    while (tableau_builtin_names[n] != NULL)
        n++;
    return n;
}

/* A problem, a tableau and the system of the problem, built together. */
typedef struct {
    problem_t p;
    tableau_t tab;
    rk_problem_ctx pctx;
    rk_system sys;
} setup_t;

static void setup_init(setup_t *S, const char *problem, const char *scheme,
                       mpfr_prec_t prec)
{
    averr_t err;
    averr_clear(err);
    ck_assert_msg(problem_init_lookup(S->p, problem, prec, err) == 0, "%s", err->msg);
    ck_assert_msg(tableau_init_builtin(S->tab, scheme, prec, err) == 0, "%s", err->msg);
    ck_assert_int_eq(rk_problem_ctx_init(&S->pctx, S->p, err), 0);
    rk_system_of_problem(&S->sys, &S->pctx);
}

static void setup_clear(setup_t *S)
{
    rk_problem_ctx_clear(&S->pctx);
    tableau_clear(S->tab);
    problem_clear(S->p);
}

/* Global error at T on P2 for N = 64 and 128; the observed order
 * log2(e(64) / e(128)) must be within 0.1 of the stated order. */
START_TEST(observed_order_on_p2)
{
    const char *scheme = tableau_builtin_names[_i];
    setup_t S;
    averr_t err;
    averr_clear(err);
    setup_init(&S, "linear", scheme, PREC);
    mpfr_ptr v = mpblock_alloc(8, PREC, err);
    ck_assert_ptr_nonnull(v);
    mpfr_ptr exact = v, zN = v + 2, e = v + 4, t0 = v + 6, tmp = v + 7;
    grad_result_t closed;
    ck_assert_int_eq(grad_result_init(closed, S.p, err), 0);
    ck_assert_msg(closed_gradient(closed, S.p, err) == 0, "%s", err->msg);
    mpvec_set(exact, closed->zT, 2);
    grad_result_clear(closed);
    for (int k = 0; k < 2; k++) {
        long N = 64L << k;
        ck_assert_msg(rk_solve(zN, NULL, &S.sys, S.tab, t0, S.p->T, N, S.p->z0, PREC,
                               err) == 0, "%s: %s", scheme, err->msg);
        mpvec_dist_max(e + k, zN, exact, 2, tmp);
        ck_assert_msg(mpfr_sgn(e + k) > 0, "%s: zero error at N = %ld", scheme, N);
    }
    mpfr_div(tmp, e, e + 1, MPFR_RNDN);
    mpfr_log2(tmp, tmp, MPFR_RNDN);
    double order = mpfr_get_d(tmp, MPFR_RNDN);
    ck_assert_msg(order > S.tab->order - 0.1 && order < S.tab->order + 0.1,
                  "%s: observed order %.4f on P2 (N = 64 -> 128), stated %d", scheme,
                  order, S.tab->order);
    mpblock_free(v);
    setup_clear(&S);
}
END_TEST

/* One implicit step of size 1/4 on a nonlinear problem: the stage values
 * returned satisfy Y_i = y + h sum_j a_ij f(t + c_j h, Y_j) to within a few
 * units of the working precision, and ynew = y + h sum_i b_i f(Y_i). */
static const char *const implicit_names[] = {"backward-euler", "implicit-midpoint",
                                             "trapezoid", "gauss2"};
static const char *const nonlinear_names[] = {"mlp", "stiff", "lotka"};

START_TEST(implicit_stages_converge)
{
    setup_t S;
    averr_t err;
    averr_clear(err);
    setup_init(&S, nonlinear_names[_i % 3], implicit_names[_i / 3], PREC);
    size_t d = S.sys.dim, s = (size_t)S.tab->s, na = S.sys.naux;
    rk_work_t w;
    ck_assert_int_eq(rk_work_init(w, &S.sys, S.tab, PREC, err), 0);
    mpfr_ptr v = mpblock_alloc(3 * s * d + s * na + 2 * d + 6, PREC, err);
    ck_assert_ptr_nonnull(v);
    mpfr_ptr Y = v, K = Y + s * d, R = K + s * d, aux = R + s * d, ynew = aux + s * na;
    mpfr_ptr ycheck = ynew + d, t = ycheck + d, h = t + 1, ti = h + 1, coef = ti + 1;
    mpfr_ptr res = coef + 1, tol = res + 1;
    mpfr_set_ui_2exp(h, 1, -2, MPFR_RNDN);
    ck_assert_msg(rk_step(ynew, Y, aux, t, S.p->z0, h, &S.sys, S.tab, w, err) == 0,
                  "%s: %s", S.tab->name, err->msg);
    for (size_t i = 0; i < s; i++) {
        mpfr_fma(ti, S.tab->c + i, h, t, MPFR_RNDN);
        ck_assert_int_eq(S.sys.F(K + i * d, NULL, ti, Y + i * d, S.sys.ctx), 0);
    }
    mpvec_set(ycheck, S.p->z0, d);
    for (size_t i = 0; i < s; i++) {
        mpvec_set(R + i * d, S.p->z0, d);
        for (size_t j = 0; j < s; j++) {
            mpfr_mul(coef, h, S.tab->A + i * s + j, MPFR_RNDN);
            mpvec_axpy(R + i * d, coef, K + j * d, d);
        }
        mpfr_mul(coef, h, S.tab->b + i, MPFR_RNDN);
        mpvec_axpy(ycheck, coef, K + i * d, d);
    }
    mpvec_dist_max(res, R, Y, s * d, coef);
    mpvec_norm_max(tol, Y, s * d);
    mpfr_mul_2si(tol, tol, -(long)PREC + 8, MPFR_RNDN);
    ck_assert_msg(mpfr_cmp(res, tol) <= 0, "%s on %s: stage residual %.3e above %.3e",
                  S.tab->name, S.p->name, mpfr_get_d(res, MPFR_RNDN),
                  mpfr_get_d(tol, MPFR_RNDN));
    long want = mpnum_max_digits(PREC) - 3;
    long got = mpvec_digits(ynew, ycheck, d, 1000);
    ck_assert_msg(got >= want, "%s on %s: ynew from the stages to %ld digits, want %ld",
                  S.tab->name, S.p->name, got, want);
    mpblock_free(v);
    rk_work_clear(w);
    setup_clear(&S);
}
END_TEST

/* No iterations allowed: the Newton iteration cannot reach the working
 * precision and must say so, leaving YNEW untouched. */
START_TEST(newton_limit_reported)
{
    setup_t S;
    averr_t err;
    averr_clear(err);
    setup_init(&S, "mlp", "gauss2", PREC);
    rk_work_t w;
    ck_assert_int_eq(rk_work_init(w, &S.sys, S.tab, PREC, err), 0);
    w->newton_max = 0;
    mpfr_ptr v = mpblock_alloc(4, PREC, err);
    ck_assert_ptr_nonnull(v);
    mpfr_ptr ynew = v, t = v + 2, h = v + 3;
    mpfr_set_ui(ynew, 7, MPFR_RNDN);
    mpfr_set_ui_2exp(h, 1, -2, MPFR_RNDN);
    int rc = rk_step(ynew, NULL, NULL, t, S.p->z0, h, &S.sys, S.tab, w, err);
    tu_expect_fail(rc, err, AV_ENUM, "did not converge", "t = 0", "newton_max = 0");
    ck_assert(mpfr_cmp_ui(ynew, 7) == 0 && mpfr_zero_p(ynew + 1));
    mpblock_free(v);
    rk_work_clear(w);
    setup_clear(&S);
}
END_TEST

/* Lotka-Volterra with alpha = 500 and one step of h = 1: the terms of f
 * are some 500 times the stage derivatives, so the residual K - F(Y) can
 * fall no lower than the rounding of those terms.  Newton's method must
 * still accept its answer, and that answer must be the step's solution to
 * all but a few digits: the same step at doubled precision confirms it. */
START_TEST(implicit_converges_at_rounding_level)
{
    static const char text[] = "model = lotka\nalpha = 500\nbeta = 4/3\ndelta = 1\n"
                               "gamma = 1\nz0 = 1 1\nT = 1\n";
    mpfr_prec_t precs[2] = {256, 512};
    mpfr_ptr z[2];
    averr_t err;
    for (int k = 0; k < 2; k++) {
        problem_t p;
        tableau_t tab;
        rk_problem_ctx pctx;
        rk_system sys;
        ck_assert_int_eq(tu_problem_text(p, "alpha500.txt", text, precs[k], err), 0);
        ck_assert_int_eq(tableau_init_builtin(tab, implicit_names[_i], precs[k], err), 0);
        ck_assert_int_eq(rk_problem_ctx_init(&pctx, p, err), 0);
        rk_system_of_problem(&sys, &pctx);
        z[k] = mpblock_alloc(3, precs[k], err);
        ck_assert_ptr_nonnull(z[k]);
        int rc = rk_solve(z[k], NULL, &sys, tab, z[k] + 2, p->T, 1, p->z0, precs[k], err);
        ck_assert_msg(rc == 0, "%s at %ld bits: %s", implicit_names[_i], (long)precs[k],
                      err->msg);
        rk_problem_ctx_clear(&pctx);
        tableau_clear(tab);
        problem_clear(p);
    }
    long want = mpnum_max_digits(256) - 6;
    long got = mpvec_digits(z[0], z[1], 2, 1000);
    ck_assert_msg(got >= want, "%s: the step at 256 bits agrees with 512 bits to %ld "
                  "digits, want %ld", implicit_names[_i], got, want);
    mpblock_free(z[0]);
    mpblock_free(z[1]);
}
END_TEST

/* f = 2 z with backward Euler and h = 1/2: the stage matrix 1 - h * 2 is
 * exactly zero. */
START_TEST(singular_stage_system)
{
    problem_t p;
    tableau_t tab;
    rk_problem_ctx pctx;
    rk_system sys;
    averr_t err;
    ck_assert_int_eq(tu_problem_text(p, "sing.txt", "model = linear\nA = 2\nz0 = 1\nT = 1\n",
                                     PREC, err), 0);
    ck_assert_int_eq(tableau_init_builtin(tab, "backward-euler", PREC, err), 0);
    ck_assert_int_eq(rk_problem_ctx_init(&pctx, p, err), 0);
    rk_system_of_problem(&sys, &pctx);
    mpfr_ptr v = mpblock_alloc(2, PREC, err);
    ck_assert_ptr_nonnull(v);
    int rc = rk_solve(v, NULL, &sys, tab, v + 1, p->T, 2, p->z0, PREC, err);
    tu_expect_fail(rc, err, AV_ENUM, "step 1 of 2", "singular", "1 - h a J = 0");
    /* with h = 1/3 the same system is regular: 1 - 2/3 = 1/3 */
    averr_clear(err);
    ck_assert_msg(rk_solve(v, NULL, &sys, tab, v + 1, p->T, 3, p->z0, PREC, err) == 0,
                  "%s", err->msg);
    /* backward Euler on z' = 2z: z_3 = (1 - 2/3)^-3 = 27, up to the
     * rounding of h = 1/3 and of Newton's last update */
    mpfr_set_ui(v + 1, 27, MPFR_RNDN);
    long got = mpnum_digits(v, v + 1, 1000), want = mpnum_max_digits(PREC) - 3;
    ck_assert_msg(got >= want, "z_3 = 27 to %ld digits, want %ld", got, want);
    mpblock_free(v);
    rk_problem_ctx_clear(&pctx);
    tableau_clear(tab);
    problem_clear(p);
}
END_TEST

START_TEST(bad_step_counts)
{
    setup_t S;
    averr_t err;
    traj_t tr;
    setup_init(&S, "mlp", "rk4", PREC);
    mpfr_ptr v = mpblock_alloc(3, PREC, err);
    ck_assert_ptr_nonnull(v);
    static const long bad[] = {0, -3, RK_MAX_STEPS + 1};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        averr_clear(err);
        int rc = rk_solve(v, NULL, &S.sys, S.tab, v + 2, S.p->T, bad[k], S.p->z0, PREC,
                          err);
        tu_expect_fail(rc, err, AV_EINPUT, "steps must be from 1", NULL, "rk_solve");
        averr_clear(err);
        rc = traj_init(tr, bad[k], 4, 2, 3, PREC, err);
        tu_expect_fail(rc, err, AV_EINPUT, "steps must be from 1", NULL, "traj_init");
        traj_clear(tr);
    }
    mpblock_free(v);
    setup_clear(&S);
}
END_TEST

/* Recording changes nothing: the final state of a recorded solve equals
 * the unrecorded one bit for bit, y_0 = z0, y_N = yend, and the recorded
 * start and step are 0 and T/N. */
START_TEST(trajectory_matches_solve)
{
    const char *scheme = tableau_builtin_names[_i];
    setup_t S;
    averr_t err;
    traj_t tr;
    averr_clear(err);
    setup_init(&S, "mlp", scheme, PREC);
    size_t d = S.sys.dim;
    const long N = 5;
    ck_assert_int_eq(traj_init(tr, N, (size_t)S.tab->s, d, S.sys.naux, PREC, err), 0);
    mpfr_ptr v = mpblock_alloc(2 * d + 1, PREC, err);
    ck_assert_ptr_nonnull(v);
    mpfr_ptr a = v, b = v + d, t0 = v + 2 * d;
    ck_assert_int_eq(rk_solve(a, NULL, &S.sys, S.tab, t0, S.p->T, N, S.p->z0, PREC, err), 0);
    ck_assert_int_eq(rk_solve(b, tr, &S.sys, S.tab, t0, S.p->T, N, S.p->z0, PREC, err), 0);
    for (size_t i = 0; i < d; i++) {
        ck_assert_msg(mpfr_equal_p(a + i, b + i), "%s: recorded solve differs", scheme);
        ck_assert(mpfr_equal_p(tr->y + N * d + i, a + i));
        ck_assert(mpfr_equal_p(tr->y + i, S.p->z0 + i));
    }
    ck_assert(mpvec_is_finite(tr->stages, (size_t)N * tr->s * d));
    ck_assert(mpfr_zero_p(tr->t0));
    mpfr_div_si(b, S.p->T, N, MPFR_RNDN);
    ck_assert(mpfr_equal_p(b, tr->h));
    mpblock_free(v);
    traj_clear(tr);
    setup_clear(&S);
}
END_TEST

Suite *suite_integrate(void)
{
    Suite *s = suite_create("integrate");
    TCase *o = tcase_create("orders");
    tcase_add_loop_test(o, observed_order_on_p2, 0, n_builtins());
    suite_add_tcase(s, o);
    TCase *im = tcase_create("implicit");
    tcase_add_loop_test(im, implicit_stages_converge, 0, 12);
    tcase_add_test(im, newton_limit_reported);
    tcase_add_loop_test(im, implicit_converges_at_rounding_level, 0, 4);
    tcase_add_test(im, singular_stage_system);
    suite_add_tcase(s, im);
    TCase *so = tcase_create("solve");
    tcase_add_test(so, bad_step_counts);
    tcase_add_loop_test(so, trajectory_matches_solve, 0, n_builtins());
    suite_add_tcase(s, so);
    return s;
}
