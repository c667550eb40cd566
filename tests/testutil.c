/* testutil: failure checks and text-built problems and tableaux shared by
 * the module suites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <check.h>
#include "testutil.h"
#include "../src/numbers/kvfile.h"

void tu_expect_fail(int rc, const averr_t err, int code, const char *needle1,
                    const char *needle2, const char *context)
{
    ck_assert_msg(rc == code, "%s: status %d (want %d), message '%s'", context, rc,
                  code, err->msg);
    ck_assert_msg(err->code == code, "%s: record code %d (want %d)", context,
                  err->code, code);
    ck_assert_msg(strstr(err->msg, needle1) != NULL, "%s: '%s' lacks '%s'", context,
                  err->msg, needle1);
    if (needle2 != NULL)
        ck_assert_msg(strstr(err->msg, needle2) != NULL, "%s: '%s' lacks '%s'",
                      context, err->msg, needle2);
}

void tu_expect_place(int rc, const averr_t err, const char *place,
                     const char *what, const char *context)
{
    tu_expect_fail(rc, err, AV_EINPUT, place, what, context);
    ck_assert_msg(strncmp(err->msg, place, strlen(place)) == 0,
                  "%s: '%s' does not start with '%s'", context, err->msg, place);
}

/* Parses TEXT into KV (cleared on failure, so kvfile_clear is safe). */
static int parse_text(kvfile_t kv, const char *origin, const char *text, averr_t err)
{
    averr_clear(err);
    return kvfile_parse(kv, origin, text, strlen(text), err);
}

int tu_problem_text(problem_t p, const char *origin, const char *text,
                    mpfr_prec_t prec, averr_t err)
{
    kvfile_t kv;
    memset(p, 0, sizeof *p);
    int st = parse_text(kv, origin, text, err);
    st = st != 0 ? st : problem_init_kv(p, kv, prec, err);
    kvfile_clear(kv);
    return st;
}

int tu_tableau_text(tableau_t t, const char *origin, const char *text,
                    mpfr_prec_t prec, averr_t err)
{
    kvfile_t kv;
    memset(t, 0, sizeof *t);
    int st = parse_text(kv, origin, text, err);
    st = st != 0 ? st : tableau_init_kv(t, kv, prec, err);
    kvfile_clear(kv);
    return st;
}

int tu_run(const char *args, char *out, size_t n)
{
    const char *bin = getenv("ADJVERIFY_BIN");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "\"%s\" %s 2>&1", bin != NULL ? bin : "bin/adjverify", args);
    FILE *f = popen(cmd, "r");
    ck_assert_ptr_nonnull(f);
    size_t len = fread(out, 1, n - 1, f);
    out[len] = '\0';
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
