/* cli_exact: `adjverify gradient --exact`: L, z(T), dL/dtheta and dL/dz(0)
 * as exact fractions (model with exact products, rational tableau, few
 * steps), each with its decimal value and size.  With --format csv the
 * rows are `name,value` with the exact fraction as the value. */
#include <stdio.h>
#include "cli.h"
#include "../gradients/exact.h"
#include "../numbers/qnum.h"

static void add_rows(table_t t, const char *name, const mpq_t *x, int n, int indexed,
                     const problem_t p, int full, int is_theta, mpfr_t tmp, int digits)
{
    char label[48];
    for (int i = 0; i < n; i++) {
        int len = snprintf(label, sizeof label, "%s", name);
        if (indexed)
            snprintf(label + len, sizeof label - (size_t)len, "[%d]", i);
        table_row(t);
        table_cell(t, "%s", label);
        table_cell(t, "%Qd", x[i]);
        if (!full)
            continue;
        mpfr_set_q(tmp, x[i], MPFR_RNDN);
        table_cell(t, "%.*Re", digits - 1, tmp);
        table_cell(t, "%zu/%zu", qnum_num_digits(x[i]), qnum_den_digits(x[i]));
        char buf[64] = "";
        if (is_theta)
            problem_theta_name(buf, sizeof buf, i, p);
        table_cell(t, "%s", buf);
    }
}

static int print_exact(const exact_result_t r, const problem_t p, const tableau_t tab,
                       long steps, exact_method m, const cli_globals *g)
{
    static const char *const head[] = {"name", "value (exact)", "decimal",
                                       "digits num/den", "parameter"};
    static const char *const head_csv[] = {"name", "value"};
    int full = g->fmt != FMT_CSV;
    char title[256];
    snprintf(title, sizeof title, "exact gradient of problem %s by %s, scheme %s, N = %ld "
             "(GMP rationals, no rounding)", p->name, exact_method_name(m), tab->name,
             steps);
    table_t t;
    mpfr_t tmp;
    mpfr_init2(tmp, g->prec);
    table_init(t, title, full ? 5 : 2, full ? head : head_csv);
    add_rows(t, "L", (const mpq_t *)&r->L, 1, 0, p, full, 0, tmp, g->digits);
    add_rows(t, "zT", (const mpq_t *)r->zT, p->d, 1, p, full, 0, tmp, g->digits);
    add_rows(t, "dtheta", (const mpq_t *)r->dtheta, p->ntheta, 1, p, full, 1, tmp,
             g->digits);
    add_rows(t, "dz0", (const mpq_t *)r->dz0, p->d, 1, p, full, 0, tmp, g->digits);
    size_t num, den;
    exact_result_size(&num, &den, r);
    table_note(t, "largest gradient numerator %zu digits, denominator %zu digits; "
                  "decimals rounded once at %ld bits", num, den, (long)g->prec);
    int st = cli_print_table(t, g);
    table_clear(t);
    mpfr_clear(tmp);
    return st;
}

int cli_gradient_exact(const char *problem, const char *scheme, const char *steps,
                       const char *method, const cli_globals *g)
{
    averr_t err;
    averr_clear(err);
    exact_method m = EXACT_BP;
    long n = 0;
    if (problem == NULL || scheme == NULL || steps == NULL) {
        averr_set(err, AV_EINPUT, "gradient --exact needs --problem, --scheme and --steps");
        return cli_fail(err);
    }
    if ((method != NULL && exact_method_lookup(&m, method, err) != 0) ||
        cli_long(&n, "--steps", steps, 1, EXACT_MAX_STEPS, err) != 0)
        return cli_fail(err);
    problem_t p;
    tableau_t tab;
    exact_result_t r;
    if (problem_init_lookup(p, problem, g->prec, err) != 0)
        return cli_fail(err);
    int st = tableau_init_lookup(tab, scheme, g->prec, err);
    if (st == 0) {
        if ((st = exact_result_init(r, p, err)) == 0) {
            if ((st = exact_gradient(r, p, tab, n, m, err)) == 0)
                st = print_exact(r, p, tab, n, m, g);
            exact_result_clear(r);
        }
        tableau_clear(tab);
    }
    problem_clear(p);
    return st < 0 ? cli_fail(err) : st;
}
