/* claims_notes: N1 to N7, the lecture notes' Lagrangian derivation of the
 * adjoint for an implicit ODE (seed 001), each checked on P7 by the steps
 * of derivations/lagrangian.md that carry it.  N8 is in
 * claims_notes_newton.c.
 */
#include <stdlib.h>
#include "claims_notes.h"
#include "../integrate/ntaylor.h"
#include "../numbers/mpvec.h"

int notes_state_init(lag_state_t s, mpfr_prec_t prec, lag_variant variant,
                     int want_fd, averr_t err)
{
    impl_problem_t P;
    lag_opts lo;
    lag_opts_default(&lo, prec);
    lo.variant = variant;
    lo.want_fd = want_fd;
    int rc = impl_init_notes(P, prec, err);
    if (rc != 0)
        return rc;
    rc = lag_state_init(s, P, &lo, err);
    impl_clear(P);
    return rc;
}

int notes_state_get(lag_state_struct **s, const claim_opts *o, averr_t err)
{
    claim_ctx *c = o->ctx;
    if (c != NULL && c->has_notes && c->notes_prec == o->prec) {
        *s = c->notes;
        return 0;
    }
    if (c != NULL && !c->has_notes) {
        int rc = notes_state_init(c->notes, o->prec, LAG_EXACT, 1, err);
        if (rc != 0)
            return rc;
        c->has_notes = 1;
        c->notes_prec = o->prec;
        *s = c->notes;
        return 0;
    }
    *s = malloc(sizeof **s);
    if (*s == NULL)
        return averr_set(err, AV_ESYS, "notes: out of memory");
    int rc = notes_state_init(*s, o->prec, LAG_EXACT, 1, err);
    if (rc != 0) {
        free(*s);
        *s = NULL;
    }
    return rc;
}

void notes_state_release(lag_state_struct *s, const claim_opts *o)
{
    claim_ctx *c = o->ctx;
    if (s == NULL || (c != NULL && c->has_notes && s == c->notes))
        return;
    lag_state_clear(s);
    free(s);
}

int notes_claim_steps(claim_result *r, lag_state_struct **s,
                      const claim_opts *o, int first, int last, long *d,
                      long *c, averr_t err)
{
    int rc = notes_state_get(s, o, err);
    if (rc != 0)
        return rc;
    if ((rc = notes_steps_table(r->detail, *s, first, last, o->digits, d, c,
                                err)) != 0) {
        notes_state_release(*s, o);
        *s = NULL;
        return rc;
    }
    r->has_detail = 1;
    return 0;
}

int notes_run_step(lag_step_t st, lag_state_t s, lag_check_fn fn, averr_t err)
{
    int rc = lag_step_init(st, s->P->prec, err);
    if (rc == 0 && (rc = fn(st, s, err)) != 0)
        lag_step_clear(st);
    return rc;
}

static int check_n1(claim_result *r, const claim_opts *o, averr_t err)
{
    lag_state_struct *s = NULL;
    lag_step_t h, g;
    long d, c, need = notes_need_digits(o->prec);
    int rc = notes_claim_steps(r, &s, o, 1, 3, &d, &c, err);
    if (rc != 0)
        return rc;
    if ((rc = notes_run_step(h, s, lag_check_constraint, err)) == 0) {
        if ((rc = notes_run_step(g, s, lag_check_initial, err)) == 0) {
            r->verdict = notes_decide_steps(d, c, need);
            claim_evidence(r, "P7 solved by Taylor series (order %d, %ld steps) "
                           "at %ld bits: max |h| along x = %.2Re (on x + "
                           "(1+t)/10: %.3Re), g(x(0), p) = %.2Re; F = %.25Re by "
                           "Gauss-Legendre (%zu nodes) and by the Taylor running "
                           "cost: %ld digits agree (need %ld)",
                           ntaylor_order(o->prec), s->nsteps, (long)o->prec,
                           h->rows[0].left, h->rows[1].left, g->rows[0].left,
                           s->F_quad, s->rule->N, d, need);
            lag_step_clear(g);
        }
        lag_step_clear(h);
    }
    notes_state_release(s, o);
    return rc;
}

const claim_def claim_N1 = {
    .id = "N1",
    .source = "001",
    .statement = "Problem: minimise F(x, p) = int_0^T f(x, p, t) dt subject to "
                 "g(x_0, p) = x_0 - p = 0 and h(x, x', p, t) = 0.",
    .reading = "On P7 (h = (1 + x^2/2) x' + p1 x - sin(p2 t), g = x(0) - p0: "
               "'x0 - p' with p a vector means the component that sets x(0)) "
               "the constraints determine x: the computed solution satisfies "
               "h = 0 along [0, T] and g = 0 to working precision, while a "
               "perturbed x violates h; F = int f dt agrees by two routes "
               "(steps 1-3 of derivations/lagrangian.md).",
    .command = "adjverify verify --only N1",
    .file = "src/claims/claims_notes.c",
    .func = "check_n1",
    .check = check_n1,
};

static int check_n2(claim_result *r, const claim_opts *o, averr_t err)
{
    lag_state_struct *s = NULL;
    long d, c, need = notes_need_digits(o->prec);
    int rc = notes_claim_steps(r, &s, o, 4, 4, &d, &c, err);
    if (rc != 0)
        return rc;
    lag_step_t st;
    if ((rc = notes_run_step(st, s, lag_check_stationary, err)) == 0) {
        r->verdict = notes_decide_steps(d, c, need);
        claim_evidence(r, "Loss is linear in u and lambda, so dLoss/du = g and "
                       "dLoss/dlambda = h: its stationary points satisfy (2)-(3). "
                       "In x, at the adjoint lambda and u = lambda(0) h_x'(0): "
                       "dLoss/dx[delta] = %.2Re, %.2Re for two directions "
                       "(%ld digits of 0, need %ld); with lambda = sin 3t + "
                       "t^2/2, u = 7/3 it is %.4Re: only the adjoint makes the "
                       "Lagrangian stationary", st->rows[0].left,
                       st->rows[1].left, d, need, st->rows[2].left);
        lag_step_clear(st);
    }
    notes_state_release(s, o);
    return rc;
}

