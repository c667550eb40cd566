/* model_small: the closed-form and polynomial models of the canonical list:
 *   linear  f = A z                    (P2; exact-rational products)
 *   scalar  f = theta z                (P3; the linear model with d = 1)
 *   lotka   f = (al x - be x y, de x y - ga y)  (P5; exact-rational products)
 *   decay   f = k z + s sin t          (P6)
 *   stiff   f = k z + c tanh z + s sin t  (P8; aux = tanh z, sin t)
 * Each product is derived by hand beside its code.
 */
#include <stdio.h>
#include "problem_impl.h"

/* ---- linear (and scalar): theta = A row-major, J = A ---- */

static const char *const linear_keys[] = {"A", NULL};
static const char *const scalar_keys[] = {"theta", NULL};

static int linear_setup(problem_struct *p, const kvfile_t kv, averr_t err)
{
    int pos = 0, status = problem_alloc_theta(p, p->d * p->d, err);
    p->nwork = 0;
    return status != 0 ? status : model_read_param(p, kv, "A", p->d, p->d, &pos, err);
}

static int scalar_setup(problem_struct *p, const kvfile_t kv, averr_t err)
{
    int pos = 0;
    if (model_fixed_width(p, kv, "scalar", 1, err) != 0)
        return AV_EINPUT;
    int status = problem_alloc_theta(p, 1, err);
    return status != 0 ? status : model_read_param(p, kv, "theta", 1, 1, &pos, err);
}

/* out = M z (transpose = 0) or M^T z (transpose = 1), M = theta as d x d */
static void linear_apply(mpfr_ptr out, mpfr_srcptr v, const problem_struct *p,
                         int transpose)
{
    int d = p->d;
    for (int i = 0; i < d; i++) {
        mpfr_set_zero(out + i, 1);
        for (int j = 0; j < d; j++) {
            mpfr_srcptr a = transpose ? p->theta + j * d + i : p->theta + i * d + j;
            mpfr_fma(out + i, a, v + j, out + i, MPFR_RNDN);
        }
    }
}

static int linear_f(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr z,
                    const problem_struct *p, mpfr_ptr work)
{
    (void)aux; (void)t; (void)work;
    linear_apply(out, z, p, 0);
    return 0;
}

static int linear_vjp_z(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z, mpfr_srcptr aux,
                        mpfr_srcptr v, const problem_struct *p, mpfr_ptr work)
{
    (void)t; (void)z; (void)aux; (void)work;
    linear_apply(out, v, p, 1);
    return 0;
}

static int linear_jvp_z(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z, mpfr_srcptr aux,
                        mpfr_srcptr v, const problem_struct *p, mpfr_ptr work)
{
    (void)t; (void)z; (void)aux; (void)work;
    linear_apply(out, v, p, 0);
    return 0;
}

/* d(Az)/dA_ij = e_i z_j: the gradient is the outer product v z^T. */
static int linear_vjp_theta(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z,
                            mpfr_srcptr aux, mpfr_srcptr v, const problem_struct *p,
                            mpfr_ptr work)
{
    (void)t; (void)aux; (void)work;
    for (int i = 0; i < p->d; i++)
        for (int j = 0; j < p->d; j++)
            mpfr_mul(out + i * p->d + j, v + i, z + j, MPFR_RNDN);
    return 0;
}

static int linear_jvp_theta(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z,
                            mpfr_srcptr aux, mpfr_srcptr v, const problem_struct *p,
                            mpfr_ptr work)
{
    (void)t; (void)aux; (void)work;
    for (int i = 0; i < p->d; i++) {
        mpfr_set_zero(out + i, 1);
        for (int j = 0; j < p->d; j++)
            mpfr_fma(out + i, v + i * p->d + j, z + j, out + i, MPFR_RNDN);
    }
    return 0;
}

static void linear_apply_q(mpq_t *out, const mpq_t *v, const problem_struct *p,
                           int transpose)
{
    int d = p->d;
    mpq_t tmp;
    mpq_init(tmp);
    for (int i = 0; i < d; i++) {
        mpq_set_ui(out[i], 0, 1);
        for (int j = 0; j < d; j++) {
            mpq_mul(tmp, p->theta_q[transpose ? j * d + i : i * d + j], v[j]);
            mpq_add(out[i], out[i], tmp);
        }
    }
    mpq_clear(tmp);
}

