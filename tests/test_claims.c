/* test_claims: the verdicts of E1 and T1 come from their decide functions,
 * which flip when handed counter-evidence built from the real measurement;
 * E1 and T1 run to VERIFIED at 128 bits; the registry is well formed; a
 * check that fails or leaves a NaN becomes an ERROR in the ledger.
 */
#include <stdio.h>
#include <string.h>
#include <check.h>
#include <mpfr.h>
#include "suites.h"
#include "testutil.h"
#include "../src/numbers/mpvec.h"
#include "../src/claims/claim.h"
#include "../src/claims/claims_essay.h"
#include "../src/claims/claims_transcript.h"

#define PREC 128

/* The measured orders of every built-in on P2 give VERIFIED; moving any
 * one of them by 0.5 either way gives REFUTED; no evidence is an ERROR. */
START_TEST(e1_decide_flips)
{
    double measured[64];
    int stated[64];
    table_t t;
    averr_t err;
    averr_clear(err);
    int n = e1_order_table(t, measured, stated, PREC, err);
    ck_assert_msg(n > 0 && n <= 64, "%d: %s", n, err->msg);
    ck_assert_int_eq((int)t->nrows, n);
    ck_assert_int_eq(e1_decide(measured, stated, n, 0.1), VERDICT_VERIFIED);
    for (int k = 0; k < n; k++) {
        double keep = measured[k];
        measured[k] = keep + 0.5;
        ck_assert_int_eq(e1_decide(measured, stated, n, 0.1), VERDICT_REFUTED);
        measured[k] = keep - 0.5;
        ck_assert_int_eq(e1_decide(measured, stated, n, 0.1), VERDICT_REFUTED);
        measured[k] = keep;
    }
    /* a scheme stated one order too high is refuted by the same measurement */
    stated[n - 1]++;
    ck_assert_int_eq(e1_decide(measured, stated, n, 0.1), VERDICT_REFUTED);
    stated[n - 1]--;
    ck_assert_int_eq(e1_decide(measured, stated, 0, 0.1), VERDICT_ERROR);
    table_clear(t);
}
END_TEST

/* T1 at the boundary: exactly the required digits (the requirement its
 * check uses at 256 bits) verify, one digit fewer refutes. */
START_TEST(t1_decide_flips)
{
    long required = mpnum_max_digits(256) - 12;
    ck_assert_int_eq(t1_decide(required, required), VERDICT_VERIFIED);
    ck_assert_int_eq(t1_decide(required - 1, required), VERDICT_REFUTED);
    ck_assert_int_eq(t1_decide(0, required), VERDICT_REFUTED);
}
END_TEST

START_TEST(claims_verified_at_128_bits)
{
    static const char *const ids[] = {"E1", "T1"};
    const claim_def *c = claim_find(ids[_i]);
    ck_assert_ptr_nonnull(c);
    claim_opts o = {.prec = PREC, .digits = 20};
    claim_result r;
    claim_run(c, &r, &o);
    ck_assert_msg(r.verdict == VERDICT_VERIFIED, "%s at %d bits: %s (%s)", c->id, PREC,
                  verdict_name(r.verdict), r.evidence);
    ck_assert(r.evidence[0] != '\0');
    if (_i == 0) {
        ck_assert(r.has_detail);
        ck_assert_ptr_nonnull(strstr(r.evidence, "built-in schemes on P2"));
    }
    claim_result_clear(&r);
}
END_TEST

START_TEST(registry_well_formed)
{
    int n = 0;
    const claim_def *const *all = claim_registry(&n);
    ck_assert_int_ge(n, 2);
    for (int i = 0; i < n; i++) {
        const claim_def *c = all[i];
        ck_assert(c->id && c->source && c->statement && c->reading && c->command &&
                  c->file && c->func && c->check);
        ck_assert_ptr_eq(claim_find(c->id), c);
        for (int j = 0; j < i; j++)
            ck_assert_msg(strcmp(all[j]->id, c->id) != 0, "claim %s registered twice",
                          c->id);
    }
    ck_assert_ptr_null(claim_find("no-such-claim"));
    ck_assert_str_eq(verdict_name(VERDICT_REFUTED), "REFUTED");
    ck_assert_str_eq(verdict_name((verdict_t)99), "ERROR");
}
END_TEST

/* A check that fails, and one that returns 0 but leaves a NaN behind. */
static int check_fails(claim_result *r, const claim_opts *o, averr_t err)
{
    (void)o;
    r->verdict = VERDICT_VERIFIED;
    return averr_set(err, AV_ENUM, "the evidence could not be computed");
}

static int check_leaves_nan(claim_result *r, const claim_opts *o, averr_t err)
{
    (void)err;
    mpfr_t x;
    mpfr_init2(x, o->prec);
    mpfr_set_si(x, -1, MPFR_RNDN);
    mpfr_sqrt(x, x, MPFR_RNDN);
    mpfr_clear(x);
    r->verdict = VERDICT_VERIFIED;
    return 0;
}

START_TEST(claim_run_reports_errors)
{
    claim_def bad = {.id = "X1", .check = check_fails};
    claim_opts o = {.prec = 64, .digits = 10};
    claim_result r;
    claim_run(&bad, &r, &o);
    ck_assert_int_eq(r.verdict, VERDICT_ERROR);
    ck_assert_str_eq(r.evidence, "the evidence could not be computed");
    claim_result_clear(&r);
    bad.check = check_leaves_nan;
    claim_run(&bad, &r, &o);
    ck_assert_int_eq(r.verdict, VERDICT_ERROR);
    ck_assert_msg(strstr(r.evidence, "X1") && strstr(r.evidence, "NaN"), "'%s'",
                  r.evidence);
    claim_result_clear(&r);
}
END_TEST

Suite *suite_claims(void)
{
    Suite *s = suite_create("claims");
    TCase *d = tcase_create("decide");
    tcase_add_test(d, e1_decide_flips);
    tcase_add_test(d, t1_decide_flips);
    suite_add_tcase(s, d);
    TCase *r = tcase_create("run");
    tcase_set_timeout(r, 30);
    tcase_add_loop_test(r, claims_verified_at_128_bits, 0, 2);
    tcase_add_test(r, registry_well_formed);
    tcase_add_test(r, claim_run_reports_errors);
    suite_add_tcase(s, r);
    return s;
}
