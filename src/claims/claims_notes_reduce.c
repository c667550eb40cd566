/* claims_notes_reduce: the notes' derivation reduced to the essay's adjoint.
 * With h = x' - f_theta(x, t), g = x(0) - z0 and the terminal cost
 * L(x(T)) (impl_model_neural): h_x' = I and d/dt(h_x') = 0, so the
 * adjoint equation (10) reads lambda' = -J^T lambda with lambda(T) =
 * -dL/dz(T); for a = -lambda that is a' = -J^T a, a(T) = dL/dz(T), and
 * (13) is dL/dtheta = int a^T df/dtheta dt: the essay's equations (seed
 * 000, 2.2-2.3).  On P1 its gradient is set
 * against the essay's formula, forward sensitivities and backprop's limit;
 * on P7 the same general solver is set against the Taylor adjoint.
 */
#include <math.h>
#include "claims_notes.h"
#include "tablegen.h"
#include "claims_refcache.h"
#include "../gradients/reference.h"
#include "../numbers/mpvec.h"

#define RED_NBP 5
static const long red_steps[RED_NBP] = {8, 16, 32, 64, 128};

/* G (ntheta), LAM (d) = the general adjoint's gradient and -lambda(0) on
 * P1, computed 64 bits above PREC and rounded to it. */
static int general_p1(mpfr_ptr g, mpfr_ptr a0, mpfr_prec_t prec, averr_t err)
{
    problem_t pw;
    impl_problem_t N;
    int rc = problem_init_lookup(pw, "mlp", prec + 64, err);
    if (rc != 0)
        return rc;
    size_t nt = (size_t)pw->ntheta, d = (size_t)pw->d;
    mpfr_ptr v = mpblock_alloc(nt + d, prec + 64, err);
    if (v == NULL)
        rc = AV_ESYS;
    else if ((rc = impl_init_neural(N, pw, err)) == 0) {
        rc = lag_general_gradient(v, NULL, v + nt, N, err);
        impl_clear(N);
    }
    for (size_t k = 0; k < nt + d && rc == 0; k++)
        mpfr_set(k < nt ? g + k : a0 + k - nt, v + k, MPFR_RNDN);
    for (size_t i = 0; i < d && rc == 0; i++)
        mpfr_neg(a0 + i, a0 + i, MPFR_RNDN);
    mpblock_free(v);
    problem_clear(pw);
    return rc;
}

/* Digits of the general solver against the Taylor adjoint on P7 (HAVE's,
 * when not NULL). */
static int p7_digits(long *d, const lag_state_struct *have, mpfr_prec_t prec,
                     averr_t err)
{
    lag_state_t own;
    const lag_state_struct *s = have != NULL ? have : own;
    impl_problem_t P;
    int rc = have != NULL ? 0 : notes_state_init(own, prec, LAG_EXACT, 0, err);
    if (rc != 0)
        return rc;
    mpfr_ptr g = mpblock_alloc(3, prec + 64, err);
    if (g == NULL)
        rc = AV_ESYS;
    else if ((rc = impl_init_notes(P, prec + 64, err)) == 0) {
        rc = lag_general_gradient(g, NULL, NULL, P, err);
        *d = mpvec_digits(g, s->grad_adj, 3, mpnum_max_digits(prec));
        impl_clear(P);
    }
    mpblock_free(g);
    if (have == NULL)
        lag_state_clear(own);
    return rc;
}

/* Table 0: the gradient three ways; fills EV's digits. */
static void table_routes(table_t t, const problem_t p, mpfr_srcptr gen,
                         mpfr_srcptr a0, const grad_result_t ess,
                         const grad_result_t sen, int digits,
                         notes_reduction *ev)
{
    static const char *const head[] = {"quantity", "notes (h = x' - f)",
                                       "essay: int a^T f_theta dt",
                                       "forward sensitivities",
                                       "digits vs essay", "digits vs sens"};
    long cap = mpnum_max_digits(p->prec);
    table_init(t, "The notes' adjoint with h = x' - f on P1 is the essay's: "
               "dL/dtheta and a(0) = -lambda(0) = dL/dz(0)", 6, head);
    table_set_command(t, "adjverify tables", (long)p->prec);
    ev->essay = ev->sens = ev->lam = cap;
    for (int k = 0; k < p->ntheta + p->d; k++) {
        int th = k < p->ntheta;
        char name[64];
        if (th)
            problem_theta_name(name, sizeof name, k, p);
        else
            snprintf(name, sizeof name, "-lambda(0)[%d] | dL/dz(0)", k - p->ntheta);
        mpfr_srcptr x = th ? gen + k : a0 + k - p->ntheta;
        mpfr_srcptr e = th ? ess->dtheta + k : ess->dz0 + k - p->ntheta;
        mpfr_srcptr s = th ? sen->dtheta + k : sen->dz0 + k - p->ntheta;
        long de = mpnum_digits(x, e, cap), ds = mpnum_digits(x, s, cap);
        table_row(t);
        table_cell(t, "%s", name);
        table_cell(t, "%.*Re", digits - 1, x);
        table_cell(t, "%.*Re", digits - 1, e);
        table_cell(t, "%.*Re", digits - 1, s);
        table_cell(t, "%ld", de);
        table_cell(t, "%ld", ds);
        long *slot = th ? &ev->essay : &ev->lam;
        *slot = de < *slot ? de : *slot;
        ev->sens = ds < ev->sens ? ds : ev->sens;
    }
    table_note(t, "notes: lag_general_gradient on impl_model_neural (h_x' = I, "
               "d/dt(h_x') = 0, h_x = -J, h_p = -f_theta, lambda(T) = -dL/dz(T)) "
               "at %ld bits; essay: ref_gradient_adjoint (a' = -J^T a, a(T) = "
               "dL/dz(T)); forward sensitivities: ref_gradient_sens",
               (long)p->prec + 64);
}


