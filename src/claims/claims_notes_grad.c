/* claims_notes_grad: N4 to N7, from dLoss/dp = dF/dp to the adjoint
 * gradient that needs no x_p, on P7 (steps 6-14 of
 * derivations/lagrangian.md).
 */
#include "claims_notes.h"
#include "../numbers/mpvec.h"

static int check_n4(claim_result *r, const claim_opts *o, averr_t err)
{
    lag_state_struct *s = NULL;
    long d, c, need = notes_need_digits(o->prec);
    int rc = notes_claim_steps(r, &s, o, 6, 6, &d, &c, err);
    if (rc != 0)
        return rc;
    r->verdict = notes_decide_steps(d, c, need);
    claim_evidence(r, "central differences of Loss(p) at %ld bits, lambda = "
                   "sin 3t + t^2/2 and u = 7/3 held fixed, against dF/dp by "
                   "forward sensitivities: %ld digits (need %ld); dF/dp = "
                   "(%.12Re, %.12Re, %.12Re)", 2 * (long)o->prec, d, need,
                   s->grad_sens, s->grad_sens + 1, s->grad_sens + 2);
    notes_state_release(s, o);
    return 0;
}

const claim_def claim_N4 = {
    .id = "N4",
    .source = "001, (6)",
    .statement = "dLoss/dp = dF/dp.",
    .reading = "dLoss/dp is the total derivative of p -> Loss(x(p), p; lambda, "
               "u) with lambda and u held fixed; since Loss(p) = F(p) for every "
               "p (N3), central differences of Loss at doubled precision agree "
               "with the forward-sensitivity dF/dp to working precision "
               "(step 6).",
    .command = "adjverify verify --only N4",
    .file = "src/claims/claims_notes_grad.c",
    .func = "check_n4",
    .check = check_n4,
};

static int check_n5(claim_result *r, const claim_opts *o, averr_t err)
{
    lag_state_struct *s = NULL;
    lag_step_t st;
    long d, c, need = notes_need_digits(o->prec);
    int rc = notes_claim_steps(r, &s, o, 7, 7, &d, &c, err);
    if (rc != 0)
        return rc;
    if ((rc = notes_run_step(st, s, lag_check_chain_rule, err)) == 0) {
        r->verdict = notes_decide_steps(d, c, need);
        claim_evidence(r, "the expansion with x_p and x'_p from forward "
                       "sensitivities, lambda = sin 3t + t^2/2, u = 7/3, "
                       "against central differences of F: %ld digits (need "
                       "%ld); its lambda-bracket h_x x_p + h_x' x'_p + h_p is "
                       "the linearised constraint, 0 along x (max %.2Re), and "
                       "g_x0 x0_p + g_p = %.2Re, which is why any lambda and u "
                       "give dF/dp", d, need, st->rows[0].left, st->rows[1].left);
        lag_step_clear(st);
    }
    notes_state_release(s, o);
    return rc;
}

const claim_def claim_N5 = {
    .id = "N5",
    .source = "001",
    .statement = "The chain-rule expansion of dLoss/dp into f_x x_p + f_p + "
                 "lambda^T(h_x x_p + h_x' x'_p + h_p) under the integral plus "
                 "u^T(g_x0 x0_p + g_p).",
    .reading = "With x_p and x'_p computed by forward sensitivity (the route "
               "the derivation then avoids), the expansion evaluated by "
               "quadrature for an arbitrary lambda and u equals dF/dp from "
               "central differences at doubled precision (step 7).",
    .command = "adjverify verify --only N5",
    .file = "src/claims/claims_notes_grad.c",
    .func = "check_n5",
    .check = check_n5,
};

static int check_n6(claim_result *r, const claim_opts *o, averr_t err)
{
    lag_state_struct *s = NULL;
    lag_step_t st;
    long d, c, need = notes_need_digits(o->prec);
    int rc = notes_claim_steps(r, &s, o, 8, 9, &d, &c, err);
    if (rc != 0)
        return rc;
    if ((rc = notes_run_step(st, s, lag_check_by_parts, err)) == 0) {
        const lag_row *x = &st->rows[st->nrows - 1];
        r->verdict = notes_decide_steps(d, c, need);
        claim_evidence(r, "int lambda^T h_x' x'_p dt against [lambda^T h_x' "
                       "x_p]_0^T - int d/dt(lambda^T h_x') x_p dt for the adjoint "
                       "and three arbitrary lambda, every p_k, and the "
                       "regrouped dLoss/dp against central differences: %ld "
                       "digits (need %ld); here h_x' = 1 + x^2/2 depends on t, "
                       "and dropping lambda^T d/dt(h_x') = lambda x x' gives "
                       "%.6Re instead of %.6Re (%ld digits)", d, need, x->right,
                       x->left, c);
        lag_step_clear(st);
    }
    notes_state_release(s, o);
    return rc;
}

