/* closed: the closed forms of P2, P3 and P6 (see closed.h), evaluated in
 * MPFR 64 bits above the result's precision.
 */
#include <string.h>
#include "closed.h"
#include "../numbers/mpvec.h"

static int is_model(const problem_t p, const char *name)
{
    return strcmp(p->model->name, name) == 0;
}

/* A = [[al, be], [-be, al]] and target y = 0 */
static int linear_rotation(const problem_t p)
{
    mpq_t nb;
    mpq_init(nb);
    mpq_neg(nb, p->theta_q[2]);
    int ok = p->d == 2 && mpq_equal(p->theta_q[0], p->theta_q[3]) &&
             mpq_equal(p->theta_q[1], nb) && mpq_sgn(p->y_q[0]) == 0 &&
             mpq_sgn(p->y_q[1]) == 0;
    mpq_clear(nb);
    return ok;
}

int closed_available(const problem_t p)
{
    if (is_model(p, "scalar"))
        return p->loss == LOSS_LINEAR;
    if (is_model(p, "decay"))
        return p->loss == LOSS_HALF_SQUARED_DISTANCE;
    if (is_model(p, "linear"))
        return p->loss == LOSS_HALF_SQUARED_DISTANCE && linear_rotation(p);
    return 0;
}

/* Scratch numbers, named for readability. */
enum { X_E, X_T, X_A, X_B, X_C, X_S, X_D, X_U, X_V, X_W, NX };

static void scalar_form(mpfr_ptr L, mpfr_ptr zT, mpfr_ptr dth, mpfr_ptr dz0,
                        const problem_t p, mpfr_ptr x)
{
    mpfr_set_q(x + X_T, p->T_q, MPFR_RNDN);
    mpfr_set_q(x + X_A, p->theta_q[0], MPFR_RNDN);
    mpfr_mul(x + X_E, x + X_A, x + X_T, MPFR_RNDN);
    mpfr_exp(x + X_E, x + X_E, MPFR_RNDN);                 /* e^{theta T} */
    mpfr_mul_q(zT, x + X_E, p->z0_q[0], MPFR_RNDN);
    mpfr_mul_q(L, zT, p->y_q[0], MPFR_RNDN);
    mpfr_mul_q(dz0, x + X_E, p->y_q[0], MPFR_RNDN);
    mpfr_mul(dth, L, x + X_T, MPFR_RNDN);
}

