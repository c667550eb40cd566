/* tables_essay_sens: the sensitivity_formula tables (essay section 2.3,
 * claim E4): both sides of dz(T)/dtheta = int (dz/dtheta)(df/dtheta) dt on
 * P3, the corrected integral and the sensitivity equation on P3, and the
 * sensitivity equation on P1 against central differences.
 */
#include <stdio.h>
#include "claims_essay_flow.h"
#include "tablegen.h"
#include "../numbers/mpvec.h"
#include "../gradients/sens.h"

#define P1_STEPS 16
static const long p3_steps[] = {2, 4, 8, 16};
#define P3_NSTEPS 4

static void sides_row(table_t t, const char *what, mpfr_srcptr a,
                      mpfr_srcptr b, const char *route, long routes,
                      long vs_lhs, int digits)
{
    table_row(t);
    table_cell(t, "%s", what);
    table_cell(t, "%.*Re", digits - 1, a);
    table_cell(t, "%.*Re", digits - 1, b);
    table_cell(t, "%s", route);
    table_cell(t, "%ld", routes);
    if (vs_lhs < 0)
        table_cell(t, "-");
    else
        table_cell(t, "%ld", vs_lhs);
}

/* Table 0: both sides on P3, both integrals by two routes. */
static int table_p3_sides(table_t t, e4_evidence *ev, const problem_t p,
                          int digits, averr_t err)
{
    static const char *const head[] = {
        "quantity", "closed form", "second route", "second route is",
        "digits between routes", "digits vs dz(T)/dtheta"};
    mpfr_srcptr th = p->theta, T = p->T;
    mpfr_ptr v = mpblock_alloc(7, p->prec, err);
    if (v == NULL)
        return AV_ESYS;
    sens_scalar_cmp ce, cc;
    int rc = sens_scalar_compare(&ce, v, SENS_ESSAY, th, T, p->prec, err);
    if (rc == 0)
        rc = sens_scalar_compare(&cc, v + 3, SENS_TRANSITION, th, T, p->prec,
                                 err);
    if (rc != 0) {
        mpblock_free(v);
        return rc;
    }
    sens_scalar_lhs_fd(v + 6, th, T);
    ev->essay_vs_lhs = ce.rhs_vs_lhs;
    ev->essay_routes = ce.rhs_routes;
    ev->corr_vs_lhs = cc.rhs_vs_lhs;
    ev->corr_routes = cc.rhs_routes;
    ev->lhs_routes = ce.lhs_routes;
    ev->resid_digits = ce.resid_digits;
    ev->lhs = mpfr_get_d(v, MPFR_RNDN);
    ev->essay_rhs = mpfr_get_d(v + 1, MPFR_RNDN);
    char quad[64];
    snprintf(quad, sizeof quad, "Gauss-Legendre, %d nodes",
             (int)(p->prec / 8) + 16);
    table_init(t, "Essay section 2.3 on P3 (z' = theta z): dz(T)/dtheta = int "
                  "(dz/dtheta)(df/dtheta) dt?", 6, head);
    table_set_command(t, "adjverify tables", (long)p->prec);
    sides_row(t, "dz(T)/dtheta = T e^(theta T)", v, v + 6,
              "central difference, doubled precision", ce.lhs_routes, -1,
              digits);
    sides_row(t, sens_form_name(SENS_ESSAY), v + 1, v + 2, quad,
              ce.rhs_routes, ce.rhs_vs_lhs, digits);
    sides_row(t, sens_form_name(SENS_TRANSITION), v + 4, v + 5, quad,
              cc.rhs_routes, cc.rhs_vs_lhs, digits);
    table_note(t, "P3: theta = %.*Rg, z(0) = 1, T = %.*Rg; z = e^(theta t), "
               "dz/dtheta = t e^(theta t), df/dtheta = z, Phi(T,t) = "
               "e^(theta (T-t))", digits, th, digits, T);
    table_note(t, "essay's integrand: t e^(2 theta t); closed form (e^(2 theta "
               "T)(2 theta T - 1) + 1) / (4 theta^2)");
    table_note(t, "S = t e^(theta t) satisfies the sensitivity equation S' = "
               "theta S + z to %ld digits (exact derivative, t = 0, T/4, ..., "
               "T)", ce.resid_digits);
    mpblock_free(v);
    return 0;
}

/* Table 1: the sensitivity equation on P3 by rk4 against T e^(theta T). */
static int table_p3_rk(table_t t, e4_evidence *ev, const problem_t p,
                       const tableau_t tab, int digits, averr_t err)
{
    static const char *const head[] = {"steps N", "S(T) by rk4", "error",
                                       "order"};
    mpfr_ptr v = mpblock_alloc(5 + P3_NSTEPS, p->prec, err);
    if (v == NULL)
        return AV_ESYS;
    mpfr_ptr zT = v, S = v + 1, lhs = v + 2, r = v + 3, e = v + 5;
    sens_scalar_lhs(lhs, p->theta, p->T);
    table_init(t, "Sensitivity equation S' = theta S + z, S(0) = 0, on P3 by "
                  "rk4, against dz(T)/dtheta = T e^(theta T)", 4, head);
    table_set_command(t, "adjverify tables", (long)p->prec);
    int rc = 0;
    for (int j = 0; j < P3_NSTEPS && rc == 0; j++) {
        if ((rc = sens_solve(zT, S, p, tab, p3_steps[j], err)) != 0)
            break;
        mpfr_sub(e + j, S, lhs, MPFR_RNDN);
        mpfr_abs(e + j, e + j, MPFR_RNDN);
        table_row(t);
        table_cell(t, "%ld", p3_steps[j]);
        table_cell(t, "%.*Re", digits - 1, S);
        table_cell(t, "%.3Re", e + j);
        if (j == 0) {
            table_cell(t, "-");
            continue;
        }
        mpfr_div(r, e + j - 1, e + j, MPFR_RNDN);
        mpfr_log2(r, r, MPFR_RNDN);
        table_cell(t, "%.4Rf", r);
        ev->p3_order = mpfr_get_d(r, MPFR_RNDN);
    }
    if (rc != 0)
        table_clear(t);
    mpblock_free(v);
    return rc;
}