const claim_def claim_N6 = {
    .id = "N6",
    .source = "001",
    .statement = "Integration by parts removes x'_p: int lambda^T h_x' x'_p dt "
                 "= [lambda^T h_x' x_p]_0^T - int d/dt(lambda^T h_x') x_p dt.",
    .reading = "Both sides evaluated by quadrature (x_p, x'_p by forward "
               "sensitivity) agree for four lambda and every parameter, with "
               "d/dt(lambda^T h_x') = lambda'^T h_x' + lambda^T d/dt(h_x') "
               "(step 8); after it dLoss/dp contains no x'_p and still equals "
               "dF/dp for any lambda, u (step 9).",
    .command = "adjverify verify --only N6",
    .file = "src/claims/claims_notes_grad.c",
    .func = "check_n6",
    .check = check_n6,
};

/* Digits of the adjoint gradient of VARIANT against S's differences. */
static int variant_digits(long *d, lag_state_t s, lag_variant v, averr_t err)
{
    mpfr_ptr g = mpblock_alloc((size_t)s->P->np, s->P->prec, err);
    if (g == NULL)
        return AV_ESYS;
    int rc = lag_adjoint_gradient(g, NULL, s->P, v, err);
    *d = mpvec_digits(g, s->grad_fd, (size_t)s->P->np,
                      mpnum_max_digits(s->P->prec));
    mpblock_free(g);
    return rc;
}

static int check_n7(claim_result *r, const claim_opts *o, averr_t err)
{
    lag_state_struct *s = NULL;
    lag_step_t st;
    long d, c, dig[3], sign = 0, drop = 0, need = notes_need_digits(o->prec);
    lag_check_fn fns[3] = {lag_check_adjoint_ode, lag_check_grad_sens,
                           lag_check_grad_fd};
    int rc = notes_claim_steps(r, &s, o, 10, 14, &d, &c, err);
    if (rc != 0)
        return rc;
    for (int i = 0; i < 3 && rc == 0; i++)
        if ((rc = notes_run_step(st, s, fns[i], err)) == 0) {
            dig[i] = lag_step_digits(st, mpnum_max_digits(o->prec));
            lag_step_clear(st);
        }
    if (rc == 0 && (rc = variant_digits(&sign, s, LAG_SIGN_ERROR, err)) == 0)
        rc = variant_digits(&drop, s, LAG_DROP_BOUNDARY, err);
    notes_reduction ev;
    table_t red[2];
    int nred = 0;
    if (rc == 0
        && (rc = notes_reduction_tables_ctx(red, &nred, &ev, s, o->ctx,
                                            o->prec, o->digits, err)) == 0) {
        *r->tables[0] = *red[0];      /* the table lagrangian_reduction */
        *r->tables[1] = *red[1];
        r->ntables = 2;
        long reduce = ev.essay < ev.lam ? ev.essay : ev.lam;
        r->verdict = n7_decide(dig[1], dig[2], dig[0], reduce, need);
        claim_evidence(r, "P7: dF/dp = int (f_p + lambda h_p) dt + u g_p = "
                       "(%.10Re, %.10Re, %.10Re), no x_p: vs forward "
                       "sensitivities %ld digits, central differences at %ld "
                       "bits %ld (need %ld); adjoint residual %ld digits.  "
                       "Sign error in (10): %ld digits; t = 0 term dropped: %ld.  "
                       "P1 with h = x' - f: the same adjoint is the essay's "
                       "(dL/dtheta %ld digits, -lambda(0) = dL/dz(0) %ld), "
                       "backprop rk4 N = 128 %ld digits, order %.2f",
                       s->grad_adj, s->grad_adj + 1, s->grad_adj + 2, dig[1],
                       2 * (long)o->prec, dig[2], need, dig[0], sign, drop,
                       ev.essay, ev.lam, ev.bp_digits, ev.order);
    }
    notes_state_release(s, o);
    return rc;
}

const claim_def claim_N7 = {
    .id = "N7",
    .source = "001",
    .statement = "Choosing lambda by the resulting adjoint equation (and u from "
                 "the t = 0 boundary term) gives dF/dp without ever computing "
                 "x_p.",
    .reading = "lambda solves d/dt(lambda^T h_x') = f_x + lambda^T h_x with "
               "lambda(T)^T h_x'(T) = 0, and g_x0^T u = h_x'(0)^T lambda(0) "
               "(steps 10-12); then dF/dp = int (f_p + lambda^T h_p) dt + u^T "
               "g_p, computed from x and lambda alone, agrees with the "
               "forward-sensitivity gradient and with central differences of "
               "F at doubled precision to working precision (steps 13-14); "
               "and the same derivation, solved from the model's callbacks "
               "alone, gives on P1 (h = x' - f, terminal cost L) the essay's "
               "gradient and a = -lambda (step 16).",
    .command = "adjverify verify --only N7",
    .file = "src/claims/claims_notes_grad.c",
    .func = "check_n7",
    .check = check_n7,
};
