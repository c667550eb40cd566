/* test_notes: the notes' Lagrangian derivation on P7 (claims N1-N8): the
 * P7 model's hand derivatives against central differences; the Taylor
 * solution against an independent rk4 route; every step of the
 * derivation; a sign error in the adjoint equation and a dropped boundary
 * term make the final gradient fail and the verdicts flip; Newton against
 * descent.  The derivation document and the command: test_notes_doc.c.
 */
#include <math.h>
#include <check.h>
#include <mpfr.h>
#include "suites.h"
#include "../src/numbers/mpvec.h"
#include "../src/integrate/ntaylor.h"
#include "../src/integrate/rk.h"
#include "../src/schemes/tableau.h"
#include "../src/gradients/lagrangian.h"
#include "../src/claims/claims_notes.h"

#define PREC 128

/* ---- the P7 model and its solution ---- */

/* Every hand derivative of P7 against a central difference at doubled
 * precision, at a point off the solution (x, x', t) = (0.7, -0.3, 1.3). */
START_TEST(model_derivatives)
{
    averr_t err;
    impl_problem_t P, P2;
    ck_assert_int_eq(impl_init_notes(P, PREC, err), 0);
    ck_assert_int_eq(impl_init_notes(P2, 2 * PREC, err), 0);
    const impl_model *m = P->model;
    mpfr_ptr v = mpblock_alloc(32, PREC, err), w = mpblock_alloc(32, 2 * PREC, err);
    mpfr_ptr out = v, hq = w + 8, ref = v + 8;
    /* point at both precisions: w[0..3] = t, x, x', x'' */
    mpfr_set_d(w, 1.3, MPFR_RNDN);
    mpfr_set_d(w + 1, 0.7, MPFR_RNDN);
    mpfr_set_d(w + 2, -0.3, MPFR_RNDN);
    mpfr_set_d(w + 3, 0.4, MPFR_RNDN);
    impl_point pt = {v + 20, v + 21, v + 22, v + 23}, q = {w, w + 1, w + 2, w + 3};
    mpvec_set(v + 20, w, 4);
    mpfr_set_ui(hq, 1, MPFR_RNDN);
    mpfr_mul_2si(hq, hq, -(long)PREC / 2 - 8, MPFR_RNDN);
    long need = mpnum_max_digits(PREC) - 4;
    /* d/dx and d/dx' of h, d/dx of f: perturb x (index 1) or x' (index 2) */
    struct { impl_fn fn, d; int idx; } cases[] = {
        {m->h, m->h_x, 1}, {m->h, m->h_xd, 2}, {m->f, m->f_x, 1}};
    for (int c = 0; c < 3; c++) {
        ck_assert_int_eq(cases[c].d(out, &pt, P, v + 24), 0);
        mpfr_add(w + cases[c].idx, w + cases[c].idx, hq, MPFR_RNDN);
        cases[c].fn(w + 10, &q, P2, w + 24);
        mpfr_mul_2ui(hq, hq, 1, MPFR_RNDN);
        mpfr_sub(w + cases[c].idx, w + cases[c].idx, hq, MPFR_RNDN);
        cases[c].fn(w + 11, &q, P2, w + 24);
        mpfr_div_2ui(hq, hq, 1, MPFR_RNDN);
        mpfr_add(w + cases[c].idx, w + cases[c].idx, hq, MPFR_RNDN);
        mpfr_sub(w + 12, w + 10, w + 11, MPFR_RNDN);
        mpfr_div(w + 12, w + 12, hq, MPFR_RNDN);
        mpfr_div_2ui(ref, w + 12, 1, MPFR_RNDN);
        ck_assert_msg(mpnum_digits(out, ref, 1000) >= need, "case %d", c);
    }
    /* d/dp_k of h and f: perturb P2's parameters */
    mpfr_ptr hp = v + 12, fp = v + 15;
    m->h_p(hp, &pt, P, v + 24);
    m->f_p(fp, &pt, P, v + 24);
    for (int k = 0; k < 3; k++)
        for (int which = 0; which < 2; which++) {
            impl_fn fn = which ? m->f : m->h;
            mpfr_add(P2->p + k, P2->p + k, hq, MPFR_RNDN);
            fn(w + 10, &q, P2, w + 24);
            mpfr_mul_2ui(hq, hq, 1, MPFR_RNDN);
            mpfr_sub(P2->p + k, P2->p + k, hq, MPFR_RNDN);
            fn(w + 11, &q, P2, w + 24);
            mpfr_div_2ui(hq, hq, 1, MPFR_RNDN);
            impl_round(P2);
            mpfr_sub(w + 12, w + 10, w + 11, MPFR_RNDN);
            mpfr_div(w + 12, w + 12, hq, MPFR_RNDN);
            mpfr_div_2ui(ref, w + 12, 1, MPFR_RNDN);
            mpfr_srcptr got = which ? fp + k : hp + k;
            if (mpfr_zero_p(got))
                ck_assert_msg(mpfr_cmpabs_ui(ref, 1) < 0 &&
                              mpnum_digits(got, ref, 1000) >= need,
                              "d/dp%d of %s", k, which ? "f" : "h");
            else
                ck_assert_msg(mpnum_digits(got, ref, 1000) >= need,
                              "d/dp%d of %s", k, which ? "f" : "h");
        }
    /* d/dt h_x'(x(t)) = h_x'x x' along any path with x' the derivative */
    m->dt_h_xd(out, &pt, P, v + 24);
    mpfr_mul(ref, pt.x, pt.xd, MPFR_RNDN);
    ck_assert(mpfr_equal_p(out, ref));
    /* g = x0 - p0 with g_x0 = 1, g_p = (-1, 0, 0) */
    m->g_p(out, &pt, P, v + 24);
    ck_assert(mpfr_cmp_si(out, -1) == 0 && mpfr_zero_p(out + 1) && mpfr_zero_p(out + 2));
    mpblock_free(v);
    mpblock_free(w);
    impl_clear(P);
    impl_clear(P2);
}
END_TEST

