/* cli: the `adjverify` command line.  Nothing numeric lives here: each
 * subcommand parses its options, calls the library and prints a table.
 * Only this layer prints `adjverify: error:` and chooses exit codes:
 * 0 success, 1 a check disagreed or a claim could not be established,
 * 2 usage or input error.
 */
#ifndef ADJVERIFY_CLI_H
#define ADJVERIFY_CLI_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../report/table.h"

enum { CLI_OK = 0, CLI_DISAGREE = 1, CLI_USAGE = 2 };

/* The global options, parsed before the subcommand. */
typedef struct {
    mpfr_prec_t prec;      /* --prec, default 256 */
    int digits;            /* --digits, default 20 */
    report_format fmt;     /* --format, default text */
} cli_globals;

typedef struct {
    const char *name;
    const char *synopsis;  /* one line for --help */
    int (*run)(int argc, char **argv, const cli_globals *g);
} cli_command;

/* One option of a subcommand.  VALUE receives the argument (or "1" for a
 * flag); repeating an option is an error. */
typedef struct {
    const char *name;      /* "--problem" */
    int has_value;
    const char *value;     /* out: NULL when absent */
} cli_option;

/* Parses ARGV[0..ARGC-1] against OPTS (N of them); positional arguments
 * are an error unless POS is not NULL, in which case up to MAXPOS of them
 * are stored there and *NPOS is set.  AV_EINPUT for an unknown option, a
 * missing value or a repeated option. */
int cli_parse(int argc, char **argv, cli_option *opts, int n,
              const char **pos, int maxpos, int *npos, averr_t err);

/* Reads an integer in [MIN, MAX] from S for option OPT. */
int cli_long(long *out, const char *opt, const char *s, long min, long max,
             averr_t err);

/* Prints `adjverify: error: MESSAGE` on stderr and returns CLI_USAGE. */
int cli_fail(const averr_t err);

/* Writes T to stdout in the global format (text/md/csv/tex). */
int cli_print_table(const table_t t, const cli_globals *g);

/* `gradient --exact` (cli_exact.c): the gradient in exact rationals by METHOD
 * (bp, partner, same, backsolve, interp; NULL = bp).  Returns an exit code. */
int cli_gradient_exact(const char *problem, const char *scheme, const char *steps,
                       const char *method, const cli_globals *g);

/* The subcommands (one file each, src/cli/cmd_NAME.c). */
int cmd_gradient(int argc, char **argv, const cli_globals *g);
int cmd_problems(int argc, char **argv, const cli_globals *g);
int cmd_schemes(int argc, char **argv, const cli_globals *g);
int cmd_show(int argc, char **argv, const cli_globals *g);
int cmd_verify(int argc, char **argv, const cli_globals *g);
int cmd_tables(int argc, char **argv, const cli_globals *g);
int cmd_partner(int argc, char **argv, const cli_globals *g);
int cmd_gradflow(int argc, char **argv, const cli_globals *g);
int cmd_derive(int argc, char **argv, const cli_globals *g);
int cmd_converge(int argc, char **argv, const cli_globals *g);

#endif
