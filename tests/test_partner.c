/* test_partner: the partner tableau (hand-derived for rk4), the symplectic
 * matrix M, partner of partner = the tableau, backprop = partner adjoint as
 * identical rationals (and not after one coefficient is changed), the
 * precision sweep, H3's decide function with counter-evidence, a user's
 * tableau file through `show scheme` and `partner`, and the names in
 * derivations/partner_scheme.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include "suites.h"
#include "testutil.h"
#include "../src/numbers/mpvec.h"
#include "../src/schemes/partner.h"
#include "../src/gradients/partner.h"
#include "../src/gradients/exact.h"
#include "../src/claims/claims_hu.h"

/* Sets Q to the fraction in S ("-2/3"). */
static void qset(mpq_t q, const char *s)
{
    ck_assert_int_eq(mpq_set_str(q, s, 10), 0);
    mpq_canonicalize(q);
}

/* The partner of rk4 by hand, abar_ij = b_j - b_j a_ji / b_i with
 * b = (1/6, 1/3, 1/3, 1/6) and the only nonzero a_ji: a_21 = a_32 = 1/2,
 * a_43 = 1.
 *   row 1 (b_1 = 1/6): abar_12 = 1/3 - (1/3)(1/2)(6) = -2/3, others b_j:
 *                      1/6, -2/3, 1/3, 1/6
 *   row 2 (b_2 = 1/3): abar_23 = 1/3 - (1/3)(1/2)(3) = -1/6:
 *                      1/6, 1/3, -1/6, 1/6
 *   row 3 (b_3 = 1/3): abar_34 = 1/6 - (1/6)(1)(3) = -1/3:
 *                      1/6, 1/3, 1/3, -1/3
 *   row 4: nothing depends on stage 4, so the row is b.
 * cbar = row sums = 0, 1/2, 1/2, 1 = c.  M_11 = 2 b_1 a_11 - b_1^2 = -1/36,
 * M_12 = b_1 a_12 + b_2 a_21 - b_1 b_2 = 1/6 - 1/18 = 1/9. */
START_TEST(test_rk4_partner_by_hand)
{
    static const char *const hand[16] = {
        "1/6", "-2/3", "1/3", "1/6",  "1/6", "1/3", "-1/6", "1/6",
        "1/6", "1/3",  "1/3", "-1/3", "1/6", "1/3", "1/3",  "1/6"};
    averr_t err;
    tableau_t t;
    partner_t pt;
    mpq_t q;
    mpq_init(q);
    ck_assert_int_eq(tableau_init_builtin(t, "rk4", 64, err), 0);
    ck_assert_int_eq(partner_init(pt, t, err), 0);
    ck_assert(pt->has_partner && pt->exact && !pt->own);
    for (int k = 0; k < 16; k++) {
        qset(q, hand[k]);
        ck_assert_msg(mpq_equal(q, pt->bar->Aq[k]), "abar entry %d", k);
    }
    for (int i = 0; i < 4; i++)
        ck_assert(mpq_equal(pt->bar->cq[i], t->cq[i]));
    qset(q, "-1/36");
    ck_assert(mpq_equal(q, pt->Mq[0]));
    qset(q, "1/9");
    ck_assert(mpq_equal(q, pt->Mq[1]));
    partner_clear(pt);
    tableau_clear(t);
    mpq_clear(q);
}
END_TEST

/* Partner of partner is the tableau again: abar of abar is
 * b_j - b_j (b_i - b_i a_ij / b_j) / b_i = a_ij; and M = 0 decides "own". */
START_TEST(test_partner_involution)
{
    for (const char *const *s = tableau_builtin_names; *s != NULL; s++) {
        averr_t err;
        tableau_t t;
        partner_t p1, p2;
        ck_assert_int_eq(tableau_init_builtin(t, *s, 64, err), 0);
        ck_assert_int_eq(partner_init(p1, t, err), 0);
        if (!t->exact || !p1->has_partner) {
            partner_clear(p1);
            tableau_clear(t);
            continue;
        }
        ck_assert_int_eq(partner_init(p2, p1->bar, err), 0);
        int same = 1;
        for (int k = 0; k < t->s * t->s; k++) {
            ck_assert_msg(mpq_equal(p2->bar->Aq[k], t->Aq[k]), "%s: entry %d", *s, k);
            same &= mpq_equal(p1->bar->Aq[k], t->Aq[k]);
        }
        ck_assert_msg(same == p1->own, "%s: own partner flag", *s);
        partner_clear(p2);
        partner_clear(p1);
        tableau_clear(t);
    }
}
END_TEST

