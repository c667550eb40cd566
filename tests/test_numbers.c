/* test_numbers: exact number parsing (qnum), the key = value format (kvfile)
 * and the error record (averr).  Valid forms must give the exact rational;
 * every malformed form must give AV_EINPUT with the offending place named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include <gmp.h>
#include "suites.h"
#include "../src/numbers/averr.h"
#include "../src/numbers/qnum.h"
#include "../src/numbers/kvfile.h"

/* Fails unless RC is AV_EINPUT and the message contains every NEEDLE. */
static void expect_einput(int rc, const averr_t err, const char *n1,
                          const char *n2)
{
    ck_assert_msg(rc == AV_EINPUT, "rc %d, message '%s'", rc, err->msg);
    ck_assert_int_eq(err->code, AV_EINPUT);
    ck_assert_msg(strstr(err->msg, n1) != NULL, "'%s' lacks '%s'", err->msg, n1);
    if (n2 != NULL)
        ck_assert_msg(strstr(err->msg, n2) != NULL, "'%s' lacks '%s'",
                      err->msg, n2);
}

/* Like expect_einput, and the message must begin with WHERE (its place). */
static void expect_at(int rc, const averr_t err, const char *where,
                      const char *what)
{
    expect_einput(rc, err, where, what);
    ck_assert_msg(strncmp(err->msg, where, strlen(where)) == 0,
                  "'%s' does not start with '%s'", err->msg, where);
}

/* ---- qnum: valid forms ---- */

static const struct {
    const char *text, *num, *den;
} valid[] = {
    {"0", "0", "1"},          {"-0", "0", "1"},        {"+7", "7", "1"},
    {"007", "7", "1"},        {"0.1", "1", "10"},      {"0.125", "1", "8"},
    {"-2.5E+2", "-250", "1"}, {"1e-3", "1", "1000"},   {"1E+2", "100", "1"},
    {"6/4", "3", "2"},        {"-3/4", "-3", "4"},     {"0/5", "0", "1"},
    {"1/02", "1", "2"},       {"1.50e1", "15", "1"},   {"2e0", "2", "1"},
    {"-0.0625e-1", "-1", "160"},
    {"123456789012345678901234567890", "123456789012345678901234567890", "1"},
    {"1/123456789012345678901234567890", "1", "123456789012345678901234567890"},
};

START_TEST(qnum_valid)
{
    mpq_t got, want;
    averr_t err;
    mpq_init(got);
    mpq_init(want);
    averr_clear(err);
    ck_assert_int_eq(mpz_set_str(mpq_numref(want), valid[_i].num, 10), 0);
    ck_assert_int_eq(mpz_set_str(mpq_denref(want), valid[_i].den, 10), 0);
    int rc = qnum_parse_str(got, valid[_i].text, err);
    ck_assert_msg(rc == AV_OK, "'%s': %s", valid[_i].text, err->msg);
    ck_assert_msg(mpq_equal(got, want), "'%s' read as %s", valid[_i].text,
                  mpq_get_str(NULL, 10, got));
    mpq_clear(got);
    mpq_clear(want);
}
END_TEST

/* Random fractions printed by GMP and random decimals m.f e k read back
 * exactly; the expected value is formed with integer arithmetic. */
START_TEST(qnum_random_roundtrip)
{
    gmp_randstate_t rs;
    mpq_t x, y, w;
    mpz_t m, p;
    averr_t err;
    char buf[512];
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 20240607);
    mpq_inits(x, y, w, NULL);
    mpz_init(m);
    mpz_init(p);
    for (int it = 0; it < 300; it++) {
        mpz_urandomb(mpq_numref(x), rs, 1 + it % 200);
        mpz_urandomb(mpq_denref(x), rs, 1 + it % 90);
        mpz_add_ui(mpq_denref(x), mpq_denref(x), 1);
        if (it % 2)
            mpz_neg(mpq_numref(x), mpq_numref(x));
        mpq_canonicalize(x);
        char *s = mpq_get_str(NULL, 10, x);
        ck_assert_int_eq(qnum_parse_str(y, s, err), AV_OK);
        ck_assert_msg(mpq_equal(x, y), "%s", s);
        free(s);

        /* decimal: digits I, fraction F (nf digits), exponent k */
        long k = (long)(it % 41) - 20;
        int nf = it % 7;
        mpz_urandomb(m, rs, 1 + it % 120);
        gmp_snprintf(buf, sizeof buf, "%Zd", m);
        size_t len = strlen(buf);
        if (nf > 0 && (size_t)nf < len) {
            memmove(buf + len - nf + 1, buf + len - nf, (size_t)nf + 1);
            buf[len - nf] = '.';
        } else {
            nf = 0;
        }
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "e%ld", k);
        long scale = k - nf;
        mpz_ui_pow_ui(p, 10, (unsigned long)(scale < 0 ? -scale : scale));
        mpq_set_z(w, m);
        if (scale >= 0)
            mpz_mul(mpq_numref(w), mpq_numref(w), p);
        else
            mpz_mul(mpq_denref(w), mpq_denref(w), p);
        mpq_canonicalize(w);
        ck_assert_msg(qnum_parse_str(y, buf, err) == AV_OK, "%s: %s", buf,
                      err->msg);
        ck_assert_msg(mpq_equal(w, y), "%s", buf);
    }
    mpq_clears(x, y, w, NULL);
    mpz_clear(m);
    mpz_clear(p);
    gmp_randclear(rs);
}
END_TEST

