/* partner (gradients): the adjoint equation lambda' = -J^T lambda
 * integrated with the partner coefficients on the stored forward stages,
 * and the gradient as the RK quadrature of (df/dtheta)^T lambda.
 *
 * One step of the partitioned RK pair (A, b | Abar, b), read backwards from
 * lambda_{n+1} (derivations/partner_scheme.md, steps 3-5):
 *     Lambda_i  = lambda_{n+1} + h sum_j (b_j - abar_ij) J_j^T Lambda_j,
 *     lambda_n  = lambda_{n+1} + h sum_i b_i J_i^T Lambda_i,
 *     dL/dtheta += h sum_i b_i (df/dtheta)_i^T Lambda_i,
 * with J_i = df/dz at the stored stage Z_{n,i}, time t_n + c_i h.  With
 * abar the partner (b_j - abar_ij = b_j a_ji / b_i) this is backprop
 * rewritten; with abar = a it is the adjoint integrated with the same
 * tableau as the forward solve (the literal reading of "same scheme").
 * The stage system is solved by substitution when b_j - abar_ij is
 * strictly triangular (explicit A and its partner), else by LU.
 * References: Hager (2000); Sanz-Serna (2016), SIAM Review 58(1).
 */
#ifndef ADJVERIFY_GRADIENTS_PARTNER_H
#define ADJVERIFY_GRADIENTS_PARTNER_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../schemes/tableau.h"
#include "../schemes/partner.h"
#include "../problems/problem.h"
#include "../integrate/rk.h"
#include "grad.h"

/* `--method partner`: forward solve recording the stages, then the reverse
 * pass with the partner of TAB.  AV_EINPUT naming the scheme when some
 * b_i = 0 (no partner exists).  G is filled at the problem's precision. */
int partner_gradient(grad_result_t g, const problem_t p, const tableau_t tab,
                     long N, averr_t err);

/* The adjoint with the forward tableau's own coefficients (abar = a) on the
 * stored stages: equal to backprop exactly when TAB is its own partner. */
int partner_same_gradient(grad_result_t g, const problem_t p, const tableau_t tab,
                          long N, averr_t err);

/* The reverse pass over TR (from bp_record or rk_solve with the
 * problem's system and TAB) with the stage coefficients ABAR (s*s
 * row-major, read at the problem's precision) and TAB's b and c.  Fills G:
 * L and zT from the last state, dtheta and dz0 from the adjoint.  AV_ENUM
 * when a dense stage system is singular. */
int partner_reverse(grad_result_t g, const traj_t tr, const problem_t p,
                    const tableau_t tab, mpfr_srcptr Abar, averr_t err);

#endif
