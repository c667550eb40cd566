/* test_gradflow: the gradient flow of L = c theta^k and the section 2.3
 * sensitivity (src/problems/gradflow.h, src/gradients/sens.h), the decide
 * functions of E4-E7 with counter-evidence, and the derivations' named
 * checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include "suites.h"
#include "testutil.h"
#include "../src/numbers/mpvec.h"
#include "../src/numbers/qnum.h"
#include "../src/problems/gradflow.h"
#include "../src/gradients/sens.h"
#include "../src/claims/claims_essay_flow.h"

/* Builds the flow of L = C theta^K, rate ETA, from THETA0 (texts). */
static void flow_init(gflow_t g, const char *c, int k, const char *eta,
                      const char *theta0, mpfr_prec_t prec)
{
    mpq_t qc, qe, qt;
    averr_t err;
    mpq_inits(qc, qe, qt, NULL);
    ck_assert_int_eq(qnum_parse_str(qc, c, err), 0);
    ck_assert_int_eq(qnum_parse_str(qe, eta, err), 0);
    ck_assert_int_eq(qnum_parse_str(qt, theta0, err), 0);
    ck_assert_int_eq(gflow_init(g, qc, k, qe, qt, prec, err), 0);
    mpq_clears(qc, qe, qt, NULL);
}

static void times_init(mpfr_ptr ts)
{
    averr_t err;
    ck_assert_int_eq(essay_flow_p4_times(ts, err), 0);
}

/* The residual of the derived closed form vanishes to working precision at
 * 64, 256 and 1024 bits; the essay's is half the right side at every t. */
START_TEST(test_residual_sweep)
{
    static const mpfr_prec_t precs[] = {64, 256, 1024};
    for (int ip = 0; ip < 3; ip++) {
        mpfr_prec_t p = precs[ip];
        gflow_t g;
        gflow_form_t fd, fe;
        averr_t err;
        ck_assert_int_eq(gflow_init_p4(g, p, err), 0);
        gflow_form_init(fd);
        gflow_form_init(fe);
        gflow_form_derived(fd, g);
        gflow_form_essay(fe, g);
        mpfr_ptr v = mpblock_alloc(ESSAY_FLOW_P4_NTIMES + 3, p, err);
        mpfr_ptr ts = v, res = v + ESSAY_FLOW_P4_NTIMES, rel = res + 1,
                 bound = res + 2;
        times_init(ts);
        /* a few roundings of theta, theta', theta^3 */
        mpfr_set_ui_2exp(bound, 1, -(mpfr_exp_t)p + 4, MPFR_RNDN);
        for (int i = 0; i < ESSAY_FLOW_P4_NTIMES; i++) {
            ck_assert_int_eq(gflow_residual(res, rel, fd, g, ts + i, err), 0);
            if (mpfr_greater_p(rel, bound))
                ck_abort_msg("prec %ld t[%d]: derived residual %g", (long)p,
                             i, mpfr_get_d(rel, MPFR_RNDN));
            ck_assert_int_eq(gflow_residual(res, rel, fe, g, ts + i, err), 0);
            ck_assert(mpfr_cmp_d(rel, 0.4) > 0 && mpfr_cmp_d(rel, 0.6) < 0);
        }
        mpblock_free(v);
        gflow_form_clear(fd);
        gflow_form_clear(fe);
        gflow_clear(g);
    }
}
END_TEST