static int linear_f_q(mpq_t *out, const mpq_t t, const mpq_t *z, const problem_struct *p)
{
    (void)t;
    linear_apply_q(out, z, p, 0);
    return 0;
}

static int linear_vjp_z_q(mpq_t *out, const mpq_t t, const mpq_t *z, const mpq_t *v,
                          const problem_struct *p)
{
    (void)t; (void)z;
    linear_apply_q(out, v, p, 1);
    return 0;
}

static int linear_vjp_theta_q(mpq_t *out, const mpq_t t, const mpq_t *z,
                              const mpq_t *v, const problem_struct *p)
{
    (void)t;
    for (int i = 0; i < p->d; i++)
        for (int j = 0; j < p->d; j++)
            mpq_mul(out[i * p->d + j], v[i], z[j]);
    return 0;
}

static void linear_theta_name(char *buf, size_t size, int k, const problem_struct *p)
{
    snprintf(buf, size, "A[%d][%d]", k / p->d, k % p->d);
}

static void scalar_theta_name(char *buf, size_t size, int k, const problem_struct *p)
{
    (void)k; (void)p;
    snprintf(buf, size, "theta");
}

const model_desc model_linear = {
    .name = "linear", .summary = "f(z) = A z (any d)", .param_keys = linear_keys,
    .setup = linear_setup, .f = linear_f, .vjp_z = linear_vjp_z,
    .vjp_theta = linear_vjp_theta, .jvp_z = linear_jvp_z,
    .jvp_theta = linear_jvp_theta, .f_q = linear_f_q, .vjp_z_q = linear_vjp_z_q,
    .vjp_theta_q = linear_vjp_theta_q, .theta_name = linear_theta_name,
};

const model_desc model_scalar = {
    .name = "scalar", .summary = "f(z) = theta z (d = 1)", .param_keys = scalar_keys,
    .setup = scalar_setup, .f = linear_f, .vjp_z = linear_vjp_z,
    .vjp_theta = linear_vjp_theta, .jvp_z = linear_jvp_z,
    .jvp_theta = linear_jvp_theta, .f_q = linear_f_q, .vjp_z_q = linear_vjp_z_q,
    .vjp_theta_q = linear_vjp_theta_q, .theta_name = scalar_theta_name,
};

/* ---- lotka: theta = (alpha, beta, delta, gamma) ----
 * f = (al x - be x y, de x y - ga y)
 * J = [[al - be y, -be x], [de y, de x - ga]]
 * (df/dtheta)^T v = (v0 x, -v0 x y, v1 x y, -v1 y) */

static const char *const lotka_keys[] = {"alpha", "beta", "delta", "gamma", NULL};

static int lotka_setup(problem_struct *p, const kvfile_t kv, averr_t err)
{
    if (model_fixed_width(p, kv, "lotka", 2, err) != 0)
        return AV_EINPUT;
    int pos = 0, status = problem_alloc_theta(p, 4, err);
    for (int k = 0; k < 4 && status == 0; k++)
        status = model_read_param(p, kv, lotka_keys[k], 1, 1, &pos, err);
    p->nwork = 2;
    return status;
}

static int lotka_f(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr z,
                   const problem_struct *p, mpfr_ptr work)
{
    (void)aux; (void)t;
    mpfr_srcptr th = p->theta;
    mpfr_mul(work, z, z + 1, MPFR_RNDN);                   /* x y */
    mpfr_mul(out, th + 0, z, MPFR_RNDN);
    mpfr_fms(out, th + 1, work, out, MPFR_RNDN);           /* be x y - al x */
    mpfr_neg(out, out, MPFR_RNDN);
    mpfr_mul(out + 1, th + 3, z + 1, MPFR_RNDN);
    mpfr_fms(out + 1, th + 2, work, out + 1, MPFR_RNDN);   /* de x y - ga y */
    return 0;
}

