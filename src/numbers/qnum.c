/* qnum: exact parsing of integers, fractions and decimals into canonical mpq.
 *
 * Grammar (one token, no surrounding space):
 *   number   = [sign] digits ( '/' digits | ['.' digits] [exponent] )
 *   exponent = ('e' | 'E') [sign] digits          sign = '-' | '+'
 * Digits are required on both sides of '.', so ".5" and "1." are rejected;
 * the denominator of a fraction is a positive integer written without sign.
 * The text is validated here before GMP sees it, because mpq_set_str would
 * also accept "0x10", other bases and embedded white space.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qnum.h"

/* Writes a printable description of the byte at S[I] (or of the end). */
static void describe(char *buf, size_t size, const char *s, size_t i, size_t len)
{
    unsigned char c;
    if (i >= len) {
        snprintf(buf, size, "end of number");
        return;
    }
    c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7f)
        snprintf(buf, size, "'%c'", c);
    else
        snprintf(buf, size, "byte 0x%02x", (unsigned)c);
}

static int fail_at(averr_t err, const char *s, size_t i, size_t len,
                   const char *expected)
{
    char found[32];
    describe(found, sizeof found, s, i, len);
    return averr_set(err, AV_EINPUT, "column %zu: expected %s, found %s",
                     i + 1, expected, found);
}

static int is_digit(const char *s, size_t i, size_t len)
{
    return i < len && s[i] >= '0' && s[i] <= '9';
}

static size_t skip_digits(const char *s, size_t i, size_t len)
{
    while (is_digit(s, i, len))
        i++;
    return i;
}

/* Sets Z to the decimal integer formed by the digits S[a..b) followed by the
 * digits S[c..d) (the integer and fraction parts of a mantissa). */
static int set_digits(mpz_t z, const char *s, size_t a, size_t b, size_t c,
                      size_t d, averr_t err)
{
    size_t n = (b - a) + (d - c);
    char *buf = malloc(n + 1);
    if (buf == NULL)
        return averr_set(err, AV_ESYS, "out of memory reading a number");
    memcpy(buf, s + a, b - a);
    memcpy(buf + (b - a), s + c, d - c);
    buf[n] = '\0';
    mpz_set_str(z, buf, 10); /* cannot fail: only '0'..'9', n >= 1 */
    free(buf);
    return AV_OK;
}

/* Validated pieces of one token: positions of the parts and the exponent. */
typedef struct {
    int negative;
    size_t int_a, int_b;     /* integer digits */
    size_t frac_a, frac_b;   /* fraction digits after '.', empty if none */
    size_t den_a, den_b;     /* denominator digits after '/', empty if none */
    long exp10;              /* written exponent */
} qtoken;

static int scan_exponent(qtoken *t, const char *s, size_t i, size_t len,
                         averr_t err)
{
    int eneg = 0;
    size_t a;
    long e = 0;
    i++; /* past 'e' or 'E' */
    if (i < len && (s[i] == '-' || s[i] == '+'))
        eneg = s[i++] == '-';
    if (!is_digit(s, i, len))
        return fail_at(err, s, i, len, "a digit in the exponent");
    a = i;
    for (; is_digit(s, i, len); i++) {
        e = 10 * e + (s[i] - '0');
        if (e > QNUM_MAX_EXP)
            return averr_set(err, AV_EINPUT,
                             "column %zu: exponent larger than %d in magnitude",
                             a + 1, QNUM_MAX_EXP);
    }
    if (i < len)
        return fail_at(err, s, i, len, "end of number after the exponent");
    t->exp10 = eneg ? -e : e;
    return AV_OK;
}

static int scan_fraction_den(qtoken *t, const char *s, size_t i, size_t len,
                             averr_t err)
{
    size_t k;
    i++; /* past '/' */
    if (!is_digit(s, i, len))
        return fail_at(err, s, i, len,
                       "a digit (the denominator is a positive integer "
                       "without sign)");
    t->den_a = i;
    i = skip_digits(s, i, len);
    t->den_b = i;
    if (i < len)
        return fail_at(err, s, i, len, "end of number after the denominator");
    for (k = t->den_a; k < t->den_b && s[k] == '0'; k++)
        ;
    if (k == t->den_b)
        return averr_set(err, AV_EINPUT, "column %zu: zero denominator",
                         t->den_a + 1);
    return AV_OK;
}

