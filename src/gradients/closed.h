/* closed: closed-form solutions and gradients, the independent yardstick of
 * the reference integrator.
 *
 *   scalar (P3)  z' = theta z, L = w z(T):  z(T) = z0 e^{theta T},
 *                dL/dtheta = w T z0 e^{theta T}, dL/dz0 = w e^{theta T}.
 *   linear (P2)  z' = A z with A = [[al, be], [-be, al]] (d = 2), L = 1/2 |z(T)|^2:
 *                expm(A t) = e^{al t} R(be t), R(phi) = [[cos, sin], [-sin, cos]];
 *                z(T) = e^{al T} R(be T) z0, dL/dz0 = e^{2 al T} z0, and the
 *                Frechet-derivative integral dL/dA = int_0^T expm(A^T (T-s))
 *                z(T) z(s)^T ds = e^{2 al T} int_0^T R(be s) z0 z0^T R(be s)^T ds,
 *                whose entries are sums of int cos^2, int sin^2, int cos sin.
 *   decay (P6)   z' = k z + s sin t: by variation of constants (D = k^2 + 1)
 *                z(t) = (z0 + s/D) e^{k t} - s (k sin t + cos t) / D,
 *                and dz(T)/dk, dz(T)/ds, dz(T)/dz0 = e^{kT} by differentiating it.
 * The derivations are in derivations/reference.md.
 */
#ifndef ADJVERIFY_CLOSED_H
#define ADJVERIFY_CLOSED_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../problems/problem.h"
#include "grad.h"

/* Returns 1 when P has one of the closed forms above (model, dimension,
 * loss and the shape of A checked), else 0. */
int closed_available(const problem_t p);

/* Fills G (at its precision, the problem's) from the closed form, computed
 * 64 bits above it and rounded once.  AV_EINPUT when closed_available(p)
 * is 0.  G is untouched on failure. */
int closed_gradient(grad_result_t g, const problem_t p, averr_t err);

/* P6 only: Z = z(t) and ZDOT = z'(t) from the closed form, at their own
 * precision (so a test can check the residual z' - k z - s sin t). */
int closed_decay_state(mpfr_ptr z, mpfr_ptr zdot, mpfr_srcptr t, const problem_t p,
                       averr_t err);

#endif