/* J v (transpose = 0) or J^T v (transpose = 1) */
static void lotka_jac_apply(mpfr_ptr out, mpfr_srcptr z, mpfr_srcptr v,
                            const problem_struct *p, mpfr_ptr work, int transpose)
{
    mpfr_srcptr th = p->theta;
    mpfr_ptr j00 = work, j11 = work + 1;
    mpfr_mul(j00, th + 1, z + 1, MPFR_RNDN);
    mpfr_sub(j00, th + 0, j00, MPFR_RNDN);        /* al - be y */
    mpfr_mul(j11, th + 2, z, MPFR_RNDN);
    mpfr_sub(j11, j11, th + 3, MPFR_RNDN);        /* de x - ga */
    /* off-diagonals: J01 = -be x, J10 = de y */
    if (!transpose) {
        mpfr_mul(out, j00, v, MPFR_RNDN);
        mpfr_mul(j00, th + 1, z, MPFR_RNDN);
        mpfr_fms(out, j00, v + 1, out, MPFR_RNDN);
        mpfr_neg(out, out, MPFR_RNDN);             /* J00 v0 - be x v1 */
        mpfr_mul(out + 1, j11, v + 1, MPFR_RNDN);
        mpfr_mul(j00, th + 2, z + 1, MPFR_RNDN);
        mpfr_fma(out + 1, j00, v, out + 1, MPFR_RNDN);  /* de y v0 + J11 v1 */
    } else {
        mpfr_mul(out, j00, v, MPFR_RNDN);
        mpfr_mul(j00, th + 2, z + 1, MPFR_RNDN);
        mpfr_fma(out, j00, v + 1, out, MPFR_RNDN);     /* J00 v0 + de y v1 */
        mpfr_mul(out + 1, j11, v + 1, MPFR_RNDN);
        mpfr_mul(j00, th + 1, z, MPFR_RNDN);
        mpfr_fms(out + 1, j00, v, out + 1, MPFR_RNDN);
        mpfr_neg(out + 1, out + 1, MPFR_RNDN);         /* J11 v1 - be x v0 */
    }
}

static int lotka_vjp_z(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z, mpfr_srcptr aux,
                       mpfr_srcptr v, const problem_struct *p, mpfr_ptr work)
{
    (void)t; (void)aux;
    lotka_jac_apply(out, z, v, p, work, 1);
    return 0;
}

static int lotka_jvp_z(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z, mpfr_srcptr aux,
                       mpfr_srcptr v, const problem_struct *p, mpfr_ptr work)
{
    (void)t; (void)aux;
    lotka_jac_apply(out, z, v, p, work, 0);
    return 0;
}

static int lotka_vjp_theta(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z,
                           mpfr_srcptr aux, mpfr_srcptr v, const problem_struct *p,
                           mpfr_ptr work)
{
    (void)t; (void)aux; (void)p;
    mpfr_mul(work, z, z + 1, MPFR_RNDN);
    mpfr_mul(out + 0, v, z, MPFR_RNDN);
    mpfr_mul(out + 1, v, work, MPFR_RNDN);
    mpfr_neg(out + 1, out + 1, MPFR_RNDN);
    mpfr_mul(out + 2, v + 1, work, MPFR_RNDN);
    mpfr_mul(out + 3, v + 1, z + 1, MPFR_RNDN);
    mpfr_neg(out + 3, out + 3, MPFR_RNDN);
    return 0;
}

static int lotka_jvp_theta(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z,
                           mpfr_srcptr aux, mpfr_srcptr v, const problem_struct *p,
                           mpfr_ptr work)
{
    (void)t; (void)aux; (void)p;
    mpfr_mul(work, z, z + 1, MPFR_RNDN);
    mpfr_mul(out, v + 1, work, MPFR_RNDN);
    mpfr_fms(out, v + 0, z, out, MPFR_RNDN);          /* dal x - dbe x y */
    mpfr_mul(out + 1, v + 3, z + 1, MPFR_RNDN);
    mpfr_fms(out + 1, v + 2, work, out + 1, MPFR_RNDN); /* dde x y - dga y */
    return 0;
}

