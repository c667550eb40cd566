/* claims_adjoint: the continuous adjoint against its independent readings
 * (E2, E3, E8 of the essay, H1, H2 of Hu, T2 of the transcript): the
 * measurements the checks make and the decide functions that turn them
 * into verdicts (the tests call both with counter-evidence).
 */
#ifndef ADJVERIFY_CLAIMS_ADJOINT_H
#define ADJVERIFY_CLAIMS_ADJOINT_H

#include <mpfr.h>
#include "claim.h"

/* Digits an agreement must reach at PREC bits to count as "equal to the
 * reference precision": all but 5 of the digits PREC bits carry. */
long adjc_required(mpfr_prec_t prec);

/* E2: on P1 at PREC bits, the fewest correct digits over t in {0, T/4,
 * T/2, 3T/4} of a(t) from the adjoint ODE (integrated with SIGN: +1 the
 * true a' = -J^T a, -1 a deliberately wrong a' = +J^T a) against dL/dz(t)
 * by forward sensitivity from t to T. */
int e2_measure(long *digits, mpfr_prec_t prec, int sign, averr_t err);
/* E3: on P1, digits of int_0^T a^T df/dtheta dt (Gauss-Legendre, with a
 * from the adjoint ODE of SIGN) against the forward-sensitivity gradient. */
int e3_measure(long *digits, mpfr_prec_t prec, int sign, averr_t err);
/* E2, E3, E8: VERIFIED when DIGITS >= REQUIRED, else REFUTED. */
verdict_t adjc_decide_agree(long digits, long required);

/* H1: QUALIFIED when the quadrature and the ODE component g agree to
 * REQUIRED digits (the gradient is an integral and, as a number, equally
 * the endpoint of an ODE whose right side does not depend on g); VERIFIED
 * when they do not agree (the ODE form would then be a different number). */
verdict_t h1_decide(long digits, long required);

/* H2: over NPAIRS (scheme, method) pairs, NEQUAL of which equal bp to
 * rounding at finite h; CONVERGE_OK = every method's error against the
 * reference falls with the scheme's order (within 0.15).  REFUTED when
 * !CONVERGE_OK or every pair equals bp; QUALIFIED when some do; VERIFIED
 * when none does. */
verdict_t h2_decide(int nequal, int npairs, int converge_ok);

/* T2: RATES[0..n-1] are the observed orders of the difference quotient's
 * error as eps halves; VERIFIED when the last three lie within 0.15 of 1
 * (the quotient tends to a^T J at rate O(eps)), else REFUTED. */
verdict_t t2_decide(const double *rates, int n);

#endif
