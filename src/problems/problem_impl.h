/* problem_impl: what the model files share with problem.c (not public). */
#ifndef ADJVERIFY_PROBLEM_IMPL_H
#define ADJVERIFY_PROBLEM_IMPL_H

#include "problem.h"

/* Allocates p->theta_q for NTHETA parameters (all 0) and sets p->ntheta. */
int problem_alloc_theta(problem_struct *p, int ntheta, averr_t err);

/* Reads KEY as a ROWS x COLS matrix and appends its values, row-major, to
 * p->theta_q starting at *POS (advanced). */
int model_read_param(problem_struct *p, const kvfile_t kv, const char *key,
                     int rows, int cols, int *pos, averr_t err);

/* Returns 0 when the state width p->d (from z0) is WANT, else AV_EINPUT
 * naming z0's place in KV and MODEL's fixed width. */
int model_fixed_width(const problem_struct *p, const kvfile_t kv, const char *model,
                      int want, averr_t err);

extern const model_desc model_mlp, model_linear, model_scalar, model_lotka,
    model_decay, model_stiff;

#endif
