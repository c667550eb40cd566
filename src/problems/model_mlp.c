/* model_mlp: f(z) = W2 tanh(W1 z + b1) + b2 with z in R^d, hidden width m,
 * and its hand-derived products.  With a = tanh(u), u = W1 z + b1,
 *   J = W2 diag(1 - a^2) W1,
 *   (df/dtheta)^T v: dW2 = v a^T, db2 = v, dW1 = w z^T, db1 = w,
 *   where w = (1 - a^2) .* (W2^T v).
 * The tanh values are the aux of an evaluation, so the reverse pass reuses
 * them instead of recomputing the most expensive operation.
 */
#include <stdio.h>
#include "problem_impl.h"

/* theta layout: W1 (m x d), b1 (m), W2 (d x m), b2 (d) */
#define W1(p) ((p)->theta)
#define B1(p) ((p)->theta + (p)->m * (p)->d)
#define W2(p) (B1(p) + (p)->m)
#define B2(p) (W2(p) + (p)->d * (p)->m)

static const char *const mlp_keys[] = {"W1", "b1", "W2", "b2", NULL};

static int mlp_setup(problem_struct *p, const kvfile_t kv, averr_t err)
{
    qmat_t W1;
    int status = kvfile_qmat(W1, kv, "W1", 1, err);
    if (status != 0)
        return status;
    p->m = W1->rows;
    qmat_clear(W1);
    int d = p->d, m = p->m, pos = 0;
    if (m < 1 || m > 4096)
        return averr_set(err, AV_EINPUT, "%s: W1 must have 1 to 4096 rows", kv->origin);
    if ((status = problem_alloc_theta(p, 2 * m * d + m + d, err)) != 0)
        return status;
    p->naux = m;
    p->nwork = m + 1;
    if ((status = model_read_param(p, kv, "W1", m, d, &pos, err)) != 0 ||
        (status = model_read_param(p, kv, "b1", 1, m, &pos, err)) != 0 ||
        (status = model_read_param(p, kv, "W2", d, m, &pos, err)) != 0)
        return status;
    return model_read_param(p, kv, "b2", 1, d, &pos, err);
}

static int mlp_f(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr z,
                 const problem_struct *p, mpfr_ptr work)
{
    (void)t;
    int d = p->d, m = p->m;
    mpfr_ptr a = aux != NULL ? aux : work;
    for (int k = 0; k < m; k++) {
        mpfr_set(a + k, B1(p) + k, MPFR_RNDN);
        for (int j = 0; j < d; j++)
            mpfr_fma(a + k, W1(p) + k * d + j, z + j, a + k, MPFR_RNDN);
        mpfr_tanh(a + k, a + k, MPFR_RNDN);
    }
    for (int i = 0; i < d; i++) {
        mpfr_set(out + i, B2(p) + i, MPFR_RNDN);
        for (int k = 0; k < m; k++)
            mpfr_fma(out + i, W2(p) + i * m + k, a + k, out + i, MPFR_RNDN);
    }
    return 0;
}

/* w = (1 - a^2) .* (W2^T v), into work[0..m-1]; work[m] is scratch. */
static void mlp_hidden_adjoint(mpfr_ptr w, mpfr_srcptr a, mpfr_srcptr v,
                               const problem_struct *p, mpfr_ptr tmp)
{
    int d = p->d, m = p->m;
    for (int k = 0; k < m; k++) {
        mpfr_set_zero(w + k, 1);
        for (int i = 0; i < d; i++)
            mpfr_fma(w + k, W2(p) + i * m + k, v + i, w + k, MPFR_RNDN);
        mpfr_sqr(tmp, a + k, MPFR_RNDN);
        mpfr_ui_sub(tmp, 1, tmp, MPFR_RNDN);
        mpfr_mul(w + k, w + k, tmp, MPFR_RNDN);
    }
}

static int mlp_vjp_z(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z, mpfr_srcptr aux,
                     mpfr_srcptr v, const problem_struct *p, mpfr_ptr work)
{
    (void)t; (void)z;
    int d = p->d, m = p->m;
    mlp_hidden_adjoint(work, aux, v, p, work + m);
    for (int j = 0; j < d; j++) {
        mpfr_set_zero(out + j, 1);
        for (int k = 0; k < m; k++)
            mpfr_fma(out + j, W1(p) + k * d + j, work + k, out + j, MPFR_RNDN);
    }
    return 0;
}

