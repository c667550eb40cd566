/* cli_util: option parsing, integer options, error printing and table
 * output shared by the subcommands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int cli_parse(int argc, char **argv, cli_option *opts, int n,
              const char **pos, int maxpos, int *npos, averr_t err)
{
    if (npos != NULL)
        *npos = 0;
    for (int i = 0; i < argc; i++) {
        int k = 0;
        while (k < n && strcmp(opts[k].name, argv[i]) != 0)
            k++;
        if (k == n) {
            if (argv[i][0] == '-' || pos == NULL || *npos >= maxpos)
                return averr_set(err, AV_EINPUT, argv[i][0] == '-'
                                 ? "unknown option '%s'" : "unexpected argument '%s'",
                                 argv[i]);
            pos[(*npos)++] = argv[i];
            continue;
        }
        if (opts[k].value != NULL)
            return averr_set(err, AV_EINPUT, "option %s given twice", opts[k].name);
        if (!opts[k].has_value) {
            opts[k].value = "1";
        } else if (i + 1 >= argc) {
            return averr_set(err, AV_EINPUT, "option %s needs a value", opts[k].name);
        } else {
            opts[k].value = argv[++i];
        }
    }
    return 0;
}

int cli_long(long *out, const char *opt, const char *s, long min, long max,
             averr_t err)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || (*s != '-' && (*s < '0' || *s > '9')))
        return averr_set(err, AV_EINPUT, "%s expects an integer, not '%s'", opt, s);
    if (errno == ERANGE || v < min || v > max)
        return averr_set(err, AV_EINPUT, "%s must be from %ld to %ld, not %s", opt, min,
                         max, s);
    *out = v;
    return 0;
}

int cli_fail(const averr_t err)
{
    fprintf(stderr, "adjverify: error: %s\n", err->msg[0] ? err->msg : "failed");
    return CLI_USAGE;
}

int cli_print_table(const table_t t, const cli_globals *g)
{
    averr_t err;
    averr_clear(err);
    if (table_write(stdout, t, g->fmt, 0, err) != 0)
        return cli_fail(err);
    return CLI_OK;
}
