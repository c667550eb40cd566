/* closed_form: exact solutions of the problems that have one, evaluated in
 * MPFR, for checks against an independent route. */
#ifndef ADJVERIFY_CLOSED_FORM_H
#define ADJVERIFY_CLOSED_FORM_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "problem.h"

/* z(t) of the linear model when A = [[a, b], [-b, a]] (P2): then
 * expm(A t) = e^(a t) [[cos bt, sin bt], [-sin bt, cos bt]].  Z gets 2
 * values at the problem's precision (computed with 32 guard bits).
 * AV_EINPUT when the problem is not of that form. */
int closed_linear_rotation(mpfr_ptr z, const problem_t p, mpfr_srcptr t,
                           averr_t err);

#endif
