/* qnum: exact numbers as GMP rationals, parsed from text.
 *
 * A number is an integer ("-3"), a fraction ("-3/4") or a decimal with an
 * optional exponent ("0.125", "1e-3", "-2.5E+2"); every form is read exactly,
 * so "0.1" is the rational 1/10.  Conversions to MPFR round to nearest once,
 * so a value parsed here can be recomputed at any precision.
 */
#ifndef ADJVERIFY_QNUM_H
#define ADJVERIFY_QNUM_H

#include <stddef.h>
#include <gmp.h>
#include <mpfr.h>
#include "averr.h"

/* Largest decimal exponent accepted (|e| <= this), so that "1e999999999"
 * cannot ask GMP for gigabytes. */
#define QNUM_MAX_EXP 100000
/* Largest number of characters in one number token. */
#define QNUM_MAX_LEN 20000

/* Parses exactly the LEN characters at S as one number into OUT (canonical).
 * On failure returns AV_EINPUT and sets ERR to a message that names the
 * offending character as "column C: ..." counted from 1 at S; OUT is then
 * unchanged.  Accepts an optional leading '-' or '+' (one only). */
int qnum_parse(mpq_t out, const char *s, size_t len, averr_t err);

/* Like qnum_parse for a NUL-terminated string. */
int qnum_parse_str(mpq_t out, const char *s, averr_t err);

/* Number of decimal digits of the numerator and of the denominator of X
 * (for printing the size of exact results). */
size_t qnum_num_digits(const mpq_t x);
size_t qnum_den_digits(const mpq_t x);

#endif