/* Derived forms against the Taylor solution for other losses and signs. */
START_TEST(test_derived_vs_taylor)
{
    static const struct { const char *c; int k; const char *eta, *th0; } cases[] = {
        {"3/2", 2, "1/10", "1/3"}, {"1", 3, "1/10", "-1/10"}, {"1", 3, "1/5", "2"},
        {"1/2", 4, "1/10", "-2"}, {"2/7", 5, "1/3", "3/2"}, {"1", 6, "1/4", "-1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gflow_t g;
        gflow_form_t fd;
        averr_t err;
        flow_init(g, cases[i].c, cases[i].k, cases[i].eta, cases[i].th0, 128);
        gflow_form_init(fd);
        gflow_form_derived(fd, g);
        mpfr_ptr v = mpblock_alloc(2 * ESSAY_FLOW_P4_NTIMES, 128, err);
        mpfr_ptr ts = v, refs = v + ESSAY_FLOW_P4_NTIMES;
        times_init(ts);
        long dref, dres;
        ck_assert_int_eq(gflow_reference(refs, NULL, g, ts,
                                         ESSAY_FLOW_P4_NTIMES, err), 0);
        ck_assert_int_eq(gflow_form_compare(&dref, &dres, fd, g, ts, refs,
                                            ESSAY_FLOW_P4_NTIMES, err), 0);
        if (dref < mpnum_max_digits(128) - 3 || dres < mpnum_max_digits(128) - 3)
            ck_abort_msg("case %zu (k = %d): %ld digits vs Taylor, residual %ld",
                         i, cases[i].k, dref, dres);
        ck_assert_int_ge(gflow_check_invariant(g, ts + 4, err),
                         mpnum_max_digits(128) - 3);
        mpblock_free(v);
        gflow_form_clear(fd);
        gflow_clear(g);
    }
}
END_TEST

START_TEST(test_grad_and_solved_coeff)
{
    gflow_t g;
    gflow_form_t fe;
    averr_t err;
    ck_assert_int_eq(gflow_init_p4(g, 256, err), 0);
    ck_assert_int_ge(gflow_check_grad(g, g->theta0m, err),
                     mpnum_max_digits(256) - 2);
    /* the step scales with |theta|; at 0 the gradient is exactly 0 */
    mpfr_t big;
    mpfr_init2(big, 256);
    mpfr_set_ui_2exp(big, 3, 40, MPFR_RNDN);
    ck_assert_int_ge(gflow_check_grad(g, big, err), mpnum_max_digits(256) - 2);
    mpfr_set_zero(big, 1);
    ck_assert_int_ge(gflow_check_grad(g, big, err), mpnum_max_digits(256) - 2);
    mpfr_clear(big);
    gflow_form_init(fe);
    gflow_form_essay(fe, g);
    mpfr_t a, three_eta, t;
    mpfr_inits2(256, a, three_eta, t, NULL);
    /* the essay's formula solves theta' = -3 eta theta^3 */
    mpfr_set_q(three_eta, g->eta, MPFR_RNDN);
    mpfr_mul_ui(three_eta, three_eta, 3, MPFR_RNDN);
    mpfr_set_ui(t, 7, MPFR_RNDN);
    ck_assert_int_eq(gflow_solved_coeff(a, fe, g, t, err), 0);
    ck_assert_int_ge(mpnum_digits(a, three_eta, 1000), mpnum_max_digits(256) - 2);
    mpfr_clears(a, three_eta, t, NULL);
    gflow_form_clear(fe);
    gflow_clear(g);
}
END_TEST

/* E6: the essay's coefficient, a coefficient wrong by 1e-30 relative, and
 * the correct one through the same measure and decide. */
START_TEST(test_e6_flips)
{
    gflow_t g;
    gflow_form_t f;
    averr_t err;
    ck_assert_int_eq(gflow_init_p4(g, 128, err), 0);
    gflow_form_init(f);
    mpfr_ptr ts = mpblock_alloc(ESSAY_FLOW_P4_NTIMES, 128, err);
    times_init(ts);
    e6_evidence e;
    gflow_form_essay(f, g);
    ck_assert_int_eq(e6_measure(&e, f, g, ts, ESSAY_FLOW_P4_NTIMES, err), 0);
    ck_assert_int_eq(e6_decide(&e), VERDICT_REFUTED);
    ck_assert_int_ge(e.derived_ref, e.required);
    gflow_form_derived(f, g);
    ck_assert_int_eq(e6_measure(&e, f, g, ts, ESSAY_FLOW_P4_NTIMES, err), 0);
    ck_assert_int_eq(e6_decide(&e), VERDICT_VERIFIED);
    /* beta = 4 eta (1 + 10^-30) */
    mpq_t q;
    mpq_init(q);
    ck_assert_int_eq(qnum_parse_str(q, "1.000000000000000000000000000001", err), 0);
    mpq_mul(q, q, f->beta);
    gflow_form_set(f, 2, q);
    ck_assert_int_eq(e6_measure(&e, f, g, ts, ESSAY_FLOW_P4_NTIMES, err), 0);
    ck_assert_int_eq(e6_decide(&e), VERDICT_REFUTED);
    /* a right solution of a wrongly stated flow is still refuted */
    gflow_form_derived(f, g);
    ck_assert_int_eq(e6_measure(&e, f, g, ts, ESSAY_FLOW_P4_NTIMES, err), 0);
    e.flow_matches = 0;
    ck_assert_int_eq(e6_decide(&e), VERDICT_REFUTED);
    mpq_clear(q);
    mpblock_free(ts);
    gflow_form_clear(f);
    gflow_clear(g);
}
END_TEST

/* E4: the decide reports VERIFIED when handed the correct integral, REFUTED
 * for the essay's, ERROR when the routes to the integral disagree. */
START_TEST(test_e4_flips)
{
    mpfr_t th, T;
    averr_t err;
    mpfr_inits2(128, th, T, NULL);
    mpfr_set_ui_2exp(th, 1, -1, MPFR_RNDN);
    mpfr_set_ui(T, 1, MPFR_RNDN);
    long req = essay_flow_required_digits(128);
    sens_scalar_cmp c;
    ck_assert_int_eq(sens_scalar_compare(&c, NULL, SENS_TRANSITION, th, T, 128,
                                         err), 0);
    ck_assert_int_eq(e4_decide(c.rhs_vs_lhs, c.rhs_routes, req), VERDICT_VERIFIED);
    ck_assert_int_ge(c.lhs_routes, req);
    ck_assert_int_ge(c.resid_digits, req);
    ck_assert_int_eq(sens_scalar_compare(&c, NULL, SENS_ESSAY, th, T, 128, err), 0);
    ck_assert_int_eq(e4_decide(c.rhs_vs_lhs, c.rhs_routes, req), VERDICT_REFUTED);
    ck_assert_int_eq(e4_decide(req, req - 1, req), VERDICT_ERROR);
    /* at theta T = 1/2 the essay's integral is exactly 1 */
    mpfr_t r, one;
    mpfr_inits2(128, r, one, NULL);
    mpfr_set_ui(one, 1, MPFR_RNDN);
    ck_assert_int_eq(sens_scalar_rhs_quad(r, SENS_ESSAY, th, T, 40, err), 0);
    ck_assert_int_ge(mpnum_digits(r, one, 1000), req);
    mpfr_clears(th, T, r, one, NULL);
}
END_TEST

/* The sensitivity equation on P1 and P3 against central differences of the
 * same discrete map, and the chain rule. */
START_TEST(test_sens_vs_fd)
{
    static const char *const names[] = {"mlp", "scalar"};
    tableau_t tab;
    averr_t err;
    ck_assert_int_eq(tableau_init_builtin(tab, "rk4", 128, err), 0);
    for (int i = 0; i < 2; i++) {
        problem_t p;
        ck_assert_int_eq(problem_init_lookup(p, names[i], 128, err), 0);
        size_t n = (size_t)(p->d * p->ntheta);
        mpfr_ptr v = mpblock_alloc(2 * n + (size_t)p->d, 128, err);
        ck_assert_int_eq(sens_solve(v + 2 * n, v, p, tab, 4, err), 0);
        ck_assert_int_eq(sens_fd(v + n, p, tab, 4, err), 0);
        ck_assert_int_ge(mpvec_digits(v, v + n, n, 1000),
                         essay_flow_required_digits(128));
        ck_assert_int_ge(sens_check_chain(p, tab, 4, err),
                         essay_flow_required_digits(128));
        mpblock_free(v);
        problem_clear(p);
    }
    tableau_clear(tab);
}
END_TEST

/* E5: gradient descent converges to the flow with order 1. */
START_TEST(test_gd_order)
{
    static const long ns[] = {40, 80, 160, 320};
    gflow_t g;
    averr_t err;
    ck_assert_int_eq(gflow_init_p4(g, 128, err), 0);
    mpfr_ptr v = mpblock_alloc(8, 128, err);
    mpq_t tend;
    mpq_init(tend);
    mpq_set_ui(tend, 2, 1);
    ck_assert_int_eq(gflow_gd_study(NULL, v, v + 4, NULL, g, tend, ns, 4, err), 0);
    for (int j = 1; j < 4; j++) {
        double o = mpfr_get_d(v + 4 + j, MPFR_RNDN);
        if (!(o > 0.9 && o < 1.1))
            ck_abort_msg("order %d: %g", j, o);
    }
    ck_assert_int_eq(e5_decide(mpfr_get_d(v + 7, MPFR_RNDN), 1, 1),
                     VERDICT_QUALIFIED);
    ck_assert_int_eq(e5_decide(1.0, 1, 0), VERDICT_VERIFIED);
    ck_assert_int_eq(e5_decide(2.0, 1, 1), VERDICT_REFUTED);
    ck_assert_int_eq(e5_decide(1.0, 0, 1), VERDICT_REFUTED);
    mpq_clear(tend);
    mpblock_free(v);
    gflow_clear(g);
}
END_TEST

/* The exact threshold 1/theta0^2 = 1/4 for P4 and the orbit on each side. */
START_TEST(test_gd_threshold)
{
    static const struct { const char *r; gflow_gd_kind kind; } cases[] = {
        {"1/4", GFLOW_GD_MONOTONE},  {"63/64", GFLOW_GD_OSCILLATING},
        {"1", GFLOW_GD_CYCLE},       {"65/64", GFLOW_GD_DIVERGING},
    };
    gflow_t g;
    averr_t err;
    mpq_t as, q, alpha;
    mpq_inits(as, q, alpha, NULL);
    ck_assert_int_eq(gflow_init_p4(g, 128, err), 0);
    ck_assert_int_eq(gflow_gd_threshold(as, g), 1);
    mpq_mul(q, g->theta0, g->theta0);
    mpq_inv(q, q);
    ck_assert(mpq_equal(as, q));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gflow_gd_orbit o;
        ck_assert_int_eq(qnum_parse_str(q, cases[i].r, err), 0);
        mpq_mul(alpha, q, as);
        ck_assert_int_eq(gflow_gd_orbit_run(&o, NULL, NULL, 0, g, alpha, 400,
                                            err), 0);
        if (o.kind != cases[i].kind)
            ck_abort_msg("alpha/alpha* = %s: %s", cases[i].r,
                         gflow_gd_kind_name(o.kind));
    }
    mpq_clears(as, q, alpha, NULL);
    gflow_clear(g);
}
END_TEST