/* y' = (sin(p2 t) - p1 y) / (1 + y^2/2), the explicit form of h = 0, for
 * the independent rk4 route. */
static int p7_rhs(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr y,
                  void *ctx)
{
    (void)aux;
    const impl_problem_struct *P = ctx;
    mpfr_t a;
    mpfr_init2(a, mpfr_get_prec(out));
    mpfr_mul(a, P->p + 2, t, MPFR_RNDN);
    mpfr_sin(a, a, MPFR_RNDN);
    mpfr_mul(out, P->p + 1, y, MPFR_RNDN);
    mpfr_sub(out, a, out, MPFR_RNDN);
    mpfr_sqr(a, y, MPFR_RNDN);
    mpfr_div_2ui(a, a, 1, MPFR_RNDN);
    mpfr_add_ui(a, a, 1, MPFR_RNDN);
    mpfr_div(out, out, a, MPFR_RNDN);
    mpfr_clear(a);
    return 0;
}

/* x(T) by the Taylor integrator against rk4 with 400 and 800 steps and
 * Richardson extrapolation (error O(h^6)): agreement to 1e-14, and the
 * extrapolation error falls as predicted between the two pairs. */
START_TEST(taylor_against_rk4)
{
    averr_t err;
    impl_problem_t P;
    impl_traj_t tr;
    tableau_t tab;
    ck_assert_int_eq(impl_init_notes(P, PREC, err), 0);
    ck_assert_int_eq(impl_traj_init(tr, 1, 1, 3, PREC, err), 0);
    mpfr_set(tr->t, P->T, MPFR_RNDN);
    ck_assert_int_eq(ntaylor_solve(tr, NULL, NULL, P, NULL, err), 0);
    ck_assert_int_eq(tableau_init_builtin(tab, "rk4", PREC, err), 0);
    rk_system sys = {1, 0, p7_rhs, NULL, (void *)P};
    mpfr_ptr v = mpblock_alloc(4, PREC, err);
    mpfr_set_zero(v + 3, 1);
    long N[2] = {400, 800};
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(rk_solve(v + i, NULL, &sys, tab, v + 3, P->T, N[i],
                                  P->p, PREC, err), 0);
    /* Richardson: (16 y_800 - y_400) / 15 */
    mpfr_mul_ui(v + 2, v + 1, 16, MPFR_RNDN);
    mpfr_sub(v + 2, v + 2, v, MPFR_RNDN);
    mpfr_div_ui(v + 2, v + 2, 15, MPFR_RNDN);
    long d400 = mpnum_digits(v, tr->x, 1000), dr = mpnum_digits(v + 2, tr->x, 1000);
    ck_assert_msg(dr >= 14 && dr > d400 + 3, "rk4 %ld digits, Richardson %ld", d400, dr);
    mpblock_free(v);
    tableau_clear(tab);
    impl_traj_clear(tr);
    impl_clear(P);
}
END_TEST