static void linear_form(mpfr_ptr L, mpfr_ptr zT, mpfr_ptr dth, mpfr_ptr dz0,
                        const problem_t p, mpfr_ptr x)
{
    mpfr_ptr T = x + X_T, al = x + X_A, be = x + X_B, c = x + X_C, s = x + X_S;
    mpfr_ptr C2 = x + X_U, S2 = x + X_V, CS = x + X_W, E = x + X_E, h = x + X_D;
    mpfr_set_q(T, p->T_q, MPFR_RNDN);
    mpfr_set_q(al, p->theta_q[0], MPFR_RNDN);
    mpfr_set_q(be, p->theta_q[1], MPFR_RNDN);
    mpfr_mul(c, be, T, MPFR_RNDN);
    mpfr_sin_cos(s, c, c, MPFR_RNDN);
    mpfr_mul(E, al, T, MPFR_RNDN);
    mpfr_exp(E, E, MPFR_RNDN);                              /* e^{al T} */
    /* z(T) = e^{al T} [c z1 + s z2, -s z1 + c z2] */
    mpfr_mul_q(zT, c, p->z0_q[0], MPFR_RNDN);
    mpfr_mul_q(h, s, p->z0_q[1], MPFR_RNDN);
    mpfr_add(zT, zT, h, MPFR_RNDN);
    mpfr_mul(zT, zT, E, MPFR_RNDN);
    mpfr_mul_q(zT + 1, c, p->z0_q[1], MPFR_RNDN);
    mpfr_mul_q(h, s, p->z0_q[0], MPFR_RNDN);
    mpfr_sub(zT + 1, zT + 1, h, MPFR_RNDN);
    mpfr_mul(zT + 1, zT + 1, E, MPFR_RNDN);
    mpfr_sqr(E, E, MPFR_RNDN);                              /* e^{2 al T} */
    mpfr_mul_q(dz0, E, p->z0_q[0], MPFR_RNDN);
    mpfr_mul_q(dz0 + 1, E, p->z0_q[1], MPFR_RNDN);
    mpfr_sqr(L, zT, MPFR_RNDN);
    mpfr_fma(L, zT + 1, zT + 1, L, MPFR_RNDN);
    mpfr_div_2ui(L, L, 1, MPFR_RNDN);
    /* int_0^T cos^2 = T/2 + sin(2 be T)/(4 be), sin^2 = T/2 - ..., and
     * int cos sin = (1 - cos(2 be T))/(4 be) */
    mpfr_mul_2ui(c, be, 1, MPFR_RNDN);
    mpfr_mul(c, c, T, MPFR_RNDN);
    mpfr_sin_cos(s, c, c, MPFR_RNDN);
    mpfr_mul_2ui(h, be, 2, MPFR_RNDN);
    mpfr_div(s, s, h, MPFR_RNDN);
    mpfr_ui_sub(CS, 1, c, MPFR_RNDN);
    mpfr_div(CS, CS, h, MPFR_RNDN);
    mpfr_div_2ui(h, T, 1, MPFR_RNDN);
    mpfr_add(C2, h, s, MPFR_RNDN);
    mpfr_sub(S2, h, s, MPFR_RNDN);
    /* entries of int u u^T with u = R(be s) z0 (see closed.h) */
    mpq_srcptr z1 = p->z0_q[0], z2 = p->z0_q[1];
    mpq_t q11, q22, q12, qd;
    mpq_inits(q11, q22, q12, qd, NULL);
    mpq_mul(q11, z1, z1);
    mpq_mul(q22, z2, z2);
    mpq_mul(q12, z1, z2);
    mpq_sub(qd, q22, q11);
    mpfr_ptr g11 = dth, g12 = dth + 1, g21 = dth + 2, g22 = dth + 3;
    mpfr_mul_q(g11, C2, q11, MPFR_RNDN);                    /* u1^2 */
    mpfr_mul_q(h, CS, q12, MPFR_RNDN);
    mpfr_mul_2ui(h, h, 1, MPFR_RNDN);
    mpfr_add(g11, g11, h, MPFR_RNDN);
    mpfr_mul_q(s, S2, q22, MPFR_RNDN);
    mpfr_add(g11, g11, s, MPFR_RNDN);
    mpfr_mul_q(g22, S2, q11, MPFR_RNDN);                    /* u2^2 */
    mpfr_sub(g22, g22, h, MPFR_RNDN);
    mpfr_mul_q(s, C2, q22, MPFR_RNDN);
    mpfr_add(g22, g22, s, MPFR_RNDN);
    mpfr_mul_q(g12, CS, qd, MPFR_RNDN);                     /* u1 u2 */
    mpfr_sub(s, C2, S2, MPFR_RNDN);
    mpfr_mul_q(s, s, q12, MPFR_RNDN);
    mpfr_add(g12, g12, s, MPFR_RNDN);
    mpfr_set(g21, g12, MPFR_RNDN);
    for (int k = 0; k < 4; k++)
        mpfr_mul(dth + k, dth + k, E, MPFR_RNDN);
    mpq_clears(q11, q22, q12, qd, NULL);
}

/* z(t) of P6 into Z with D = k^2 + 1 in X_D, and the pieces reused by the
 * gradient: e^{kt} in X_E, sin t in X_S, cos t in X_C, k in X_A, s in X_B. */
static void decay_at(mpfr_ptr z, mpfr_srcptr t, const problem_t p, mpfr_ptr x)
{
    mpfr_ptr k = x + X_A, s = x + X_B, D = x + X_D, E = x + X_E, h = x + X_U;
    mpfr_set_q(k, p->theta_q[0], MPFR_RNDN);
    mpfr_set_q(s, p->theta_q[1], MPFR_RNDN);
    mpfr_sqr(D, k, MPFR_RNDN);
    mpfr_add_ui(D, D, 1, MPFR_RNDN);
    mpfr_mul(E, k, t, MPFR_RNDN);
    mpfr_exp(E, E, MPFR_RNDN);
    mpfr_sin_cos(x + X_S, x + X_C, t, MPFR_RNDN);
    mpfr_div(h, s, D, MPFR_RNDN);
    mpfr_add_q(z, h, p->z0_q[0], MPFR_RNDN);
    mpfr_mul(z, z, E, MPFR_RNDN);                           /* (z0 + s/D) e^{kt} */
    mpfr_fma(x + X_V, k, x + X_S, x + X_C, MPFR_RNDN);      /* k sin t + cos t */
    mpfr_mul(h, h, x + X_V, MPFR_RNDN);
    mpfr_sub(z, z, h, MPFR_RNDN);
}