/* E7: theta falls only from theta(0) > 0; |theta| and L fall always. */
START_TEST(test_e7_monotone)
{
    gflow_t gp, gn;
    averr_t err;
    flow_init(gp, "1/2", 4, "1/10", "2", 128);
    flow_init(gn, "1/2", 4, "1/10", "-2", 128);
    e7_evidence ep, en;
    ck_assert_int_eq(e7_measure(&ep, gp, err), 0);
    ck_assert_int_eq(e7_measure(&en, gn, err), 0);
    ck_assert(ep.mono.theta_falls && !ep.mono.theta_rises);
    ck_assert(!en.mono.theta_falls && en.mono.theta_rises);
    ck_assert(ep.mono.abs_falls && en.mono.abs_falls);
    ck_assert(ep.mono.loss_falls && en.mono.loss_falls);
    ck_assert(ep.loss_exponent < -1.9 && ep.loss_exponent > -2.1);
    ck_assert_int_eq(e7_decide(&ep.mono, &en.mono, 1), VERDICT_QUALIFIED);
    ck_assert_int_eq(e7_decide(&ep.mono, &ep.mono, 1), VERDICT_VERIFIED);
    ck_assert_int_eq(e7_decide(&ep.mono, &en.mono, 0), VERDICT_REFUTED);
    gflow_monotone bad = en.mono;
    bad.loss_falls = 0;
    ck_assert_int_eq(e7_decide(&ep.mono, &bad, 1), VERDICT_REFUTED);
    gflow_clear(gp);
    gflow_clear(gn);
}
END_TEST

