/* closed_form: exact solutions evaluated in MPFR. */
#include "closed_form.h"
#include "../numbers/mpvec.h"

int closed_linear_rotation(mpfr_ptr z, const problem_t p, mpfr_srcptr t,
                           averr_t err)
{
    /* A = [[a, b], [c, a]] with c = -b */
    mpq_t negc;
    mpq_init(negc);
    mpq_neg(negc, p->theta_q[2]);
    int ok = p->model == model_lookup("linear") && p->d == 2 &&
             mpq_equal(p->theta_q[0], p->theta_q[3]) && mpq_equal(p->theta_q[1], negc);
    mpq_clear(negc);
    if (!ok)
        return averr_set(err, AV_EINPUT, "problem '%s' is not a 2 x 2 linear problem with "
                         "A = [[a, b], [-b, a]]", p->name);
    mpfr_prec_t wp = p->prec + 32;
    mpfr_ptr v = mpblock_alloc(6, wp, err);
    if (v == NULL)
        return AV_ESYS;
    mpfr_ptr e = v, c = v + 1, s = v + 2, x = v + 3, z0 = v + 4, z1 = v + 5;
    mpfr_set_q(x, p->theta_q[0], MPFR_RNDN);
    mpfr_mul(x, x, t, MPFR_RNDN);
    mpfr_exp(e, x, MPFR_RNDN);
    mpfr_set_q(x, p->theta_q[1], MPFR_RNDN);
    mpfr_mul(x, x, t, MPFR_RNDN);
    mpfr_sin_cos(s, c, x, MPFR_RNDN);
    mpfr_set_q(z0, p->z0_q[0], MPFR_RNDN);
    mpfr_set_q(z1, p->z0_q[1], MPFR_RNDN);
    /* (c z0 + s z1, -s z0 + c z1) e^(a t) */
    mpfr_mul(x, s, z1, MPFR_RNDN);
    mpfr_fma(x, c, z0, x, MPFR_RNDN);
    mpfr_mul(z, x, e, MPFR_RNDN);
    mpfr_mul(x, s, z0, MPFR_RNDN);
    mpfr_fms(x, c, z1, x, MPFR_RNDN);
    mpfr_mul(z + 1, x, e, MPFR_RNDN);
    mpblock_free(v);
    return 0;
}
