/* claim: verdict names, results, and running one claim with the MPFR flags
 * checked around it. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "claim.h"
#include "claims_refcache.h"
#include "../integrate/rk.h"

const char *verdict_name(verdict_t v)
{
    static const char *const names[] = {"VERIFIED", "REFUTED", "QUALIFIED", "ERROR"};
    return (unsigned)v <= VERDICT_ERROR ? names[v] : "ERROR";
}

void claim_ctx_init(claim_ctx *c)
{
    memset(c, 0, sizeof *c);
}

void claim_ctx_clear(claim_ctx *c)
{
    if (c->has_notes)
        lag_state_clear(c->notes);
    refc_clear(c);
    claim_ctx_init(c);
}

void claim_result_init(claim_result *r)
{
    memset(r, 0, sizeof *r);
    r->verdict = VERDICT_ERROR;
}

void claim_result_clear(claim_result *r)
{
    if (r->has_detail)
        table_clear(r->detail);
    r->has_detail = 0;
    for (int k = 0; k < r->ntables; k++)
        table_clear(r->tables[k]);
    r->ntables = 0;
}

void claim_evidence(claim_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (mpfr_vasprintf(&s, fmt, ap) >= 0 && s != NULL) {
        snprintf(r->evidence, sizeof r->evidence, "%s", s);
        mpfr_free_str(s);
    } else {
        snprintf(r->evidence, sizeof r->evidence, "(evidence could not be formatted)");
    }
    va_end(ap);
}

void claim_run(const claim_def *c, claim_result *r, const claim_opts *o)
{
    averr_t err;
    averr_clear(err);
    claim_result_init(r);
    mpfr_clear_flags();
    int st = c->check(r, o, err);
    if (st == 0)
        st = rk_check_flags(c->id, err);
    if (st != 0) {
        r->verdict = VERDICT_ERROR;
        snprintf(r->evidence, sizeof r->evidence, "%.*s",
                 (int)sizeof r->evidence - 1, err->msg);
    }
}
