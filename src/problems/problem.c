/* problem: building problem instances from the file format (built-ins are
 * stored as text and parsed the same way), copying them to another
 * precision, and the loss.
 */
#include <stdlib.h>
#include <string.h>
#include "problem.h"
#include "problem_impl.h"
#include "../numbers/mpvec.h"

typedef struct {
    const char *name;
    const char *text;
} builtin_text;

/* The canonical problems P1, P2, P3, P5, P6, P8, with their exact values. */
static const builtin_text builtins[] = {
    {"mlp", "# P1: a small tanh neural ODE, dz/dt = W2 tanh(W1 z + b1) + b2\n"
            "model = mlp\nname = mlp\n"
            "W1 = 1/2 -1; 3/4 1/4; -1/3 2/3\nb1 = 1/10 -1/5 1/4\n"
            "W2 = 1 -1/2 1/3; -2/3 1 1/2\nb2 = -1/10 1/20\n"
            "z0 = 1 -1/2\nT = 1\nloss = half_squared_distance\ny = 1/2 1/4\n"},
    {"linear", "# P2: dz/dt = A z, closed form z(t) = expm(A t) z(0)\n"
               "model = linear\nname = linear\nA = -1/2 2; -2 -1/2\n"
               "z0 = 1 0\nT = 2\nloss = half_squared_distance\n"},
    {"scalar", "# P3: dz/dt = theta z; L = z(T), so dL/dtheta = dz(T)/dtheta = T exp(theta T)\n"
               "model = scalar\nname = scalar\ntheta = 1/2\nz0 = 1\nT = 1\n"
               "loss = linear\nw = 1\n"},
    {"lotka", "# P5: Lotka-Volterra, a polynomial field (exact rational arithmetic)\n"
              "model = lotka\nname = lotka\nalpha = 2/3\nbeta = 4/3\ndelta = 1\n"
              "gamma = 1\nz0 = 1 1\nT = 1\nloss = half_squared_distance\n"},
    {"decay", "# P6: dz/dt = k z + s sin(t), dissipative: backsolve loses digits\n"
              "model = decay\nname = decay\nk = -40\ns = 1\nz0 = 1\nT = 1\n"
              "loss = half_squared_distance\n"},
    {"stiff", "# P8: dz/dt = k z + c tanh(z) + s sin(t), nonlinear and dissipative\n"
              "model = stiff\nname = stiff\nk = -40\nc = 5\ns = 1\nz0 = 1\nT = 1\n"
              "loss = half_squared_distance\n"},
};

const char *const problem_builtin_names[] = {
    "mlp", "linear", "scalar", "lotka", "decay", "stiff", NULL,
};

const char *problem_builtin_text(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return builtins[i].text;
    return NULL;
}

static mpq_t *qalloc(size_t n)
{
    mpq_t *q = malloc((n ? n : 1) * sizeof(mpq_t));
    if (q != NULL)
        for (size_t i = 0; i < n; i++)
            mpq_init(q[i]);
    return q;
}

