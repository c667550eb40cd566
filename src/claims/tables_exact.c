/* tables_exact: H3 in exact rationals.  On P5 lotka (rk4) and P2 linear
 * (implicit-midpoint, trapezoid) with N = 1, 2, 3 every stage is rational,
 * so backprop and the partner adjoint can be compared as rationals: their
 * difference must be exactly 0, while the adjoint with the forward tableau
 * itself (same), backsolve and interp give other rationals unless the
 * scheme is its own partner.  The sizes show why this stops after a few
 * steps.
 */
#include <stdio.h>
#include "claims_hu.h"
#include "tablegen.h"
#include "../gradients/exact.h"
#include "../schemes/partner.h"

typedef struct {
    const char *problem, *scheme;
} exact_case;

static const exact_case cases[] = {
    {"lotka", "rk4"}, {"linear", "implicit-midpoint"}, {"linear", "trapezoid"},
};
#define EXACT_TABLE_MAXN 3

/* One row: a method's sizes and its exact difference from bp. */
static void method_row(table_t t, const exact_case *c, long N, exact_method m,
                       const exact_result_t r, const exact_result_t bp, int *same_as_bp)
{
    size_t num, den;
    mpq_t diff;
    mpq_init(diff);
    int eq = exact_result_diff(diff, r, bp);
    exact_result_size(&num, &den, r);
    table_row(t);
    table_cell(t, "%s", c->problem);
    table_cell(t, "%s", c->scheme);
    table_cell(t, "%ld", N);
    table_cell(t, "%s", exact_method_name(m));
    table_cell(t, "%zu", num);
    table_cell(t, "%zu", den);
    if (eq) {
        table_cell(t, "0 (exact)");
    } else {
        mpfr_t x;
        mpfr_init2(x, 64);
        mpfr_set_q(x, diff, MPFR_RNDN);
        table_cell(t, "%.3Re", x);
        mpfr_clear(x);
    }
    table_cell(t, "%s", eq ? "yes" : "no");
    *same_as_bp = eq;
    mpq_clear(diff);
}

static void refused_row(table_t t, const exact_case *c, long N, exact_method m,
                        const char *why)
{
    table_row(t);
    table_cell(t, "%s", c->problem);
    table_cell(t, "%s", c->scheme);
    table_cell(t, "%ld", N);
    table_cell(t, "%s", exact_method_name(m));
    table_cell(t, "-");
    table_cell(t, "-");
    table_cell(t, "refused (see the note)");
    table_cell(t, "-");
    table_note(t, "%s %s N = %ld, %s refused: %s", c->problem, c->scheme, N,
               exact_method_name(m), why);
}

/* Every method of one case and N, against bp. */
static int exact_run(table_t t, h3_evidence *ev, const exact_case *c, long N,
                     const problem_t p, const tableau_t tab, int own, averr_t err)
{
    exact_result_t bp, r;
    int st = exact_result_init(bp, p, err);
    if (st != 0)
        return st;
    if ((st = exact_result_init(r, p, err)) != 0) {
        exact_result_clear(bp);
        return st;
    }
    if ((st = exact_gradient(bp, p, tab, N, EXACT_BP, err)) == 0) {
        int eq = 1;
        method_row(t, c, N, EXACT_BP, bp, bp, &eq);
        for (int m = EXACT_PARTNER; m < EXACT_NMETHODS && st == 0; m++) {
            averr_t e2;
            averr_clear(e2);
            int sm = exact_gradient(r, p, tab, N, (exact_method)m, e2);
            if (sm == AV_EINPUT && m >= EXACT_BACKSOLVE) {
                refused_row(t, c, N, (exact_method)m, e2->msg);
                continue;
            }
            if (sm != 0) {
                st = averr_set(err, sm, "%s", e2->msg);
                break;
            }
            method_row(t, c, N, (exact_method)m, r, bp, &eq);
            if (ev != NULL && m == EXACT_PARTNER) {
                ev->exact_total++;
                ev->exact_equal += eq;
            } else if (ev != NULL && m == EXACT_SAME) {
                ev->own_total += own;
                ev->own_equal += own && eq;
                ev->nonsym_total += !own;
                ev->nonsym_differ += !own && !eq;
            }
        }
    }
    exact_result_clear(r);
    exact_result_clear(bp);
    return st;
}

static int exact_case_rows(table_t t, h3_evidence *ev, const exact_case *c, averr_t err)
{
    problem_t p;
    tableau_t tab;
    partner_t pt;
    int st = problem_init_lookup(p, c->problem, 64, err);
    if (st != 0)
        return st;
    if ((st = tableau_init_lookup(tab, c->scheme, 64, err)) == 0) {
        if ((st = partner_init(pt, tab, err)) == 0) {
            int own = pt->own;
            partner_clear(pt);
            for (long N = 1; N <= EXACT_TABLE_MAXN && st == 0; N++)
                st = exact_run(t, ev, c, N, p, tab, own, err);
        }
        tableau_clear(tab);
    }
    problem_clear(p);
    return st;
}

int h3_exact_table(table_t t, h3_evidence *ev, averr_t err)
{
    static const char *const head[] = {"problem", "scheme", "N", "method",
                                       "digits (numerator)", "digits (denominator)",
                                       "max |method - bp| over dL/dtheta, dL/dz0",
                                       "identical to bp"};
    table_init(t, "H3 in exact rationals: backprop against the partner adjoint and the "
                  "same-scheme adjoints (GMP, no rounding anywhere)", 8, head);
    table_set_command(t, "adjverify tables", 0);
    int st = 0;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0] && st == 0; k++)
        st = exact_case_rows(t, ev, cases + k, err);
    table_note(t, "digits: the largest numerator and denominator among the gradient "
                  "values; 'same' integrates the adjoint with the forward tableau itself "
                  "on the stored stages (abar = a); backsolve recomputes z backwards, "
                  "interp takes z from cubic Hermite interpolation of the stored grid");
    table_note(t, "a difference is printed rounded to 64 bits only for display; "
                  "'identical' compares the rationals");
    if (st != 0)
        table_clear(t);
    return st;
}

static int make_exact(table_t *out, int *n, const claim_opts *o, averr_t err)
{
    (void)o;
    int st = h3_exact_table(out[0], NULL, err);
    *n = st == 0 ? 1 : 0;
    return st;
}

const tablegen_def tablegen_exact_rational_equality = {
    .base = "exact_rational_equality",
    .summary = "bp and the partner adjoint as identical rationals on P5 and P2",
    .make = make_exact,
};
