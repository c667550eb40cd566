/* cmd_converge: `adjverify converge`: a gradient method's error against bp
 * or the reference over a list of step counts, with the observed order per
 * refinement (the work is in src/gradients/converge.c). */
#include <stdio.h>
#include "cli.h"
#include "../gradients/converge.h"

static int print_result(const conv_result *r, const problem_t p, const tableau_t tab,
                        grad_method m, grad_method against, const cli_globals *g)
{
    static const char *const head[] = {"N", "h", "max-norm error", "order"};
    char title[256];
    snprintf(title, sizeof title, "%s against %s: problem %s, scheme %s (order %d), "
             "%ld bits", grad_method_name(m), grad_method_name(against), p->name,
             tab->name, tab->order, (long)g->prec);
    table_t t;
    table_init(t, title, 4, head);
    for (int i = 0; i < r->n; i++) {
        table_row(t);
        table_cell(t, "%ld", r->N[i]);
        table_cell(t, "%.6Re", r->h + i);
        table_cell(t, "%.6Re", r->err + i);
        if (r->has_order[i])
            table_cell(t, "%.3f", r->order[i]);
        else
            table_cell(t, "%s", r->rounding[i] ? "(rounding)" : "-");
    }
    table_note(t, "error: max norm over dL/dtheta and dL/dz(0); order: "
               "log(e(N1)/e(N2)) / log(N2/N1); (rounding): the error is below "
               "2^(16 - prec) times the yardstick's size, so it carries no order");
    int st = cli_print_table(t, g);
    table_clear(t);
    return st;
}

int cmd_converge(int argc, char **argv, const cli_globals *g)
{
    cli_option o[] = {{"--problem", 1, NULL}, {"--scheme", 1, NULL}, {"--method", 1, NULL},
                      {"--against", 1, NULL}, {"--steps", 1, NULL}};
    averr_t err;
    averr_clear(err);
    grad_method m, against = GRAD_BP;
    long steps[CONV_MAX_STEPS] = {4, 8, 16, 32, 64, 128, 256};
    int n = 7;
    if (cli_parse(argc, argv, o, 5, NULL, 0, NULL, err) != 0)
        return cli_fail(err);
    if (o[0].value == NULL || o[1].value == NULL || o[2].value == NULL) {
        averr_set(err, AV_EINPUT, "converge needs --problem, --scheme and --method");
        return cli_fail(err);
    }
    if (grad_method_lookup(&m, o[2].value, err) != 0 ||
        (o[3].value != NULL && grad_method_lookup(&against, o[3].value, err) != 0) ||
        (o[4].value != NULL && conv_parse_steps(steps, &n, o[4].value, err) != 0))
        return cli_fail(err);
    if (against != GRAD_BP && against != GRAD_REFERENCE) {
        averr_set(err, AV_EINPUT, "--against must be bp or reference, not '%s'", o[3].value);
        return cli_fail(err);
    }
    problem_t p;
    tableau_t tab;
    conv_result r;
    if (problem_init_lookup(p, o[0].value, g->prec, err) != 0)
        return cli_fail(err);
    if (tableau_init_lookup(tab, o[1].value, g->prec, err) != 0) {
        problem_clear(p);
        return cli_fail(err);
    }
    int st = conv_run(&r, p, tab, m, against, steps, n, err);
    if (st == 0) {
        st = print_result(&r, p, tab, m, against, g);
        conv_clear(&r);
    } else {
        st = cli_fail(err);
    }
    tableau_clear(tab);
    problem_clear(p);
    return st;
}