START_TEST(test_errors)
{
    mpq_t one, zero;
    averr_t err;
    gflow_t g;
    mpq_inits(one, zero, NULL);
    mpq_set_ui(one, 1, 1);
    ck_assert_int_eq(gflow_init(g, one, 1, one, one, 64, err), AV_EINPUT);
    ck_assert_int_eq(gflow_init(g, zero, 4, one, one, 64, err), AV_EINPUT);
    ck_assert_int_eq(gflow_init(g, one, 4, zero, one, 64, err), AV_EINPUT);
    ck_assert_int_eq(gflow_init(g, one, 4, one, one, 8, err), AV_EINPUT);
    /* k = 3 from theta0 = -1 escapes at t* = 1/(a) = 10/3 (eta = 1/10) */
    flow_init(g, "1", 3, "1/10", "-1", 64);
    mpq_t ts;
    mpq_init(ts);
    ck_assert_int_eq(gflow_blowup_time(ts, g), 1);
    mpfr_t t, x;
    mpfr_inits2(64, t, x, NULL);
    mpfr_set_ui(t, 4, MPFR_RNDN);
    ck_assert_int_eq(gflow_reference(x, NULL, g, t, 1, err), AV_EINPUT);
    ck_assert_ptr_nonnull(strstr(err->msg, "blow-up"));
    gflow_form_t f;
    gflow_form_init(f);
    gflow_form_derived(f, g);
    ck_assert_int_eq(gflow_form_eval(x, NULL, f, g, t, err), AV_EINPUT);
    mpfr_set_si(t, -1, MPFR_RNDN);
    ck_assert_int_eq(gflow_form_eval(x, NULL, f, g, t, err), AV_EINPUT);
    ck_assert_int_eq(gflow_gd(x, g, zero, 3, err), AV_EINPUT);
    gflow_clear(g);
    /* theta0 = 0 is the equilibrium */
    flow_init(g, "1/2", 4, "1/10", "0", 64);
    mpfr_set_ui(t, 3, MPFR_RNDN);
    ck_assert_int_eq(gflow_reference(x, NULL, g, t, 1, err), 0);
    ck_assert(mpfr_zero_p(x));
    ck_assert_int_eq(gflow_solved_coeff(x, f, g, t, err), AV_EINPUT);
    gflow_form_clear(f);
    gflow_clear(g);
    mpfr_clears(t, x, NULL);
    mpq_clears(one, zero, ts, NULL);
}
END_TEST

