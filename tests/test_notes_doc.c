/* test_notes_doc: derivations/lagrangian.md names, in every numbered step,
 * checks that exist (step k <= 14 names lag_steps' check k), and
 * `adjverify derive notes` prints the steps and exits 0, 1 with a
 * mistake, 2 on bad input.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <check.h>
#include "suites.h"
#include "../src/gradients/lagrangian.h"
#include "../src/claims/claims_notes.h"
#include "../src/integrate/ntaylor.h"
#include "../src/integrate/quad.h"

typedef void (*any_fn)(void);
#define FN(f) {#f, (any_fn)f}

/* Functions the document may name besides the steps' checks. */
static const struct {
    const char *name;
    any_fn fn;
} others[] = {
    FN(lag_adjoint_gradient), FN(lag_fd_gradient), FN(lag_objective),
    FN(lag_constraint_terms), FN(lag_hessian), FN(lag_sym_eigenvalues),
    FN(lag_newton), FN(lag_descent), FN(lag_descent_step),
    FN(ntaylor_solve), FN(quad_gl_init), FN(quad_rule_sum),
    FN(notes_newton_run), FN(notes_decide_steps), FN(n3_decide),
    FN(n7_decide), FN(n8_decide), FN(lag_general_gradient),
    FN(impl_init_neural), FN(notes_reduction_tables),
};

/* 1 when NAME (LEN bytes) is a step's check or one of OTHERS. */
static int exists(const char *name, size_t len)
{
    int n;
    const lag_step_entry *e = lag_steps(&n);
    for (int i = 0; i < n; i++)
        if (strlen(e[i].func) == len && strncmp(e[i].func, name, len) == 0
            && e[i].fn != NULL)
            return 1;
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (strlen(others[i].name) == len && strncmp(others[i].name, name, len) == 0
            && others[i].fn != NULL)
            return 1;
    return 0;
}

/* The step number K when the line at P opens a numbered step "K. ". */
static int step_number(const char *p)
{
    int k = 0;
    const char *d = p;
    while (isdigit((unsigned char)*d))
        k = 10 * k + (*d++ - '0');
    return d > p && d[0] == '.' && d[1] == ' ' ? k : 0;
}

/* Checks the names after "Check:" in the step [P, E) numbered K; returns
 * 0 or -1 with WHY. */
static int check_step(const char *p, const char *e, int k, char *why, size_t n)
{
    int nsteps, named = 0, own = k > 14;
    const lag_step_entry *st = lag_steps(&nsteps);
    const char *c = strstr(p, "Check:");
    if (c == NULL || c >= e)
        return snprintf(why, n, "step %d names no check", k), -1;
    for (const char *q = strchr(c, '`'); q != NULL && q < e; q = strchr(q, '`')) {
        const char *r = strchr(q + 1, '`');
        if (r == NULL || r > e)
            return snprintf(why, n, "step %d: unclosed `", k), -1;
        size_t len = (size_t)(r - q - 1);
        if (!exists(q + 1, len))
            return snprintf(why, n, "step %d: no such check %.*s", k, (int)len,
                            q + 1), -1;
        if (k >= 1 && k <= nsteps && strlen(st[k - 1].func) == len
            && strncmp(st[k - 1].func, q + 1, len) == 0)
            own = 1;
        named++;
        q = r + 1;
    }
    if (named == 0 || !own)
        return snprintf(why, n, "step %d does not name its check", k), -1;
    return 0;
}

/* Returns the number of numbered steps of TEXT, or -1 with WHY. */
static int doc_check(const char *text, char *why, size_t n)
{
    int count = 0;
    for (const char *p = text; *p != '\0';) {
        int k = step_number(p);
        const char *e = strchr(p, '\n');
        e = e == NULL ? p + strlen(p) : e + 1;
        if (k == 0) {
            p = e;
            continue;
        }
        /* the step, display equations included, runs to the next step or
         * heading */
        while (*e != '\0' && *e != '#' && step_number(e) == 0) {
            const char *nl = strchr(e, '\n');
            e = nl == NULL ? e + strlen(e) : nl + 1;
        }
        if (check_step(p, e, k, why, n) != 0)
            return -1;
        count++;
        p = e;
    }
    return count;
}

static char *read_doc(void)
{
    char path[4096];
    const char *bin = getenv("ADJVERIFY_BIN");
    const char *slash = bin != NULL ? strrchr(bin, '/') : NULL;
    if (slash != NULL)
        snprintf(path, sizeof path, "%.*s/../derivations/lagrangian.md",
                 (int)(slash - bin), bin);
    else
        snprintf(path, sizeof path, "derivations/lagrangian.md");
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    static char buf[1 << 18];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    return buf;
}

START_TEST(document_names_real_checks)
{
    char why[256] = "";
    int steps = doc_check(read_doc(), why, sizeof why);
    ck_assert_msg(steps >= 14, "derivations/lagrangian.md: %s (%d steps)", why,
                  steps);
    /* the checker itself: a missing name, a step without Check:, a step
     * that does not name its own check all fail */
    ck_assert_int_eq(doc_check("1. F. Check: `lag_check_nothing`.\n", why,
                               sizeof why), -1);
    ck_assert_int_eq(doc_check("1. F.\n\n2. g. Check: `lag_check_initial`.\n",
                               why, sizeof why), -1);
    ck_assert_int_eq(doc_check("2. g. Check: `lag_check_objective`.\n", why,
                               sizeof why), -1);
    ck_assert_int_eq(doc_check("1. F.\n   Check: `lag_check_objective`,\n"
                               "   `ntaylor_solve`.\n", why, sizeof why), 1);
}
END_TEST

/* Runs bin/adjverify with ARGS; OUT receives stdout and stderr. */
static int run(const char *args, char *out, size_t n)
{
    const char *bin = getenv("ADJVERIFY_BIN");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", bin ? bin : "bin/adjverify", args);
    FILE *f = popen(cmd, "r");
    ck_assert_ptr_nonnull(f);
    out[fread(out, 1, n - 1, f)] = '\0';
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(derive_command)
{
    static char out[1 << 17];
    ck_assert_int_eq(run("--prec 64 derive notes", out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "lag_check_grad_fd"));
    ck_assert_ptr_nonnull(strstr(out, "every step holds"));
    ck_assert_int_eq(run("--prec 64 derive notes --variant sign-error", out,
                         sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "do NOT hold"));
    ck_assert_ptr_nonnull(strstr(out, "(10)"));
    ck_assert_int_eq(run("--prec 64 --format csv derive notes", out, sizeof out), 0);
    ck_assert(strncmp(out, "step,check,quantity,", 20) == 0);
    ck_assert_int_eq(run("derive essay", out, sizeof out), 2);
    ck_assert_ptr_nonnull(strstr(out, "adjverify: error:"));
    ck_assert_int_eq(run("derive notes --variant plus", out, sizeof out), 2);
    ck_assert_int_eq(run("derive", out, sizeof out), 2);
}
END_TEST

Suite *suite_notes_doc(void)
{
    Suite *s = suite_create("notes_doc");
    TCase *t = tcase_create("derivation");
    tcase_set_timeout(t, 30);
    tcase_add_test(t, document_names_real_checks);
    tcase_add_test(t, derive_command);
    suite_add_tcase(s, t);
    return s;
}
