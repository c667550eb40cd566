/* claims_adjoint: E2, E3 and E8 of the essay, read against the reference
 * integrator (src/gradients/reference.h).  Each check computes digits of
 * agreement between two independent routes on P1 and passes them to a
 * decide function.
 */
#include <stdio.h>
#include <string.h>
#include "claims_adjoint.h"
#include "claims_refcache.h"
#include "../gradients/reference.h"
#include "../numbers/mpvec.h"

long adjc_required(mpfr_prec_t prec)
{
    return mpnum_max_digits(prec) - 5;
}

verdict_t adjc_decide_agree(long digits, long required)
{
    return digits >= required ? VERDICT_VERIFIED : VERDICT_REFUTED;
}

int e2_measure(long *digits, mpfr_prec_t prec, int sign, averr_t err)
{
    problem_t p;
    if (problem_init_lookup(p, "mlp", prec, err) != 0)
        return err->code;
    ref_opts o;
    ref_opts_default(&o, prec);
    o.adjoint_sign = sign;
    size_t d = (size_t)p->d;
    mpfr_ptr v = mpblock_alloc(4 + 8 * d, prec, err);
    int st = v == NULL ? AV_ESYS : 0;
    mpfr_ptr ts = v, a = ts + 4, lam = a + 4 * d;
    for (int i = 0; i < 4 && st == 0; i++)
        mpfr_mul_d(ts + i, p->T, 0.25 * i, MPFR_RNDN);   /* exact: i/4 */
    if (st == 0)
        st = ref_adjoint_at(a, ts, 4, p, &o, err);
    if (st == 0)
        st = ref_dldz_at(lam, NULL, ts, 4, p, &o, err);
    if (st == 0)
        *digits = mpvec_digits(a, lam, 4 * d, mpnum_max_digits(prec));
    mpblock_free(v);
    problem_clear(p);
    return st;
}

/* Route 2 of the reference (quadrature) and route 1 on P1 at PREC bits,
 * through the run's cache C (may be NULL) when the adjoint is the true one. */
static int both_routes(grad_result_t q, grad_result_t s, mpfr_prec_t prec, int sign,
                       claim_ctx *c, averr_t err)
{
    if (sign == 1) {
        int st = refc_gradient(q, NULL, NULL, c, "mlp", prec, REFC_ADJOINT, err);
        return st != 0 ? st : refc_gradient(s, NULL, NULL, c, "mlp", prec, REFC_SENS, err);
    }
    problem_t p;
    ref_opts o;
    if (problem_init_lookup(p, "mlp", prec, err) != 0)
        return err->code;
    ref_opts_default(&o, prec);
    o.adjoint_sign = sign;
    int st = ref_gradient_adjoint(q, NULL, NULL, p, &o, err);
    if (st == 0)
        st = ref_gradient_sens(s, NULL, p, &o, err);
    problem_clear(p);
    return st;
}

/* e3_measure with the run's cache C (may be NULL). */
static int e3_measure_ctx(long *digits, mpfr_prec_t prec, int sign, claim_ctx *c,
                          averr_t err)
{
    problem_t p;
    grad_result_t q, s;
    if (problem_init_lookup(p, "mlp", prec, err) != 0)
        return err->code;
    int st = grad_result_init(q, p, err);
    if (st == 0 && (st = grad_result_init(s, p, err)) != 0)
        grad_result_clear(q);
    if (st == 0) {
        if ((st = both_routes(q, s, prec, sign, c, err)) == 0)
            *digits = mpvec_digits(q->dtheta, s->dtheta, (size_t)p->ntheta,
                                   mpnum_max_digits(prec));
        grad_result_clear(s);
        grad_result_clear(q);
    }
    problem_clear(p);
    return st;
}

int e3_measure(long *digits, mpfr_prec_t prec, int sign, averr_t err)
{
    return e3_measure_ctx(digits, prec, sign, NULL, err);
}

static int check_e2(claim_result *r, const claim_opts *o, averr_t err)
{
    long dg = 0, need = adjc_required(o->prec);
    int st = e2_measure(&dg, o->prec, 1, err);
    if (st != 0)
        return st;
    r->verdict = adjc_decide_agree(dg, need);
    claim_evidence(r, "P1, %ld bits: a(t) from the adjoint ODE (integrated backwards from "
                   "a(T) = dL/dz(T), extrapolation) against dL/dz(t) = Phi(T,t)^T dL/dz(T) "
                   "by the variational equation from t to T, at t = 0, 1/4, 1/2, 3/4: "
                   "%ld of %ld digits alike at every t (required %ld)", (long)o->prec, dg,
                   mpnum_max_digits(o->prec), need);
    return 0;
}