/* ---- derivations: every step names checks that exist ---- */

typedef void (*any_fn)(void);
#define FN(f) {#f, (any_fn)f}
static const struct { const char *name; any_fn fn; } known_checks[] = {
    FN(gflow_grad), FN(gflow_check_grad), FN(gflow_taylor),
    FN(gflow_reference), FN(gflow_check_invariant), FN(gflow_form_derived),
    FN(gflow_form_essay), FN(gflow_form_eval), FN(gflow_residual),
    FN(gflow_form_compare), FN(gflow_solved_coeff), FN(gflow_blowup_time),
    FN(gflow_monotonicity), FN(gflow_gd), FN(gflow_gd_study),
    FN(gflow_gd_threshold), FN(gflow_gd_orbit_run), FN(e4_decide),
    FN(e5_decide), FN(e6_measure), FN(e6_decide), FN(e7_measure),
    FN(e7_decide), FN(sens_solve), FN(sens_fd), FN(sens_check_chain),
    FN(sens_scalar_lhs), FN(sens_scalar_lhs_fd), FN(sens_scalar_rhs),
    FN(sens_scalar_rhs_quad), FN(sens_scalar_residual),
    FN(sens_scalar_compare), FN(essay_flow_table_sens),
};

static int known_check(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof known_checks / sizeof known_checks[0]; i++)
        if (strlen(known_checks[i].name) == len &&
            strncmp(known_checks[i].name, name, len) == 0 &&
            known_checks[i].fn != NULL)
            return 1;
    return 0;
}

/* Checks one step (the text from S to E): it has "Check:" followed by
 * backquoted names, each a known function.  Returns 0 or writes WHY. */
static int step_ok(const char *s, const char *e, char *why, size_t n)
{
    const char *c = strstr(s, "Check:");
    if (c == NULL || c >= e)
        return snprintf(why, n, "a step names no check: %.40s", s), -1;
    int names = 0;
    for (const char *p = strchr(c, '`'); p != NULL && p < e;
         p = strchr(p, '`')) {
        const char *q = strchr(p + 1, '`');
        if (q == NULL || q > e)
            return snprintf(why, n, "unclosed ` in: %.40s", s), -1;
        if (!known_check(p + 1, (size_t)(q - p - 1)))
            return snprintf(why, n, "no such check: %.*s", (int)(q - p - 1),
                            p + 1), -1;
        names++;
        p = q + 1;
    }
    return names > 0 ? 0 : (snprintf(why, n, "empty Check: %.40s", s), -1);
}

/* Numbered steps ("N. " at the start of a line, up to a blank line or the
 * next step); returns their count, or -1 with WHY set. */