/* Samples out of order or beyond T, and a foreign precision, are refused. */
START_TEST(taylor_errors)
{
    averr_t err;
    impl_problem_t P;
    impl_traj_t tr;
    ck_assert_int_eq(impl_init_notes(P, PREC, err), 0);
    ck_assert_int_eq(impl_traj_init(tr, 2, 1, 3, PREC, err), 0);
    mpfr_set_ui(tr->t, 1, MPFR_RNDN);
    mpfr_set_zero(tr->t + 1, 1);
    ck_assert_int_eq(ntaylor_solve(tr, NULL, NULL, P, NULL, err), AV_EINPUT);
    mpfr_set_ui(tr->t + 1, 3, MPFR_RNDN);
    ck_assert_int_eq(ntaylor_solve(tr, NULL, NULL, P, NULL, err), AV_EINPUT);
    impl_traj_clear(tr);
    ck_assert_int_eq(impl_traj_init(tr, 2, 1, 3, 2 * PREC, err), 0);
    ck_assert_int_eq(ntaylor_solve(tr, NULL, NULL, P, NULL, err), AV_EINPUT);
    impl_traj_clear(tr);
    impl_clear(P);
    ck_assert_int_eq(impl_init_notes(P, 4, err), AV_EINPUT);
    impl_clear(P);
}
END_TEST

/* ---- the steps of the derivation ---- */

/* Every step holds at 128 bits: its sides agree to notes_need_digits and
 * its counter-examples do not; each step reports its own number and
 * check.  Independently of the steps, u = lambda(0) h_x'(0) from the
 * adjoint equals -dF/dp0 from central differences (g_p = (-1, 0, 0)). */
START_TEST(steps_hold)
{
    averr_t err;
    lag_state_t s;
    lag_step_t st;
    int n;
    long need = notes_need_digits(PREC), cap = mpnum_max_digits(PREC);
    ck_assert_int_eq(notes_state_init(s, PREC, LAG_EXACT, 1, err), 0);
    ck_assert_int_eq(lag_step_init(st, PREC, err), 0);
    const lag_step_entry *e = lag_steps(&n);
    ck_assert_int_eq(n, 14);
    for (int i = 0; i < n; i++) {
        ck_assert_msg(e[i].fn(st, s, err) == 0, "step %d: %s", e[i].step, err->msg);
        ck_assert_int_eq(st->step, e[i].step);
        ck_assert_str_eq(st->func, e[i].func);
        ck_assert_int_gt(st->nrows, 0);
        long d = lag_step_digits(st, cap), c = lag_step_contrast_digits(st, cap);
        ck_assert_msg(d >= need && c < need, "step %d: %ld digits, contrast %ld",
                      st->step, d, c);
        ck_assert_int_eq(notes_decide_steps(d, c, need), VERDICT_VERIFIED);
        /* counter-evidence: one digit short, or a counter-example agreeing */
        ck_assert_int_eq(notes_decide_steps(need - 1, c, need), VERDICT_REFUTED);
        ck_assert_int_eq(notes_decide_steps(d, need, need), VERDICT_REFUTED);
    }
    ck_assert_int_eq(notes_failing_steps(s, 1, 14, err), 0);
    mpfr_ptr v = mpblock_alloc(1, PREC, err);
    mpfr_neg(v, s->u, MPFR_RNDN);
    ck_assert_int_ge(mpnum_digits(v, s->grad_fd, 1000), need);
    mpblock_free(v);
    lag_step_clear(st);
    lag_state_clear(s);
}
END_TEST

/* A sign error in the adjoint equation, or the t = 0 boundary term
 * dropped (u = 0), makes the final gradient disagree with forward
 * sensitivities and central differences, and N7's verdict flips. */