START_TEST(test_own_partners_and_trapezoid)
{
    averr_t err;
    tableau_t t;
    partner_t pt;
    ck_assert_int_eq(tableau_init_builtin(t, "implicit-midpoint", 64, err), 0);
    ck_assert_int_eq(partner_init(pt, t, err), 0);
    ck_assert(pt->own && pt->exact);
    partner_clear(pt);
    tableau_clear(t);
    ck_assert_int_eq(tableau_init_builtin(t, "gauss2", 128, err), 0);
    ck_assert_int_eq(partner_init(pt, t, err), 0);
    ck_assert(pt->own && !pt->exact && pt->has_partner);
    partner_clear(pt);
    tableau_clear(t);
    /* Lobatto IIIA's partner is Lobatto IIIB: (1/2, 0; 1/2, 0), cbar != c */
    static const char *const iiib[4] = {"1/2", "0", "1/2", "0"};
    mpq_t q;
    mpq_init(q);
    ck_assert_int_eq(tableau_init_builtin(t, "trapezoid", 64, err), 0);
    ck_assert_int_eq(partner_init(pt, t, err), 0);
    ck_assert(!pt->own);
    for (int k = 0; k < 4; k++) {
        qset(q, iiib[k]);
        ck_assert(mpq_equal(q, pt->bar->Aq[k]));
    }
    ck_assert(!mpq_equal(pt->bar->cq[0], t->cq[0]));
    mpq_clear(q);
    partner_clear(pt);
    tableau_clear(t);
}
END_TEST

/* Explicit midpoint: no partner, a refusal naming it, and backprop's step
 * I + h J_2^T + (1/2) h^2 J_1^T J_2^T. */
START_TEST(test_midpoint_no_partner)
{
    averr_t err;
    tableau_t t;
    partner_t pt;
    problem_t p;
    grad_result_t g;
    ck_assert_int_eq(tableau_init_builtin(t, "midpoint", 64, err), 0);
    ck_assert_int_eq(partner_init(pt, t, err), 0);
    ck_assert(!pt->has_partner && pt->zero_b == 0);
    tu_expect_fail(partner_require(pt, t, err), err, AV_EINPUT, "midpoint", "b_1 = 0",
                   "partner_require");
    partner_term *terms;
    int n;
    ck_assert_int_eq(partner_bp_terms(&terms, &n, t, err), 0);
    ck_assert_int_eq(n, 2);
    ck_assert(terms[0].len == 1 && terms[0].idx[0] == 1 && mpq_cmp_ui(terms[0].coef, 1, 1) == 0);
    ck_assert(terms[1].len == 2 && terms[1].idx[0] == 0 && terms[1].idx[1] == 1 &&
              mpq_cmp_ui(terms[1].coef, 1, 2) == 0);
    partner_terms_free(terms, n);
    ck_assert_int_eq(problem_init_lookup(p, "mlp", 64, err), 0);
    ck_assert_int_eq(grad_result_init(g, p, err), 0);
    tu_expect_fail(partner_gradient(g, p, t, 2, err), err, AV_EINPUT, "midpoint", NULL,
                   "partner_gradient");
    grad_result_clear(g);
    problem_clear(p);
    partner_clear(pt);
    tableau_clear(t);
}
END_TEST

/* bp and the partner adjoint as rationals: identical; a changed partner
 * coefficient breaks it; the same tableau differs unless M = 0. */
