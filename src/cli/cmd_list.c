/* cmd_list: `problems`, `schemes` and `show problem|scheme NAME`. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "../schemes/tableau.h"
#include "../problems/problem.h"

int cmd_problems(int argc, char **argv, const cli_globals *g)
{
    averr_t err;
    averr_clear(err);
    if (cli_parse(argc, argv, NULL, 0, NULL, 0, NULL, err) != 0)
        return cli_fail(err);
    static const char *const head[] = {"name", "model", "d", "parameters", "T", "field"};
    table_t t;
    table_init(t, "built-in problems", 6, head);
    for (const char *const *n = problem_builtin_names; *n != NULL; n++) {
        problem_t p;
        if (problem_init_lookup(p, *n, g->prec, err) != 0) {
            table_clear(t);
            return cli_fail(err);
        }
        table_row(t);
        table_cell(t, "%s", *n);
        table_cell(t, "%s", p->model->name);
        table_cell(t, "%d", p->d);
        table_cell(t, "%d", p->ntheta);
        table_cell(t, "%Qd", p->T_q);
        table_cell(t, "%s", p->model->summary);
        problem_clear(p);
    }
    int rc = cli_print_table(t, g);
    table_clear(t);
    return rc;
}

int cmd_schemes(int argc, char **argv, const cli_globals *g)
{
    averr_t err;
    averr_clear(err);
    if (cli_parse(argc, argv, NULL, 0, NULL, 0, NULL, err) != 0)
        return cli_fail(err);
    static const char *const head[] = {"name", "stages", "order", "explicit", "exact",
                                       "all b_i != 0"};
    table_t t;
    table_init(t, "built-in Runge-Kutta tableaux", 6, head);
    for (const char *const *n = tableau_builtin_names; *n != NULL; n++) {
        tableau_t tab;
        if (tableau_init_builtin(tab, *n, g->prec, err) != 0) {
            table_clear(t);
            return cli_fail(err);
        }
        table_row(t);
        table_cell(t, "%s", *n);
        table_cell(t, "%d", tab->s);
        table_cell(t, "%d", tab->order);
        table_cell(t, "%s", tab->explicit_ ? "yes" : "no");
        table_cell(t, "%s", tab->exact ? "yes" : "no (MPFR)");
        table_cell(t, "%s", tableau_all_b_nonzero(tab) ? "yes" : "no");
        tableau_clear(tab);
    }
    int rc = cli_print_table(t, g);
    table_clear(t);
    return rc;
}

/* A problem file is validated, then printed entry by entry (comments
 * dropped); a tableau file is
 * printed from the parsed tableau (exact rationals), so a round trip
 * through `show scheme` is a check of the parser. */
int cmd_show(int argc, char **argv, const cli_globals *g)
{
    averr_t err;
    averr_clear(err);
    const char *pos[2];
    int npos = 0;
    if (cli_parse(argc, argv, NULL, 0, pos, 2, &npos, err) != 0)
        return cli_fail(err);
    if (npos != 2 || (strcmp(pos[0], "problem") != 0 && strcmp(pos[0], "scheme") != 0)) {
        averr_set(err, AV_EINPUT, "usage: adjverify show problem|scheme NAME");
        return cli_fail(err);
    }
    if (strcmp(pos[0], "problem") == 0) {
        problem_t p;
        if (problem_init_lookup(p, pos[1], g->prec, err) != 0)
            return cli_fail(err);
        const char *text = problem_builtin_text(pos[1]);
        problem_clear(p);
        if (text != NULL) {
            fputs(text, stdout);
            return CLI_OK;
        }
        kvfile_t kv;
        if (kvfile_read(kv, pos[1], err) != 0)
            return cli_fail(err);
        for (int i = 0; i < kv->n; i++)
            printf("%s = %s\n", kv->entries[i].key, kv->entries[i].value);
        kvfile_clear(kv);
        return CLI_OK;
    }
    const char *text = tableau_builtin_text(pos[1]);
    if (text != NULL) {
        fputs(text, stdout);
        return CLI_OK;
    }
    tableau_t tab;
    if (tableau_init_lookup(tab, pos[1], g->prec, err) != 0)
        return cli_fail(err);
    int st = tableau_write(stdout, tab);
    tableau_clear(tab);
    if (st != 0) {
        averr_set(err, AV_ESYS, "could not write the tableau");
        return cli_fail(err);
    }
    return CLI_OK;
}
