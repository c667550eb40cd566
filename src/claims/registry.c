/* registry: the list of every claim and every generated table, in ledger
 * order.  A new claim is defined beside its check (claims_<source>.c) and
 * added here, once. */
#include <string.h>
#include "claim.h"
#include "tablegen.h"

/* Claims, grouped by source text (000 essay, 001 notes, 002 Hu, 003
 * transcript). */
extern const claim_def claim_E1;
extern const claim_def claim_E2;
extern const claim_def claim_E3;
extern const claim_def claim_E4;
extern const claim_def claim_E5;
extern const claim_def claim_E6;
extern const claim_def claim_E7;
extern const claim_def claim_E8;
extern const claim_def claim_N1;
extern const claim_def claim_N2;
extern const claim_def claim_N3;
extern const claim_def claim_N4;
extern const claim_def claim_N5;
extern const claim_def claim_N6;
extern const claim_def claim_N7;
extern const claim_def claim_N8;
extern const claim_def claim_H1;
extern const claim_def claim_H2;
extern const claim_def claim_H3;
extern const claim_def claim_T1;
extern const claim_def claim_T2;
extern const claim_def claim_T3;

static const claim_def *const claims[] = {
    &claim_E1,
    &claim_E2,
    &claim_E3,
    &claim_E4,
    &claim_E5,
    &claim_E6,
    &claim_E7,
    &claim_E8,
    &claim_N1,
    &claim_N2,
    &claim_N3,
    &claim_N4,
    &claim_N5,
    &claim_N6,
    &claim_N7,
    &claim_N8,
    &claim_H1,
    &claim_H2,
    &claim_H3,
    &claim_T1,
    &claim_T2,
    &claim_T3,
};

/* Tables written to tables/ besides the ledger. */
extern const tablegen_def tablegen_orders;
extern const tablegen_def tablegen_adjoint_vs_bp;
extern const tablegen_def tablegen_backsolve_digits;
extern const tablegen_def tablegen_reference_accuracy;
extern const tablegen_def tablegen_gradient_flow;
extern const tablegen_def tablegen_gradient_descent_vs_flow;
extern const tablegen_def tablegen_sensitivity_formula;
extern const tablegen_def tablegen_storage;
extern const tablegen_def tablegen_partner_tableaux;
extern const tablegen_def tablegen_partner_vs_bp_precision;
extern const tablegen_def tablegen_exact_rational_equality;
extern const tablegen_def tablegen_lagrangian_steps;
extern const tablegen_def tablegen_newton_vs_gradient;
extern const tablegen_def tablegen_lagrangian_reduction;

static const tablegen_def *const tablegens[] = {
    &tablegen_orders,
    &tablegen_adjoint_vs_bp,
    &tablegen_backsolve_digits,
    &tablegen_reference_accuracy,
    &tablegen_gradient_flow,
    &tablegen_gradient_descent_vs_flow,
    &tablegen_sensitivity_formula,
    &tablegen_storage,
    &tablegen_partner_tableaux,
    &tablegen_partner_vs_bp_precision,
    &tablegen_exact_rational_equality,
    &tablegen_lagrangian_steps,
    &tablegen_newton_vs_gradient,
    &tablegen_lagrangian_reduction,
};

const claim_def *const *claim_registry(int *n)
{
    *n = (int)(sizeof claims / sizeof claims[0]);
    return claims;
}

const claim_def *claim_find(const char *id)
{
    for (size_t i = 0; i < sizeof claims / sizeof claims[0]; i++)
        if (strcmp(claims[i]->id, id) == 0)
            return claims[i];
    return NULL;
}

const tablegen_def *const *tablegen_registry(int *n)
{
    *n = (int)(sizeof tablegens / sizeof tablegens[0]);
    return tablegens;
}

const tablegen_def *tablegen_find(const char *base)
{
    for (size_t i = 0; i < sizeof tablegens / sizeof tablegens[0]; i++)
        if (strcmp(tablegens[i]->base, base) == 0)
            return tablegens[i];
    return NULL;
}
