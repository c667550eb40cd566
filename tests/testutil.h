/* testutil: helpers the module suites share: checking a failure's code and
 * message, and building problems and tableaux from text exactly as a user's
 * file is read (kvfile_parse, then the module's _init_kv).
 */
#ifndef ADJVERIFY_TESTUTIL_H
#define ADJVERIFY_TESTUTIL_H

#include <mpfr.h>
#include "../src/numbers/averr.h"
#include "../src/schemes/tableau.h"
#include "../src/problems/problem.h"

/* Fails the running test unless RC and err->code are CODE and the message
 * contains NEEDLE1 and, when not NULL, NEEDLE2.  CONTEXT names the case in
 * the failure report. */
void tu_expect_fail(int rc, const averr_t err, int code, const char *needle1,
                    const char *needle2, const char *context);

/* Like tu_expect_fail with AV_EINPUT, and the message must begin with PLACE
 * (for example "user.txt:3:5:"). */
void tu_expect_place(int rc, const averr_t err, const char *place,
                     const char *what, const char *context);

/* Parses TEXT as a file named ORIGIN and builds a problem (or tableau) from
 * it at PREC; returns the status of the first step that fails. */
int tu_problem_text(problem_t p, const char *origin, const char *text,
                    mpfr_prec_t prec, averr_t err);
int tu_tableau_text(tableau_t t, const char *origin, const char *text,
                    mpfr_prec_t prec, averr_t err);

/* Runs `$ADJVERIFY_BIN ARGS` (bin/adjverify when unset) through the shell
 * with stderr joined to stdout; OUT (N bytes) receives the output, cut to
 * N - 1 bytes and NUL-terminated.  Returns the exit status, or -1 when the
 * program did not exit normally. */
int tu_run(const char *args, char *out, size_t n);

#endif
