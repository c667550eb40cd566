/* claims_hu: the checks of Hu (2024, seed 002) claim H3, "if and only if
 * the discrete adjoint has the same scheme as the discrete neural ODE does
 * the adjoint give the same result as backpropagation", and the three
 * tables behind it: partner_tableaux, partner_vs_bp_precision,
 * exact_rational_equality.
 */
#ifndef ADJVERIFY_CLAIMS_HU_H
#define ADJVERIFY_CLAIMS_HU_H

#include <mpfr.h>
#include "claim.h"
#include "../schemes/tableau.h"
#include "../problems/problem.h"

/* The counts H3's verdict is decided from. */
typedef struct {
    int exact_total, exact_equal;    /* exact runs; bp == partner as rationals */
    int sweep_total, sweep_fall;     /* schemes in the sweep; |partner - bp| is
                                        rounding only at every precision */
    int own_total, own_equal;        /* own-partner cases (M = 0); the same-
                                        tableau adjoint equals bp (exactly, or to
                                        rounding at every precision) */
    int nonsym_total, nonsym_differ; /* M != 0 cases; the same-tableau adjoint
                                        differs from bp (a nonzero rational, or
                                        more than rounding) */
    int no_partner;                  /* schemes with some b_i = 0 that
                                        --method partner refuses */
} h3_evidence;

/* H3's verdict: REFUTED when the partner identity fails somewhere (an
 * exact run or a sweep that does not fall) or an own-partner scheme's
 * same-tableau adjoint differs from bp; VERIFIED when moreover the same-
 * tableau adjoint equals bp for every scheme and every scheme has a
 * partner (the literal reading); QUALIFIED otherwise (the literal reading
 * holds only for M = 0; "same scheme" must mean the partner scheme, which
 * exists only when every b_i != 0).  ERROR when there is no evidence. */
verdict_t h3_decide(const h3_evidence *e);

/* A difference d at PREC bits is "rounding only" when
 * log2(d 2^prec / max |bp|) <= H3_ULP_BITS at every precision of the sweep:
 * a fixed number of units in the last place, however many bits are used. */
#define H3_ULP_BITS 20

/* OUT[0] = max |partner - bp|, OUT[1] = max |same - bp| over dtheta and
 * dz0 (the same-tableau adjoint has abar = a), OUT[2] = max |bp| there, on
 * one recorded forward solve of P with TAB and N steps, at P's precision.
 * AV_EINPUT when TAB has no partner. */
int h3_measure(mpfr_ptr out, const problem_t p, const tableau_t tab, long N,
               averr_t err);

/* The sweep over 64..1024 bits on P1 for every built-in (T[0]: partner -
 * bp, T[1]: same - bp with its order in h), adding to EV when not NULL.
 * Initialises T[0], T[1]; on failure both are clear. */
int h3_sweep_tables(table_t *t, h3_evidence *ev, averr_t err);

/* The exact-rational runs (P5 lotka with rk4, N = 1, 2, 3; P2 linear with
 * implicit-midpoint and trapezoid, N = 1, 2, 3): sizes and exact
 * differences of partner, same, backsolve and interp against bp. */
int h3_exact_table(table_t t, h3_evidence *ev, averr_t err);

/* Every built-in tableau: own partner or not, max |M_ij|, the partner. */
int h3_tableaux_table(table_t t, mpfr_prec_t prec, averr_t err);

#endif