static void decay_form(mpfr_ptr L, mpfr_ptr zT, mpfr_ptr dth, mpfr_ptr dz0,
                       const problem_t p, mpfr_ptr x)
{
    mpfr_ptr T = x + X_T, k = x + X_A, s = x + X_B, D = x + X_D, E = x + X_E;
    mpfr_ptr ks = x + X_V, h = x + X_U, w = x + X_W;
    mpfr_set_q(T, p->T_q, MPFR_RNDN);
    decay_at(zT, T, p, x);
    /* dz/ds = (E - (k sin T + cos T)) / D */
    mpfr_sub(dth + 1, E, ks, MPFR_RNDN);
    mpfr_div(dth + 1, dth + 1, D, MPFR_RNDN);
    /* dz/dk = (z0 + s/D) T E - 2 k s E / D^2 - s sin T / D
     *         + 2 k s (k sin T + cos T) / D^2 */
    mpfr_div(h, s, D, MPFR_RNDN);
    mpfr_add_q(dth, h, p->z0_q[0], MPFR_RNDN);
    mpfr_mul(dth, dth, T, MPFR_RNDN);
    mpfr_mul(dth, dth, E, MPFR_RNDN);
    mpfr_sub(w, ks, E, MPFR_RNDN);                          /* (k sin + cos) - E */
    mpfr_mul(w, w, k, MPFR_RNDN);
    mpfr_mul_2ui(w, w, 1, MPFR_RNDN);
    mpfr_mul(w, w, h, MPFR_RNDN);
    mpfr_div(w, w, D, MPFR_RNDN);
    mpfr_add(dth, dth, w, MPFR_RNDN);
    mpfr_mul(w, h, x + X_S, MPFR_RNDN);
    mpfr_sub(dth, dth, w, MPFR_RNDN);
    /* L = 1/2 (z(T) - y)^2, dL/dz(T) = z(T) - y */
    mpfr_sub_q(h, zT, p->y_q[0], MPFR_RNDN);
    mpfr_sqr(L, h, MPFR_RNDN);
    mpfr_div_2ui(L, L, 1, MPFR_RNDN);
    mpfr_mul(dth, dth, h, MPFR_RNDN);
    mpfr_mul(dth + 1, dth + 1, h, MPFR_RNDN);
    mpfr_mul(dz0, E, h, MPFR_RNDN);
}

int closed_gradient(grad_result_t g, const problem_t p, averr_t err)
{
    if (!closed_available(p))
        return averr_set(err, AV_EINPUT, "problem '%s' has no closed form here (scalar, "
                         "decay, or linear with A = [[a, b], [-b, a]])", p->name);
    size_t d = (size_t)p->d, nth = (size_t)p->ntheta;
    mpfr_ptr x = mpblock_alloc(NX + 1 + 2 * d + nth, mpfr_get_prec(g->L) + 64, err);
    if (x == NULL)
        return AV_ESYS;
    mpfr_ptr L = x + NX, zT = L + 1, dz0 = zT + d, dth = dz0 + d;
    if (is_model(p, "scalar"))
        scalar_form(L, zT, dth, dz0, p, x);
    else if (is_model(p, "linear"))
        linear_form(L, zT, dth, dz0, p, x);
    else
        decay_form(L, zT, dth, dz0, p, x);
    mpfr_set(g->L, L, MPFR_RNDN);
    mpvec_set(g->zT, zT, d);
    mpvec_set(g->dtheta, dth, nth);
    mpvec_set(g->dz0, dz0, d);
    mpblock_free(x);
    return 0;
}

int closed_decay_state(mpfr_ptr z, mpfr_ptr zdot, mpfr_srcptr t, const problem_t p,
                       averr_t err)
{
    if (!is_model(p, "decay"))
        return averr_set(err, AV_EINPUT, "closed_decay_state: problem '%s' is not a "
                         "decay problem", p->name);
    mpfr_ptr x = mpblock_alloc(NX + 1, mpfr_get_prec(z) + 64, err);
    if (x == NULL)
        return AV_ESYS;
    decay_at(x + NX, t, p, x);
    mpfr_set(z, x + NX, MPFR_RNDN);
    /* z' = k (z0 + s/D) e^{kt} - s (k cos t - sin t) / D */
    mpfr_ptr h = x + X_U, w = x + X_W;
    mpfr_div(h, x + X_B, x + X_D, MPFR_RNDN);
    mpfr_add_q(w, h, p->z0_q[0], MPFR_RNDN);
    mpfr_mul(w, w, x + X_E, MPFR_RNDN);
    mpfr_mul(w, w, x + X_A, MPFR_RNDN);
    mpfr_mul(x + X_V, x + X_A, x + X_C, MPFR_RNDN);
    mpfr_sub(x + X_V, x + X_V, x + X_S, MPFR_RNDN);
    mpfr_mul(h, h, x + X_V, MPFR_RNDN);
    mpfr_sub(zdot, w, h, MPFR_RNDN);
    mpblock_free(x);
    return 0;
}
