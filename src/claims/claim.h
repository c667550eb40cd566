/* claim: the registry of the claims the suite checks, and the ledger.
 *
 * A claim is an id, its source, the statement as ../shared/claims.md gives
 * it, the precise reading the check tests, and a check function that
 * computes the evidence and the verdict.  A verdict is never typed in: each
 * check computes numbers and passes them to a small `decide` function of
 * its own, which the tests call with counter-evidence to show the verdict
 * flips.  Checks are grouped in files by source text.
 */
#ifndef ADJVERIFY_CLAIM_H
#define ADJVERIFY_CLAIM_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../report/table.h"
#include "../gradients/lagrangian.h"

typedef enum {
    VERDICT_VERIFIED = 0,
    VERDICT_REFUTED,
    VERDICT_QUALIFIED,
    VERDICT_ERROR
} verdict_t;

const char *verdict_name(verdict_t v);

/* Computations several checks and tables of one run share, made on
 * first use (notes_state_get in claims_notes.h: P7 solved with central
 * differences; refc_gradient in claims_refcache.h: reference gradients)
 * and freed by claim_ctx_clear.  A run owns one and passes
 * it to every check and generator in claim_opts.ctx. */
typedef struct {
    int has_notes;             /* NOTES holds P7 solved at NOTES_PREC */
    mpfr_prec_t notes_prec;
    lag_state_t notes;
    /* reference gradients made so far (claims_refcache.h: refc_gradient) */
    struct claim_refgrad *refs;
} claim_ctx;

/* Sets C empty; claim_ctx_clear frees what it holds and leaves it empty. */
void claim_ctx_init(claim_ctx *c);
void claim_ctx_clear(claim_ctx *c);

/* Options every check reads. */
typedef struct {
    mpfr_prec_t prec;   /* working precision, bits (default 256) */
    int digits;         /* digits printed (default 20) */
    claim_ctx *ctx;     /* the run's shared computations, or NULL: none */
} claim_opts;

/* Most tables a check may hand to a table generator (see tables below). */
#define CLAIM_MAX_TABLES 4

/* What a check fills: the verdict, one line of evidence, and optionally a
 * detail table (initialised by the check; the caller clears it).  A check
 * whose computation is also a generated table's may fill TABLES[0..
 * NTABLES-1] with exactly what that generator makes (tablegen_def.claim
 * names the claim); the ledger then writes them instead of computing them
 * a second time.  claim_result_clear frees them. */
typedef struct {
    verdict_t verdict;
    char evidence[600];
    int has_detail;
    table_t detail;
    int ntables;
    table_t tables[CLAIM_MAX_TABLES];
} claim_result;

typedef struct {
    const char *id;          /* "E1" */
    const char *source;      /* "000, 2.1" */
    const char *statement;   /* as in claims.md */
    const char *reading;     /* the precise reading the check tests */
    const char *command;     /* the command that reproduces the evidence */
    const char *file;        /* source file of the check */
    const char *func;        /* function name of the check */
    /* Fills R; returns 0, or a negative code with ERR set when the evidence
     * could not be computed (the ledger then shows ERROR). */
    int (*check)(claim_result *r, const claim_opts *o, averr_t err);
} claim_def;

/* All registered claims, in ledger order; the count in *N.  Each claim is
 * a `const claim_def claim_ID` defined beside its check and listed in
 * src/claims/registry.c. */
const claim_def *const *claim_registry(int *n);
/* The claim with ID (case-sensitive), or NULL. */
const claim_def *claim_find(const char *id);

void claim_result_init(claim_result *r);
void claim_result_clear(claim_result *r);

/* Sets the evidence line, printf-style (mpfr_printf conversions allowed). */
void claim_evidence(claim_result *r, const char *fmt, ...);

/* Runs one claim: clears MPFR flags, calls its check, turns a failure into
 * VERDICT_ERROR with the message as evidence. */
void claim_run(const claim_def *c, claim_result *r, const claim_opts *o);

#endif
