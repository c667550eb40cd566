/* tables_adjoint: adjoint_vs_bp (how far backsolve and interp sit from bp
 * and both from the reference, with orders) and reference_accuracy (the
 * reference integrator against closed forms and its second route).
 * backsolve_digits is in tables_backsolve.c.
 */
#include <math.h>
#include <stdio.h>
#include "tablegen.h"
#include "claims_refcache.h"
#include "../gradients/closed.h"
#include "../gradients/converge.h"
#include "../gradients/reference.h"
#include "../numbers/mpvec.h"

static void order_cell(table_t t, mpfr_srcptr prev, long nprev, mpfr_srcptr cur, long n,
                       const grad_result_t y, mpfr_prec_t prec)
{
    if (prev == NULL || conv_at_rounding(cur, y, prec) || conv_at_rounding(prev, y, prec))
        table_cell(t, "%s", conv_at_rounding(cur, y, prec) ? "(rounding)" : "-");
    else
        table_cell(t, "%.2f", conv_order(prev, nprev, cur, n));
}

static int make_vs_bp(table_t *out, int *n, const claim_opts *o, averr_t err)
{
    static const char *const schemes[] = {"euler", "heun", "rk4", "rk38", "gauss2"};
    static const char *const head[] = {"scheme", "N", "|bp - ref|", "order",
                                       "|backsolve - bp|", "order", "|interp - bp|", "order",
                                       "|backsolve - ref|", "|interp - ref|"};
    problem_t p;
    grad_result_t ref = {{0}}, bp = {{0}};
    if (problem_init_lookup(p, "mlp", o->prec, err) != 0)
        return err->code;
    mpfr_ptr dist = mpblock_alloc(2 * CONV_NDIST, o->prec, err);
    int st = dist == NULL ? AV_ESYS : grad_result_init(ref, p, err);
    if (st == 0 && (st = grad_result_init(bp, p, err)) == 0)
        st = refc_gradient(ref, NULL, NULL, o->ctx, "mlp", o->prec, REFC_SENS, err);
    table_t *t = out;
    table_init(t[0], "P1 (mlp): bp, backsolve and interp against each other and the "
               "reference", 10, head);
    table_set_command(t[0], "adjverify tables", (long)o->prec);
    for (int s = 0; s < 5 && st == 0; s++) {
        tableau_t tab;
        if ((st = tableau_init_builtin(tab, schemes[s], o->prec, err)) != 0)
            break;
        mpfr_ptr cur = dist, prev = dist + CONV_NDIST;
        for (long N = 4; N <= 64 && st == 0; N *= 2) {
            if ((st = conv_adjoint_vs_bp(cur, bp, p, tab, N, ref, err)) != 0)
                break;
            table_row(t[0]);
            table_cell(t[0], "%s", schemes[s]);
            table_cell(t[0], "%ld", N);
            static const int cols[] = {CONV_BP_REF, CONV_BS_BP, CONV_IP_BP};
            for (int c = 0; c < 3; c++) {
                const grad_result_struct *y = cols[c] == CONV_BP_REF ? ref : bp;
                table_cell(t[0], "%.3Re", cur + cols[c]);
                order_cell(t[0], N > 4 ? prev + cols[c] : NULL, N / 2, cur + cols[c], N,
                           (const grad_result_struct *)y, o->prec);
            }
            table_cell(t[0], "%.3Re", cur + CONV_BS_REF);
            table_cell(t[0], "%.3Re", cur + CONV_IP_REF);
            mpfr_ptr sw = cur;
            cur = prev;
            prev = sw;
        }
        tableau_clear(tab);
    }
    table_note(t[0], "distances: max norm over dL/dtheta (17) and dL/dz(0) (2); order: "
               "log2 of the ratio as N doubles; (rounding): below 2^(16 - prec) times the "
               "size of the yardstick, no order");
    table_note(t[0], "backsolve integrates [z, a, g] from z_N backwards with the same scheme "
               "and steps; interp integrates [a, g] backwards with z(t) from the cubic "
               "Hermite interpolant of the forward grid (src/gradients/adjoint.h)");
    grad_result_clear(bp);
    grad_result_clear(ref);
    mpblock_free(dist);
    problem_clear(p);
    if (st != 0) {
        table_clear(t[0]);
        return st;
    }
    *n = 1;
    return 0;
}

const tablegen_def tablegen_adjoint_vs_bp = {
    .base = "adjoint_vs_bp",
    .summary = "|bp - ref|, |backsolve - bp|, |interp - bp| and orders on P1",
    .make = make_vs_bp,
};

