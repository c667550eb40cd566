/* mpvec: blocks of MPFR numbers in one allocation, vector helpers, and a
 * small dense LU solve with partial pivoting.
 *
 * A block of n numbers at one precision is a single malloc holding the n
 * mpfr structs and their limbs (MPFR's custom interface), so a trajectory
 * or a workspace costs one allocation and one free.  Element i of a block
 * V is the mpfr_ptr V + i.  Numbers of a block must never be passed to
 * mpfr_clear or mpfr_set_prec.  All numbers start at +0.
 *
 * Rounding is always to nearest (MPFR_RNDN) throughout adjverify.
 */
#ifndef ADJVERIFY_MPVEC_H
#define ADJVERIFY_MPVEC_H

#include <stddef.h>
#include <mpfr.h>
#include "averr.h"

/* Smallest and largest working precision the suite accepts (bits). */
#define MPV_PREC_MIN 16
#define MPV_PREC_MAX 1000000

/* Allocates a block of N numbers at PREC bits, all +0.  Returns NULL and
 * sets ERR (AV_ESYS) when memory is short or N * size overflows.  N may be 0
 * (a valid, empty block that mpblock_free accepts). */
mpfr_ptr mpblock_alloc(size_t n, mpfr_prec_t prec, averr_t err);

/* Frees a block from mpblock_alloc; NULL is accepted. */
void mpblock_free(mpfr_ptr block);

/* Vector helpers on N consecutive numbers.  Outputs may alias inputs
 * element-wise (same index), as in MPFR. */
void mpvec_zero(mpfr_ptr v, size_t n);
void mpvec_set(mpfr_ptr out, mpfr_srcptr v, size_t n);
void mpvec_add(mpfr_ptr out, mpfr_srcptr u, mpfr_srcptr v, size_t n);
void mpvec_sub(mpfr_ptr out, mpfr_srcptr u, mpfr_srcptr v, size_t n);
/* out += a * v */
void mpvec_axpy(mpfr_ptr out, mpfr_srcptr a, mpfr_srcptr v, size_t n);
/* out = max_i |v_i| */
void mpvec_norm_max(mpfr_t out, mpfr_srcptr v, size_t n);
/* out = max_i |u_i - v_i|; TMP is one scratch number at any precision. */
void mpvec_dist_max(mpfr_t out, mpfr_srcptr u, mpfr_srcptr v, size_t n, mpfr_t tmp);
/* Returns 1 when every element is a finite number (not NaN, not infinite). */
int mpvec_is_finite(mpfr_srcptr v, size_t n);

/* Dense LU with partial pivoting, in place, on an n x n row-major matrix A
 * (element (i,j) is A + i*n + j).  PIV receives n row indices.  Returns 0, or
 * AV_ENUM with ERR set when a pivot is exactly zero or below
 * 2^(-prec/2) times the largest entry of A (singular to working precision).
 * TMP is one scratch number. */
int mplu_factor(mpfr_ptr A, size_t *piv, size_t n, mpfr_t tmp, averr_t err);

/* Solves A x = b (TRANSPOSE = 0) or A^T x = b (TRANSPOSE = 1) with the
 * factors from mplu_factor; X and B may be the same vector.  TMP scratch. */
void mplu_solve(mpfr_ptr x, mpfr_srcptr LU, const size_t *piv, mpfr_srcptr b,
                size_t n, int transpose, mpfr_t tmp);

/* Correct decimal digits of X against the reference XREF, as the design
 * defines them: floor(-log10(|x - xref| / |xref|)), absolute error when
 * xref = 0.  Returns CAP when the two are equal or the count exceeds CAP. */
long mpnum_digits(mpfr_srcptr x, mpfr_srcptr xref, long cap);
/* Minimum of mpnum_digits over N components. */
long mpvec_digits(mpfr_srcptr x, mpfr_srcptr xref, size_t n, long cap);

/* Largest number of significant decimal digits that PREC bits support:
 * floor(prec * log10(2)). */
long mpnum_max_digits(mpfr_prec_t prec);

#endif
