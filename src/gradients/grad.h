/* grad: the gradient dL/dtheta of a problem's loss, by every method the
 * suite compares, behind one interface.
 *
 *   bp        the exact reverse-mode derivative of the discrete RK map
 *             (backprop through the recorded stages; implicit stages by the
 *             transposed stage system)
 *   fd        central differences of the discrete map at doubled precision
 *   backsolve, interp, partner, reference: see their modules (adjoint.h,
 *             partner.h, reference.h); a method not built in yet reports so.
 * References: Griewank and Walther (2008); Hager (2000); Chen et al. (2018).
 */
#ifndef ADJVERIFY_GRAD_H
#define ADJVERIFY_GRAD_H

#include <mpfr.h>
#include "../numbers/averr.h"
#include "../schemes/tableau.h"
#include "../problems/problem.h"
#include "../integrate/rk.h"

typedef enum {
    GRAD_BP = 0,
    GRAD_FD,
    GRAD_BACKSOLVE,
    GRAD_INTERP,
    GRAD_PARTNER,
    GRAD_REFERENCE,
    GRAD_NMETHODS
} grad_method;

/* The outputs of one gradient computation, at the problem's precision. */
typedef struct {
    int d, ntheta;
    mpfr_ptr L;        /* 1 value: the loss at z(T) */
    mpfr_ptr zT;       /* d */
    mpfr_ptr dtheta;   /* ntheta: dL/dtheta in theta order */
    mpfr_ptr dz0;      /* d: dL/dz(0) */
    mpfr_ptr block;
} grad_result_struct;
typedef grad_result_struct grad_result_t[1];

int grad_result_init(grad_result_t g, const problem_t p, averr_t err);
void grad_result_clear(grad_result_t g);

/* Method names ("bp", "fd", ...) and lookup; AV_EINPUT for an unknown
 * name, listing the known ones. */
const char *grad_method_name(grad_method m);
int grad_method_lookup(grad_method *m, const char *name, averr_t err);

/* Options some methods read. */
typedef struct {
    long checkpoints;   /* bp: 0 = store everything */
} grad_opts;

/* Computes the gradient of P with tableau TAB and N uniform steps by
 * METHOD (TAB and N are ignored by `reference`).  OPTS may be NULL.
 * Clears the MPFR flags first and fails (AV_ENUM, naming the quantity) on
 * NaN or overflow.  G is untouched on failure. */
int grad_compute(grad_result_t g, const problem_t p, const tableau_t tab,
                 long N, grad_method method, const grad_opts *opts,
                 averr_t err);

/* The forward solve of P with TAB in N uniform steps from t = 0 to T,
 * recorded into TR, which this initialises (the caller clears it on
 * success; on failure it is left clear).  Every reverse pass reads it. */
int bp_record(traj_t tr, const problem_t p, const tableau_t tab, long N,
              averr_t err);

/* Backprop: forward solve recording the trajectory, then the reverse pass. */
int bp_gradient(grad_result_t g, const problem_t p, const tableau_t tab,
                long N, averr_t err);

/* The reverse pass alone over a trajectory TR recorded by rk_solve with the
 * problem's system (rk_system_of_problem), tableau TAB. */
int bp_reverse(grad_result_t g, const traj_t tr, const problem_t p,
               const tableau_t tab, averr_t err);

/* One reverse step: given LAMBDA = dL/dz_{n+1} (d values, overwritten with
 * dL/dz_n) and the stages and aux of step n starting at time TN with step
 * H, adds the step's contribution to GTHETA (ntheta).  W is the forward
 * workspace (its M, J, piv are reused for implicit stages); PCTX gives the
 * problem scratch.  Used by bp_reverse and by checkpointed backprop. */
int bp_step_reverse(mpfr_ptr lambda, mpfr_ptr gtheta, mpfr_srcptr stages,
                    mpfr_srcptr aux, mpfr_srcptr tn, mpfr_srcptr h,
                    const problem_t p, const tableau_t tab, rk_work_t w,
                    rk_problem_ctx *pctx, averr_t err);

/* Central differences of the discrete map (scheme TAB, N steps) at twice
 * the problem's precision, rounded to it: dtheta and dz0; L and zT from a
 * plain forward solve at the doubled precision. */
int fd_gradient(grad_result_t g, const problem_t p, const tableau_t tab,
                long N, averr_t err);

#endif
