/* cmd_gradflow: `adjverify gradflow`: the gradient flow of L = c theta^k
 * (default P4: c = 1/2, k = 4, eta = 1/10, theta(0) = 2) at the times
 * --t, solved numerically and by the closed forms; with --descent, gradient
 * descent against the flow at --tend for the step counts --steps.  Every
 * number option is read as an exact rational.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "../numbers/mpvec.h"
#include "../numbers/qnum.h"
#include "../claims/claims_essay_flow.h"

#define GF_MAX_LIST 1000

/* Splits S at commas into exact rationals OUT[0..*n-1] (at most MAX). */
static int parse_qlist(mpq_t *out, int *n, int max, const char *opt,
                       const char *s, averr_t err)
{
    *n = 0;
    const char *p = s;
    for (;;) {
        size_t len = strcspn(p, ",");
        if (*n >= max)
            return averr_set(err, AV_EINPUT, "%s: more than %d values", opt, max);
        if (qnum_parse(out[*n], p, len, err) != 0)
            return averr_prefix(err, "%s: value %d", opt, *n + 1);
        (*n)++;
        if (p[len] == '\0')
            return 0;
        p += len + 1;
    }
}

/* Splits S at commas into integers OUT[0..*n-1] in [MIN, MAX]. */
static int parse_llist(long *out, int *n, int max, const char *opt,
                       const char *s, long min, long maxv, averr_t err)
{
    char tok[32];
    *n = 0;
    for (const char *p = s;; p += strcspn(p, ",") + 1) {
        size_t len = strcspn(p, ",");
        if (*n >= max || len >= sizeof tok)
            return averr_set(err, AV_EINPUT, "%s: too many or too long values",
                             opt);
        memcpy(tok, p, len);
        tok[len] = '\0';
        if (cli_long(out + *n, opt, tok, min, maxv, err) != 0)
            return AV_EINPUT;
        (*n)++;
        if (p[len] == '\0')
            return 0;
    }
}

/* OPT's value as one exact rational (DEF when absent). */
static int parse_q(mpq_t out, const char *opt, const char *s, const char *def,
                   averr_t err)
{
    int rc = qnum_parse_str(out, s != NULL ? s : def, err);
    return rc != 0 ? averr_prefix(err, "%s", opt) : 0;
}

/* "adjverify gradflow ARGS...", for the tables' command line. */
static void command_line(char *buf, size_t size, int argc, char **argv)
{
    size_t used = (size_t)snprintf(buf, size, "adjverify gradflow");
    for (int i = 0; i < argc && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, " %s", argv[i]);
}

static int run_flow(const gflow_t gf, const mpq_t *tq, int nt, const char *cmd,
                    const cli_globals *g, averr_t err)
{
    mpfr_ptr ts = mpblock_alloc((size_t)nt, g->prec, err);
    if (ts == NULL)
        return AV_ESYS;
    for (int i = 0; i < nt; i++)
        mpfr_set_q(ts + i, tq[i], MPFR_RNDN);
    table_t t;
    int rc = essay_flow_table_flow(t, gf, ts, nt, g->digits, err);
    if (rc == 0) {
        table_set_command(t, cmd, (long)g->prec);
        rc = report_write_stream(stdout, (const table_t *)&t, 1, g->fmt, 0, err);
        table_clear(t);
    }
    mpblock_free(ts);
    return rc;
}

static int run_descent(const gflow_t gf, const mpq_t tend, const long *ns,
                       int n, const char *cmd, const cli_globals *g,
                       averr_t err)
{
    table_t t[2];
    int nt = 0;
    int rc = essay_flow_table_gd(t, &nt, NULL, gf, tend, ns, n, g->digits, err);
    if (rc == 0) {
        for (int i = 0; i < nt; i++)
            table_set_command(t[i], cmd, (long)g->prec);
        rc = report_write_stream(stdout, (const table_t *)t, nt, g->fmt, 0, err);
        for (int i = 0; i < nt; i++)
            table_clear(t[i]);
    }
    return rc;
}

int cmd_gradflow(int argc, char **argv, const cli_globals *g)
{
    cli_option o[] = {{"--eta", 1, NULL},  {"--theta0", 1, NULL},
                      {"--t", 1, NULL},    {"--c", 1, NULL},
                      {"--k", 1, NULL},    {"--descent", 0, NULL},
                      {"--tend", 1, NULL}, {"--steps", 1, NULL}};
    averr_t err;
    averr_clear(err);
    long k = 4;
    if (cli_parse(argc, argv, o, 8, NULL, 0, NULL, err) != 0 ||
        (o[4].value != NULL &&
         cli_long(&k, "--k", o[4].value, 2, GFLOW_K_MAX, err) != 0))
        return cli_fail(err);
    mpq_t eta, th0, c, tend, tq[GF_MAX_LIST];
    mpq_inits(eta, th0, c, tend, NULL);
    for (int i = 0; i < GF_MAX_LIST; i++)
        mpq_init(tq[i]);
    long ns[64];
    int nt = 0, nn = 0;
    int rc = parse_q(eta, "--eta", o[0].value, "1/10", err);
    if (rc == 0)
        rc = parse_q(th0, "--theta0", o[1].value, "2", err);
    if (rc == 0)
        rc = parse_q(c, "--c", o[3].value, "1/2", err);
    if (rc == 0)
        rc = parse_q(tend, "--tend", o[6].value, "2", err);
    if (rc == 0)
        rc = parse_qlist(tq, &nt, GF_MAX_LIST, "--t",
                         o[2].value != NULL ? o[2].value : "1/2,1,2,5,10", err);
    for (int i = 0; rc == 0 && i < nt; i++)
        if (mpq_sgn(tq[i]) < 0)
            rc = averr_set(err, AV_EINPUT, "--t: time %d is negative", i + 1);
    if (rc == 0) {
        const char *sl = o[7].value != NULL ? o[7].value : "20,40,80,160,320,640";
        rc = parse_llist(ns, &nn, 64, "--steps", sl, 1, 100000000L, err);
    }
    gflow_t gf;
    if (rc == 0 && (rc = gflow_init(gf, c, (int)k, eta, th0, g->prec, err)) == 0) {
        char cmd[1024];
        command_line(cmd, sizeof cmd, argc, argv);
        rc = o[5].value != NULL ? run_descent(gf, tend, ns, nn, cmd, g, err)
                                : run_flow(gf, (const mpq_t *)tq, nt, cmd, g, err);
        gflow_clear(gf);
    }
    mpq_clears(eta, th0, c, tend, NULL);
    for (int i = 0; i < GF_MAX_LIST; i++)
        mpq_clear(tq[i]);
    return rc == 0 ? CLI_OK : cli_fail(err);
}