static int lotka_f_q(mpq_t *out, const mpq_t t, const mpq_t *z, const problem_struct *p)
{
    (void)t;
    mpq_t xy, tmp;
    mpq_inits(xy, tmp, NULL);
    mpq_mul(xy, z[0], z[1]);
    mpq_mul(out[0], p->theta_q[0], z[0]);
    mpq_mul(tmp, p->theta_q[1], xy);
    mpq_sub(out[0], out[0], tmp);
    mpq_mul(out[1], p->theta_q[2], xy);
    mpq_mul(tmp, p->theta_q[3], z[1]);
    mpq_sub(out[1], out[1], tmp);
    mpq_clears(xy, tmp, NULL);
    return 0;
}

static int lotka_vjp_z_q(mpq_t *out, const mpq_t t, const mpq_t *z, const mpq_t *v,
                         const problem_struct *p)
{
    (void)t;
    const mpq_t *th = (const mpq_t *)p->theta_q;
    mpq_t a, b;
    mpq_inits(a, b, NULL);
    mpq_mul(a, th[1], z[1]);
    mpq_sub(a, th[0], a);            /* al - be y */
    mpq_mul(a, a, v[0]);
    mpq_mul(b, th[2], z[1]);         /* de y */
    mpq_mul(b, b, v[1]);
    mpq_add(out[0], a, b);
    mpq_mul(a, th[2], z[0]);
    mpq_sub(a, a, th[3]);            /* de x - ga */
    mpq_mul(a, a, v[1]);
    mpq_mul(b, th[1], z[0]);         /* be x */
    mpq_mul(b, b, v[0]);
    mpq_sub(out[1], a, b);
    mpq_clears(a, b, NULL);
    return 0;
}

static int lotka_vjp_theta_q(mpq_t *out, const mpq_t t, const mpq_t *z,
                             const mpq_t *v, const problem_struct *p)
{
    (void)t; (void)p;
    mpq_t xy;
    mpq_init(xy);
    mpq_mul(xy, z[0], z[1]);
    mpq_mul(out[0], v[0], z[0]);
    mpq_mul(out[1], v[0], xy);
    mpq_neg(out[1], out[1]);
    mpq_mul(out[2], v[1], xy);
    mpq_mul(out[3], v[1], z[1]);
    mpq_neg(out[3], out[3]);
    mpq_clear(xy);
    return 0;
}

static void lotka_theta_name(char *buf, size_t size, int k, const problem_struct *p)
{
    (void)p;
    snprintf(buf, size, "%s", lotka_keys[k]);
}

const model_desc model_lotka = {
    .name = "lotka", .summary = "x' = alpha x - beta x y, y' = delta x y - gamma y",
    .param_keys = lotka_keys, .setup = lotka_setup, .f = lotka_f,
    .vjp_z = lotka_vjp_z, .vjp_theta = lotka_vjp_theta, .jvp_z = lotka_jvp_z,
    .jvp_theta = lotka_jvp_theta, .f_q = lotka_f_q, .vjp_z_q = lotka_vjp_z_q,
    .vjp_theta_q = lotka_vjp_theta_q, .theta_name = lotka_theta_name,
};

/* ---- decay and stiff: f = k z + c tanh z + s sin t (decay: c = 0) ----
 * aux = (tanh z, sin t) for stiff, (sin t) for decay;
 * J = k + c (1 - tanh^2 z); (df/dtheta)^T v = v (z, tanh z, sin t). */

static const char *const decay_keys[] = {"k", "s", NULL};
static const char *const stiff_keys[] = {"k", "c", "s", NULL};

static int scalar_field_setup(problem_struct *p, const kvfile_t kv,
                              const char *const *keys, averr_t err)
{
    if (model_fixed_width(p, kv, keys == stiff_keys ? "stiff" : "decay", 1, err) != 0)
        return AV_EINPUT;
    int n = 0;
    while (keys[n] != NULL)
        n++;
    int pos = 0, status = problem_alloc_theta(p, n, err);
    for (int k = 0; k < n && status == 0; k++)
        status = model_read_param(p, kv, keys[k], 1, 1, &pos, err);
    p->naux = n - 1;
    p->nwork = 2;
    return status;
}

static int decay_setup(problem_struct *p, const kvfile_t kv, averr_t err)
{
    return scalar_field_setup(p, kv, decay_keys, err);
}