/* ---- qnum: malformed forms ---- */

static const struct {
    const char *text, *where, *what;
} bad[] = {
    {"", "column 1:", "found nothing"},
    {".", "column 1:", "expected a digit"},
    {".5", "column 1:", "found '.'"},
    {"1.", "column 3:", "expected a digit after '.'"},
    {"1/0", "column 3:", "zero denominator"},
    {"1/000", "column 3:", "zero denominator"},
    {"1//2", "column 3:", "found '/'"},
    {"1/-2", "column 3:", "without sign"},
    {"1/2/3", "column 4:", "found '/'"},
    {"0x10", "column 2:", "found 'x'"},
    {"1e", "column 3:", "exponent"},
    {"1e+", "column 4:", "exponent"},
    {"1e5.5", "column 4:", "found '.'"},
    {"--3", "column 2:", "found '-'"},
    {"+-1", "column 2:", "found '-'"},
    {" 1", "column 1:", "found ' '"},
    {"1 ", "column 2:", "found ' '"},
    {"1.5/2", "column 4:", "found '/'"},
    {"abc", "column 1:", "found 'a'"},
    {"1\x01", "column 2:", "byte 0x01"},
    {"1e100001", "column 3:", "exponent larger than 100000"},
    {"1e-100001", "column 4:", "exponent larger than 100000"},
    {"1e99999999999999999999999", "column 3:", "exponent larger"},
};

START_TEST(qnum_malformed)
{
    mpq_t x;
    averr_t err;
    mpq_init(x);
    mpq_set_si(x, 5, 7);
    averr_clear(err);
    int rc = qnum_parse_str(x, bad[_i].text, err);
    expect_at(rc, err, bad[_i].where, bad[_i].what);
    /* the output is untouched on failure */
    ck_assert(mpz_cmp_si(mpq_numref(x), 5) == 0);
    ck_assert(mpz_cmp_ui(mpq_denref(x), 7) == 0);
    mpq_clear(x);
}
END_TEST

/* Length and exponent limits: the limit itself is accepted, one more is not;
 * a token is exactly LEN bytes, so a NUL inside it is a bad byte. */
START_TEST(qnum_limits)
{
    mpq_t x;
    averr_t err;
    char *s = malloc(QNUM_MAX_LEN + 2);
    ck_assert_ptr_nonnull(s);
    mpq_init(x);
    memset(s, '9', QNUM_MAX_LEN + 1);
    s[QNUM_MAX_LEN + 1] = '\0';
    ck_assert_int_eq(qnum_parse(x, s, QNUM_MAX_LEN, err), AV_OK);
    ck_assert_uint_eq(qnum_num_digits(x), QNUM_MAX_LEN);
    expect_einput(qnum_parse(x, s, QNUM_MAX_LEN + 1, err), err, "column 1:",
                  "longer than 20000");
    free(s);
    ck_assert_int_eq(qnum_parse_str(x, "1e100000", err), AV_OK);
    ck_assert_uint_eq(qnum_num_digits(x), 100001);
    ck_assert_int_eq(qnum_parse_str(x, "-1e-100000", err), AV_OK);
    ck_assert_uint_eq(qnum_den_digits(x), 100001);
    expect_einput(qnum_parse(x, "12\0" "3", 4, err), err, "column 3:",
                  "byte 0x00");
    ck_assert_int_eq(qnum_parse(x, "12345", 2, err), AV_OK);
    ck_assert(mpz_cmp_ui(mpq_numref(x), 12) == 0);
    mpq_clear(x);
}
END_TEST