START_TEST(test_exact_identity)
{
    static const struct { const char *prob, *scheme; long N; int own; } cases[] = {
        {"lotka", "rk4", 2, 0}, {"linear", "trapezoid", 2, 0},
        {"linear", "implicit-midpoint", 2, 1}, {"lotka", "ralston", 2, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        averr_t err;
        problem_t p;
        tableau_t t;
        partner_t pt;
        exact_result_t bp, r;
        mpq_t diff;
        mpq_init(diff);
        ck_assert_int_eq(problem_init_lookup(p, cases[c].prob, 64, err), 0);
        ck_assert_int_eq(tableau_init_builtin(t, cases[c].scheme, 64, err), 0);
        ck_assert_int_eq(exact_result_init(bp, p, err), 0);
        ck_assert_int_eq(exact_result_init(r, p, err), 0);
        ck_assert_int_eq(exact_gradient(bp, p, t, cases[c].N, EXACT_BP, err), 0);
        ck_assert_int_eq(exact_gradient(r, p, t, cases[c].N, EXACT_PARTNER, err), 0);
        ck_assert_msg(exact_result_diff(diff, r, bp), "%s %s: bp != partner",
                      cases[c].prob, cases[c].scheme);
        ck_assert_int_eq(exact_gradient(r, p, t, cases[c].N, EXACT_SAME, err), 0);
        ck_assert_int_eq(exact_result_diff(diff, r, bp), cases[c].own);
        /* change abar_12 by 1/1000 */
        ck_assert_int_eq(partner_init(pt, t, err), 0);
        int k = t->s > 1 ? 1 : 0;
        mpq_set_ui(diff, 1, 1000);
        mpq_add(pt->bar->Aq[k], pt->bar->Aq[k], diff);
        ck_assert_int_eq(exact_partner_coef(r, p, t, cases[c].N,
                                            (const mpq_t *)pt->bar->Aq, err), 0);
        ck_assert_msg(!exact_result_diff(diff, r, bp), "%s %s: perturbed partner",
                      cases[c].prob, cases[c].scheme);
        partner_clear(pt);
        exact_result_clear(r);
        exact_result_clear(bp);
        tableau_clear(t);
        problem_clear(p);
        mpq_clear(diff);
    }
}
END_TEST

START_TEST(test_exact_errors)
{
    averr_t err;
    problem_t p, q;
    tableau_t t, g2, im;
    exact_result_t r;
    ck_assert_int_eq(problem_init_lookup(p, "lotka", 64, err), 0);
    ck_assert_int_eq(problem_init_lookup(q, "mlp", 64, err), 0);
    ck_assert_int_eq(tableau_init_builtin(t, "rk4", 64, err), 0);
    ck_assert_int_eq(tableau_init_builtin(g2, "gauss2", 64, err), 0);
    ck_assert_int_eq(tableau_init_builtin(im, "implicit-midpoint", 64, err), 0);
    ck_assert_int_eq(exact_result_init(r, p, err), 0);
    tu_expect_fail(exact_gradient(r, q, t, 1, EXACT_BP, err), err, AV_EINPUT, "mlp",
                   "exact", "mlp");
    tu_expect_fail(exact_gradient(r, p, g2, 1, EXACT_BP, err), err, AV_EINPUT, "gauss2",
                   "irrational", "gauss2");
    tu_expect_fail(exact_gradient(r, p, im, 1, EXACT_BP, err), err, AV_EINPUT,
                   "implicit-midpoint", "not linear", "nonlinear stages");
    tu_expect_fail(exact_gradient(r, p, t, 0, EXACT_BP, err), err, AV_EINPUT, "steps",
                   NULL, "N = 0");
    /* backsolve on lotka, rk4, N = 3 outgrows the digit guard early */
    tu_expect_fail(exact_gradient(r, p, t, 3, EXACT_BACKSOLVE, err), err, AV_EINPUT,
                   "digits", NULL, "digit guard");
    exact_method m;
    tu_expect_fail(exact_method_lookup(&m, "fd", err), err, AV_EINPUT, "fd", NULL,
                   "method name");
    exact_result_clear(r);
    tableau_clear(im);
    tableau_clear(g2);
    tableau_clear(t);
    problem_clear(q);
    problem_clear(p);
}
END_TEST

#define FALL_BITS 50

/* |partner - bp| falls by at least 2^50 per doubling (64 -> 128 -> 256
 * bits) for rk4 and gauss2 on P1; |same - bp| for rk4 does not. */
START_TEST(test_precision_sweep)
{
    static const char *const schemes[] = {"rk4", "gauss2"};
    mpfr_t prev, lim;
    mpfr_inits2(64, prev, lim, (mpfr_ptr)0);
    for (int s = 0; s < 2; s++) {
        for (int k = 0; k < 3; k++) {
            mpfr_prec_t prec = 64 << k;
            averr_t err;
            problem_t p;
            tableau_t t;
            mpfr_ptr v = mpblock_alloc(3, prec, err);
            ck_assert_int_eq(problem_init_lookup(p, "mlp", prec, err), 0);
            ck_assert_int_eq(tableau_init_builtin(t, schemes[s], prec, err), 0);
            ck_assert_int_eq(h3_measure(v, p, t, 4, err), 0);
            if (k > 0) {
                mpfr_mul_2ui(lim, v, FALL_BITS, MPFR_RNDN);
                ck_assert_msg(mpfr_cmp(lim, prev) <= 0, "%s: %ld bits: no fall of 2^%d",
                              schemes[s], (long)prec, FALL_BITS);
            }
            if (s == 0)   /* rk4 is not its own partner: a truncation-size gap */
                ck_assert_msg(mpfr_get_d(v + 1, MPFR_RNDN) > 1e-10, "rk4 same = bp?");
            mpfr_set(prev, v, MPFR_RNDN);
            mpblock_free(v);
            tableau_clear(t);
            problem_clear(p);
        }
    }
    mpfr_clears(prev, lim, (mpfr_ptr)0);
}
END_TEST

/* The verdict follows the evidence: each counter-evidence flips it. */
START_TEST(test_h3_decide)
{
    h3_evidence e = {.exact_total = 9, .exact_equal = 9, .sweep_total = 11,
                     .sweep_fall = 11, .own_total = 5, .own_equal = 5,
                     .nonsym_total = 15, .nonsym_differ = 15, .no_partner = 1};
    ck_assert_int_eq(h3_decide(&e), VERDICT_QUALIFIED);
    h3_evidence f = e;
    f.exact_equal = 8;   /* one exact run where bp != partner */
    ck_assert_int_eq(h3_decide(&f), VERDICT_REFUTED);
    f = e;
    f.sweep_fall = 10;   /* a difference larger than rounding */
    ck_assert_int_eq(h3_decide(&f), VERDICT_REFUTED);
    f = e;
    f.own_equal = 4;     /* a symplectic scheme whose own adjoint is not bp */
    ck_assert_int_eq(h3_decide(&f), VERDICT_REFUTED);
    f = e;
    f.nonsym_differ = 0; /* the same tableau always reproduces bp ... */
    f.no_partner = 0;    /* ... and every scheme has a partner */
    ck_assert_int_eq(h3_decide(&f), VERDICT_VERIFIED);
    h3_evidence none = {0};
    ck_assert_int_eq(h3_decide(&none), VERDICT_ERROR);
}
END_TEST

/* ---- the command line ---- */

/* A user's tableau (a deliberately non-consistent one, sum b = 3/4) goes
 * through `show scheme` unchanged, and through `partner` and `gradient
 * --method partner` like a built-in. */
START_TEST(test_user_tableau_file)
{
    static const char *const text =
        "# my scheme\nname = mine\nc = 0 2/3\nA = 0 0; 2/3 0\nb = 1/4 1/2\n";
    char path[] = "/tmp/adjverify_partner_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    averr_t err;
    tableau_t t, u;
    ck_assert_int_eq(tableau_init_lookup(t, path, 64, err), 0);
    /* tableau_write, then parse: the same exact tableau */
    static char out[1 << 16];
    char args[512];
    snprintf(args, sizeof args, "show scheme %s", path);
    ck_assert_int_eq(tu_run(args, out, sizeof out), 0);
    ck_assert_int_eq(tu_tableau_text(u, "shown", out, 64, err), 0);
    ck_assert_int_eq(u->s, t->s);
    for (int k = 0; k < t->s * t->s; k++)
        ck_assert(mpq_equal(u->Aq[k], t->Aq[k]));
    for (int k = 0; k < t->s; k++)
        ck_assert(mpq_equal(u->bq[k], t->bq[k]) && mpq_equal(u->cq[k], t->cq[k]));
    ck_assert_str_eq(u->name, "mine");
    tableau_clear(u);
    tableau_clear(t);
    snprintf(args, sizeof args, "partner --scheme %s", path);
    ck_assert_int_eq(tu_run(args, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "verdict: mine is not its own partner"));
    /* abar_12 = b_2 - b_2 a_21 / b_1 = 1/2 - (1/2)(2/3)(4) = -5/6 */
    ck_assert_ptr_nonnull(strstr(out, "1/4      -5/6"));
    snprintf(args, sizeof args, "--prec 64 --format csv gradient --problem lotka "
             "--scheme %s --steps 2 --method partner --exact", path);
    ck_assert_int_eq(tu_run(args, out, sizeof out), 0);
    static char out2[1 << 16];
    snprintf(args, sizeof args, "--prec 64 --format csv gradient --problem lotka "
             "--scheme %s --steps 2 --method bp --exact", path);
    ck_assert_int_eq(tu_run(args, out2, sizeof out2), 0);
    ck_assert_str_eq(out, out2);
    remove(path);
}
END_TEST

START_TEST(test_cli_partner)
{
    static char out[1 << 16], out2[1 << 16];
    ck_assert_int_eq(tu_run("partner --scheme rk4", out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "-2/3"));
    ck_assert_ptr_nonnull(strstr(out, "M_12 = 1/9"));
    ck_assert_int_eq(tu_run("partner --scheme implicit-midpoint", out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "is its own partner: M = 0 exactly"));
    ck_assert_int_eq(tu_run("partner --scheme midpoint", out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "no partner"));
    ck_assert_ptr_nonnull(strstr(out, "J_1^T J_2^T"));
    ck_assert_int_eq(tu_run("partner", out, sizeof out), 2);
    ck_assert_int_eq(tu_run("partner --scheme nosuch", out, sizeof out), 2);
    ck_assert_int_eq(tu_run("gradient --problem mlp --scheme midpoint --steps 2 "
                             "--method partner", out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "adjverify: error: scheme 'midpoint' has b_1 = 0"));
    /* the done-when command: identical exact rationals */
    ck_assert_int_eq(tu_run("--format csv gradient --problem lotka --scheme rk4 --steps 2 "
                             "--method partner --exact", out, sizeof out), 0);
    ck_assert_int_eq(tu_run("--format csv gradient --problem lotka --scheme rk4 --steps 2 "
                             "--method bp --exact", out2, sizeof out2), 0);
    ck_assert_str_eq(out, out2);
    ck_assert(strncmp(out, "name,value\nL,", 13) == 0);
    ck_assert_int_eq(tu_run("gradient --problem mlp --scheme rk4 --steps 2 --exact",
                             out, sizeof out), 2);
}
END_TEST

/* ---- derivations/partner_scheme.md: every step names existing checks ---- */

typedef void (*fnptr)(void);
static const struct { const char *name; fnptr fn; } named[] = {
#define NAMED(f) {#f, (fnptr)f}
    NAMED(bp_record), NAMED(bp_step_reverse), NAMED(bp_reverse), NAMED(fd_gradient),
    NAMED(exact_gradient), NAMED(exact_result_diff), NAMED(exact_partner_coef),
    NAMED(tableau_partner_coef), NAMED(tableau_symplectic_entry), NAMED(partner_init),
    NAMED(partner_require), NAMED(partner_bp_terms), NAMED(partner_reverse),
    NAMED(partner_gradient), NAMED(partner_same_gradient), NAMED(h3_measure),
    NAMED(h3_sweep_tables), NAMED(h3_exact_table), NAMED(h3_tableaux_table),
    NAMED(h3_decide),
#undef NAMED
};

static int is_named(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (named[i].fn != NULL && strlen(named[i].name) == len &&
            memcmp(named[i].name, s, len) == 0)
            return 1;
    return 0;
}

/* Counts the numbered steps of TEXT; every step must carry "Check:" and
 * every backquoted word after it must be a linked function.  On a fault
 * returns -1 and describes it in WHY. */
static int count_checked_steps(const char *text, char *why, size_t n)
{
    int steps = 0;
    for (const char *line = text; line != NULL && *line != '\0';) {
        size_t digits = strspn(line, "0123456789");
        const char *next = strchr(line, '\n');
        if (digits == 0 || strncmp(line + digits, ". ", 2) != 0) {
            line = next != NULL ? next + 1 : NULL;
            continue;
        }
        /* the step runs to a blank line, a heading or the end */
        const char *end = strstr(line, "\n\n");
        end = end != NULL ? end : line + strlen(line);
        const char *chk = strstr(line, "Check:");
        if (chk == NULL || chk > end)
            return snprintf(why, n, "step %d has no Check:", steps + 1), -1;
        int found = 0;
        for (const char *q = strchr(chk, '`'); q != NULL && q < end;) {
            const char *r = strchr(q + 1, '`');
            if (r == NULL || r > end || !is_named(q + 1, (size_t)(r - q - 1)))
                return snprintf(why, n, "step %d: unknown check %.*s", steps + 1,
                                r != NULL ? (int)(r - q - 1) : 20, q + 1), -1;
            found++;
            q = strchr(r + 1, '`');
        }
        if (found == 0)
            return snprintf(why, n, "step %d names no function", steps + 1), -1;
        steps++;
        line = end;
    }
    return steps;
}

START_TEST(test_derivation_names)
{
    const char *bin = getenv("ADJVERIFY_BIN");
    char path[4096];
    if (bin != NULL && strrchr(bin, '/') != NULL)
        snprintf(path, sizeof path, "%.*s/../derivations/partner_scheme.md",
                 (int)(strrchr(bin, '/') - bin), bin);
    else
        snprintf(path, sizeof path, "derivations/partner_scheme.md");
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    static char text[1 << 16];
    size_t len = fread(text, 1, sizeof text - 1, f);
    text[len] = '\0';
    fclose(f);
    char why[256] = "";
    int steps = count_checked_steps(text, why, sizeof why);
    ck_assert_msg(steps >= 12, "partner_scheme.md: %s (%d steps)", why, steps);
    /* and the counter does fail on an unknown name or a missing Check: */
    ck_assert_int_eq(count_checked_steps("1. a. Check: `partner_nosuch`.\n", why,
                                         sizeof why), -1);
    ck_assert_int_eq(count_checked_steps("1. a.\n\n2. b. Check: `h3_decide`.\n", why,
                                         sizeof why), -1);
    ck_assert_int_eq(count_checked_steps("1. a\n   Check: `h3_decide`,\n   `bp_record`.\n",
                                         why, sizeof why), 1);
}
END_TEST

Suite *suite_partner(void)
{
    Suite *s = suite_create("partner");
    TCase *core = tcase_create("core");
    tcase_set_timeout(core, 60);
    tcase_add_test(core, test_rk4_partner_by_hand);
    tcase_add_test(core, test_partner_involution);
    tcase_add_test(core, test_own_partners_and_trapezoid);
    tcase_add_test(core, test_midpoint_no_partner);
    tcase_add_test(core, test_exact_identity);
    tcase_add_test(core, test_precision_sweep);
    tcase_add_test(core, test_h3_decide);
    suite_add_tcase(s, core);
    TCase *errs = tcase_create("errors");
    tcase_add_test(errs, test_exact_errors);
    suite_add_tcase(s, errs);
    TCase *cli = tcase_create("cli");
    tcase_set_timeout(cli, 60);
    tcase_add_test(cli, test_user_tableau_file);
    tcase_add_test(cli, test_cli_partner);
    tcase_add_test(cli, test_derivation_names);
    suite_add_tcase(s, cli);
    return s;
}