static int check_e3(claim_result *r, const claim_opts *o, averr_t err)
{
    long dg = 0, need = adjc_required(o->prec);
    int st = e3_measure_ctx(&dg, o->prec, 1, o->ctx, err);
    if (st != 0)
        return st;
    r->verdict = adjc_decide_agree(dg, need);
    claim_evidence(r, "P1, %ld bits: int_0^T a^T df/dtheta dt by Gauss-Legendre quadrature "
                   "(nodes computed in MPFR) against dL/dtheta = S(T)^T dL/dz(T) by forward "
                   "sensitivities: %ld of %ld digits alike in all 17 components (required "
                   "%ld)", (long)o->prec, dg, mpnum_max_digits(o->prec), need);
    return 0;
}

/* E8: the model on [0, T] and the rescaled field T f(z, T s) on [0, 1]. */
static int check_e8(claim_result *r, const claim_opts *o, averr_t err)
{
    static const long num[] = {1, 1, 3}, den[] = {2, 1, 1};
    problem_t p;
    grad_result_t a = {{0}}, b = {{0}};
    if (problem_init_lookup(p, "mlp", o->prec, err) != 0)
        return err->code;
    int st = grad_result_init(a, p, err);
    if (st == 0)
        st = grad_result_init(b, p, err);
    long worst = mpnum_max_digits(o->prec), cap = worst;
    char buf[200] = "";
    for (int k = 0; k < 3 && st == 0; k++) {
        ref_opts ro;
        ref_opts_default(&ro, o->prec);
        mpq_set_si(p->T_q, num[k], (unsigned long)den[k]);
        problem_round(p);
        if ((st = ref_gradient_sens(a, NULL, p, &ro, err)) != 0)
            break;
        ro.rescale = 1;
        if ((st = ref_gradient_sens(b, NULL, p, &ro, err)) != 0)
            break;
        long dz = mpvec_digits(a->zT, b->zT, (size_t)p->d, cap);
        long dg = mpvec_digits(a->dtheta, b->dtheta, (size_t)p->ntheta, cap);
        long d0 = mpvec_digits(a->dz0, b->dz0, (size_t)p->d, cap);
        dg = dg < d0 ? dg : d0;
        worst = dz < worst ? dz : worst;
        worst = dg < worst ? dg : worst;
        size_t used = strlen(buf);
        mpfr_snprintf(buf + used, sizeof buf - used, "%sT = %ld/%ld: z(T) %ld, gradient %ld "
                      "of %ld digits, z_1(T) = %.6Rf", k ? "; " : "", num[k], den[k], dz, dg,
                      cap, a->zT);
    }
    if (st == 0) {
        long need = adjc_required(o->prec);
        r->verdict = adjc_decide_agree(worst, need);
        claim_evidence(r, "P1, %ld bits, z' = f on [0, T] against z' = T f(z, T s) on "
                       "[0, 1] (reference integrator): %s (required %ld); z(T) changes "
                       "with T, so T is a free depth parameter of the model", (long)o->prec,
                       buf, need);
    }
    grad_result_clear(b);
    grad_result_clear(a);
    problem_clear(p);
    return st;
}

const claim_def claim_E2 = {
    .id = "E2",
    .source = "000, 2.2-2.3",
    .statement = "The adjoint state a(t) with da/dt = -a^T df/dz and a(T) = dL/dz(T) "
                 "equals dL/dz(t) for every t.",
    .reading = "On P1, a(t) from the adjoint ODE integrated backwards from T equals "
               "dL/dz(t) computed without it (z(t) forward, then the variational equation "
               "from t to T) at t = 0, T/4, T/2, 3T/4, to the working precision less 5 "
               "digits.",
    .command = "adjverify verify --only E2",
    .file = "src/claims/claims_adjoint.c",
    .func = "check_e2",
    .check = check_e2,
};

const claim_def claim_E3 = {
    .id = "E3",
    .source = "000, 2.2-2.3",
    .statement = "dL/dtheta = int_0^T a(t)^T df/dtheta dt.",
    .reading = "On P1, the integral computed by composite Gauss-Legendre quadrature of "
               "a(t)^T df/dtheta (a from the adjoint ODE) equals the gradient by forward "
               "sensitivities S' = J S + df/dtheta, to the working precision less 5 digits.",
    .command = "adjverify verify --only E3",
    .file = "src/claims/claims_adjoint.c",
    .func = "check_e3",
    .check = check_e3,
};

const claim_def claim_E8 = {
    .id = "E8",
    .source = "000, 4",
    .statement = "T is not real time: it is a free horizon/depth parameter (solving on "
                 "[0, T] is the same model as a rescaled field on [0, 1]).",
    .reading = "On P1 for T in {1/2, 1, 3}: z(T), dL/dtheta and dL/dz(0) from z' = f on "
               "[0, T] equal those from z' = T f(z, T s) on [0, 1] (reference integrator, "
               "working precision less 5 digits), while z(T) itself depends on T.",
    .command = "adjverify verify --only E8",
    .file = "src/claims/claims_adjoint.c",
    .func = "check_e8",
    .check = check_e8,
};
