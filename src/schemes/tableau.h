/* tableau: Runge-Kutta Butcher tableaux as data.
 *
 * A tableau holds A (s x s), b and c as exact rationals when it is rational,
 * and always as MPFR numbers at the working precision.  Built-ins are stored
 * as text in the file format (see kvfile.h) and go through the same parser
 * as a user's file; gauss2 alone is irrational (3 +- sqrt 3)/6 and is built
 * in MPFR, flagged not exact.  One forward loop and one reverse loop
 * (src/integrate, src/gradients) serve every tableau.
 * References: Hairer, Norsett, Wanner, Solving ODEs I, II.3; Butcher (2016).
 */
#ifndef ADJVERIFY_TABLEAU_H
#define ADJVERIFY_TABLEAU_H

#include <stdio.h>
#include <gmp.h>
#include <mpfr.h>
#include "../numbers/averr.h"
#include "../numbers/kvfile.h"

#define TABLEAU_MAX_STAGES 64

typedef struct {
    char name[64];
    int s;            /* number of stages */
    int order;        /* stated order (file key `order`, or computed) */
    int exact;        /* 1 when Aq, bq, cq hold the exact coefficients */
    int explicit_;    /* 1 when a_ij = 0 for j >= i */
    mpq_t *Aq, *bq, *cq;   /* s*s, s, s rationals; NULL when !exact */
    mpfr_ptr A, b, c;      /* MPFR copies at PREC (one block) */
    mpfr_prec_t prec;
} tableau_struct;
typedef tableau_struct tableau_t[1];

/* Names of the built-ins, NULL-terminated, in listing order. */
extern const char *const tableau_builtin_names[];

/* Builds the tableau named NAME (a built-in) or, when NAME is not a
 * built-in name and names a readable file, reads that file.  Unknown names
 * are an AV_EINPUT error listing the built-ins.  T must be uninitialised. */
int tableau_init_lookup(tableau_t t, const char *name, mpfr_prec_t prec,
                        averr_t err);

/* Builds a built-in by name; AV_EINPUT for an unknown name. */
int tableau_init_builtin(tableau_t t, const char *name, mpfr_prec_t prec,
                         averr_t err);

/* Builds from a parsed file.  Keys: name (word, optional: default "user"),
 * A (s x s, required), b (s, required), c (s, optional: default row sums of
 * A; a given c that differs from the row sums is an error), order
 * (integer, optional: default the computed order up to 4).  Errors name
 * origin:line:col. */
int tableau_init_kv(tableau_t t, const kvfile_t kv, mpfr_prec_t prec,
                    averr_t err);

/* Builds from exact rationals (copied): A row-major s x s, b, c. */
int tableau_init_q(tableau_t t, const char *name, int s, const mpq_t *A,
                   const mpq_t *b, const mpq_t *c, int order,
                   mpfr_prec_t prec, averr_t err);

void tableau_clear(tableau_t t);

/* The text form of a built-in (what `show scheme NAME` prints), or NULL.
 * gauss2 has a text form with its coefficients written as comments and
 * 40-digit decimals, flagged as not the exact values. */
const char *tableau_builtin_text(const char *name);

/* Writes T in the file format (exact rationals when exact, else decimals to
 * the working precision with a comment saying so). */
int tableau_write(FILE *out, const tableau_t t);

/* Highest p <= 4 for which the order conditions hold exactly (exact
 * tableaux) or to within 2^(-prec+8) (MPFR-only tableaux). */
int tableau_computed_order(const tableau_t t);

/* Returns 1 when every b_i != 0. */
int tableau_all_b_nonzero(const tableau_t t);

#endif
