/* claims_essay: checks of the essay's (seed 000) numerical claim E1, and the
 * `orders` table behind it. */
#ifndef ADJVERIFY_CLAIMS_ESSAY_H
#define ADJVERIFY_CLAIMS_ESSAY_H

#include "claim.h"

/* E1's verdict: VERIFIED when every measured order is within TOL of the
 * stated one, REFUTED otherwise. */
verdict_t e1_decide(const double *measured, const int *stated, int n, double tol);

/* Measures the global error at T of every built-in scheme on P2 (closed
 * form) for N = 32, 64, 128, 256 and the observed orders; fills T (which
 * this initialises) and, when not NULL, MEASURED/STATED (one per built-in,
 * the order of the last halving).  Returns the number of schemes or a
 * negative code. */
int e1_order_table(table_t t, double *measured, int *stated, mpfr_prec_t prec,
                   averr_t err);

#endif