/* Digit counts against the length of GMP's own decimal string, around every
 * power of ten up to 10^80 where mpz_sizeinbase may overestimate. */
START_TEST(qnum_digit_counts)
{
    mpq_t x;
    mpz_t p;
    mpq_init(x);
    mpz_init(p);
    ck_assert_uint_eq(qnum_num_digits(x), 1);
    for (unsigned k = 0; k <= 80; k++) {
        for (int d = -1; d <= 1; d++) {
            mpz_ui_pow_ui(p, 10, k);
            if (d < 0)
                mpz_sub_ui(p, p, 1);
            else
                mpz_add_ui(p, p, (unsigned long)d);
            if (mpz_sgn(p) == 0)
                continue;
            char *s = mpz_get_str(NULL, 10, p);
            size_t want = strlen(s);
            free(s);
            mpq_set_num(x, p);
            mpz_set_ui(mpq_denref(x), 3);
            mpz_neg(mpq_numref(x), mpq_numref(x));
            ck_assert_msg(qnum_num_digits(x) == want, "10^%u%+d", k, d);
            mpq_set_den(x, p);
            mpz_set_si(mpq_numref(x), -1);
            ck_assert_msg(qnum_den_digits(x) == want, "10^%u%+d", k, d);
        }
    }
    mpq_clear(x);
    mpz_clear(p);
}
END_TEST

/* ---- averr ---- */

START_TEST(averr_record)
{
    averr_t err;
    averr_clear(err);
    ck_assert_int_eq(err->code, AV_OK);
    ck_assert_str_eq(err->msg, "");
    ck_assert_int_eq(averr_set(err, AV_ENUM, "step %d", 3), AV_ENUM);
    ck_assert_int_eq(averr_prefix(err, "solve %s", "rk4"), AV_ENUM);
    ck_assert_str_eq(err->msg, "solve rk4: step 3");
    ck_assert_int_eq(averr_set(NULL, AV_EINPUT, "x"), AV_EINPUT);
    char big[2 * AVERR_MSG_MAX];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    averr_set(err, AV_EINPUT, "%s", big);
    averr_prefix(err, "ctx");
    ck_assert_uint_eq(strlen(err->msg), AVERR_MSG_MAX - 1);
    ck_assert(strncmp(err->msg, "ctx: aaa", 8) == 0);
}
END_TEST

/* ---- kvfile ---- */

static const char rk4_text[] =
    "# tableau file\n"
    "name = rk4\n"
    "c = 0 1/2 1/2 1\n"
    "A = 0 0 0 0; 1/2 0 0 0; 0 1/2 0 0; 0 0 1 0   # lower triangle\n"
    "\n"
    "b = 1/6 1/3 1/3 1/6\n";

START_TEST(kv_parse_tableau)
{
    kvfile_t kv;
    qmat_t a;
    averr_t err;
    const char *name;
    ck_assert_int_eq(kvfile_parse(kv, "t", rk4_text, strlen(rk4_text), err),
                     AV_OK);
    ck_assert_int_eq(kv->n, 4);
    const kv_entry *e = kvfile_find(kv, "A");
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(e->line, 4);
    ck_assert_int_eq(e->col, 5);
    ck_assert_str_eq(e->value, "0 0 0 0; 1/2 0 0 0; 0 1/2 0 0; 0 0 1 0");
    ck_assert_ptr_null(kvfile_find(kv, "a"));
    ck_assert_int_eq(kvfile_word(&name, kv, "name", 1, err), AV_OK);
    ck_assert_str_eq(name, "rk4");
    ck_assert_int_eq(kvfile_qmat(a, kv, "A", 1, err), AV_OK);
    ck_assert_int_eq(a->rows, 4);
    ck_assert_int_eq(a->cols, 4);
    ck_assert(mpq_cmp_si(a->q[1 * 4 + 0], 1, 2) == 0);
    ck_assert(mpq_cmp_si(a->q[3 * 4 + 2], 1, 1) == 0);
    ck_assert(mpq_cmp_si(a->q[0], 0, 1) == 0);
    ck_assert_int_eq(kvfile_expect_shape(a, kv, "A", 4, 4, err), AV_OK);
    expect_einput(kvfile_expect_shape(a, kv, "A", 4, 3, err), err,
                  "t:4:5: 'A' should be 4 x 3", "found 4 x 4");
    qmat_clear(a);
    const char *const keys[] = {"name", "c", "A", "b", NULL};
    ck_assert_int_eq(kvfile_check_keys(kv, keys, err), AV_OK);
    const char *const fewer[] = {"name", "c", "b", NULL};
    expect_einput(kvfile_check_keys(kv, fewer, err), err,
                  "t:4:1: unknown key 'A'", "(allowed: name, c, b)");
    /* absent keys: optional gives 0 x 0 / NULL, required is an error */
    ck_assert_int_eq(kvfile_qmat(a, kv, "y", 0, err), AV_OK);
    ck_assert_int_eq(a->rows * a->cols, 0);
    qmat_clear(a);
    expect_einput(kvfile_qmat(a, kv, "y", 1, err), err, "t: missing key 'y'",
                  NULL);
    qmat_clear(a);
    ck_assert_int_eq(kvfile_word(&name, kv, "loss", 0, err), AV_OK);
    ck_assert_ptr_null(name);
    expect_einput(kvfile_word(&name, kv, "loss", 1, err), err, "missing key",
                  "'loss'");
    kvfile_clear(kv);
}
END_TEST