START_TEST(mistakes_flip_n7)
{
    static const lag_variant vs[3] = {LAG_EXACT, LAG_SIGN_ERROR,
                                      LAG_DROP_BOUNDARY};
    static lag_check_fn const fns[3] = {lag_check_adjoint_ode,
                                        lag_check_grad_sens, lag_check_grad_fd};
    averr_t err;
    long need = notes_need_digits(PREC), cap = mpnum_max_digits(PREC);
    for (int i = 0; i < 3; i++) {
        lag_state_t s;
        lag_step_t st;
        long d[3];
        ck_assert_int_eq(notes_state_init(s, PREC, vs[i], 1, err), 0);
        ck_assert_int_eq(lag_step_init(st, PREC, err), 0);
        for (int k = 0; k < 3; k++) {
            ck_assert_int_eq(fns[k](st, s, err), 0);
            d[k] = lag_step_digits(st, cap);
        }
        verdict_t v = n7_decide(d[1], d[2], d[0], need, need);
        if (i == 0)
            ck_assert_int_eq(v, VERDICT_VERIFIED);
        else
            ck_assert_msg(v == VERDICT_REFUTED && d[1] < 3 && d[2] < 3,
                          "variant %d: %ld, %ld digits", i, d[1], d[2]);
        /* the sign error breaks the adjoint equation itself, the dropped
         * term only the multiplier */
        ck_assert_int_eq(d[0] >= need, i != 1);
        long bits = notes_failing_steps(s, 1, 14, err);
        ck_assert_int_eq(bits != 0, i != 0);
        if (i == 2)
            ck_assert(bits & (1L << 12));
        lag_step_clear(st);
        lag_state_clear(s);
    }
}
END_TEST

/* The reduction (h = x' - f on P1) at 64 bits: the general adjoint is the
 * essay's gradient, a = -lambda, backprop through rk4 converges to it with
 * order 4, and the general solver reproduces the Taylor adjoint on P7; a
 * reduction missing its digits refutes N7. */
START_TEST(reduction_to_essay)
{
    averr_t err;
    notes_reduction ev;
    table_t t[2];
    int n = 0;
    long need = notes_need_digits(64);
    ck_assert_msg(notes_reduction_tables(t, &n, &ev, NULL, 64, 10, err) == 0, "%s",
                  err->msg);
    ck_assert_int_eq(n, 2);
    ck_assert_msg(ev.essay >= need && ev.sens >= need && ev.lam >= need &&
                  ev.p7 >= need, "%ld %ld %ld %ld", ev.essay, ev.sens, ev.lam,
                  ev.p7);
    ck_assert_msg(fabs(ev.order - 4) < 0.3, "bp order %.3f", ev.order);
    ck_assert_int_eq((int)t[0]->nrows, 19);
    ck_assert_int_eq(n7_decide(need, need, need, ev.essay, need), VERDICT_VERIFIED);
    ck_assert_int_eq(n7_decide(need, need, need, ev.bp_digits, need), VERDICT_REFUTED);
    table_clear(t[0]);
    table_clear(t[1]);
}
END_TEST

/* N3's sweep helper: Loss - F without cancellation is at rounding level on
 * the solution and scales with the precision. */
START_TEST(loss_minus_f_scales)
{
    averr_t err;
    mpfr_ptr v = mpblock_alloc(2, 2 * PREC, err);
    for (int i = 0; i < 2; i++) {
        lag_state_t s;
        mpfr_prec_t p = i ? 2 * PREC : PREC;
        ck_assert_int_eq(notes_state_init(s, p, LAG_EXACT, 0, err), 0);
        ck_assert_int_eq(lag_constraint_terms(v + i, s, LAG_LAMBDA_TRIG,
                                              s->u, err), 0);
        lag_state_clear(s);
    }
    /* at least 100 of the 128 extra bits show up */
    mpfr_div(v, v + 1, v, MPFR_RNDN);
    ck_assert_msg(mpfr_zero_p(v) || mpfr_get_exp(v) < -100, "ratio %.3e",
                  mpfr_get_d(v, MPFR_RNDN));
    mpblock_free(v);
}
END_TEST

/* ---- N8: Newton against gradient descent ---- */

/* Jacobi eigenvalues of tridiag(1, 2, 1): 2 - sqrt 2, 2, 2 + sqrt 2. */
START_TEST(jacobi_eigenvalues)
{
    averr_t err;
    mpfr_ptr v = mpblock_alloc(13, PREC, err);
    static const int a[9] = {2, 1, 0, 1, 2, 1, 0, 1, 2};
    for (int i = 0; i < 9; i++)
        mpfr_set_si(v + i, a[i], MPFR_RNDN);
    ck_assert_int_eq(lag_sym_eigenvalues(v + 9, v, 3, err), 0);
    mpfr_sqrt_ui(v + 12, 2, MPFR_RNDN);
    mpfr_ui_sub(v, 2, v + 12, MPFR_RNDN);
    mpfr_set_ui(v + 1, 2, MPFR_RNDN);
    mpfr_add_ui(v + 2, v + 12, 2, MPFR_RNDN);
    ck_assert_int_ge(mpvec_digits(v + 9, v, 3, 1000), mpnum_max_digits(PREC) - 2);
    mpblock_free(v);
}
END_TEST