static int derivation_check(const char *text, char *why, size_t n)
{
    int steps = 0;
    const char *p = text;
    while (*p != '\0') {
        const char *d = p;
        while (*d >= '0' && *d <= '9')
            d++;
        if (d > p && d[0] == '.' && d[1] == ' ') {
            const char *e = p;
            do {
                e = strchr(e, '\n');
                e = e == NULL ? p + strlen(p) : e + 1;
            } while (*e != '\0' && *e != '\n' && !(*e >= '0' && *e <= '9'));
            if (step_ok(p, e, why, n) != 0)
                return -1;
            steps++;
            p = e;
            continue;
        }
        const char *nl = strchr(p, '\n');
        p = nl == NULL ? p + strlen(p) : nl + 1;
    }
    return steps;
}

static char *slurp_derivation(const char *base)
{
    char path[4096];
    const char *bin = getenv("ADJVERIFY_BIN");
    if (bin != NULL && strrchr(bin, '/') != NULL)
        snprintf(path, sizeof path, "%.*s/../derivations/%s",
                 (int)(strrchr(bin, '/') - bin), bin, base);
    else
        snprintf(path, sizeof path, "derivations/%s", base);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *buf = malloc(1 << 20);
    ck_assert_ptr_nonnull(buf);
    size_t len = fread(buf, 1, (1 << 20) - 1, f);
    buf[len] = '\0';
    fclose(f);
    return buf;
}

START_TEST(test_derivation_checks_exist)
{
    static const char *const files[] = {"gradient_flow.md",
                                         "essay_section_2_3.md"};
    char why[256];
    for (int i = 0; i < 2; i++) {
        char *text = slurp_derivation(files[i]);
        int steps = derivation_check(text, why, sizeof why);
        free(text);
        if (steps < 5)
            ck_abort_msg("%s: %s (%d steps)", files[i],
                         steps < 0 ? why : "too few steps", steps);
    }
    /* the checker itself fails on a missing name and a step without Check */
    ck_assert_int_eq(derivation_check("1. x. Check: `gflow_no_such`.\n", why,
                                      sizeof why), -1);
    ck_assert_int_eq(derivation_check("1. x.\n\n2. y. Check: `gflow_gd`.\n",
                                      why, sizeof why), -1);
    ck_assert_int_eq(derivation_check("1. x\n   y. Check: `gflow_gd`,\n"
                                      "   `e5_decide`.\n", why, sizeof why), 1);
}
END_TEST

/* The subcommand prints the flow table and rejects bad input with exit 2. */
START_TEST(test_cli_gradflow)
{
    static char out[1 << 16];
    ck_assert_int_eq(tu_run("--prec 64 --format csv gradflow --t 5", out,
                                sizeof out), 0);
    /* header and one row: t = 5 gives theta = 2/3 */
    ck_assert_ptr_nonnull(strstr(out, "\n5,6.6666666666666666"));
    ck_assert_int_eq(tu_run("gradflow --t 1,-2", out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "adjverify: error:"));
    ck_assert_int_eq(tu_run("gradflow --k 3 --c 1 --theta0 -1 --t 4", out,
                                sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "blow-up"));
    ck_assert_int_eq(tu_run("gradflow --eta 0.1.2", out, sizeof out), 2);
    ck_assert_int_eq(tu_run("--prec 64 gradflow --descent --steps 10,20",
                                out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "2-cycle"));
}
END_TEST

Suite *suite_gradflow(void)
{
    Suite *s = suite_create("gradflow");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 60);
    tcase_add_test(core, test_residual_sweep);
    tcase_add_test(core, test_derived_vs_taylor);
    tcase_add_test(core, test_grad_and_solved_coeff);
    tcase_add_test(core, test_e6_flips);
    tcase_add_test(core, test_e4_flips);
    tcase_add_test(core, test_sens_vs_fd);
    tcase_add_test(core, test_gd_order);
    tcase_add_test(core, test_gd_threshold);
    tcase_add_test(core, test_e7_monotone);
    suite_add_tcase(s, core);
    TCase *errs = tcase_create("errors");
    tcase_add_test(errs, test_errors);
    tcase_add_test(errs, test_cli_gradflow);
    suite_add_tcase(s, errs);
    TCase *docs = tcase_create("derivations");
    tcase_add_test(docs, test_derivation_checks_exist);
    suite_add_tcase(s, docs);
    return s;
}
