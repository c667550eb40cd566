/* claims_essay: E1, "the neural ODE is solved by numerical integration such
 * as Runge-Kutta (a scheme of order p converges with order p)", checked on
 * P2 whose exact solution is known, for every built-in tableau. */
#include <math.h>
#include <stdio.h>
#include "claims_essay.h"
#include "tablegen.h"
#include "../numbers/mpvec.h"
#include "../gradients/closed.h"
#include "../integrate/rk.h"

#define E1_NSTEPS 4
static const long e1_steps[E1_NSTEPS] = {32, 64, 128, 256};

verdict_t e1_decide(const double *measured, const int *stated, int n, double tol)
{
    for (int i = 0; i < n; i++)
        if (!(fabs(measured[i] - stated[i]) <= tol))
            return VERDICT_REFUTED;
    return n > 0 ? VERDICT_VERIFIED : VERDICT_ERROR;
}

/* Errors |z_N(T) - z(T)|_max of one scheme for every N of e1_steps. */
static int scheme_errors(mpfr_ptr errs, const problem_t p, const char *scheme,
                         int *stated, mpfr_srcptr exact, mpfr_ptr v, averr_t err)
{
    tableau_t tab;
    rk_problem_ctx pctx;
    rk_system sys;
    int st = tableau_init_builtin(tab, scheme, p->prec, err);
    if (st != 0)
        return st;
    *stated = tab->order;
    if ((st = rk_problem_ctx_init(&pctx, p, err)) == 0) {
        rk_system_of_problem(&sys, &pctx);
        for (int k = 0; k < E1_NSTEPS && st == 0; k++)
            if ((st = rk_solve(v, NULL, &sys, tab, v + 3, p->T, e1_steps[k], p->z0,
                               p->prec, err)) == 0)
                mpvec_dist_max(errs + k, v, exact, 2, v + 2);
        rk_problem_ctx_clear(&pctx);
    }
    tableau_clear(tab);
    return st;
}

int e1_order_table(table_t t, double *measured, int *stated, mpfr_prec_t prec,
                   averr_t err)
{
    static const char *const head[] = {"scheme", "stated order", "error N=32",
                                       "error N=64", "error N=128", "error N=256",
                                       "order 32/64", "order 64/128", "order 128/256"};
    problem_t p;
    int st = problem_init_lookup(p, "linear", prec, err), n = 0;
    if (st != 0)
        return st;
    /* v: z_N (2), scratch (1), t0 = 0 (1), exact (2), errors (4) */
    mpfr_ptr v = mpblock_alloc(6 + E1_NSTEPS, prec, err);
    if (v == NULL) {
        problem_clear(p);
        return AV_ESYS;
    }
    mpfr_ptr exact = v + 4, errs = v + 6;
    grad_result_t closed;
    if ((st = grad_result_init(closed, p, err)) == 0) {
        if ((st = closed_gradient(closed, p, err)) == 0)
            mpvec_set(exact, closed->zT, 2);
        grad_result_clear(closed);
    }
    table_init(t, "E1: observed order of every built-in scheme on P2 (linear, "
                  "exact solution e^(-t/2) R(2t) z0), error at T = 2", 9, head);
    table_set_command(t, "adjverify verify --only E1", (long)prec);
    for (const char *const *s = tableau_builtin_names; st == 0 && *s != NULL; s++, n++) {
        int so = 0;
        if ((st = scheme_errors(errs, p, *s, &so, exact, v, err)) != 0)
            break;
        table_row(t);
        table_cell(t, "%s", *s);
        table_cell(t, "%d", so);
        for (int k = 0; k < E1_NSTEPS; k++)
            table_cell(t, "%.3Re", errs + k);
        double ord = 0;
        for (int k = 1; k < E1_NSTEPS; k++) {
            mpfr_div(v + 2, errs + k - 1, errs + k, MPFR_RNDN);
            mpfr_log2(v + 2, v + 2, MPFR_RNDN);
            ord = mpfr_get_d(v + 2, MPFR_RNDN);
            table_cell(t, "%.3f", ord);
        }
        if (measured != NULL) {
            measured[n] = ord;
            stated[n] = so;
        }
    }
    table_note(t, "observed order = log2(e(N) / e(2N)); the verdict uses the last "
                  "halving, 128 -> 256 steps, and requires it within 0.1 of the stated order");
    table_note(t, "on a linear problem one RK step multiplies by the stability function "
                  "R(hA); explicit schemes with s = p <= 4 stages share R(z) = 1 + z + ... "
                  "+ z^p/p!, so their errors coincide: P2 tests the order of R, and the "
                  "nonlinear order conditions are tested by tableau_computed_order");
    if (st != 0)
        table_clear(t);
    mpblock_free(v);
    problem_clear(p);
    return st != 0 ? st : n;
}

static int check_e1(claim_result *r, const claim_opts *o, averr_t err)
{
    double measured[32];
    int stated[32];
    int n = e1_order_table(r->detail, measured, stated, o->prec, err);
    if (n < 0)
        return n;
    r->has_detail = 1;
    r->verdict = e1_decide(measured, stated, n, 0.1);
    double lo = 1e9, hi = -1e9;
    for (int i = 0; i < n; i++) {
        double dev = measured[i] - stated[i];
        lo = dev < lo ? dev : lo;
        hi = dev > hi ? dev : hi;
    }
    claim_evidence(r, "%d built-in schemes on P2: measured order minus stated order "
                   "in [%.3f, %.3f] (N = 128 -> 256)", n, lo, hi);
    return 0;
}

const claim_def claim_E1 = {
    .id = "E1",
    .source = "000, 2.1",
    .statement = "The neural ODE dz/dt = f_theta(z(t), t) is solved by numerical "
                 "integration such as Runge-Kutta (a scheme of order p converges "
                 "with order p).",
    .reading = "For every built-in tableau, the global error at T on P2 (exact "
               "solution known) falls like h^p with p the tableau's stated order: "
               "the observed order of the last halving is within 0.1 of p.",
    .command = "adjverify verify --only E1",
    .file = "src/claims/claims_essay.c",
    .func = "check_e1",
    .check = check_e1,
};

static int make_orders(table_t *out, int *n, const claim_opts *o, averr_t err)
{
    int st = e1_order_table(out[0], NULL, NULL, o->prec, err);
    *n = st < 0 ? 0 : 1;
    if (st >= 0)
        table_set_command(out[0], "adjverify tables", (long)o->prec);
    return st < 0 ? st : 0;
}

const tablegen_def tablegen_orders = {
    .base = "orders",
    .summary = "observed order of every built-in scheme on P2",
    .make = make_orders,
};