/* Errors of kvfile_parse: text, expected place, expected words. */
static const struct {
    const char *text;
    size_t len; /* 0: strlen */
    const char *where, *what;
} kv_bad[] = {
    {"a = 1\nb = 2\na = 3\n", 0, "t:3:1: duplicate key 'a'",
     "first given on line 1"},
    {"a = 1\n b\0 = 2\n", 14, "t:2:3:", "NUL byte"},
    {"a 1\n", 0, "t:1:3: expected '=' after key 'a'", "found '1'"},
    {"# c\nabc\n", 0, "t:2:4: expected '='", "end of line"},
    {"= 3\n", 0, "t:1:1: expected a key", "found '='"},
    {"1a = 3\n", 0, "t:1:1: expected a key", "found '1'"},
    {"a =   \n", 0, "t:1:7: expected a value", NULL},
    {"a = 1\x01\n", 0, "t:1:6:", "control character 0x01"},
    {"a = 1\r2\n", 0, "t:1:6:", "control character 0x0d"},
    {"a = \xc3\xa9\n", 0, "t:1:5:", "non-ASCII byte 0xc3"},
    {"", 0, "t: no entries", NULL},
    {"# only a comment\n\n   \n", 0, "t: no entries", NULL},
};

START_TEST(kv_parse_errors)
{
    kvfile_t kv;
    averr_t err;
    size_t len = kv_bad[_i].len ? kv_bad[_i].len : strlen(kv_bad[_i].text);
    int rc = kvfile_parse(kv, "t", kv_bad[_i].text, len, err);
    expect_at(rc, err, kv_bad[_i].where, kv_bad[_i].what);
    ck_assert_int_eq(kv->n, 0);
    ck_assert_ptr_null(kv->entries);
    kvfile_clear(kv);
}
END_TEST