/* Table 1: backprop through rk4 against the general adjoint as N doubles. */
static int table_bp(table_t t, const problem_t p, mpfr_srcptr gen,
                    notes_reduction *ev, averr_t err)
{
    static const char *const head[] = {"steps N", "max |bp - notes|",
                                       "observed order", "digits"};
    size_t nt = (size_t)p->ntheta;
    long cap = mpnum_max_digits(p->prec);
    tableau_t tab;
    grad_result_t gb;
    int rc = tableau_init_builtin(tab, "rk4", p->prec, err);
    if (rc != 0)
        return rc;
    mpfr_ptr e = mpblock_alloc(RED_NBP + 1, p->prec, err);
    if (e == NULL || (rc = grad_result_init(gb, p, err)) != 0) {
        mpblock_free(e);
        tableau_clear(tab);
        return e == NULL ? AV_ESYS : rc;
    }
    table_init(t, "Backprop through rk4 on P1 converges to the notes' adjoint "
               "gradient with the order of the scheme", 4, head);
    table_set_command(t, "adjverify tables", (long)p->prec);
    for (int i = 0; i < RED_NBP && rc == 0; i++) {
        if ((rc = bp_gradient(gb, p, tab, red_steps[i], err)) != 0)
            break;
        mpvec_dist_max(e + i, gb->dtheta, gen, nt, e + RED_NBP);
        ev->bp_digits = mpvec_digits(gb->dtheta, gen, nt, cap);
        table_row(t);
        table_cell(t, "%ld", red_steps[i]);
        table_cell(t, "%.3Re", e + i);
        if (i == 0) {
            table_cell(t, "%s", "-");
        } else {
            mpfr_div(e + RED_NBP, e + i - 1, e + i, MPFR_RNDN);
            mpfr_log2(e + RED_NBP, e + RED_NBP, MPFR_RNDN);
            ev->order = mpfr_get_d(e + RED_NBP, MPFR_RNDN);
            table_cell(t, "%.3f", ev->order);
        }
        table_cell(t, "%ld", ev->bp_digits);
    }
    if (rc != 0)
        table_clear(t);
    grad_result_clear(gb);
    mpblock_free(e);
    tableau_clear(tab);
    return rc;
}

int notes_reduction_tables(table_t *out, int *n, notes_reduction *ev,
                           const lag_state_struct *p7, mpfr_prec_t prec,
                           int digits, averr_t err)
{
    return notes_reduction_tables_ctx(out, n, ev, p7, NULL, prec, digits, err);
}

int notes_reduction_tables_ctx(table_t *out, int *n, notes_reduction *ev,
                               const lag_state_struct *p7, claim_ctx *c,
                               mpfr_prec_t prec, int digits, averr_t err)
{
    problem_t p;
    grad_result_t ess, sen;
    int have = 0;
    *n = 0;
    int rc = problem_init_lookup(p, "mlp", prec, err);
    if (rc != 0)
        return rc;
    size_t nt = (size_t)p->ntheta, d = (size_t)p->d;
    mpfr_ptr v = mpblock_alloc(nt + d, prec, err);
    if (v == NULL)
        rc = AV_ESYS;
    else if ((rc = grad_result_init(ess, p, err)) == 0) {
        if ((rc = grad_result_init(sen, p, err)) == 0) {
            if ((rc = general_p1(v, v + nt, prec, err)) == 0
                && (rc = refc_gradient(ess, NULL, NULL, c, "mlp", prec,
                                       REFC_ADJOINT, err)) == 0
                && (rc = refc_gradient(sen, NULL, NULL, c, "mlp", prec,
                                       REFC_SENS, err)) == 0) {
                table_routes(out[0], p, v, v + nt, ess, sen, digits, ev);
                if ((rc = table_bp(out[1], p, v, ev, err)) == 0)
                    have = 1;
                else
                    table_clear(out[0]);
            }
            grad_result_clear(sen);
        }
        grad_result_clear(ess);
    }
    if (rc == 0)
        rc = p7_digits(&ev->p7, p7, prec, err);
    if (rc == 0) {
        table_note(out[1], "the same general solver on P7 (h = (1 + x^2/2) x' + "
                   "p1 x - sin(p2 t)) agrees with the Taylor adjoint gradient "
                   "to %ld digits", ev->p7);
        *n = 2;
    } else if (have) {
        table_clear(out[0]);
        table_clear(out[1]);
    }
    mpblock_free(v);
    problem_clear(p);
    return rc;
}

static int make_reduction(table_t *out, int *n, const claim_opts *o,
                          averr_t err)
{
    notes_reduction ev;
    lag_state_struct *s;
    *n = 0;
    int rc = notes_state_get(&s, o, err);
    if (rc != 0)
        return rc;
    rc = notes_reduction_tables_ctx(out, n, &ev, s, o->ctx, o->prec, o->digits,
                                    err);
    notes_state_release(s, o);
    return rc;
}

const tablegen_def tablegen_lagrangian_reduction = {
    .base = "lagrangian_reduction",
    .summary = "the notes' adjoint with h = x' - f on P1 against the essay's "
               "formula, forward sensitivities and backprop's limit",
    .make = make_reduction,
    .claim = "N7",
};
