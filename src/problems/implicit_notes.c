/* implicit_notes: the model of P7 `notes` (n = 1, p = (p0, p1, p2)):
 *   h = (1 + x^2/2) x' + p1 x - sin(p2 t)      g = x(0) - p0
 *   f = 1/2 (x - cos t)^2 + (1/10) p2 x^2
 * h depends on x' through a factor that depends on x, so d/dt h_x' = x x'
 * is not zero and the integration by parts of the notes has work to do.
 */
#include "implicit.h"

static int notes_h(mpfr_ptr out, const impl_point *pt,
                   const impl_problem_struct *P, mpfr_ptr work)
{
    mpfr_ptr a = work, s = work + 1;
    mpfr_sqr(a, pt->x, MPFR_RNDN);
    mpfr_div_2ui(a, a, 1, MPFR_RNDN);
    mpfr_add_ui(a, a, 1, MPFR_RNDN);
    mpfr_mul(s, P->p + 2, pt->t, MPFR_RNDN);
    mpfr_sin(s, s, MPFR_RNDN);
    mpfr_mul(out, P->p + 1, pt->x, MPFR_RNDN);
    mpfr_sub(out, out, s, MPFR_RNDN);
    mpfr_fma(out, a, pt->xd, out, MPFR_RNDN);
    return 0;
}

static int notes_h_x(mpfr_ptr out, const impl_point *pt,
                     const impl_problem_struct *P, mpfr_ptr work)
{
    (void)work;
    mpfr_fma(out, pt->x, pt->xd, P->p + 1, MPFR_RNDN);   /* x x' + p1 */
    return 0;
}

static int notes_h_xd(mpfr_ptr out, const impl_point *pt,
                      const impl_problem_struct *P, mpfr_ptr work)
{
    (void)P;
    (void)work;
    mpfr_sqr(out, pt->x, MPFR_RNDN);
    mpfr_div_2ui(out, out, 1, MPFR_RNDN);
    mpfr_add_ui(out, out, 1, MPFR_RNDN);                  /* 1 + x^2/2 */
    return 0;
}

static int notes_h_p(mpfr_ptr out, const impl_point *pt,
                     const impl_problem_struct *P, mpfr_ptr work)
{
    (void)work;
    mpfr_set_zero(out, 1);
    mpfr_set(out + 1, pt->x, MPFR_RNDN);
    mpfr_mul(out + 2, P->p + 2, pt->t, MPFR_RNDN);        /* -t cos(p2 t) */
    mpfr_cos(out + 2, out + 2, MPFR_RNDN);
    mpfr_mul(out + 2, out + 2, pt->t, MPFR_RNDN);
    mpfr_neg(out + 2, out + 2, MPFR_RNDN);
    return 0;
}

static int notes_dt_h_xd(mpfr_ptr out, const impl_point *pt,
                         const impl_problem_struct *P, mpfr_ptr work)
{
    (void)P;
    (void)work;
    mpfr_mul(out, pt->x, pt->xd, MPFR_RNDN);              /* d/dt (1 + x^2/2) */
    return 0;
}

static int notes_g(mpfr_ptr out, const impl_point *pt,
                   const impl_problem_struct *P, mpfr_ptr work)
{
    (void)work;
    mpfr_sub(out, pt->x, P->p, MPFR_RNDN);
    return 0;
}

static int notes_g_x0(mpfr_ptr out, const impl_point *pt,
                      const impl_problem_struct *P, mpfr_ptr work)
{
    (void)pt;
    (void)P;
    (void)work;
    mpfr_set_ui(out, 1, MPFR_RNDN);
    return 0;
}

static int notes_g_p(mpfr_ptr out, const impl_point *pt,
                     const impl_problem_struct *P, mpfr_ptr work)
{
    (void)pt;
    (void)P;
    (void)work;
    mpfr_set_si(out, -1, MPFR_RNDN);
    mpfr_set_zero(out + 1, 1);
    mpfr_set_zero(out + 2, 1);
    return 0;
}

static int notes_f(mpfr_ptr out, const impl_point *pt,
                   const impl_problem_struct *P, mpfr_ptr work)
{
    mpfr_ptr d = work, q = work + 1;
    mpfr_cos(d, pt->t, MPFR_RNDN);
    mpfr_sub(d, pt->x, d, MPFR_RNDN);
    mpfr_sqr(d, d, MPFR_RNDN);
    mpfr_div_2ui(d, d, 1, MPFR_RNDN);
    mpfr_sqr(q, pt->x, MPFR_RNDN);
    mpfr_mul(q, q, P->p + 2, MPFR_RNDN);
    mpfr_div_ui(q, q, 10, MPFR_RNDN);
    mpfr_add(out, d, q, MPFR_RNDN);
    return 0;
}

static int notes_f_x(mpfr_ptr out, const impl_point *pt,
                     const impl_problem_struct *P, mpfr_ptr work)
{
    mpfr_ptr c = work;
    /* x - cos t + (p2 / 5) x */
    mpfr_mul(out, P->p + 2, pt->x, MPFR_RNDN);
    mpfr_div_ui(out, out, 5, MPFR_RNDN);
    mpfr_add(out, out, pt->x, MPFR_RNDN);
    mpfr_cos(c, pt->t, MPFR_RNDN);
    mpfr_sub(out, out, c, MPFR_RNDN);
    return 0;
}

static int notes_f_p(mpfr_ptr out, const impl_point *pt,
                     const impl_problem_struct *P, mpfr_ptr work)
{
    (void)P;
    (void)work;
    mpfr_set_zero(out, 1);
    mpfr_set_zero(out + 1, 1);
    mpfr_sqr(out + 2, pt->x, MPFR_RNDN);
    mpfr_div_ui(out + 2, out + 2, 10, MPFR_RNDN);
    return 0;
}

static const char *const notes_param_names[] = {"p0", "p1", "p2"};

const impl_model impl_model_notes = {
    .name = "notes",
    .summary = "P7: (1 + x^2/2) x' + p1 x = sin(p2 t), x(0) = p0, "
               "F = int 1/2 (x - cos t)^2 + p2 x^2 / 10",
    .h = notes_h,
    .h_x = notes_h_x,
    .h_xd = notes_h_xd,
    .h_p = notes_h_p,
    .dt_h_xd = notes_dt_h_xd,
    .g = notes_g,
    .g_x0 = notes_g_x0,
    .g_p = notes_g_p,
    .f = notes_f,
    .f_x = notes_f_x,
    .f_p = notes_f_p,
    .param_names = notes_param_names,
};
