/* test_schemes: the built-in tableaux (stated order equals the order the
 * conditions of Hairer-Norsett-Wanner I, Table II.2.2 give; c = row sums of
 * A; sum b = 1), the errors of a user's tableau file (each naming
 * origin:line:col), and the round trip tableau_write -> parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <gmp.h>
#include <mpfr.h>
#include "suites.h"
#include "testutil.h"
#include "../src/numbers/mpvec.h"
#include "../src/numbers/kvfile.h"
#include "../src/schemes/tableau.h"

#define PREC 128

static int n_builtins(void)
{
    int n = 0;
    while (tableau_builtin_names[n] != NULL)
        n++;
    return n;
}

/* Row sums and sum b = 1: exactly for rational tableaux, and for gauss2
 * (MPFR only) to within a few units in the last place. */
static void check_sums(const tableau_t t)
{
    int s = t->s;
    if (t->exact) {
        mpq_t sum;
        mpq_init(sum);
        for (int i = 0; i < s; i++) {
            mpq_set_ui(sum, 0, 1);
            for (int j = 0; j < s; j++)
                mpq_add(sum, sum, t->Aq[i * s + j]);
            ck_assert_msg(mpq_equal(sum, t->cq[i]), "%s: row %d of A does not sum to c",
                          t->name, i);
        }
        mpq_set_ui(sum, 0, 1);
        for (int i = 0; i < s; i++)
            mpq_add(sum, sum, t->bq[i]);
        ck_assert_msg(mpq_cmp_ui(sum, 1, 1) == 0, "%s: sum b != 1", t->name);
        mpq_clear(sum);
        return;
    }
    mpfr_t sum, tol;
    mpfr_inits2(t->prec + 16, sum, tol, (mpfr_ptr)0);
    mpfr_set_ui_2exp(tol, 1, -(long)t->prec + 4, MPFR_RNDN);
    for (int i = 0; i < s; i++) {
        mpfr_set_zero(sum, 1);
        for (int j = 0; j < s; j++)
            mpfr_add(sum, sum, t->A + i * s + j, MPFR_RNDN);
        mpfr_sub(sum, sum, t->c + i, MPFR_RNDN);
        ck_assert_msg(mpfr_cmpabs(sum, tol) <= 0, "%s: row %d of A does not sum to c",
                      t->name, i);
    }
    mpfr_clears(sum, tol, (mpfr_ptr)0);
}

START_TEST(builtin_order_and_sums)
{
    const char *name = tableau_builtin_names[_i];
    tableau_t t;
    averr_t err;
    averr_clear(err);
    ck_assert_msg(tableau_init_builtin(t, name, PREC, err) == 0, "%s: %s", name, err->msg);
    int computed = tableau_computed_order(t);
    ck_assert_msg(t->order == computed, "%s: stated order %d, conditions give %d", name,
                  t->order, computed);
    ck_assert_msg(t->order >= 1 && t->order <= 4, "%s: order %d", name, t->order);
    check_sums(t);
    /* gauss2 alone is irrational; the first eight are explicit. */
    ck_assert_int_eq(t->exact, strcmp(name, "gauss2") != 0);
    ck_assert_int_eq(t->explicit_, _i < 8);
    ck_assert_ptr_nonnull(tableau_builtin_text(name));
    tableau_clear(t);
}
END_TEST

/* tableau_computed_order must see a broken condition: rk4 with b_1 and b_2
 * exchanged still has sum b = 1 but loses order 2. */
START_TEST(computed_order_sees_damage)
{
    tableau_t t, u;
    averr_t err;
    averr_clear(err);
    ck_assert_int_eq(tableau_init_builtin(t, "rk4", PREC, err), 0);
    mpq_t b[4];
    for (int i = 0; i < 4; i++)
        mpq_init(b[i]);
    mpq_set(b[0], t->bq[1]);
    mpq_set(b[1], t->bq[0]);
    mpq_set(b[2], t->bq[2]);
    mpq_set(b[3], t->bq[3]);
    ck_assert_int_eq(tableau_init_q(u, "swapped", 4, (const mpq_t *)t->Aq,
                                    (const mpq_t *)b, (const mpq_t *)t->cq, 0, PREC, err),
                     0);
    ck_assert_int_eq(u->order, 1);
    ck_assert_int_eq(tableau_computed_order(u), 1);
    for (int i = 0; i < 4; i++)
        mpq_clear(b[i]);
    tableau_clear(u);
    tableau_clear(t);
}
END_TEST

/* A user's tableau file with one fault each; the place is counted in the
 * text (line, then the column where the offending value or row starts). */
static const struct {
    const char *text, *place, *what;
} bad_tableau[] = {
    /* ragged A: row 2 starts at column 10 of line 1 */
    {"A = 0 0; 1\nb = 1/2 1/2\n", "user.txt:1:10:", "row 2 has 1 value"},
    /* b of the wrong length: its value starts at column 5 of line 2 */
    {"A = 0 0; 1 0\nb = 1\n", "user.txt:2:5:", "'b' should be 1 x 2"},
    /* c inconsistent with A: named at c's value, line 1 column 5 */
    {"c = 0 1/2\nA = 0 0; 1 0\nb = 1/2 1/2\n", "user.txt:1:5:",
     "c[2] = 1/2 but row 2 of A sums to 1"},
    /* 0 stages: an empty A */
    {"A =\nb = 1\n", "user.txt:1:4:", "expected a value"},
    {"A = ;\nb = 1\n", "user.txt:1:5:", "row 1 of 'A' is empty"},
    /* non-square A */
    {"A = 0 0 0; 1 0 0\nb = 1/2 1/2\n", "user.txt:1:5:", "'A' should be 2 x 2"},
    /* a malformed number in A */
    {"name = x\nA = 0 0; 1//2 0\nb = 1/2 1/2\n", "user.txt:2:10:", "'1//2'"},
    /* an order that is not a positive integer */
    {"order = 3/2\nA = 0\nb = 1\n", "user.txt:1:9:", "order"},
    /* an unknown key */
    {"A = 0\nb = 1\nd = 1\n", "user.txt:3:", "'d'"},
};