static int stiff_setup(problem_struct *p, const kvfile_t kv, averr_t err)
{
    return scalar_field_setup(p, kv, stiff_keys, err);
}

/* True when the problem has the tanh term (stiff), i.e. three parameters. */
#define HAS_TANH(p) ((p)->ntheta == 3)

static int field_f(mpfr_ptr out, mpfr_ptr aux, mpfr_srcptr t, mpfr_srcptr z,
                   const problem_struct *p, mpfr_ptr work)
{
    mpfr_ptr a = aux != NULL ? aux : work;
    mpfr_ptr sn = a + (HAS_TANH(p) ? 1 : 0);
    mpfr_sin(sn, t, MPFR_RNDN);
    mpfr_mul(out, p->theta + p->ntheta - 1, sn, MPFR_RNDN);
    mpfr_fma(out, p->theta, z, out, MPFR_RNDN);
    if (HAS_TANH(p)) {
        mpfr_tanh(a, z, MPFR_RNDN);
        mpfr_fma(out, p->theta + 1, a, out, MPFR_RNDN);
    }
    return 0;
}

/* J = k + c (1 - tanh^2 z), a scalar, into J; TMP is scratch. */
static void field_jacobian(mpfr_ptr J, mpfr_srcptr aux, const problem_struct *p,
                           mpfr_ptr tmp)
{
    mpfr_set(J, p->theta, MPFR_RNDN);
    if (HAS_TANH(p)) {
        mpfr_sqr(tmp, aux, MPFR_RNDN);
        mpfr_ui_sub(tmp, 1, tmp, MPFR_RNDN);
        mpfr_fma(J, p->theta + 1, tmp, J, MPFR_RNDN);
    }
}

static int field_vjp_z(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z, mpfr_srcptr aux,
                       mpfr_srcptr v, const problem_struct *p, mpfr_ptr work)
{
    (void)t; (void)z;
    field_jacobian(work, aux, p, work + 1);
    mpfr_mul(out, work, v, MPFR_RNDN);
    return 0;
}

static int field_vjp_theta(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z,
                           mpfr_srcptr aux, mpfr_srcptr v, const problem_struct *p,
                           mpfr_ptr work)
{
    (void)t; (void)work;
    mpfr_mul(out, v, z, MPFR_RNDN);
    if (HAS_TANH(p))
        mpfr_mul(out + 1, v, aux, MPFR_RNDN);
    mpfr_mul(out + p->ntheta - 1, v, aux + p->naux - 1, MPFR_RNDN);
    return 0;
}

static int field_jvp_theta(mpfr_ptr out, mpfr_srcptr t, mpfr_srcptr z,
                           mpfr_srcptr aux, mpfr_srcptr v, const problem_struct *p,
                           mpfr_ptr work)
{
    (void)t; (void)work;
    mpfr_mul(out, v + p->ntheta - 1, aux + p->naux - 1, MPFR_RNDN);
    mpfr_fma(out, v, z, out, MPFR_RNDN);
    if (HAS_TANH(p))
        mpfr_fma(out, v + 1, aux, out, MPFR_RNDN);
    return 0;
}

static void field_theta_name(char *buf, size_t size, int k, const problem_struct *p)
{
    snprintf(buf, size, "%s", (HAS_TANH(p) ? stiff_keys : decay_keys)[k]);
}

const model_desc model_decay = {
    .name = "decay", .summary = "f(z, t) = k z + s sin(t)", .param_keys = decay_keys,
    .setup = decay_setup, .f = field_f, .vjp_z = field_vjp_z,
    .vjp_theta = field_vjp_theta, .jvp_z = field_vjp_z,
    .jvp_theta = field_jvp_theta, .theta_name = field_theta_name,
};

const model_desc model_stiff = {
    .name = "stiff", .summary = "f(z, t) = k z + c tanh(z) + s sin(t)",
    .param_keys = stiff_keys, .setup = stiff_setup, .f = field_f,
    .vjp_z = field_vjp_z, .vjp_theta = field_vjp_theta, .jvp_z = field_vjp_z,
    .jvp_theta = field_jvp_theta, .theta_name = field_theta_name,
};
