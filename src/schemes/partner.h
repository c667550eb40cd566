/* partner: the partner tableau of a Runge-Kutta method, the symplecticity
 * matrix M, and backprop's one-step map when some b_i = 0.
 *
 * Backprop through an RK method (A, b) with every b_i != 0 is the
 * partitioned RK method that integrates the adjoint equation with
 *     abar_ij = b_j - b_j a_ji / b_i,   same b,   cbar_i = sum_j abar_ij,
 * on the stored forward stages.  The method is its own partner exactly when
 *     M_ij = b_i a_ij + b_j a_ji - b_i b_j = 0   for all i, j
 * (the symplectic RK methods).  Derivation: derivations/partner_scheme.md.
 * References: Hager (2000), Numer. Math. 87; Sanz-Serna (2016), SIAM Review
 * 58(1), section 3; Hairer, Lubich, Wanner, Geometric Numerical
 * Integration, VI.4 (symplectic RK) and III.2 (partitioned RK).
 */
#ifndef ADJVERIFY_PARTNER_H
#define ADJVERIFY_PARTNER_H

#include <gmp.h>
#include <mpfr.h>
#include "../numbers/averr.h"
#include "tableau.h"

/* Longest stage chain partner_bp_terms expands (2^s - 1 terms). */
#define PARTNER_TERM_MAX_STAGES 12

typedef struct {
    int s;
    int exact;         /* 1 when the tableau is exact: Mq and bar are exact */
    int has_partner;   /* 1 when every b_i != 0 */
    int zero_b;        /* first index i (0-based) with b_i = 0, or -1 */
    int own;           /* 1 when M = 0: exactly (exact tableaux), or
                          max |M_ij| <= 2^(8 - prec) (MPFR-only tableaux) */
    tableau_t bar;     /* the partner (Abar, b, cbar), named NAME-partner;
                          initialised only when has_partner */
    mpq_t *Mq;         /* s*s exact M (row-major) when exact, else NULL */
    mpfr_ptr M;        /* s*s M at the tableau's precision */
    mpfr_ptr Mmax;     /* max_ij |M_ij| */
    int Mmax_i, Mmax_j;   /* where it is attained (first in row order) */
    mpfr_ptr block;
} partner_struct;
typedef partner_struct partner_t[1];

/* Builds the partner of T at T's precision.  Exact tableaux give the
 * partner and M in exact rationals (MPFR copies rounded once from them);
 * MPFR-only tableaux (gauss2) give them from T's MPFR coefficients, each
 * entry rounded once.  A tableau with some b_i = 0 is not an error: PT then
 * has has_partner = 0 (and no BAR) but still holds M.  PT must be
 * uninitialised; returns 0 or AV_ESYS. */
int partner_init(partner_t pt, const tableau_t t, averr_t err);

void partner_clear(partner_t pt);

/* Returns 0 when PT has a partner; otherwise AV_EINPUT with a message
 * naming the scheme T and the zero weight b_i. */
int partner_require(const partner_t pt, const tableau_t t, averr_t err);

/* The exact partner coefficient abar_ij = b_j - b_j a_ji / b_i of an exact
 * tableau T with b_i != 0, into OUT.  Indices are 0-based. */
void tableau_partner_coef(mpq_t out, const tableau_t t, int i, int j);

/* The exact symplecticity entry M_ij = b_i a_ij + b_j a_ji - b_i b_j of an
 * exact tableau T, into OUT. */
void tableau_symplectic_entry(mpq_t out, const tableau_t t, int i, int j);

/* One term  h^len * coef * J_{idx[0]}^T J_{idx[1]}^T ... J_{idx[len-1]}^T
 * of backprop's one-step map lambda_n = (I + sum of terms) lambda_{n+1}
 * for an explicit tableau, with idx increasing and J_i = df/dz at stage i. */
typedef struct {
    int len;
    int idx[PARTNER_TERM_MAX_STAGES];
    mpq_t coef;   /* b_{idx[len-1]} a_{idx[len-1] idx[len-2]} ... a_{idx[1] idx[0]} */
} partner_term;

/* Expands backprop's one-step map of an explicit exact tableau T into its
 * nonzero terms (shortest chains first, then lexicographic).  This is the
 * transpose of the forward map's Jacobian, and the form backprop takes when
 * some b_i = 0 and no partner RK method exists.  *TERMS is malloc'd and
 * freed by partner_terms_free.  AV_EINPUT for an implicit or MPFR-only
 * tableau or more than PARTNER_TERM_MAX_STAGES stages; AV_ESYS when memory
 * is short. */
int partner_bp_terms(partner_term **terms, int *n, const tableau_t t,
                     averr_t err);
void partner_terms_free(partner_term *terms, int n);

#endif