static void qfree(mpq_t *q, size_t n)
{
    if (q == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        mpq_clear(q[i]);
    free(q);
}

int problem_alloc_theta(problem_struct *p, int ntheta, averr_t err)
{
    p->ntheta = ntheta;
    p->theta_q = qalloc((size_t)ntheta);
    return p->theta_q ? 0 : averr_set(err, AV_ESYS, "out of memory for %d parameters", ntheta);
}

/* Rounds every exact value to the MPFR block (allocated here). */
static int alloc_mpfr(problem_struct *p, averr_t err)
{
    size_t n = (size_t)p->ntheta + 2 * (size_t)p->d + 1;
    p->theta = mpblock_alloc(n, p->prec, err);
    if (p->theta == NULL)
        return AV_ESYS;
    p->z0 = p->theta + p->ntheta;
    p->y = p->z0 + p->d;
    p->T = p->y + p->d;
    problem_round(p);
    return 0;
}

void problem_round(problem_t p)
{
    for (int k = 0; k < p->ntheta; k++)
        mpfr_set_q(p->theta + k, p->theta_q[k], MPFR_RNDN);
    for (int i = 0; i < p->d; i++) {
        mpfr_set_q(p->z0 + i, p->z0_q[i], MPFR_RNDN);
        mpfr_set_q(p->y + i, p->y_q[i], MPFR_RNDN);
    }
    mpfr_set_q(p->T, p->T_q, MPFR_RNDN);
}

void problem_clear(problem_t p)
{
    qfree(p->theta_q, (size_t)p->ntheta);
    qfree(p->z0_q, (size_t)p->d);
    qfree(p->y_q, (size_t)p->d);
    if (p->z0_q != NULL || p->theta_q != NULL)
        mpq_clear(p->T_q);
    mpblock_free(p->theta);
    memset(p, 0, sizeof *p);
}

static const char *const common_keys[] = {"model", "name", "z0", "T", "loss", "y", "w"};

static int check_keys(const kvfile_t kv, const model_desc *m, averr_t err)
{
    const char *allowed[32];
    size_t n = 0;
    for (size_t i = 0; i < sizeof common_keys / sizeof common_keys[0]; i++)
        allowed[n++] = common_keys[i];
    for (size_t i = 0; m->param_keys[i] != NULL && n < 31; i++)
        allowed[n++] = m->param_keys[i];
    allowed[n] = NULL;
    return kvfile_check_keys(kv, allowed, err);
}

/* z0, T, loss and y/w: the part of a problem every model shares. */
static int read_common(problem_struct *p, const kvfile_t kv, averr_t err)
{
    qmat_t z0, T, y;
    int status = kvfile_qmat(z0, kv, "z0", 1, err);
    if (status != 0)
        return status;
    const kv_entry *ez = kvfile_find(kv, "z0");
    int d = z0->rows == 1 ? z0->cols : z0->rows;
    if (d < 1 || d > 4096 || (z0->rows != 1 && z0->cols != 1)) {
        qmat_clear(z0);
        return averr_set(err, AV_EINPUT, "%s:%d:%d: z0 must be a list of 1 to 4096 numbers",
                         kv->origin, ez->line, ez->col);
    }
    p->d = d;
    p->z0_q = qalloc((size_t)d);
    p->y_q = qalloc((size_t)d);
    mpq_init(p->T_q);
    for (int i = 0; i < d; i++)
        mpq_set(p->z0_q[i], z0->q[i]);
    qmat_clear(z0);
    if ((status = kvfile_qmat(T, kv, "T", 1, err)) != 0)
        return status;
    if ((status = kvfile_expect_shape(T, kv, "T", 1, 1, err)) == 0) {
        if (mpq_sgn(T->q[0]) <= 0) {
            const kv_entry *e = kvfile_find(kv, "T");
            status = averr_set(err, AV_EINPUT, "%s:%d:%d: T must be positive",
                               kv->origin, e->line, e->col);
        } else {
            mpq_set(p->T_q, T->q[0]);
        }
    }
    qmat_clear(T);
    if (status != 0)
        return status;
    const char *loss = NULL;
    if ((status = kvfile_word(&loss, kv, "loss", 0, err)) != 0)
        return status;
    const kv_entry *el = kvfile_find(kv, "loss");
    if (loss == NULL || strcmp(loss, "half_squared_distance") == 0)
        p->loss = LOSS_HALF_SQUARED_DISTANCE;
    else if (strcmp(loss, "linear") == 0)
        p->loss = LOSS_LINEAR;
    else
        return averr_set(err, AV_EINPUT, "%s:%d:%d: unknown loss '%s' (expected "
                         "half_squared_distance or linear)", kv->origin, el->line,
                         el->col, loss);
    const char *ykey = p->loss == LOSS_LINEAR ? "w" : "y";
    const char *other = p->loss == LOSS_LINEAR ? "y" : "w";
    if (kvfile_find(kv, other) != NULL) {
        const kv_entry *e = kvfile_find(kv, other);
        return averr_set(err, AV_EINPUT, "%s:%d:%d: key '%s' does not belong to loss %s",
                         kv->origin, e->line, 1, other,
                         p->loss == LOSS_LINEAR ? "linear" : "half_squared_distance");
    }
    if ((status = kvfile_qmat(y, kv, ykey, 0, err)) != 0)
        return status;
    if (y->rows == 0) {
        for (int i = 0; i < d; i++)
            mpq_set_ui(p->y_q[i], p->loss == LOSS_LINEAR ? 1 : 0, 1);
    } else if ((status = kvfile_expect_shape(y, kv, ykey, 1, d, err)) == 0) {
        for (int i = 0; i < d; i++)
            mpq_set(p->y_q[i], y->q[i]);
    }
    qmat_clear(y);
    return status;
}

int problem_init_kv(problem_t p, const kvfile_t kv, mpfr_prec_t prec,
                    averr_t err)
{
    memset(p, 0, sizeof *p);
    p->prec = prec;
    const char *model = NULL, *name = NULL;
    int status = kvfile_word(&model, kv, "model", 1, err);
    if (status != 0)
        return status;
    p->model = model_lookup(model);
    if (p->model == NULL) {
        const kv_entry *e = kvfile_find(kv, "model");
        return averr_set(err, AV_EINPUT, "%s:%d:%d: unknown model '%s' (expected mlp, "
                         "linear, scalar, lotka, decay or stiff)", kv->origin,
                         e->line, e->col, model);
    }
    if ((status = check_keys(kv, p->model, err)) != 0 ||
        (status = kvfile_word(&name, kv, "name", 0, err)) != 0)
        return status;
    if (name != NULL && strlen(name) >= sizeof p->name) {
        /* Cut short it would be printed as another name. */
        const kv_entry *e = kvfile_find(kv, "name");
        return averr_set(err, AV_EINPUT, "%s:%d:%d: name longer than %d characters",
                         kv->origin, e->line, e->col, (int)sizeof p->name - 1);
    }
    snprintf(p->name, sizeof p->name, "%s", name != NULL ? name : "user");
    if ((status = read_common(p, kv, err)) == 0 &&
        (status = p->model->setup(p, kv, err)) == 0)
        status = alloc_mpfr(p, err);
    if (status != 0)
        problem_clear(p);
    return status;
}

int problem_init_lookup(problem_t p, const char *name, mpfr_prec_t prec,
                        averr_t err)
{
    const char *text = problem_builtin_text(name);
    kvfile_t kv;
    int status;
    memset(p, 0, sizeof *p);
    if (text == NULL && strchr(name, '/') == NULL && strchr(name, '.') == NULL)
        return averr_set(err, AV_EINPUT, "unknown problem '%s' (built-ins: mlp, linear, "
                         "scalar, lotka, decay, stiff; or a problem file)", name);
    if ((status = kvfile_load(kv, name, text, err)) == 0)
        status = problem_init_kv(p, kv, prec, err);
    kvfile_clear(kv);
    return status;
}

int problem_init_copy(problem_t p, const problem_t src, mpfr_prec_t prec,
                      averr_t err)
{
    memset(p, 0, sizeof *p);
    memcpy(p->name, src->name, sizeof p->name);
    p->model = src->model;
    p->d = src->d;
    p->m = src->m;
    p->naux = src->naux;
    p->nwork = src->nwork;
    p->loss = src->loss;
    p->prec = prec;
    if (problem_alloc_theta(p, src->ntheta, err) != 0)
        return AV_ESYS;
    p->z0_q = qalloc((size_t)p->d);
    p->y_q = qalloc((size_t)p->d);
    mpq_init(p->T_q);
    if (p->z0_q == NULL || p->y_q == NULL) {
        problem_clear(p);
        return averr_set(err, AV_ESYS, "out of memory copying a problem");
    }
    for (int k = 0; k < p->ntheta; k++)
        mpq_set(p->theta_q[k], src->theta_q[k]);
    for (int i = 0; i < p->d; i++) {
        mpq_set(p->z0_q[i], src->z0_q[i]);
        mpq_set(p->y_q[i], src->y_q[i]);
    }
    mpq_set(p->T_q, src->T_q);
    if (alloc_mpfr(p, err) != 0) {
        problem_clear(p);
        return AV_ESYS;
    }
    return 0;
}

/* Limbs of the loss's scratch number kept on the stack: up to 4096 bits on
 * 64-bit limbs, so that a loss evaluation allocates nothing. */
#define LOSS_STACK_LIMBS 64

int problem_loss(mpfr_ptr L, mpfr_ptr dLdz, mpfr_srcptr z, const problem_t p)
{
    mp_limb_t limbs[LOSS_STACK_LIMBS];
    mpfr_t r;
    mpfr_prec_t prec = mpfr_get_prec(L);
    int heap = mpfr_custom_get_size(prec) > sizeof limbs;
    if (heap)
        mpfr_init2(r, prec);
    else {
        mpfr_custom_init(limbs, prec);
        mpfr_custom_init_set(r, MPFR_ZERO_KIND, 0, prec, limbs);
    }
    mpfr_set_zero(L, 1);
    for (int i = 0; i < p->d; i++) {
        if (p->loss == LOSS_LINEAR) {
            mpfr_fma(L, p->y + i, z + i, L, MPFR_RNDN);
            if (dLdz != NULL)
                mpfr_set(dLdz + i, p->y + i, MPFR_RNDN);
        } else {
            mpfr_sub(r, z + i, p->y + i, MPFR_RNDN);
            mpfr_fma(L, r, r, L, MPFR_RNDN);
            if (dLdz != NULL)
                mpfr_set(dLdz + i, r, MPFR_RNDN);
        }
    }
    if (p->loss != LOSS_LINEAR)
        mpfr_div_2ui(L, L, 1, MPFR_RNDN);
    if (heap)
        mpfr_clear(r);
    return mpfr_number_p(L) ? 0 : AV_ENUM;
}

void problem_loss_q(mpq_t L, mpq_t *dLdz, const mpq_t *z, const problem_t p)
{
    mpq_t r;
    mpq_init(r);
    mpq_set_ui(L, 0, 1);
    for (int i = 0; i < p->d; i++) {
        if (p->loss == LOSS_LINEAR) {
            mpq_mul(r, p->y_q[i], z[i]);
            mpq_add(L, L, r);
            if (dLdz != NULL)
                mpq_set(dLdz[i], p->y_q[i]);
        } else {
            mpq_sub(r, z[i], p->y_q[i]);
            if (dLdz != NULL)
                mpq_set(dLdz[i], r);
            mpq_mul(r, r, r);
            mpq_add(L, L, r);
        }
    }
    if (p->loss != LOSS_LINEAR)
        mpq_div_2exp(L, L, 1);
    mpq_clear(r);
}

void problem_theta_name(char *buf, size_t size, int k, const problem_t p)
{
    p->model->theta_name(buf, size, k, p);
}