/* At 64 bits: Newton from the notes' p converges quadratically to a saddle,
 * descent decreases F only linearly, Newton from descent iterate 16
 * reaches a minimum: QUALIFIED, and the decision flips on other outcomes.
 * The Hessian is symmetric to the working precision. */
START_TEST(newton_vs_descent)
{
    averr_t err;
    notes_newton nn;
    ck_assert_msg(notes_newton_run(&nn, 64, err) == 0, "%s", err->msg);
    const lag_iter_struct *n = nn.newton, *g = nn.descent, *h = nn.hybrid;
    ck_assert(n->converged && h->converged && !g->converged);
    ck_assert_int_eq(nn.newton_neg, 1);
    ck_assert_int_eq(nn.hybrid_neg, 0);
    ck_assert(mpfr_less_p(h->F + h->iters, n->F + n->iters));
    ck_assert(mpfr_less_p(g->F + g->iters, g->F));
    ck_assert(mpfr_sgn(nn.F_far) < 0);
    /* quadratic: from below 1e-3, some step has order log b / log a >= 1.8 */
    double order = 0;
    for (int k = 0; k < n->iters; k++) {
        double a = mpfr_get_d(n->gnorm + k, MPFR_RNDN);
        double b = mpfr_get_d(n->gnorm + k + 1, MPFR_RNDN);
        if (a < 1e-3 && log(b) / log(a) > order)
            order = log(b) / log(a);
    }
    ck_assert_msg(order >= 1.8, "Newton's best order %.3f", order);
    /* linear: descent's last 32 steps gain less than 3 digits */
    ck_assert(mpfr_get_d(g->gnorm + 64, MPFR_RNDN) >
              1e-3 * mpfr_get_d(g->gnorm + 32, MPFR_RNDN));
    ck_assert_int_eq(n8_decide(n->converged, nn.newton_neg, h->converged,
                               nn.hybrid_neg), VERDICT_QUALIFIED);
    ck_assert_int_eq(n8_decide(n->converged, 0, h->converged, 0), VERDICT_VERIFIED);
    ck_assert_int_eq(n8_decide(0, 0, 0, 0), VERDICT_REFUTED);
    ck_assert_int_eq(n8_decide(n->converged, 1, h->converged, 1), VERDICT_REFUTED);
    table_t t[2];
    notes_newton_tables(t, &nn, 10);
    ck_assert_int_ge((int)t[0]->nrows, n->iters + 1);
    ck_assert_int_eq((int)t[1]->nrows, 3);
    table_clear(t[0]);
    table_clear(t[1]);
    notes_newton_clear(&nn);
    impl_problem_t P;
    mpfr_ptr H = mpblock_alloc(10, PREC, err);
    ck_assert_int_eq(impl_init_notes(P, PREC, err), 0);
    ck_assert_int_eq(lag_hessian(H, H + 9, P, err), 0);
    ck_assert(mpfr_get_exp(H + 9) < -(long)PREC + 24);
    impl_clear(P);
    mpblock_free(H);
}
END_TEST

Suite *suite_notes(void)
{
    Suite *s = suite_create("notes");
    TCase *model = tcase_create("model");
    tcase_add_test(model, model_derivatives);
    tcase_add_test(model, taylor_against_rk4);
    tcase_add_test(model, taylor_errors);
    suite_add_tcase(s, model);
    TCase *steps = tcase_create("steps");
    tcase_set_timeout(steps, 30);
    tcase_add_test(steps, steps_hold);
    tcase_add_test(steps, mistakes_flip_n7);
    tcase_add_test(steps, loss_minus_f_scales);
    tcase_add_test(steps, reduction_to_essay);
    suite_add_tcase(s, steps);
    TCase *newton = tcase_create("newton");
    tcase_set_timeout(newton, 30);
    tcase_add_test(newton, jacobi_eigenvalues);
    tcase_add_test(newton, newton_vs_descent);
    suite_add_tcase(s, newton);
    return s;
}