START_TEST(kv_comments_crlf_limits)
{
    kvfile_t kv;
    averr_t err;
    qmat_t m;
    const char *w;
    const char crlf[] = "a = 1 2\t3\r\nname = my-scheme.v2 \r\n"
                        "# caf\xc3\xa9 \xe2\x80\x94 comments may hold UTF-8\r\n"
                        "b=4#c\r\n";
    ck_assert_int_eq(kvfile_parse(kv, "t", crlf, strlen(crlf), err), AV_OK);
    ck_assert_int_eq(kv->n, 3);
    ck_assert_int_eq(kvfile_word(&w, kv, "name", 1, err), AV_OK);
    ck_assert_str_eq(w, "my-scheme.v2");
    ck_assert_int_eq(kvfile_qmat(m, kv, "a", 1, err), AV_OK);
    ck_assert_int_eq(m->rows, 1);
    ck_assert_int_eq(m->cols, 3);
    ck_assert(mpq_cmp_si(m->q[2], 3, 1) == 0);
    qmat_clear(m);
    ck_assert_int_eq(kvfile_qmat(m, kv, "b", 1, err), AV_OK);
    ck_assert(m->rows == 1 && m->cols == 1 && mpq_cmp_si(m->q[0], 4, 1) == 0);
    ck_assert_int_eq(kvfile_find(kv, "b")->line, 4);
    ck_assert_int_eq(kvfile_find(kv, "b")->col, 3);
    qmat_clear(m);
    expect_einput(kvfile_word(&w, kv, "a", 1, err), err,
                  "t:1:6: expected one word", "found ' '");
    kvfile_clear(kv);

    /* entry count and key length limits, and the byte limit of the text */
    size_t cap = (KV_MAX_ENTRIES + 1) * 16 + KV_MAX_KEY + 16;
    char *big = malloc(cap > (size_t)KV_MAX_BYTES + 2 ? cap : (size_t)KV_MAX_BYTES + 2);
    ck_assert_ptr_nonnull(big);
    size_t n = 0;
    for (int i = 0; i <= KV_MAX_ENTRIES; i++)
        n += (size_t)sprintf(big + n, "k%d = %d\n", i, i);
    expect_einput(kvfile_parse(kv, "t", big, n, err), err, "t:257:1:",
                  "more than 256 entries");
    memset(big, 'k', KV_MAX_KEY);
    strcpy(big + KV_MAX_KEY, " = 1\n");
    expect_einput(kvfile_parse(kv, "t", big, strlen(big), err), err, "t:1:1:",
                  "key longer than 63");
    big[KV_MAX_KEY - 1] = ' ';
    ck_assert_int_eq(kvfile_parse(kv, "t", big, strlen(big), err), AV_OK);
    kvfile_clear(kv);
    memset(big, ' ', (size_t)KV_MAX_BYTES + 1);
    memcpy(big, "a = 1\n", 6);
    expect_einput(kvfile_parse(kv, "t", big, (size_t)KV_MAX_BYTES + 1, err),
                  err, "t: 1048577 bytes", "limit of 1048576");
    ck_assert_int_eq(kvfile_parse(kv, "t", big, (size_t)KV_MAX_BYTES, err),
                     AV_OK);
    kvfile_clear(kv);
    free(big);
}
END_TEST

/* Matrix values: text of `x = ...`, expected place and words. */
static const struct {
    const char *text, *where, *what;
} qm_bad[] = {
    {"x = 1 2; 3 4 5", "t:1:10: row 2 has 3 values, row 1 has 2", NULL},
    {"x = 1 2 3;4 5", "t:1:11: row 2 has 2 values, row 1 has 3", NULL},
    {"x = 1 2; ; 3 4", "t:1:10: row 2 of 'x' is empty", NULL},
    {"x = 1 2;", "t:1:9: row 2 of 'x' is empty", NULL},
    {"x = ;1", "t:1:5: row 1 of 'x' is empty", NULL},
    {"x = 1 0x10 3", "t:1:7: expected a number, found '0x10'",
     "(column 8: expected a digit"},
    {"x = 1;  2 1/0", "t:1:11: expected a number, found '1/0'",
     "(column 13: zero denominator)"},
    {"x = rk4", "t:1:5: expected a number, found 'rk4'", "(column 5:"},
    {"x = 1 2,3", "t:1:7: expected a number, found '2,3'", "(column 8:"},
};

START_TEST(kv_qmat_errors)
{
    kvfile_t kv;
    averr_t err;
    qmat_t m;
    const char *t = qm_bad[_i].text;
    ck_assert_int_eq(kvfile_parse(kv, "t", t, strlen(t), err), AV_OK);
    int rc = kvfile_qmat(m, kv, "x", 1, err);
    expect_at(rc, err, qm_bad[_i].where, qm_bad[_i].what);
    ck_assert_int_eq(m->rows * m->cols, 0);
    qmat_clear(m);
    kvfile_clear(kv);
}
END_TEST