/* Table 2: the d x ntheta sensitivity of P1, sens_solve vs central
 * differences of the same discrete map. */
static int table_p1(table_t t, e4_evidence *ev, const problem_t p,
                    const tableau_t tab, int digits, averr_t err)
{
    static const char *const head[] = {"theta", "dz1(T)/dtheta",
                                       "dz2(T)/dtheta", "digits vs central "
                                       "differences"};
    size_t d = (size_t)p->d, nt = (size_t)p->ntheta;
    if (d != 2)
        return averr_set(err, AV_EINPUT, "sens: the P1 table expects d = 2");
    mpfr_ptr v = mpblock_alloc(d + 2 * d * nt, p->prec, err);
    if (v == NULL)
        return AV_ESYS;
    mpfr_ptr zT = v, S = v + d, F = S + d * nt;
    int rc = sens_solve(zT, S, p, tab, P1_STEPS, err);
    if (rc == 0)
        rc = sens_fd(F, p, tab, P1_STEPS, err);
    long chain = rc == 0 ? sens_check_chain(p, tab, P1_STEPS, err) : 0;
    rc = chain < 0 ? (int)chain : rc;
    if (rc != 0) {
        mpblock_free(v);
        return rc;
    }
    long cap = mpnum_max_digits(p->prec);
    table_init(t, "Sensitivity equation on P1 (mlp): dz(T)/dtheta by rk4 on "
                  "the augmented system vs central differences of rk4", 4, head);
    table_set_command(t, "adjverify tables", (long)p->prec);
    ev->p1_digits = cap;
    for (size_t j = 0; j < nt; j++) {
        char name[64];
        problem_theta_name(name, sizeof name, (int)j, p);
        long dg = cap;
        for (size_t i = 0; i < d; i++) {
            long di = mpnum_digits(S + i * nt + j, F + i * nt + j, cap);
            dg = di < dg ? di : dg;
        }
        ev->p1_digits = dg < ev->p1_digits ? dg : ev->p1_digits;
        table_row(t);
        table_cell(t, "%s", name);
        table_cell(t, "%.*Re", digits - 1, S + j);
        table_cell(t, "%.*Re", digits - 1, S + nt + j);
        table_cell(t, "%ld", dg);
    }
    ev->p1_d = p->d;
    ev->p1_ntheta = p->ntheta;
    ev->chain_digits = chain;
    table_note(t, "rk4, N = %d; central differences at doubled precision of "
               "the same discrete map (the sensitivity of an RK solve is the "
               "derivative of its map)", P1_STEPS);
    table_note(t, "dz/dtheta and df/dtheta are both %d x %d: the essay's "
               "product (dz/dtheta)(df/dtheta) is undefined", p->d, p->ntheta);
    table_note(t, "chain rule: dL/dz(T) dz(T)/dtheta agrees with the central-"
               "difference gradient of L to %ld digits", chain);
    mpblock_free(v);
    return 0;
}

int essay_flow_table_sens(table_t *out, int *nout, e4_evidence *ev,
                          mpfr_prec_t prec, int digits, averr_t err)
{
    e4_evidence local;
    if (ev == NULL)
        ev = &local;
    ev->required = essay_flow_required_digits(prec);
    *nout = 0;
    problem_t p3, p1;
    tableau_t tab;
    int rc = tableau_init_builtin(tab, "rk4", prec, err);
    if (rc != 0)
        return rc;
    if ((rc = problem_init_lookup(p3, "scalar", prec, err)) == 0) {
        if ((rc = table_p3_sides(out[0], ev, p3, digits, err)) == 0)
            *nout = 1;
        if (rc == 0 && (rc = table_p3_rk(out[1], ev, p3, tab, digits, err)) == 0)
            *nout = 2;
        problem_clear(p3);
    }
    if (rc == 0 && (rc = problem_init_lookup(p1, "mlp", prec, err)) == 0) {
        if ((rc = table_p1(out[2], ev, p1, tab, digits, err)) == 0)
            *nout = 3;
        problem_clear(p1);
    }
    if (rc != 0) {
        for (int i = 0; i < *nout; i++)
            table_clear(out[i]);
        *nout = 0;
    }
    tableau_clear(tab);
    return rc;
}

static int make_sensitivity(table_t *out, int *n, const claim_opts *o,
                            averr_t err)
{
    return essay_flow_table_sens(out, n, NULL, o->prec, o->digits, err);
}

const tablegen_def tablegen_sensitivity_formula = {
    .base = "sensitivity_formula",
    .summary = "E4: the essay's section 2.3 formula on P3 and P1",
    .make = make_sensitivity,
};
