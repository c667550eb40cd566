/* mpvec: MPFR numbers in one allocation (MPFR's custom interface), vector
 * helpers, and digit counts.  The dense LU solve is in mplu.c.
 * Reference: MPFR manual, "Custom Interface".
 */
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include "mpvec.h"

/* The block starts with a header that remembers nothing but keeps the
 * numbers' structs suitably aligned; limbs follow the structs. */
mpfr_ptr mpblock_alloc(size_t n, mpfr_prec_t prec, averr_t err)
{
    size_t limb_bytes = mpfr_custom_get_size(prec);
    size_t per = sizeof(__mpfr_struct) + limb_bytes;
    if (n != 0 && per > (SIZE_MAX - 64) / n) {
        averr_set(err, AV_ESYS, "a block of %zu numbers at %ld bits is too large",
                  n, (long)prec);
        return NULL;
    }
    /* Never malloc(0): an empty block is still a distinct pointer. */
    char *mem = malloc(n * per + 64);
    if (mem == NULL) {
        averr_set(err, AV_ESYS, "out of memory: %zu numbers at %ld bits (%zu bytes)",
                  n, (long)prec, n * per);
        return NULL;
    }
    mpfr_ptr v = (mpfr_ptr)mem;
    char *limbs = mem + n * sizeof(__mpfr_struct);
    for (size_t i = 0; i < n; i++) {
        void *l = limbs + i * limb_bytes;
        mpfr_custom_init(l, prec);
        mpfr_custom_init_set(v + i, MPFR_ZERO_KIND, 0, prec, l);
    }
    return v;
}

void mpblock_free(mpfr_ptr block)
{
    free(block);
}

void mpvec_zero(mpfr_ptr v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpfr_set_zero(v + i, 1);
}

void mpvec_set(mpfr_ptr out, mpfr_srcptr v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpfr_set(out + i, v + i, MPFR_RNDN);
}

void mpvec_add(mpfr_ptr out, mpfr_srcptr u, mpfr_srcptr v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpfr_add(out + i, u + i, v + i, MPFR_RNDN);
}

void mpvec_sub(mpfr_ptr out, mpfr_srcptr u, mpfr_srcptr v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mpfr_sub(out + i, u + i, v + i, MPFR_RNDN);
}

void mpvec_axpy(mpfr_ptr out, mpfr_srcptr a, mpfr_srcptr v, size_t n)
{
    /* fma rounds once: a*v + out is exact before the final rounding. */
    for (size_t i = 0; i < n; i++)
        mpfr_fma(out + i, a, v + i, out + i, MPFR_RNDN);
}

void mpvec_norm_max(mpfr_t out, mpfr_srcptr v, size_t n)
{
    mpfr_set_zero(out, 1);
    for (size_t i = 0; i < n; i++)
        if (mpfr_cmpabs(v + i, out) > 0)
            mpfr_abs(out, v + i, MPFR_RNDN);
}

void mpvec_dist_max(mpfr_t out, mpfr_srcptr u, mpfr_srcptr v, size_t n,
                    mpfr_t tmp)
{
    mpfr_set_zero(out, 1);
    for (size_t i = 0; i < n; i++) {
        mpfr_sub(tmp, u + i, v + i, MPFR_RNDN);
        if (mpfr_cmpabs(tmp, out) > 0)
            mpfr_abs(out, tmp, MPFR_RNDN);
    }
}

int mpvec_is_finite(mpfr_srcptr v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!mpfr_number_p(v + i))
            return 0;
    return 1;
}

long mpnum_max_digits(mpfr_prec_t prec)
{
    /* log10(2) to more digits than any precision we accept needs. */
    return (long)floor((double)prec * 0.30102999566398119521);
}

long mpnum_digits(mpfr_srcptr x, mpfr_srcptr xref, long cap)
{
    if (!mpfr_number_p(x) || !mpfr_number_p(xref))
        return 0;
    mpfr_prec_t p = mpfr_get_prec(x) > mpfr_get_prec(xref) ? mpfr_get_prec(x)
                                                            : mpfr_get_prec(xref);
    mpfr_t e;
    mpfr_init2(e, p + 16);
    mpfr_sub(e, x, xref, MPFR_RNDN);
    long digits = cap;
    if (!mpfr_zero_p(e)) {
        mpfr_abs(e, e, MPFR_RNDN);
        if (!mpfr_zero_p(xref))
            mpfr_div(e, e, xref, MPFR_RNDN);
        mpfr_abs(e, e, MPFR_RNDN);
        mpfr_log10(e, e, MPFR_RNDN);
        mpfr_neg(e, e, MPFR_RNDN);
        mpfr_floor(e, e);
        if (mpfr_cmp_si(e, cap) < 0)
            digits = mpfr_get_si(e, MPFR_RNDN);
        if (digits < 0)
            digits = 0;
    }
    mpfr_clear(e);
    return digits;
}

long mpvec_digits(mpfr_srcptr x, mpfr_srcptr xref, size_t n, long cap)
{
    long d = cap;
    for (size_t i = 0; i < n; i++) {
        long di = mpnum_digits(x + i, xref + i, cap);
        if (di < d)
            d = di;
    }
    return d;
}
