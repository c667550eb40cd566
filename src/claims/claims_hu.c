/* claims_hu: H3 of Hu (2024, seed 002), "if and only if the discrete
 * adjoint has the same scheme as the discrete neural ODE does the adjoint
 * give the same result as backpropagation", read precisely for Runge-Kutta
 * methods: backprop equals the adjoint integrated with the partner scheme
 * abar_ij = b_j - b_j a_ji / b_i on the stored stages (Hager 2000;
 * Sanz-Serna 2016), which is the forward tableau itself exactly when
 * M_ij = b_i a_ij + b_j a_ji - b_i b_j = 0, and which does not exist when
 * some b_i = 0.  The evidence: exact-rational identities, a precision sweep,
 * and the same-tableau adjoint on schemes that are not their own partner.
 */
#include <stdio.h>
#include "claims_hu.h"

verdict_t h3_decide(const h3_evidence *e)
{
    if (e->exact_total + e->sweep_total == 0)
        return VERDICT_ERROR;
    if (e->exact_equal < e->exact_total || e->sweep_fall < e->sweep_total ||
        e->own_equal < e->own_total)
        return VERDICT_REFUTED;
    if (e->nonsym_differ == 0 && e->no_partner == 0)
        return VERDICT_VERIFIED;
    return VERDICT_QUALIFIED;
}

static void summary_row(table_t t, const char *what, int got, int total, const char *means)
{
    table_row(t);
    table_cell(t, "%s", what);
    table_cell(t, "%d of %d", got, total);
    table_cell(t, "%s", means);
}

static void summary_table(table_t t, const h3_evidence *e)
{
    static const char *const head[] = {"evidence", "count", "what it shows"};
    table_init(t, "H3: the evidence behind the verdict", 3, head);
    table_set_command(t, "adjverify verify --only H3", 1024);
    summary_row(t, "exact runs with bp - partner = 0 as rationals", e->exact_equal,
                e->exact_total, "backprop IS the partner-scheme adjoint (no rounding)");
    summary_row(t, "schemes whose |partner - bp| stays within 2^20 ulps, 64-1024 bits",
                e->sweep_fall, e->sweep_total, "the same at any precision: rounding only");
    summary_row(t, "own partners (M = 0) whose same-tableau adjoint equals bp",
                e->own_equal, e->own_total, "literal reading holds when M = 0");
    summary_row(t, "M != 0 cases whose same-tableau adjoint differs from bp",
                e->nonsym_differ, e->nonsym_total,
                "literal reading fails: the same tableau is not enough, and a different "
                "tableau (the partner) gives bp");
    summary_row(t, "schemes with some b_i = 0 refused by --method partner", e->no_partner,
                e->no_partner, "no RK adjoint scheme at all; backprop still exists");
}

static int check_h3(claim_result *r, const claim_opts *o, averr_t err)
{
    (void)o;
    h3_evidence e = {0};
    table_t sweep[2], exact;
    int st = h3_sweep_tables(sweep, &e, err);
    if (st != 0)
        return st;
    table_clear(sweep[0]);
    table_clear(sweep[1]);
    if ((st = h3_exact_table(exact, &e, err)) != 0)
        return st;
    table_clear(exact);
    summary_table(r->detail, &e);
    r->has_detail = 1;
    r->verdict = h3_decide(&e);
    claim_evidence(r, "bp = partner adjoint as identical rationals in %d/%d exact runs "
                   "and to rounding in %d/%d schemes (64-1024 bits); the same tableau "
                   "gives bp in %d/%d own-partner cases but not in %d/%d with M != 0; "
                   "%d scheme(s) with b_i = 0 have no partner",
                   e.exact_equal, e.exact_total, e.sweep_fall, e.sweep_total, e.own_equal,
                   e.own_total, e.nonsym_differ, e.nonsym_total, e.no_partner);
    return 0;
}

const claim_def claim_H3 = {
    .id = "H3",
    .source = "002",
    .statement = "If and only if the discrete adjoint has the same scheme as the "
                 "discrete neural ODE does the adjoint give the same result as "
                 "backpropagation.",
    .reading = "For an RK method (A, b) with every b_i != 0, backprop equals the adjoint "
               "equation integrated on the stored stages with the partner coefficients "
               "abar_ij = b_j - b_j a_ji / b_i (exactly in rationals, to rounding at any "
               "precision); 'same scheme' must mean this partner, which is the forward "
               "tableau itself only when M_ij = b_i a_ij + b_j a_ji - b_i b_j = 0 "
               "(symplectic: implicit-midpoint, gauss2); with some b_i = 0 "
               "(explicit midpoint) no RK adjoint scheme exists.  QUALIFIED when the "
               "partner identity holds everywhere but the literal same-tableau reading "
               "fails for M != 0 or b_i = 0.",
    .command = "adjverify verify --only H3",
    .file = "src/claims/claims_hu.c",
    .func = "check_h3",
    .check = check_h3,
};