/* One row: route ROUTE of problem NAME at PREC against the yardstick Y. */
static void accuracy_row(table_t t, const char *name, const char *route, long prec,
                         const char *yard, const grad_result_t g, const grad_result_t y,
                         int d, int nth, mpfr_srcptr est)
{
    long cap = mpnum_max_digits(prec);
    long dl = mpnum_digits(g->L, y->L, cap), dz = mpvec_digits(g->zT, y->zT, (size_t)d, cap);
    long dt = mpvec_digits(g->dtheta, y->dtheta, (size_t)nth, cap);
    long d0 = mpvec_digits(g->dz0, y->dz0, (size_t)d, cap);
    table_row(t);
    table_cell(t, "%s", name);
    table_cell(t, "%s", route);
    table_cell(t, "%ld", prec);
    table_cell(t, "%s", yard);
    table_cell(t, "%ld", dl);
    table_cell(t, "%ld", dz);
    table_cell(t, "%ld", dt);
    table_cell(t, "%ld", d0);
    if (est != NULL)
        table_cell(t, "%.2Re", est);
    else
        table_cell(t, "%s", "-");
}

/* The rows of one problem at PREC: route 1 against the closed form or
 * against route 1 at PREC + 128 bits; with ROUTE2, route 2 against route 1. */
static int accuracy_problem(table_t t, const char *name, mpfr_prec_t prec, int route2,
                            claim_ctx *ctx, averr_t err)
{
    problem_t p, q;
    grad_result_t a = {{0}}, b = {{0}}, c = {{0}};
    if (problem_init_lookup(p, name, prec, err) != 0)
        return err->code;
    if (problem_init_copy(q, p, prec + 128, err) != 0) {
        problem_clear(p);
        return err->code;
    }
    mpfr_ptr est = mpblock_alloc(1, REFC_EST_PREC, err);
    int st = est == NULL ? AV_ESYS : grad_result_init(a, p, err);
    if (st == 0 && (st = grad_result_init(b, p, err)) == 0)
        st = grad_result_init(c, q, err);
    int closed = closed_available(p);
    if (st == 0)
        st = refc_gradient(a, NULL, est, ctx, name, prec, REFC_SENS, err);
    if (st == 0 && closed)
        st = closed_gradient(b, p, err);
    else if (st == 0 && (st = reference_gradient(c, q, err)) == 0)
        mpvec_set(b->block, c->block, (size_t)(1 + 2 * p->d + p->ntheta));
    if (st == 0) {
        char yard[64];
        if (closed)
            snprintf(yard, sizeof yard, "closed form");
        else
            snprintf(yard, sizeof yard, "route 1 at %ld bits", (long)prec + 128);
        accuracy_row(t, name, "1 (sensitivities)", (long)prec, yard, a, b, p->d, p->ntheta,
                     est);
        if (route2 && (st = refc_gradient(a, NULL, est, ctx, name, prec, REFC_ADJOINT,
                                          err)) == 0)
            accuracy_row(t, name, "2 (adjoint + quadrature)", (long)prec, yard, a, b,
                         p->d, p->ntheta, est);
    }
    grad_result_clear(c);
    grad_result_clear(b);
    grad_result_clear(a);
    mpblock_free(est);
    problem_clear(q);
    problem_clear(p);
    return st;
}

static int make_accuracy(table_t *out, int *n, const claim_opts *o, averr_t err)
{
    static const char *const head[] = {"problem", "route", "bits", "against", "L", "z(T)",
                                       "dL/dtheta", "dL/dz(0)", "estimate"};
    static const char *const names[] = {"mlp", "linear", "scalar", "lotka", "decay", "stiff"};
    table_init(out[0], "The reference gradient: correct digits (fewest over the components) "
               "against an independent yardstick", 9, head);
    table_set_command(out[0], "adjverify tables", (long)o->prec);
    int st = 0;
    for (int k = 0; k < 6 && st == 0; k++)
        st = accuracy_problem(out[0], names[k], o->prec, k < 4, o->ctx, err);
    if (st != 0) {
        table_clear(out[0]);
        return st;
    }
    table_note(out[0], "route 1: z, Phi = dz/dz0 and S = dz/dtheta by forward sensitivities; "
               "route 2: a(t) backwards and int a^T df/dtheta dt by Gauss-Legendre "
               "quadrature; both on Gragg-Bulirsch-Stoer extrapolation 64 bits above the "
               "result, local tolerance 2^-(bits + 24) (src/gradients/reference.h)");
    table_note(out[0], "closed forms: P2 expm(A t) = e^{-t/2} R(2t) and the Frechet integral, "
               "P3 T e^{theta T}, P6 by variation of constants (src/gradients/closed.h); "
               "the other problems against route 1 at 128 more bits");
    table_note(out[0], "estimate: sum of the local extrapolation estimates (times "
               "max(1, |dL/dz(T)|_1) for route 1); it bounds the error of the next-to-best "
               "level, so it overstates the error of the result");
    table_note(out[0], "digits equal to the bits' capacity mean equal after rounding; route 2 "
               "is shown where it costs under a second. P1 at 512 bits (route 1 against route "
               "1 at 640 bits, at least 100 digits required) is the test reference_p1_512 in "
               "tests/test_adjoint.c; `adjverify --prec 512 --digits 100 gradient --problem "
               "mlp --method reference` prints the values");
    *n = 1;
    return 0;
}

const tablegen_def tablegen_reference_accuracy = {
    .base = "reference_accuracy",
    .summary = "the reference gradient against closed forms and a second route",
    .make = make_accuracy,
};
