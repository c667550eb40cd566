/* problem: vector fields f(z, t; theta) with hand-derived products, a loss,
 * and the problem instances built from exact parameters.
 *
 * A model is a const descriptor of callbacks over MPFR vectors; a problem is
 * a model plus exact parameters theta, z(0), T and a loss, rounded once to
 * the working precision.  Built-in problems (P1 mlp, P2 linear, P3 scalar,
 * P5 lotka, P6 decay, P8 stiff of the canonical list) are stored as text in
 * the file format and parsed like a user's file.
 */
#ifndef ADJVERIFY_PROBLEM_H
#define ADJVERIFY_PROBLEM_H

#include <stdio.h>
#include <gmp.h>
#include <mpfr.h>
#include "../numbers/averr.h"
#include "../numbers/kvfile.h"

typedef struct problem_struct problem_struct;

/* Callbacks return 0 or a negative AV_E* code (and never print).
 * T is the time, Z the state (d values), THETA is read from P.
 * AUX (p->naux values) carries what f computed and the products reuse
 * (tanh values of the mlp): f fills AUX when it is not NULL; vjp/jvp read
 * AUX, which must come from f at the same (t, z).  WORK is p->nwork scratch
 * numbers at the working precision.  Outputs never alias inputs. */
typedef int (*model_f_fn)(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t,
                          mpfr_srcptr z, const problem_struct *p,
                          mpfr_ptr work);
typedef int (*model_prod_fn)(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z,
                             mpfr_srcptr aux, mpfr_srcptr v,
                             const problem_struct *p, mpfr_ptr work);

/* Exact-rational evaluation for polynomial models (lotka, linear, scalar):
 * OUT (d values) = f(t, z) with every operation exact.  NULL for the others. */
typedef int (*model_fq_fn)(mpq_t *out, const mpq_t t, const mpq_t *z,
                           const problem_struct *p);
/* Exact-rational products: OUT = J^T v (d values) or (df/dtheta)^T v
 * (ntheta values).  NULL where f_q is NULL. */
typedef int (*model_prodq_fn)(mpq_t *out, const mpq_t t, const mpq_t *z,
                              const mpq_t *v, const problem_struct *p);

typedef struct {
    const char *name;
    const char *summary;            /* one line for `adjverify problems` */
    const char *const *param_keys;  /* file keys of theta, in theta order */
    /* Reads the parameters from KV into P: sets p->d (from z0), p->m,
     * p->ntheta, p->naux, p->nwork and fills p->theta_q in theta order;
     * checks every shape against the others (AV_EINPUT naming the place). */
    int (*setup)(problem_struct *p, const kvfile_t kv, averr_t err);
    model_f_fn f;
    model_prod_fn vjp_z;       /* out (d)      = (df/dz)^T v,     v in R^d */
    model_prod_fn vjp_theta;   /* out (ntheta) = (df/dtheta)^T v, v in R^d */
    model_prod_fn jvp_z;       /* out (d)      = (df/dz) v,       v in R^d */
    model_prod_fn jvp_theta;   /* out (d)      = (df/dtheta) v,   v in R^ntheta */
    model_fq_fn f_q;
    model_prodq_fn vjp_z_q;
    model_prodq_fn vjp_theta_q;
    /* Writes the name of theta component K ("W1[2][0]", "alpha") to BUF. */
    void (*theta_name)(char *buf, size_t size, int k, const problem_struct *p);
} model_desc;

enum { LOSS_HALF_SQUARED_DISTANCE = 0, LOSS_LINEAR = 1 };

struct problem_struct {
    char name[64];
    const model_desc *model;
    int d;             /* state width */
    int m;             /* hidden width (mlp), 0 otherwise */
    int ntheta;        /* number of parameters */
    int naux;          /* aux values per evaluation of f */
    int nwork;         /* scratch numbers the callbacks need */
    int loss;          /* LOSS_* */
    mpq_t *theta_q;    /* ntheta exact parameters, theta order */
    mpq_t *z0_q;       /* d */
    mpq_t T_q;         /* final time, > 0 */
    mpq_t *y_q;        /* d: target y (half_squared_distance) or weights w (linear) */
    mpfr_ptr theta, z0, T, y;   /* the same, rounded to PREC (one block) */
    mpfr_prec_t prec;
};
typedef problem_struct problem_t[1];

/* Names of the built-in problems, NULL-terminated, in listing order. */
extern const char *const problem_builtin_names[];

/* Builds the built-in problem NAME or, when NAME is not a built-in, reads
 * the file NAME.  AV_EINPUT for an unknown name or a bad file. */
int problem_init_lookup(problem_t p, const char *name, mpfr_prec_t prec,
                        averr_t err);

/* Builds a problem from a parsed file.  Common keys: model (word),
 * name (word, optional), z0, T, loss (half_squared_distance | linear,
 * default half_squared_distance), y (target, default 0) or w (weights,
 * linear loss, default all 1); the rest are the model's param_keys. */
int problem_init_kv(problem_t p, const kvfile_t kv, mpfr_prec_t prec,
                    averr_t err);

/* Builds a copy of SRC from its exact values at precision PREC (for
 * precision sweeps and doubled-precision checks). */
int problem_init_copy(problem_t p, const problem_t src, mpfr_prec_t prec,
                      averr_t err);

void problem_clear(problem_t p);

/* Re-rounds the MPFR values from the exact ones (after a caller changed
 * theta_q, z0_q, T_q or y_q). */
void problem_round(problem_t p);

/* The text form of a built-in (what `show problem NAME` prints), or NULL. */
const char *problem_builtin_text(const char *name);

/* The model descriptor named NAME, or NULL. */
const model_desc *model_lookup(const char *name);

/* L = loss(z) and, when DLDZ is not NULL, dL/dz (d values). */
int problem_loss(mpfr_ptr L, mpfr_ptr dLdz, mpfr_srcptr z,
                 const problem_t p);

/* Exact-rational loss and gradient (DLDZ may be NULL). */
void problem_loss_q(mpq_t L, mpq_t *dLdz, const mpq_t *z, const problem_t p);

/* Writes the name of theta component K to BUF (model's theta_name). */
void problem_theta_name(char *buf, size_t size, int k, const problem_t p);

#endif