const claim_def claim_N2 = {
    .id = "N2",
    .source = "001, (4)",
    .statement = "The Lagrangian Loss = int_0^T [f + lambda^T h] dt + u^T g "
                 "combines (1)-(3).",
    .reading = "Loss is the Lagrangian of the constrained problem: its "
               "derivatives in u and lambda are g and h (linearity), and with "
               "lambda from the adjoint equation and u from the t = 0 term its "
               "first variation in x vanishes in every direction on the "
               "solution (step 4), while an arbitrary lambda leaves it "
               "non-stationary.",
    .command = "adjverify verify --only N2",
    .file = "src/claims/claims_notes.c",
    .func = "check_n2",
    .check = check_n2,
};

/* Largest |Loss - F| = |int lambda^T h dt + u^T g| (formed without
 * cancellation) over the lambda and u of step 5 at PREC bits, and whether
 * it is within 2^-(prec - 8) |F|.  HAVE, P7 solved at some precision,
 * serves when that is PREC. */
static int sweep_point(mpfr_ptr out, int *ok, mpfr_prec_t prec,
                       lag_state_struct *have, averr_t err)
{
    static const long uq[LAG_NLAMBDA][2] = {{0, 1}, {7, 3}, {-2, 1}, {1, 3}};
    lag_state_t own;
    lag_state_struct *s = have->P->prec == prec ? have : own;
    mpfr_ptr v = mpblock_alloc(2, prec, err);
    if (v == NULL)
        return AV_ESYS;
    int rc = s == have ? 0 : notes_state_init(own, prec, LAG_EXACT, 0, err);
    if (rc == 0) {
        mpfr_set_zero(out, 1);
        for (int w = 0; w < LAG_NLAMBDA && rc == 0; w++) {
            mpfr_set_si(v, uq[w][0], MPFR_RNDN);
            mpfr_div_si(v, v, uq[w][1], MPFR_RNDN);
            rc = lag_constraint_terms(v + 1, s, (lag_lambda)w, w ? v : s->u, err);
            if (mpfr_cmpabs(v + 1, out) > 0)
                mpfr_abs(out, v + 1, MPFR_RNDN);
        }
        mpfr_mul_2si(v, s->F_quad, -(long)prec + 8, MPFR_RNDN);
        *ok = mpfr_cmpabs(out, v) <= 0;
        if (s == own)
            lag_state_clear(own);
    }
    mpblock_free(v);
    return rc;
}

static int check_n3(claim_result *r, const claim_opts *o, averr_t err)
{
    lag_state_struct *s = NULL;
    long d, c, need = notes_need_digits(o->prec);
    int rc = notes_claim_steps(r, &s, o, 5, 5, &d, &c, err), ok = 1;
    if (rc != 0)
        return rc;
    mpfr_prec_t ps[3] = {o->prec / 2, o->prec, 2 * o->prec};
    mpfr_ptr sw = mpblock_alloc(4, o->prec, err);
    if (sw == NULL) {
        notes_state_release(s, o);
        return AV_ESYS;
    }
    lag_step_t st;
    if ((rc = notes_run_step(st, s, lag_check_loss_is_F, err)) == 0) {
        mpfr_set(sw + 3, st->rows[2].diff, MPFR_RNDN);   /* off the solution */
        lag_step_clear(st);
    }
    for (int i = 0; i < 3 && rc == 0; i++) {
        int oki = 0;
        ps[i] = ps[i] < MPV_PREC_MIN ? MPV_PREC_MIN : ps[i];
        rc = sweep_point(sw + i, &oki, ps[i], s, err);
        ok = ok && oki;
    }
    if (rc == 0) {
        r->verdict = n3_decide(d, c, ok, need);
        claim_evidence(r, "on the solution Loss = F for lambda in {adjoint, 1, "
                       "sin 3t + t^2/2, e^-t cos 5t} with u in {lambda(0) "
                       "h_x'(0), 7/3, -2, 1/3}: %ld digits (need %ld); precision "
                       "sweep, max |Loss - F| = %.2Re, %.2Re, %.2Re at %ld, %ld, "
                       "%ld bits (%s 2^-(p-8) F: equal up to rounding); off the "
                       "solution (x + (1+t)/10) Loss - F = %.4Re: the integral "
                       "equals the loss because h = 0 and g = 0 on a solution",
                       d, need, sw, sw + 1, sw + 2, (long)ps[0], (long)ps[1],
                       (long)ps[2], ok ? "each within" : "NOT all within",
                       sw + 3);
    }
    mpblock_free(sw);
    notes_state_release(s, o);
    return rc;
}

const claim_def claim_N3 = {
    .id = "N3",
    .source = "001, (5)",
    .statement = "On a solution, Loss = F for every lambda and u (\"why does "
                 "the integral equal the loss?\").",
    .reading = "For the adjoint and three arbitrary smooth lambda(t), each with "
               "its own u, Loss and F agree to working precision and the "
               "difference scales with the precision (128/256/512-bit sweep); "
               "on a trajectory that violates h and g they differ by "
               "int lambda^T h dt + u^T g, which is the answer to the notes' "
               "question.",
    .command = "adjverify verify --only N3",
    .file = "src/claims/claims_notes.c",
    .func = "check_n3",
    .check = check_n3,
};
