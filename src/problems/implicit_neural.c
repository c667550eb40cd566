/* implicit_neural: a neural ODE z' = f_theta(z, t) of problem.h written as
 * the notes' implicit ODE: h = x' - f(x, t; theta), g = x(0) - z0, no
 * running cost, terminal cost phi = L(x(T)), p = theta.  Then h_x' = I,
 * d/dt(h_x') = 0, h_x = -df/dz, h_p = -df/dtheta, and the notes' adjoint
 * equation (10) becomes the essay's a' = -J^T a with a = -lambda.
 * Work layout: aux (naux), f (d), e (d), the model's work (nwork), 1.
 */
#include "implicit.h"
#include "../numbers/mpvec.h"

static const problem_struct *wrapped(const impl_problem_struct *P)
{
    return (const problem_struct *)P->ctx;
}

/* f(x, t) into work + naux, its aux into work. */
static int eval_f(const impl_point *pt, const problem_struct *p, mpfr_ptr work)
{
    mpfr_ptr aux = work, fz = work + p->naux, pw = fz + 2 * p->d;
    return p->model->f(fz, aux, pt->t, pt->x, p, pw);
}

static void identity(mpfr_ptr out, int n, int scale)
{
    for (int i = 0; i < n * n; i++)
        mpfr_set_si(out + i, i % (n + 1) == 0 ? scale : 0, MPFR_RNDN);
}

static int neural_h(mpfr_ptr out, const impl_point *pt,
                    const impl_problem_struct *P, mpfr_ptr work)
{
    const problem_struct *p = wrapped(P);
    int rc = eval_f(pt, p, work);
    mpvec_sub(out, pt->xd, work + p->naux, (size_t)p->d);
    return rc;
}

/* Rows k of -(df/dz) (WHICH = 0) or -(df/dtheta) (WHICH = 1): the
 * transposed products with e_k. */
static int neg_rows(mpfr_ptr out, const impl_point *pt,
                    const impl_problem_struct *P, mpfr_ptr work, int which)
{
    const problem_struct *p = wrapped(P);
    size_t d = (size_t)p->d, w = which ? (size_t)p->ntheta : d;
    mpfr_ptr aux = work, e = work + p->naux + d, pw = e + d;
    int rc = eval_f(pt, p, work);
    for (size_t k = 0; k < d && rc == 0; k++) {
        mpvec_zero(e, d);
        mpfr_set_ui(e + k, 1, MPFR_RNDN);
        rc = (which ? p->model->vjp_theta : p->model->vjp_z)(out + k * w, pt->t,
                                                             pt->x, aux, e, p, pw);
    }
    for (size_t i = 0; i < d * w; i++)
        mpfr_neg(out + i, out + i, MPFR_RNDN);
    return rc;
}

static int neural_h_x(mpfr_ptr out, const impl_point *pt,
                      const impl_problem_struct *P, mpfr_ptr work)
{
    return neg_rows(out, pt, P, work, 0);
}

static int neural_h_p(mpfr_ptr out, const impl_point *pt,
                      const impl_problem_struct *P, mpfr_ptr work)
{
    return neg_rows(out, pt, P, work, 1);
}

static int neural_h_xd(mpfr_ptr out, const impl_point *pt,
                       const impl_problem_struct *P, mpfr_ptr work)
{
    (void)pt;
    (void)work;
    identity(out, P->n, 1);
    return 0;
}

static int neural_zero_nn(mpfr_ptr out, const impl_point *pt,
                          const impl_problem_struct *P, mpfr_ptr work)
{
    (void)pt;
    (void)work;
    identity(out, P->n, 0);
    return 0;
}

static int neural_g(mpfr_ptr out, const impl_point *pt,
                    const impl_problem_struct *P, mpfr_ptr work)
{
    (void)work;
    mpvec_sub(out, pt->x, wrapped(P)->z0, (size_t)P->n);
    return 0;
}

static int neural_g_x0(mpfr_ptr out, const impl_point *pt,
                       const impl_problem_struct *P, mpfr_ptr work)
{
    return neural_h_xd(out, pt, P, work);
}

/* g_p (n x np), f (1), f_x (n), f_p (np): z0 and the cost do not depend on
 * theta, and there is no running cost. */
static int neural_zero_gp(mpfr_ptr out, const impl_point *pt,
                          const impl_problem_struct *P, mpfr_ptr work)
{
    (void)pt;
    (void)work;
    mpvec_zero(out, (size_t)P->n * (size_t)P->np);
    return 0;
}

static int neural_zero_f(mpfr_ptr out, const impl_point *pt,
                         const impl_problem_struct *P, mpfr_ptr work)
{
    (void)pt;
    (void)P;
    (void)work;
    mpfr_set_zero(out, 1);
    return 0;
}

static int neural_zero_n(mpfr_ptr out, const impl_point *pt,
                         const impl_problem_struct *P, mpfr_ptr work)
{
    (void)pt;
    (void)work;
    mpvec_zero(out, (size_t)P->n);
    return 0;
}

static int neural_zero_np(mpfr_ptr out, const impl_point *pt,
                          const impl_problem_struct *P, mpfr_ptr work)
{
    (void)pt;
    (void)work;
    mpvec_zero(out, (size_t)P->np);
    return 0;
}

static int neural_phi(mpfr_ptr out, const impl_point *pt,
                      const impl_problem_struct *P, mpfr_ptr work)
{
    (void)work;
    return problem_loss(out, NULL, pt->x, wrapped(P));
}

static int neural_phi_x(mpfr_ptr out, const impl_point *pt,
                        const impl_problem_struct *P, mpfr_ptr work)
{
    const problem_struct *p = wrapped(P);
    return problem_loss(work + p->naux + 2 * p->d + p->nwork, out, pt->x, p);
}

const impl_model impl_model_neural = {
    .name = "neural",
    .summary = "a neural ODE z' = f_theta(z, t) as h = x' - f = 0, g = x(0) - z0, "
               "terminal cost L(x(T))",
    .h = neural_h,
    .h_x = neural_h_x,
    .h_xd = neural_h_xd,
    .h_p = neural_h_p,
    .dt_h_xd = neural_zero_nn,
    .g = neural_g,
    .g_x0 = neural_g_x0,
    .g_p = neural_zero_gp,
    .f = neural_zero_f,
    .f_x = neural_zero_n,
    .f_p = neural_zero_np,
    .phi = neural_phi,
    .phi_x = neural_phi_x,
    .param_names = NULL,
};