START_TEST(user_tableau_errors)
{
    tableau_t t;
    averr_t err;
    char ctx[64];
    snprintf(ctx, sizeof ctx, "bad tableau %d", _i);
    int rc = tu_tableau_text(t, "user.txt", bad_tableau[_i].text, PREC, err);
    tu_expect_place(rc, err, bad_tableau[_i].place, bad_tableau[_i].what, ctx);
    tableau_clear(t);
}
END_TEST

/* A missing A or b has no line to name; the file is still named. */
START_TEST(user_tableau_missing_keys)
{
    tableau_t t;
    averr_t err;
    tu_expect_place(tu_tableau_text(t, "user.txt", "b = 1\n", PREC, err), err,
                    "user.txt:", "missing key 'A'", "no A");
    tableau_clear(t);
    tu_expect_place(tu_tableau_text(t, "user.txt", "A = 0\n", PREC, err), err,
                    "user.txt:", "missing key 'b'", "no b");
    tableau_clear(t);
    tu_expect_fail(tableau_init_q(t, "none", 0, NULL, NULL, NULL, 0, PREC, err), err,
                   AV_EINPUT, "stages", NULL, "0 stages from rationals");
    tableau_clear(t);
    tu_expect_fail(tableau_init_lookup(t, "nosuch", PREC, err), err, AV_EINPUT,
                   "unknown scheme 'nosuch'", "rk4", "unknown name");
    tableau_clear(t);
}
END_TEST

/* A user's file without c gets c = row sums, and the order from the
 * conditions: Ralston's 2/3 method written without c or order. */
START_TEST(user_tableau_defaults)
{
    tableau_t t;
    averr_t err;
    ck_assert_int_eq(tu_tableau_text(t, "user.txt", "A = 0 0; 2/3 0\nb = 1/4 3/4\n",
                                     PREC, err), 0);
    ck_assert_str_eq(t->name, "user");
    ck_assert_int_eq(t->order, 2);
    ck_assert_int_eq(t->explicit_, 1);
    ck_assert(mpq_cmp_ui(t->cq[1], 2, 3) == 0 && mpq_sgn(t->cq[0]) == 0);
    tableau_clear(t);
}
END_TEST

/* Writes T to memory and reads it back as a user's file. */
static int write_and_read(tableau_t back, const tableau_t t, averr_t err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(tableau_write(f, t), 0);
    ck_assert_int_eq(fclose(f), 0);
    int st = tu_tableau_text(back, "written", buf, t->prec, err);
    free(buf);
    return st;
}

START_TEST(write_round_trip)
{
    const char *name = tableau_builtin_names[_i];
    tableau_t t, back;
    averr_t err;
    averr_clear(err);
    ck_assert_int_eq(tableau_init_builtin(t, name, PREC, err), 0);
    ck_assert_msg(write_and_read(back, t, err) == 0, "%s: %s", name, err->msg);
    int s = t->s;
    ck_assert_int_eq(back->s, s);
    ck_assert_int_eq(back->order, t->order);
    ck_assert_str_eq(back->name, t->name);
    if (t->exact) {
        for (int k = 0; k < s * s; k++)
            ck_assert_msg(mpq_equal(back->Aq[k], t->Aq[k]), "%s: A[%d]", name, k);
        for (int k = 0; k < s; k++) {
            ck_assert_msg(mpq_equal(back->bq[k], t->bq[k]), "%s: b[%d]", name, k);
            ck_assert_msg(mpq_equal(back->cq[k], t->cq[k]), "%s: c[%d]", name, k);
        }
    } else {
        /* gauss2 is written as decimals with every digit PREC supports, so
         * the decimals read back agree to all but the last one or two. */
        long want = mpnum_max_digits(PREC) - 2;
        long got = mpvec_digits(back->A, t->A, (size_t)(s * s + 2 * s), 1000);
        ck_assert_msg(got >= want, "gauss2 written and read: %ld digits, want %ld", got,
                      want);
    }
    tableau_clear(back);
    tableau_clear(t);
}
END_TEST

Suite *suite_schemes(void)
{
    Suite *s = suite_create("schemes");
    TCase *b = tcase_create("builtins");
    tcase_add_loop_test(b, builtin_order_and_sums, 0, n_builtins());
    tcase_add_test(b, computed_order_sees_damage);
    tcase_add_loop_test(b, write_round_trip, 0, n_builtins());
    suite_add_tcase(s, b);
    TCase *e = tcase_create("errors");
    tcase_add_loop_test(e, user_tableau_errors, 0,
                        (int)(sizeof bad_tableau / sizeof bad_tableau[0]));
    tcase_add_test(e, user_tableau_missing_keys);
    tcase_add_test(e, user_tableau_defaults);
    suite_add_tcase(s, e);
    return s;
}