static int mlp_vjp_theta(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z,
                         mpfr_srcptr aux, mpfr_srcptr v, const problem_struct *p,
                         mpfr_ptr work)
{
    (void)t;
    int d = p->d, m = p->m;
    mpfr_ptr gW1 = out, gb1 = out + m * d, gW2 = gb1 + m, gb2 = gW2 + d * m;
    mlp_hidden_adjoint(work, aux, v, p, work + m);
    for (int k = 0; k < m; k++) {
        for (int j = 0; j < d; j++)
            mpfr_mul(gW1 + k * d + j, work + k, z + j, MPFR_RNDN);
        mpfr_set(gb1 + k, work + k, MPFR_RNDN);
    }
    for (int i = 0; i < d; i++) {
        for (int k = 0; k < m; k++)
            mpfr_mul(gW2 + i * m + k, v + i, aux + k, MPFR_RNDN);
        mpfr_set(gb2 + i, v + i, MPFR_RNDN);
    }
    return 0;
}

/* out = W2 ((1 - a^2) .* work), work holding a hidden-layer direction. */
static void mlp_output_direction(mpfr_ptr out, mpfr_srcptr a, mpfr_ptr hid,
                                 const problem_struct *p, mpfr_ptr tmp)
{
    int d = p->d, m = p->m;
    for (int k = 0; k < m; k++) {
        mpfr_sqr(tmp, a + k, MPFR_RNDN);
        mpfr_ui_sub(tmp, 1, tmp, MPFR_RNDN);
        mpfr_mul(hid + k, hid + k, tmp, MPFR_RNDN);
    }
    for (int i = 0; i < d; i++) {
        mpfr_set_zero(out + i, 1);
        for (int k = 0; k < m; k++)
            mpfr_fma(out + i, W2(p) + i * m + k, hid + k, out + i, MPFR_RNDN);
    }
}

static int mlp_jvp_z(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z, mpfr_srcptr aux,
                     mpfr_srcptr v, const problem_struct *p, mpfr_ptr work)
{
    (void)t; (void)z;
    int d = p->d, m = p->m;
    for (int k = 0; k < m; k++) {
        mpfr_set_zero(work + k, 1);
        for (int j = 0; j < d; j++)
            mpfr_fma(work + k, W1(p) + k * d + j, v + j, work + k, MPFR_RNDN);
    }
    mlp_output_direction(out, aux, work, p, work + m);
    return 0;
}

static int mlp_jvp_theta(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z,
                         mpfr_srcptr aux, mpfr_srcptr v, const problem_struct *p,
                         mpfr_ptr work)
{
    (void)t;
    int d = p->d, m = p->m;
    mpfr_srcptr dW1 = v, db1 = v + m * d, dW2 = db1 + m, db2 = dW2 + d * m;
    for (int k = 0; k < m; k++) {
        mpfr_set(work + k, db1 + k, MPFR_RNDN);
        for (int j = 0; j < d; j++)
            mpfr_fma(work + k, dW1 + k * d + j, z + j, work + k, MPFR_RNDN);
    }
    mlp_output_direction(out, aux, work, p, work + m);
    for (int i = 0; i < d; i++) {
        mpfr_add(out + i, out + i, db2 + i, MPFR_RNDN);
        for (int k = 0; k < m; k++)
            mpfr_fma(out + i, dW2 + i * m + k, aux + k, out + i, MPFR_RNDN);
    }
    return 0;
}

static void mlp_theta_name(char *buf, size_t size, int k, const problem_struct *p)
{
    int d = p->d, m = p->m;
    if (k < m * d)
        snprintf(buf, size, "W1[%d][%d]", k / d, k % d);
    else if ((k -= m * d) < m)
        snprintf(buf, size, "b1[%d]", k);
    else if ((k -= m) < d * m)
        snprintf(buf, size, "W2[%d][%d]", k / m, k % m);
    else
        snprintf(buf, size, "b2[%d]", k - d * m);
}

const model_desc model_mlp = {
    .name = "mlp",
    .summary = "f(z) = W2 tanh(W1 z + b1) + b2 (any state width d, hidden width m)",
    .param_keys = mlp_keys,
    .setup = mlp_setup,
    .f = mlp_f,
    .vjp_z = mlp_vjp_z,
    .vjp_theta = mlp_vjp_theta,
    .jvp_z = mlp_jvp_z,
    .jvp_theta = mlp_jvp_theta,
    .theta_name = mlp_theta_name,
};
