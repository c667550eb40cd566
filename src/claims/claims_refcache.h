/* claims_refcache: the reference gradient of a named problem (reference.h,
 * default options), computed once per run and shared through claim_ctx by
 * the checks and tables that need the same one (E3, H1, H2, N7 and the
 * tables adjoint_vs_bp, reference_accuracy, lagrangian_reduction and the
 * backsolve losses).  A hit is a copy of what a fresh call gives.
 */
#ifndef ADJVERIFY_CLAIMS_REFCACHE_H
#define ADJVERIFY_CLAIMS_REFCACHE_H

#include <mpfr.h>
#include "claim.h"
#include "../gradients/grad.h"

/* The two routes of reference.h. */
typedef enum { REFC_SENS = 1, REFC_ADJOINT = 2 } refc_route;

/* Precision, bits, of the error estimate the cache keeps. */
#define REFC_EST_PREC 64

/* Fills G (and GODE, ntheta values, route 2 only; EST, one value), as
 * ref_gradient_sens (ROUTE REFC_SENS) or ref_gradient_adjoint (REFC_ADJOINT)
 * with ref_opts_default(PREC) fill them for problem_init_lookup(NAME, PREC);
 * G must have been made for that problem, GODE at PREC bits.  With C
 * non-NULL the result is computed on first use and kept in C (keyed by
 * NAME, PREC and ROUTE), later calls copy it; an EST whose precision is
 * not REFC_EST_PREC bypasses the cache.  Without C it computes afresh.
 * Returns 0, or a negative code with ERR set (G, GODE, EST untouched). */
int refc_gradient(grad_result_t g, mpfr_ptr gode, mpfr_ptr est, claim_ctx *c,
                  const char *name, mpfr_prec_t prec, refc_route route,
                  averr_t err);

/* How many gradients C holds. */
int refc_count(const claim_ctx *c);

/* Frees the gradients C holds; C's list is left empty. */
void refc_clear(claim_ctx *c);

#endif
