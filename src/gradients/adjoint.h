/* adjoint: the continuous adjoint method discretised by a Runge-Kutta
 * tableau, in the two forms the literature uses, for any tableau.
 *
 * Both start from the same forward pass: N uniform steps h = T/N of the
 * tableau from z(0), giving z_N, L = loss(z_N) and a(T) = dL/dz(z_N).  Then
 * the adjoint ODE  a' = -J(z(t), t)^T a,  g' = -(df/dtheta)(z(t), t)^T a,
 * g(T) = 0, so that g(0) = int_0^T a^T df/dtheta dt, is integrated from T
 * back to 0 with the same tableau and the same N steps (step -h):
 *
 *   backsolve  the augmented state [z, a, g] (2d + ntheta values) with
 *              z' = f(z, t) carried backwards from z_N alongside a and g:
 *              z(t) is reconstructed by the backward scheme, never stored.
 *              This is the method of Chen et al. (2018), algorithm 1.
 *   interp     the state [a, g] (d + ntheta values); wherever the backward
 *              step needs z(t) (at its stage times t_{n+1} - c_i h) it takes
 *              the cubic Hermite interpolant of the stored forward grid on
 *              [t_n, t_{n+1}]: with s = (t - t_n)/h,
 *                z(t) = (1 + 2s)(1 - s)^2 z_n + s^2 (3 - 2s) z_{n+1}
 *                       + h [s (1 - s)^2 f_n - s^2 (1 - s) f_{n+1}],
 *              f_n = f(z_n, t_n), as CVODES interpolates between checkpoints.
 *
 * Results: dL/dtheta = g(0), dL/dz(0) = a(0); L and z(T) from the forward
 * pass.  Implicit tableaux solve the backward stage equations by Newton's
 * method with a forward-difference Jacobian (rk.h).  Neither result equals
 * backprop (bp) at finite h in general; both converge to the continuous
 * gradient with the scheme's order.
 * References: Chen, Rubanova, Bettencourt, Duvenaud (2018); Serban and
 * Hindmarsh (2005), CVODES; Hager (2000); Sanz-Serna (2016).
 */
#ifndef ADJVERIFY_ADJOINT_H
#define ADJVERIFY_ADJOINT_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../schemes/tableau.h"
#include "../problems/problem.h"
#include "grad.h"

/* backsolve at the problem's precision.  Z0BACK (d values, may be NULL)
 * receives the z(0) that the backward pass reconstructed.  G untouched on
 * failure. */
int adj_backsolve(grad_result_t g, mpfr_ptr z0back, const problem_t p,
                  const tableau_t tab, long N, averr_t err);

/* interp at the problem's precision.  G untouched on failure. */
int adj_interp(grad_result_t g, const problem_t p, const tableau_t tab, long N,
               averr_t err);

#endif