START_TEST(kv_column_vector)
{
    kvfile_t kv;
    averr_t err;
    qmat_t m;
    const char t[] = "z0 = 1; -1/2; 0.25\n";
    ck_assert_int_eq(kvfile_parse(kv, "p", t, strlen(t), err), AV_OK);
    ck_assert_int_eq(kvfile_qmat(m, kv, "z0", 1, err), AV_OK);
    ck_assert(m->rows == 3 && m->cols == 1);
    expect_einput(kvfile_expect_shape(m, kv, "z0", 1, 2, err), err,
                  "p:1:6: 'z0' should be 1 x 2 (or a column of that length)",
                  "found 3 x 1");
    ck_assert_int_eq(kvfile_expect_shape(m, kv, "z0", 1, 3, err), AV_OK);
    ck_assert(m->rows == 1 && m->cols == 3);
    ck_assert(mpq_cmp_si(m->q[1], -1, 2) == 0);
    ck_assert(mpq_cmp_si(m->q[2], 1, 4) == 0);
    /* a column stands in only for a vector, never for a matrix */
    qmat_clear(m);
    ck_assert_int_eq(kvfile_qmat(m, kv, "z0", 1, err), AV_OK);
    expect_einput(kvfile_expect_shape(m, kv, "z0", 2, 3, err), err,
                  "should be 2 x 3, found 3 x 1", NULL);
    qmat_clear(m);
    qmat_init(m, 0, 0);
    expect_einput(kvfile_expect_shape(m, kv, "y", 1, 2, err), err,
                  "p: missing key 'y'", NULL);
    kvfile_clear(kv);
}
END_TEST

/* Writes LEN bytes of TEXT into a new temporary file; returns its path. */
static char *temp_file(const char *text, size_t len)
{
    char *path = strdup("/tmp/adjverify-kv-XXXXXX");
    ck_assert_ptr_nonnull(path);
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert(write(fd, text, len) == (ssize_t)len);
    close(fd);
    return path;
}

START_TEST(kv_read_files)
{
    kvfile_t kv;
    averr_t err;
    char *path = temp_file(rk4_text, strlen(rk4_text));
    ck_assert_int_eq(kvfile_read(kv, path, err), AV_OK);
    ck_assert_str_eq(kv->origin, path);
    ck_assert_int_eq(kv->n, 4);
    kvfile_clear(kv);
    unlink(path);
    /* a missing file names the path */
    expect_einput(kvfile_read(kv, path, err), err, path, "cannot open");
    ck_assert_int_eq(kv->n, 0);
    free(path);

    path = temp_file("", 0);
    expect_einput(kvfile_read(kv, path, err), err, path, "empty file");
    unlink(path);
    free(path);

    path = temp_file("# nothing\n", 10);
    expect_einput(kvfile_read(kv, path, err), err, path, "no entries");
    unlink(path);
    free(path);

    path = temp_file("a = 1\nb = 1 2; 3\n", 17);
    qmat_t m;
    ck_assert_int_eq(kvfile_read(kv, path, err), AV_OK);
    expect_einput(kvfile_qmat(m, kv, "b", 1, err), err, path,
                  ":2:10: row 2 has 1 value, row 1 has 2");
    qmat_clear(m);
    kvfile_clear(kv);
    unlink(path);
    free(path);

    expect_einput(kvfile_read(kv, "/tmp", err), err, "/tmp: is a directory",
                  NULL);

    char *big = malloc((size_t)KV_MAX_BYTES + 1);
    ck_assert_ptr_nonnull(big);
    memset(big, '#', (size_t)KV_MAX_BYTES + 1);
    path = temp_file(big, (size_t)KV_MAX_BYTES + 1);
    free(big);
    expect_einput(kvfile_read(kv, path, err), err, path, "larger than");
    unlink(path);
    free(path);
}
END_TEST

Suite *suite_numbers(void)
{
    Suite *s = suite_create("numbers");
    TCase *q = tcase_create("qnum");
    tcase_add_loop_test(q, qnum_valid, 0, sizeof valid / sizeof valid[0]);
    tcase_add_test(q, qnum_random_roundtrip);
    tcase_add_loop_test(q, qnum_malformed, 0, sizeof bad / sizeof bad[0]);
    tcase_add_test(q, qnum_limits);
    tcase_add_test(q, qnum_digit_counts);
    tcase_add_test(q, averr_record);
    suite_add_tcase(s, q);
    TCase *k = tcase_create("kvfile");
    tcase_add_test(k, kv_parse_tableau);
    tcase_add_loop_test(k, kv_parse_errors, 0, sizeof kv_bad / sizeof kv_bad[0]);
    tcase_add_test(k, kv_comments_crlf_limits);
    tcase_add_loop_test(k, kv_qmat_errors, 0, sizeof qm_bad / sizeof qm_bad[0]);
    tcase_add_test(k, kv_column_vector);
    tcase_add_test(k, kv_read_files);
    suite_add_tcase(s, k);
    return s;
}
