/* cmd_partner: `adjverify partner --scheme NAME|FILE`: the tableau, its
 * partner abar_ij = b_j - b_j a_ji / b_i with the partner's own abscissae,
 * the matrix M_ij = b_i a_ij + b_j a_ji - b_i b_j and the verdict "its own
 * partner" or not; when some b_i = 0, the plain statement that no partner
 * exists and backprop's one-step map instead.  Exact fractions for
 * rational tableaux, decimals at --prec for gauss2. */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "../schemes/partner.h"

/* One coefficient: the exact fraction when there is one, else a decimal. */
static void coef_cell(table_t t, const mpq_t *q, mpfr_srcptr x, size_t k, int digits)
{
    if (q != NULL)
        table_cell(t, "%Qd", q[k]);
    else
        table_cell(t, "%.*Re", digits - 1, x + k);
}

/* The Butcher array of T as a table: rows i with c_i, a_i1..a_is, b_i. */
static void butcher_table(table_t out, const char *title, const tableau_t t,
                          const char *cname, const char *aname, int digits)
{
    int s = t->s;
    char head[TABLEAU_MAX_STAGES + 3][24];
    const char *hp[TABLEAU_MAX_STAGES + 3];
    snprintf(head[0], sizeof head[0], "i");
    snprintf(head[1], sizeof head[1], "%s_i", cname);
    for (int j = 0; j < s; j++)
        snprintf(head[2 + j], sizeof head[2 + j], "%s_i%d", aname, j + 1);
    snprintf(head[2 + s], sizeof head[2 + s], "b_i");
    for (int k = 0; k < s + 3; k++)
        hp[k] = head[k];
    table_init(out, title, s + 3, hp);
    for (int i = 0; i < s; i++) {
        table_row(out);
        table_cell(out, "%d", i + 1);
        coef_cell(out, t->exact ? (const mpq_t *)t->cq : NULL, t->c, (size_t)i, digits);
        for (int j = 0; j < s; j++)
            coef_cell(out, t->exact ? (const mpq_t *)t->Aq : NULL, t->A,
                      (size_t)(i * s + j), digits);
        coef_cell(out, t->exact ? (const mpq_t *)t->bq : NULL, t->b, (size_t)i, digits);
    }
}

static void m_table(table_t out, const partner_t pt, const tableau_t t, int digits)
{
    int s = t->s;
    char head[TABLEAU_MAX_STAGES + 1][24];
    const char *hp[TABLEAU_MAX_STAGES + 1];
    snprintf(head[0], sizeof head[0], "i");
    for (int j = 0; j < s; j++)
        snprintf(head[1 + j], sizeof head[1 + j], "M_i%d", j + 1);
    for (int k = 0; k < s + 1; k++)
        hp[k] = head[k];
    table_init(out, "M_ij = b_i a_ij + b_j a_ji - b_i b_j (zero exactly for a "
                    "symplectic method, its own partner)", s + 1, hp);
    for (int i = 0; i < s; i++) {
        table_row(out);
        table_cell(out, "%d", i + 1);
        for (int j = 0; j < s; j++)
            coef_cell(out, pt->exact ? (const mpq_t *)pt->Mq : NULL, pt->M,
                      (size_t)(i * s + j), digits);
    }
    if (pt->own && pt->exact)
        table_note(out, "verdict: %s is its own partner: M = 0 exactly, so backprop "
                        "equals the adjoint integrated with this same tableau on the "
                        "stored stages", t->name);
    else if (pt->own)
        table_note(out, "verdict: %s is its own partner up to rounding: max |M_ij| = "
                        "%.3Re <= 2^(8 - %ld) (its coefficients are irrational, held to "
                        "%ld bits); backprop equals the adjoint with this same tableau",
                   t->name, pt->Mmax, (long)t->prec, (long)t->prec);
    else if (pt->has_partner && pt->exact)
        table_note(out, "verdict: %s is not its own partner: M_%d%d = %Qd != 0; "
                        "backprop equals the adjoint integrated with the partner above, "
                        "not with %s itself", t->name, pt->Mmax_i + 1, pt->Mmax_j + 1,
                   pt->Mq[pt->Mmax_i * s + pt->Mmax_j], t->name);
    else if (pt->has_partner)
        table_note(out, "verdict: %s is not its own partner: max |M_ij| = %.6Re != 0; "
                        "backprop equals the adjoint integrated with the partner above, "
                        "not with %s itself", t->name, pt->Mmax, t->name);
}

