/* quad: Gauss-Legendre quadrature in MPFR at any working precision, and the
 * composite rule on [a, b] with M equal panels.
 *
 * The n nodes are the roots of the Legendre polynomial P_n, found by
 * Newton's method from Tricomi's initial guess and iterated to the working
 * precision (plus guard bits); the weights are 2 / ((1 - x^2) P_n'(x)^2).
 * An n-point rule integrates polynomials of degree 2n - 1 exactly.
 * References: Davis and Rabinowitz, Methods of Numerical Integration (1984),
 * 2.7; Tricomi (1950) for the initial guess; DLMF 3.5(v).
 */
#ifndef ADJVERIFY_QUAD_H
#define ADJVERIFY_QUAD_H

#include <stddef.h>
#include <mpfr.h>
#include "../numbers/averr.h"

/* Largest number of nodes per panel and of panels accepted. */
#define QUAD_MAX_NODES 2000
#define QUAD_MAX_PANELS 1000000L

/* The n-point Gauss-Legendre rule on [-1, 1]: nodes x[0] < ... < x[n-1]
 * and their weights w[i], correctly rounded to within an ulp or two at
 * PREC bits.  One allocation. */
typedef struct {
    int n;
    mpfr_prec_t prec;
    mpfr_ptr x, w;
    mpfr_ptr block;
} quad_gl_struct;
typedef quad_gl_struct quad_gl_t[1];

/* Computes the rule with N nodes (1 <= N <= QUAD_MAX_NODES) at PREC bits.
 * Returns 0; AV_EINPUT for a bad N or PREC, AV_ESYS when memory is short,
 * AV_ENUM if a Newton iteration fails to converge (G is then cleared and
 * safe to pass to quad_gl_clear). */
int quad_gl_init(quad_gl_t g, int n, mpfr_prec_t prec, averr_t err);
void quad_gl_clear(quad_gl_t g);

/* A composite rule: the N = M * n nodes t[j] (ascending) and weights w[j]
 * of the n-point rule mapped onto each of M equal panels of [a, b], and
 * two accumulators at PREC + 64 bits that quad_rule_sum uses so that a sum
 * of many terms is rounded once. */
typedef struct {
    size_t N;
    int n;
    long M;
    mpfr_prec_t prec;
    mpfr_ptr t, w;
    mpfr_ptr acc;      /* 2 scratch numbers at prec + 64 */
    mpfr_ptr block;
} quad_rule_struct;
typedef quad_rule_struct quad_rule_t[1];

/* Builds the composite rule of G on [A, B] (A < B, finite) with M panels
 * (1 <= M <= QUAD_MAX_PANELS) at G's precision.  AV_EINPUT for bad
 * arguments, AV_ESYS when memory is short. */
int quad_rule_init(quad_rule_t r, const quad_gl_t g, mpfr_srcptr a,
                   mpfr_srcptr b, long M, averr_t err);
void quad_rule_clear(quad_rule_t r);

/* OUT = sum_j w[j] * V[j * STRIDE] over the N nodes of R, accumulated at
 * R's precision + 64 bits and rounded once into OUT (which may be one of
 * the values).  Uses R's accumulators, so R is not const. */
void quad_rule_sum(mpfr_ptr out, quad_rule_t r, mpfr_srcptr v, size_t stride);

/* The integrand of quad_rule_integrate: OUT (DIM values) = f(T). */
typedef int (*quad_fn)(mpfr_ptr out, mpfr_srcptr t, void *ctx);

/* OUT (DIM values) = the composite-rule integral of FN over R's interval,
 * each component accumulated at R's precision + 64 bits.  Allocates its
 * scratch once per call.  Returns 0, FN's negative code (ERR as FN set
 * it), or AV_ESYS.  OUT is untouched on failure. */
int quad_rule_integrate(mpfr_ptr out, quad_rule_t r, quad_fn fn, void *ctx,
                        size_t dim, averr_t err);

#endif
