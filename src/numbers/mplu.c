/* mplu: dense LU factorisation with partial pivoting and the two triangular
 * solves (A x = b and A^T x = b), for the small stage systems of implicit
 * Runge-Kutta steps and their transposes in backprop.
 * Reference: Golub and Van Loan, Matrix Computations, 3.2 and 3.4.
 */
#include "mpvec.h"

#define EL(A, n, i, j) ((A) + (i) * (n) + (j))

int mplu_factor(mpfr_ptr A, size_t *piv, size_t n, mpfr_t tmp, averr_t err)
{
    mpfr_prec_t prec = mpfr_get_prec(A);
    mpfr_t amax;
    mpfr_init2(amax, prec);
    mpvec_norm_max(amax, A, n * n);
    /* A pivot below 2^(-prec/2) |A| leaves fewer than half the bits: call
     * the system singular rather than print a meaningless solution. */
    mpfr_mul_2si(amax, amax, -(long)prec / 2, MPFR_RNDN);
    int status = 0;
    for (size_t k = 0; k < n && status == 0; k++) {
        size_t p = k;
        for (size_t i = k + 1; i < n; i++)
            if (mpfr_cmpabs(EL(A, n, i, k), EL(A, n, p, k)) > 0)
                p = i;
        piv[k] = p;
        if (mpfr_zero_p(EL(A, n, p, k)) || mpfr_cmpabs(EL(A, n, p, k), amax) < 0) {
            status = averr_set(err, AV_ENUM,
                               "singular linear system (pivot %zu of %zu vanishes "
                               "at %ld bits)", k + 1, n, (long)prec);
            break;
        }
        if (p != k)
            for (size_t j = 0; j < n; j++)
                mpfr_swap(EL(A, n, k, j), EL(A, n, p, j));
        for (size_t i = k + 1; i < n; i++) {
            mpfr_div(EL(A, n, i, k), EL(A, n, i, k), EL(A, n, k, k), MPFR_RNDN);
            for (size_t j = k + 1; j < n; j++) {
                mpfr_mul(tmp, EL(A, n, i, k), EL(A, n, k, j), MPFR_RNDN);
                mpfr_sub(EL(A, n, i, j), EL(A, n, i, j), tmp, MPFR_RNDN);
            }
        }
    }
    mpfr_clear(amax);
    return status;
}

/* L U x = P b: permute, forward substitution (unit L), back substitution. */
static void solve_plain(mpfr_ptr x, mpfr_srcptr LU, const size_t *piv,
                        size_t n, mpfr_t tmp)
{
    for (size_t k = 0; k < n; k++)
        if (piv[k] != k)
            mpfr_swap(x + k, x + piv[k]);
    for (size_t i = 1; i < n; i++)
        for (size_t j = 0; j < i; j++) {
            mpfr_mul(tmp, EL(LU, n, i, j), x + j, MPFR_RNDN);
            mpfr_sub(x + i, x + i, tmp, MPFR_RNDN);
        }
    for (size_t i = n; i-- > 0;) {
        for (size_t j = i + 1; j < n; j++) {
            mpfr_mul(tmp, EL(LU, n, i, j), x + j, MPFR_RNDN);
            mpfr_sub(x + i, x + i, tmp, MPFR_RNDN);
        }
        mpfr_div(x + i, x + i, EL(LU, n, i, i), MPFR_RNDN);
    }
}

/* A^T = U^T L^T P: solve U^T y = b, L^T w = y, then undo the row swaps in
 * reverse order. */
static void solve_transposed(mpfr_ptr x, mpfr_srcptr LU, const size_t *piv,
                             size_t n, mpfr_t tmp)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++) {
            mpfr_mul(tmp, EL(LU, n, j, i), x + j, MPFR_RNDN);
            mpfr_sub(x + i, x + i, tmp, MPFR_RNDN);
        }
        mpfr_div(x + i, x + i, EL(LU, n, i, i), MPFR_RNDN);
    }
    for (size_t i = n; i-- > 0;)
        for (size_t j = i + 1; j < n; j++) {
            mpfr_mul(tmp, EL(LU, n, j, i), x + j, MPFR_RNDN);
            mpfr_sub(x + i, x + i, tmp, MPFR_RNDN);
        }
    for (size_t k = n; k-- > 0;)
        if (piv[k] != k)
            mpfr_swap(x + k, x + piv[k]);
}

void mplu_solve(mpfr_ptr x, mpfr_srcptr LU, const size_t *piv, mpfr_srcptr b,
                size_t n, int transpose, mpfr_t tmp)
{
    if (x != b)
        mpvec_set(x, b, n);
    if (transpose)
        solve_transposed(x, LU, piv, n, tmp);
    else
        solve_plain(x, LU, piv, n, tmp);
}
