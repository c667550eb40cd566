/* cmd_gradient: `adjverify gradient`: L, z(T), dL/dtheta and dL/dz(0) of a
 * problem by one method.  With --format csv the output is exactly the
 * header `name,value` and rows L, zT[i], dtheta[i], dz0[i]. */
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "../gradients/grad.h"

static void add_rows(table_t t, const char *name, mpfr_srcptr x, int n, int digits,
                     int indexed, const problem_t p, int with_meaning, int is_theta)
{
    for (int i = 0; i < n; i++) {
        table_row(t);
        if (indexed)
            table_cell(t, "%s[%d]", name, i);
        else
            table_cell(t, "%s", name);
        table_cell(t, "%.*Re", digits - 1, x + i);
        if (with_meaning) {
            char buf[64] = "";
            if (is_theta)
                problem_theta_name(buf, sizeof buf, i, p);
            table_cell(t, "%s", buf);
        }
    }
}

int cmd_gradient(int argc, char **argv, const cli_globals *g)
{
    cli_option o[] = {{"--problem", 1, NULL}, {"--scheme", 1, NULL},
                      {"--steps", 1, NULL},   {"--method", 1, NULL},
                      {"--checkpoints", 1, NULL}, {"--exact", 0, NULL}};
    averr_t err;
    averr_clear(err);
    grad_method method = GRAD_BP;
    long steps = 0, ckpt = 0;
    if (cli_parse(argc, argv, o, 6, NULL, 0, NULL, err) != 0)
        return cli_fail(err);
    if (o[5].value != NULL)   /* exact rationals: methods of exact.h */
        return cli_gradient_exact(o[0].value, o[1].value, o[2].value, o[3].value, g);
    if ((o[3].value != NULL && grad_method_lookup(&method, o[3].value, err) != 0))
        return cli_fail(err);
    int need_scheme = method != GRAD_REFERENCE;
    if (o[0].value == NULL || (need_scheme && (o[1].value == NULL || o[2].value == NULL))) {
        averr_set(err, AV_EINPUT, "gradient needs --problem%s", need_scheme
                  ? ", --scheme and --steps" : "");
        return cli_fail(err);
    }
    if ((need_scheme && cli_long(&steps, "--steps", o[2].value, 1, RK_MAX_STEPS, err) != 0) ||
        (o[4].value != NULL && cli_long(&ckpt, "--checkpoints", o[4].value, 1, 1000000, err) != 0))
        return cli_fail(err);
    problem_t p;
    tableau_t tab;
    grad_result_t r;
    int st = problem_init_lookup(p, o[0].value, g->prec, err);
    if (st != 0)
        return cli_fail(err);
    st = tableau_init_lookup(tab, need_scheme ? o[1].value : "rk4", g->prec, err);
    if (st == 0 && (st = grad_result_init(r, p, err)) == 0) {
        grad_opts opts = {.checkpoints = ckpt};
        if ((st = grad_compute(r, p, tab, steps, method, &opts, err)) == 0) {
            int csv = g->fmt == FMT_CSV;
            static const char *const head[] = {"name", "value", "parameter"};
            table_t t;
            char title[256];
            if (need_scheme)
                snprintf(title, sizeof title, "gradient of problem %s by %s, scheme %s, "
                         "N = %ld, %ld bits", p->name, grad_method_name(method),
                         tab->name, steps, (long)g->prec);
            else
                snprintf(title, sizeof title, "gradient of problem %s by %s, %ld bits",
                         p->name, grad_method_name(method), (long)g->prec);
            table_init(t, title, csv ? 2 : 3, head);
            add_rows(t, "L", r->L, 1, g->digits, 0, p, !csv, 0);
            add_rows(t, "zT", r->zT, p->d, g->digits, 1, p, !csv, 0);
            add_rows(t, "dtheta", r->dtheta, p->ntheta, g->digits, 1, p, !csv, 1);
            add_rows(t, "dz0", r->dz0, p->d, g->digits, 1, p, !csv, 0);
            st = cli_print_table(t, g);
            table_clear(t);
            grad_result_clear(r);
            tableau_clear(tab);
            problem_clear(p);
            return st;
        }
        grad_result_clear(r);
    }
    tableau_clear(tab);
    problem_clear(p);
    return cli_fail(err);
}