/* Backprop's one-step map when no partner exists. */
static int no_partner_table(table_t out, const partner_t pt, const tableau_t t)
{
    static const char *const head[] = {"term", "coefficient", "product applied to "
                                       "lambda_{n+1}"};
    partner_term *terms = NULL;
    int n = 0;
    averr_t err;
    averr_clear(err);
    table_init(out, "no partner Runge-Kutta method: backprop's one-step map instead",
               3, head);
    table_note(out, "verdict: %s has b_%d = 0: the stage adjoint Lambda_%d = "
                    "Kbar_%d / (h b_%d) is undefined, so backprop is not an RK method "
                    "for the adjoint equation (no partner exists)", t->name,
               pt->zero_b + 1, pt->zero_b + 1, pt->zero_b + 1, pt->zero_b + 1);
    table_note(out, "backprop is still the linear recurrence Kbar_i = h b_i lambda_{n+1} + "
                    "h sum_j a_ji J_j^T Kbar_j, lambda_n = lambda_{n+1} + sum_i J_i^T "
                    "Kbar_i (J_i = df/dz at stage i)");
    if (partner_bp_terms(&terms, &n, t, err) != 0) {
        table_note(out, "(%s)", err->msg);
        return 0;
    }
    table_row(out);
    table_cell(out, "1");
    table_cell(out, "1");
    table_cell(out, "I");
    for (int k = 0; k < n; k++) {
        char prod[PARTNER_TERM_MAX_STAGES * 12 + 1] = "", *q = prod;
        for (int l = 0; l < terms[k].len; l++)
            q += snprintf(q, sizeof prod - (size_t)(q - prod), "%sJ_%d^T",
                          l > 0 ? " " : "", terms[k].idx[l] + 1);
        table_row(out);
        table_cell(out, "h^%d", terms[k].len);
        table_cell(out, "%Qd", terms[k].coef);
        table_cell(out, "%s", prod);
    }
    table_note(out, "lambda_n = (sum of the rows) lambda_{n+1}: the transpose of the "
                    "step's Jacobian dz_{n+1}/dz_n; the coefficient of h^k J_i1^T ... "
                    "J_ik^T is b_ik a_ik,i(k-1) ... a_i2,i1");
    partner_terms_free(terms, n);
    return 0;
}

int cmd_partner(int argc, char **argv, const cli_globals *g)
{
    cli_option o[] = {{"--scheme", 1, NULL}};
    averr_t err;
    averr_clear(err);
    if (cli_parse(argc, argv, o, 1, NULL, 0, NULL, err) != 0)
        return cli_fail(err);
    if (o[0].value == NULL) {
        averr_set(err, AV_EINPUT, "partner needs --scheme NAME|FILE");
        return cli_fail(err);
    }
    tableau_t t;
    partner_t pt;
    if (tableau_init_lookup(t, o[0].value, g->prec, err) != 0)
        return cli_fail(err);
    if (partner_init(pt, t, err) != 0) {
        tableau_clear(t);
        return cli_fail(err);
    }
    table_t tabs[3];
    char title[160];
    snprintf(title, sizeof title, "scheme %s: %d stage%s, order %d, %s, %s", t->name, t->s,
             t->s == 1 ? "" : "s", t->order, t->explicit_ ? "explicit" : "implicit",
             t->exact ? "exact rationals" : "irrational (decimals at --prec)");
    butcher_table(tabs[0], title, t, "c", "a", g->digits);
    if (pt->has_partner) {
        snprintf(title, sizeof title, "partner %s: abar_ij = b_j - b_j a_ji / b_i, "
                 "cbar_i = sum_j abar_ij", pt->bar->name);
        butcher_table(tabs[1], title, pt->bar, "cbar", "abar", g->digits);
        int same_c = 1;
        for (int i = 0; i < t->s; i++)
            same_c &= mpfr_equal_p(pt->bar->c + i, t->c + i);
        table_note(tabs[1], same_c ? "cbar = c" :
                   "cbar != c: the adjoint stages are still evaluated at the forward "
                   "stages Z_i, time t_n + c_i h; cbar are the partner's own abscissae");
    } else {
        no_partner_table(tabs[1], pt, t);
    }
    m_table(tabs[2], pt, t, g->digits);
    int st = report_write_stream(stdout, (const table_t *)tabs, 3, g->fmt, 0, err);
    for (int k = 0; k < 3; k++)
        table_clear(tabs[k]);
    partner_clear(pt);
    tableau_clear(t);
    return st != 0 ? cli_fail(err) : CLI_OK;
}
