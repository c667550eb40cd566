/* cmd_verify: `verify` (the claims ledger) and `tables` (every generated
 * table, ledger included, written atomically into a directory). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "../claims/claim.h"
#include "../claims/tablegen.h"
#include "cli_files.h"

/* The ledger as a file: every column a reader needs to reproduce a verdict. */
static void ledger_full(table_t t, const claim_def *const *defs,
                        const claim_result *res, int n, long prec)
{
    static const char *const head[] = {"id", "source", "statement", "verdict",
                                       "evidence", "precise reading", "reproduce",
                                       "check"};
    table_init(t, "The claims ledger", 8, head);
    table_set_command(t, "adjverify verify", prec);
    for (int i = 0; i < n; i++) {
        table_row(t);
        table_cell(t, "%s", defs[i]->id);
        table_cell(t, "%s", defs[i]->source);
        table_cell(t, "%s", defs[i]->statement);
        table_cell(t, "%s", verdict_name(res[i].verdict));
        table_cell(t, "%s", res[i].evidence);
        table_cell(t, "%s", defs[i]->reading);
        table_cell(t, "%s", defs[i]->command);
        table_cell(t, "%s: %s()", defs[i]->file, defs[i]->func);
    }
}

static int write_all(const char *dir, const claim_def *const *defs,
                     const claim_result *res, int n, const claim_opts *o, averr_t err)
{
    table_t ledger[1];
    ledger_full(ledger[0], defs, res, n, (long)o->prec);
    int st = cli_write_files(dir, "claims", (const table_t *)ledger, 1, err);
    table_clear(ledger[0]);
    int ng;
    const tablegen_def *const *gens = tablegen_registry(&ng);
    for (int i = 0; i < ng && st == 0; i++) {
        const claim_result *from = NULL;
        for (int k = 0; k < n && gens[i]->claim != NULL; k++)
            if (strcmp(defs[k]->id, gens[i]->claim) == 0 && res[k].ntables > 0
                && res[k].verdict != VERDICT_ERROR)
                from = &res[k];
        if (from != NULL) {     /* the claim computed this table already */
            st = cli_write_files(dir, gens[i]->base,
                                 (const table_t *)from->tables, from->ntables,
                                 err);
            continue;
        }
        table_t out[TABLEGEN_MAX];
        int nt = 0;
        mpfr_clear_flags();
        if ((st = gens[i]->make(out, &nt, o, err)) != 0) {
            averr_prefix(err, "table %s", gens[i]->base);
            break;
        }
        st = cli_write_files(dir, gens[i]->base, (const table_t *)out, nt, err);
        for (int k = 0; k < nt; k++)
            table_clear(out[k]);
    }
    return st;
}

/* Runs the claims (all, or those in the comma-separated ONLY). */
static int run_claims(const claim_def ***defs_out, claim_result **res_out, int *n_out,
                      const char *only, const claim_opts *o, averr_t err)
{
    int n;
    const claim_def *const *all = claim_registry(&n);
    const claim_def **defs = malloc((size_t)n * sizeof *defs);
    claim_result *res = calloc((size_t)n, sizeof *res);
    if (defs == NULL || res == NULL) {
        free(defs);
        free(res);
        return averr_set(err, AV_ESYS, "out of memory");
    }
    int k = 0;
    if (only == NULL) {
        for (int i = 0; i < n; i++)
            defs[k++] = all[i];
    } else {
        char buf[512];
        snprintf(buf, sizeof buf, "%s", only);
        char *save = NULL;
        for (char *tok = strtok_r(buf, ",", &save); tok != NULL;
             tok = strtok_r(NULL, ",", &save)) {
            const claim_def *c = claim_find(tok);
            if (c == NULL || k >= n) {
                free(defs);
                free(res);
                return averr_set(err, AV_EINPUT, "unknown claim id '%s' (see "
                                 "adjverify verify for the list)", tok);
            }
            defs[k++] = c;
        }
    }
    for (int i = 0; i < k; i++)
        claim_run(defs[i], &res[i], o);
    *defs_out = defs;
    *res_out = res;
    *n_out = k;
    return 0;
}

static void free_claims(const claim_def **defs, claim_result *res, int n)
{
    for (int i = 0; i < n; i++)
        claim_result_clear(&res[i]);
    free(res);
    free((void *)defs);
}

static int verify_or_tables(int argc, char **argv, const cli_globals *g, int is_tables)
{
    cli_option o[] = {{"--only", 1, NULL}, {"--write", 1, NULL}, {"--dir", 1, NULL}};
    averr_t err;
    averr_clear(err);
    if (cli_parse(argc, argv, o + (is_tables ? 2 : 0), is_tables ? 1 : 2, NULL, 0, NULL,
                  err) != 0)
        return cli_fail(err);
    const char *dir = is_tables ? (o[2].value ? o[2].value : "tables") : o[1].value;
    if (dir != NULL && o[0].value != NULL) {
        averr_set(err, AV_EINPUT, "--write writes the whole ledger: drop --only");
        return cli_fail(err);
    }
    if (dir != NULL && cli_check_dir(dir, err) != 0)
        return cli_fail(err);
    claim_ctx ctx;              /* what several checks share, made once */
    claim_ctx_init(&ctx);
    claim_opts opts = {.prec = g->prec, .digits = g->digits, .ctx = &ctx};
    const claim_def **defs = NULL;
    claim_result *res = NULL;
    int n = 0;
    if (run_claims(&defs, &res, &n, o[0].value, &opts, err) != 0) {
        claim_ctx_clear(&ctx);
        return cli_fail(err);
    }
    int counts[4] = {0, 0, 0, 0}, rc = CLI_OK;
    for (int i = 0; i < n; i++)
        counts[res[i].verdict]++;
    if (!is_tables) {
        static const char *const head[] = {"id", "verdict", "evidence"};
        table_t t;
        table_init(t, "The claims ledger", 3, head);
        table_set_command(t, "adjverify verify", (long)g->prec);
        for (int i = 0; i < n; i++) {
            table_row(t);
            table_cell(t, "%s", defs[i]->id);
            table_cell(t, "%s", verdict_name(res[i].verdict));
            table_cell(t, "%s", res[i].evidence);
        }
        rc = cli_print_table(t, g);
        table_clear(t);
        if (g->fmt != FMT_CSV)
            printf("\n%d claims: %d VERIFIED, %d REFUTED, %d QUALIFIED, %d ERROR\n", n,
                   counts[0], counts[1], counts[2], counts[3]);
    }
    if (rc == CLI_OK && dir != NULL) {
        if (write_all(dir, (const claim_def *const *)defs, res, n, &opts, err) != 0)
            rc = cli_fail(err);
        else if (is_tables)
            printf("tables written to %s/\n", dir);
    }
    if (rc == CLI_OK && counts[VERDICT_ERROR] > 0)
        rc = CLI_DISAGREE;
    free_claims(defs, res, n);
    claim_ctx_clear(&ctx);
    return rc;
}

int cmd_verify(int argc, char **argv, const cli_globals *g)
{
    return verify_or_tables(argc, argv, g, 0);
}

int cmd_tables(int argc, char **argv, const cli_globals *g)
{
    return verify_or_tables(argc, argv, g, 1);
}
