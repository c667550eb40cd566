/* main: the adjverify command line.  Global options may stand anywhere;
 * the first other word is the subcommand, which gets the rest. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "../numbers/mpvec.h"

#define ADJVERIFY_VERSION "0.1.0"

static const cli_command commands[] = {
    {"gradient", "gradient --problem P --scheme S --steps N --method M [--exact]",
     cmd_gradient},
    {"gradflow", "gradflow [--eta Q] [--theta0 Q] [--t LIST] [--c Q] [--k K] [--descent "
                 "[--tend Q] [--steps LIST]]   the flow of L = c theta^k", cmd_gradflow},
    {"verify", "verify [--only ID,...] [--write DIR]   the claims ledger", cmd_verify},
    {"tables", "tables [--dir DIR]   regenerate every table", cmd_tables},
    {"problems", "problems   list the built-in problems", cmd_problems},
    {"schemes", "schemes   list the built-in tableaux", cmd_schemes},
    {"show", "show problem|scheme NAME   print one in the file format", cmd_show},
    {"partner", "partner --scheme S   the partner tableau, M and the verdict", cmd_partner},
    {"converge", "converge --problem P --scheme S --method M [--against bp|reference] "
                 "[--steps 4,8,...]   error and observed order per N", cmd_converge},
    {"derive", "derive notes [--variant exact|sign-error|drop-boundary]   the notes' "
               "Lagrangian derivation, every step with its residual", cmd_derive},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: adjverify [--prec BITS] [--digits D] [--format text|md|csv|tex] "
                 "COMMAND [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s\n", commands[i].synopsis);
    fprintf(out, "\nexit codes: 0 success, 1 a check disagreed or a claim could not be "
                 "established, 2 usage or input error\n");
}

/* Takes the global options out of ARGV (in place); the rest keeps its
 * order.  Returns the new count, or -1 with ERR set. */
static int take_globals(int argc, char **argv, cli_globals *g, int *help,
                        int *version, averr_t err)
{
    const char *prec = NULL, *digits = NULL, *format = NULL;
    int out = 0;
    for (int i = 0; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--prec") == 0     ? &prec
                            : strcmp(argv[i], "--digits") == 0 ? &digits
                            : strcmp(argv[i], "--format") == 0 ? &format
                                                               : NULL;
        if (slot != NULL) {
            if (*slot != NULL)
                return averr_set(err, AV_EINPUT, "option %s given twice", argv[i]), -1;
            if (i + 1 >= argc)
                return averr_set(err, AV_EINPUT, "option %s needs a value", argv[i]), -1;
            *slot = argv[++i];
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            *help = 1;
        } else if (strcmp(argv[i], "--version") == 0) {
            *version = 1;
        } else {
            argv[out++] = argv[i];
        }
    }
    long v;
    g->prec = 256;
    if (prec != NULL) {
        if (cli_long(&v, "--prec", prec, MPV_PREC_MIN, MPV_PREC_MAX, err) != 0)
            return -1;
        g->prec = (mpfr_prec_t)v;
    }
    long maxd = mpnum_max_digits(g->prec);
    g->digits = maxd < 20 ? (int)maxd : 20;
    if (digits != NULL) {
        if (cli_long(&v, "--digits", digits, 1, 1000000, err) != 0)
            return -1;
        if (v > maxd)
            return averr_set(err, AV_EINPUT, "--digits %ld is more than %ld bits support "
                             "(at most %ld digits; raise --prec)", v, (long)g->prec, maxd),
                   -1;
        g->digits = (int)v;
    }
    g->fmt = FMT_TEXT;
    if (format != NULL && report_format_lookup(&g->fmt, format, err) != 0)
        return -1;
    return out;
}

int main(int argc, char **argv)
{
    averr_t err;
    averr_clear(err);
    cli_globals g;
    int help = 0, version = 0;
    int n = take_globals(argc - 1, argv + 1, &g, &help, &version, err);
    if (n < 0)
        return cli_fail(err);
    if (version) {
        printf("adjverify %s (MPFR %s, GMP %s)\n", ADJVERIFY_VERSION, mpfr_get_version(),
               gmp_version);
        return CLI_OK;
    }
    if (help || n == 0) {
        usage(help ? stdout : stderr);
        return help ? CLI_OK : CLI_USAGE;
    }
    const char *name = argv[1];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0) {
            int rc = commands[i].run(n - 1, argv + 2, &g);
            /* MPFR keeps constants (pi, log 2) cached; free them so that a
             * leak checker sees nothing still held at exit. */
            mpfr_free_cache();
            if (fflush(stdout) != 0 || ferror(stdout)) {
                averr_set(err, AV_ESYS, "could not write the output");
                return cli_fail(err);
            }
            return rc;
        }
    averr_set(err, AV_EINPUT, name[0] == '-' ? "unknown option '%s' (try adjverify --help)"
                                             : "unknown command '%s' (try adjverify --help)",
              name);
    return cli_fail(err);
}