/* Checks the whole token against the grammar and records its parts. */
static int scan(qtoken *t, const char *s, size_t len, averr_t err)
{
    size_t i = 0;
    memset(t, 0, sizeof *t);
    if (len == 0)
        return averr_set(err, AV_EINPUT,
                         "column 1: expected a number, found nothing");
    if (len > QNUM_MAX_LEN)
        return averr_set(err, AV_EINPUT,
                         "column 1: number of %zu characters, longer than %d",
                         len, QNUM_MAX_LEN);
    if (s[i] == '-' || s[i] == '+')
        t->negative = s[i++] == '-';
    if (!is_digit(s, i, len))
        return fail_at(err, s, i, len, "a digit");
    t->int_a = i;
    i = skip_digits(s, i, len);
    t->int_b = i;
    t->frac_a = t->frac_b = i;
    if (i == len)
        return AV_OK;
    if (s[i] == '/')
        return scan_fraction_den(t, s, i, len, err);
    if (s[i] == '.') {
        if (!is_digit(s, i + 1, len))
            return fail_at(err, s, i + 1, len, "a digit after '.'");
        t->frac_a = i + 1;
        i = skip_digits(s, i + 1, len);
        t->frac_b = i;
        if (i == len)
            return AV_OK;
    }
    if (s[i] == 'e' || s[i] == 'E')
        return scan_exponent(t, s, i, len, err);
    return fail_at(err, s, i, len,
                   t->frac_b > t->frac_a
                       ? "a digit, 'e' or end of number"
                       : "a digit, '.', '/', 'e' or end of number");
}

int qnum_parse(mpq_t out, const char *s, size_t len, averr_t err)
{
    qtoken t;
    mpz_t num, den;
    long scale;
    int rc;
    if (s == NULL)
        return averr_set(err, AV_EINPUT, "column 1: expected a number, found nothing");
    rc = scan(&t, s, len, err);
    if (rc != AV_OK)
        return rc;
    mpz_init(num);
    mpz_init_set_ui(den, 1);
    rc = set_digits(num, s, t.int_a, t.int_b, t.frac_a, t.frac_b, err);
    if (rc == AV_OK && t.den_b > t.den_a)
        rc = set_digits(den, s, t.den_a, t.den_b, 0, 0, err);
    if (rc == AV_OK) {
        /* value = mantissa * 10^(exp10 - fraction digits); both bounded by
         * QNUM_MAX_EXP and QNUM_MAX_LEN, so the power stays small. */
        scale = t.exp10 - (long)(t.frac_b - t.frac_a);
        if (scale >= 0) {
            mpz_t p;
            mpz_init(p);
            mpz_ui_pow_ui(p, 10, (unsigned long)scale);
            mpz_mul(num, num, p);
            mpz_clear(p);
        } else {
            mpz_ui_pow_ui(den, 10, (unsigned long)(-scale));
        }
        if (t.negative)
            mpz_neg(num, num);
        mpq_set_num(out, num);
        mpq_set_den(out, den);
        mpq_canonicalize(out);
    }
    mpz_clear(num);
    mpz_clear(den);
    return rc;
}

int qnum_parse_str(mpq_t out, const char *s, averr_t err)
{
    return qnum_parse(out, s, s == NULL ? 0 : strlen(s), err);
}

/* mpz_sizeinbase(z, 10) may exceed the true count by one; compare with
 * 10^(d-1) to correct it. */
static size_t mpz_digits10(const mpz_srcptr z)
{
    size_t d = mpz_sizeinbase(z, 10);
    if (d > 1) {
        mpz_t p;
        mpz_init(p);
        mpz_ui_pow_ui(p, 10, (unsigned long)(d - 1));
        if (mpz_cmpabs(z, p) < 0)
            d--;
        mpz_clear(p);
    }
    return d;
}

size_t qnum_num_digits(const mpq_t x)
{
    return mpz_digits10(mpq_numref(x));
}

size_t qnum_den_digits(const mpq_t x)
{
    return mpz_digits10(mpq_denref(x));
}
