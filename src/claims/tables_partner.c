/* tables_partner: the partner tableau of every built-in, and the precision
 * sweep behind H3 on P1: |partner - bp| must fall with the working
 * precision (the two differ by rounding only), while |same - bp| (the
 * adjoint with the forward tableau itself) stays at its O(h^p) size unless
 * the scheme is its own partner.
 * References: Hager (2000); Sanz-Serna (2016), SIAM Review 58(1).
 */
#include <math.h>
#include <stdio.h>
#include "claims_hu.h"
#include "tablegen.h"
#include "../numbers/mpvec.h"
#include "../schemes/partner.h"
#include "../gradients/partner.h"

#define SWEEP_N 8
#define SWEEP_NPREC 5
static const long sweep_prec[SWEEP_NPREC] = {64, 128, 256, 512, 1024};

int h3_measure(mpfr_ptr out, const problem_t p, const tableau_t tab, long N,
               averr_t err)
{
    partner_t pt;
    traj_t tr;
    grad_result_t g[3];   /* bp, partner, same */
    int st = partner_init(pt, tab, err), ng = 0;
    if (st == 0 && (st = partner_require(pt, tab, err)) == 0 &&
        (st = bp_record(tr, p, tab, N, err)) == 0) {
        while (ng < 3 && (st = grad_result_init(g[ng], p, err)) == 0)
            ng++;
        mpfr_clear_flags();
        if (st == 0 && (st = bp_reverse(g[0], tr, p, tab, err)) == 0 &&
            (st = partner_reverse(g[1], tr, p, tab, pt->bar->A, err)) == 0 &&
            (st = partner_reverse(g[2], tr, p, tab, tab->A, err)) == 0 &&
            (st = rk_check_flags("partner sweep", err)) == 0) {
            size_t n = (size_t)(p->ntheta + p->d);   /* dtheta then dz0 */
            mpvec_dist_max(out, g[1]->dtheta, g[0]->dtheta, n, g[1]->L);
            mpvec_dist_max(out + 1, g[2]->dtheta, g[0]->dtheta, n, g[2]->L);
            mpvec_norm_max(out + 2, g[0]->dtheta, n);
        }
        while (ng-- > 0)
            grad_result_clear(g[ng]);
        traj_clear(tr);
    }
    if (pt->block != NULL)
        partner_clear(pt);
    return st;
}

/* The smallest log2(d_k / d_{k+1}) over the doublings where both are
 * nonzero (a difference can round to exactly 0 at one precision and not at
 * the next); +inf when there is no such pair. */
static double min_fall(mpfr_srcptr d, int n, mpfr_ptr tmp)
{
    double m = INFINITY;
    for (int k = 0; k + 1 < n; k++) {
        if (mpfr_zero_p(d + k + 1) || mpfr_zero_p(d + k))
            continue;
        mpfr_div(tmp, d + k, d + k + 1, MPFR_RNDN);
        mpfr_log2(tmp, tmp, MPFR_RNDN);
        double f = mpfr_get_d(tmp, MPFR_RNDN);
        m = f < m ? f : m;
    }
    return m;
}

/* The largest log2(d_k 2^prec_k / gmax): a difference in units of the last
 * place of the working precision, relative to the gradient's size GMAX;
 * -inf when every difference is 0. */
static double max_ulp_bits(mpfr_srcptr d, mpfr_srcptr gmax, mpfr_ptr tmp)
{
    double m = -INFINITY;
    for (int k = 0; k < SWEEP_NPREC; k++) {
        if (mpfr_zero_p(d + k))
            continue;
        mpfr_div(tmp, d + k, gmax, MPFR_RNDN);
        mpfr_mul_2si(tmp, tmp, sweep_prec[k], MPFR_RNDN);
        mpfr_log2(tmp, tmp, MPFR_RNDN);
        double u = mpfr_get_d(tmp, MPFR_RNDN);
        m = u > m ? u : m;
    }
    return m;
}

/* D (2 x SWEEP_NPREC, partner row then same row) for SCHEME on P1;
 * E (3) = |same - bp| at N and 2N steps, 256 bits, and max |bp|. */
static int sweep_scheme(mpfr_ptr D, mpfr_ptr E, const char *scheme, averr_t err)
{
    int st = 0;
    for (int k = 0; k <= SWEEP_NPREC && st == 0; k++) {
        mpfr_prec_t prec = k < SWEEP_NPREC ? sweep_prec[k] : 256;
        long n = k < SWEEP_NPREC ? SWEEP_N : 2 * SWEEP_N;
        problem_t p;
        tableau_t tab;
        if ((st = problem_init_lookup(p, "mlp", prec, err)) != 0)
            break;
        mpfr_ptr v = NULL;
        if ((st = tableau_init_builtin(tab, scheme, prec, err)) == 0) {
            if ((v = mpblock_alloc(3, prec, err)) == NULL)
                st = AV_ESYS;
            else if ((st = h3_measure(v, p, tab, n, err)) == 0 && k < SWEEP_NPREC) {
                mpfr_set(D + k, v, MPFR_RNDN);
                mpfr_set(D + SWEEP_NPREC + k, v + 1, MPFR_RNDN);
            } else if (st == 0) {
                mpfr_set(E, D + SWEEP_NPREC + 2, MPFR_RNDN);   /* N at 256 bits */
                mpfr_set(E + 1, v + 1, MPFR_RNDN);
                mpfr_set(E + 2, v + 2, MPFR_RNDN);
            }
            mpblock_free(v);
            tableau_clear(tab);
        }
        problem_clear(p);
    }
    return st;
}

/* A scheme with some b_i = 0 must be refused by --method partner. */
static int refuses_partner(const char *scheme, averr_t err)
{
    problem_t p;
    tableau_t tab;
    grad_result_t g;
    int refused = 0;
    if (problem_init_lookup(p, "mlp", 64, err) != 0)
        return 0;
    if (tableau_init_builtin(tab, scheme, 64, err) == 0) {
        if (grad_result_init(g, p, err) == 0) {
            refused = grad_compute(g, p, tab, 1, GRAD_PARTNER, NULL, err) == AV_EINPUT;
            grad_result_clear(g);
        }
        tableau_clear(tab);
    }
    problem_clear(p);
    return refused;
}

static void sweep_init(table_t *t)
{
    static const char *const h0[] = {"scheme", "M = 0", "64 bits", "128 bits", "256 bits",
                                     "512 bits", "1024 bits", "min fall per doubling (bits)",
                                     "max size in ulps (log2)"};
    static const char *const h1[] = {"scheme", "M = 0", "64 bits", "128 bits", "256 bits",
                                     "512 bits", "1024 bits", "max size in ulps (log2)",
                                     "N = 16 (256 bits)", "order in h"};
    char title[200];
    snprintf(title, sizeof title, "H3: max |partner - bp| over dL/dtheta and dL/dz0, "
             "P1 mlp, N = %d: rounding only", SWEEP_N);
    table_init(t[0], title, 9, h0);
    snprintf(title, sizeof title, "H3: max |same - bp| (adjoint with the forward tableau "
             "itself on the stored stages), P1 mlp, N = %d", SWEEP_N);
    table_init(t[1], title, 10, h1);
    for (int k = 0; k < 2; k++)
        table_set_command(t[k], "adjverify tables", 1024);
}

/* One scheme's two rows, and its share of the evidence. */
static void sweep_rows(table_t *t, h3_evidence *ev, const char *scheme, int own,
                       mpfr_srcptr D, mpfr_srcptr E, mpfr_ptr tmp)
{
    double fall = min_fall(D, SWEEP_NPREC, tmp), ulp[2];
    for (int r = 0; r < 2; r++) {
        ulp[r] = max_ulp_bits(D + r * SWEEP_NPREC, E + 2, tmp);
        table_row(t[r]);
        table_cell(t[r], "%s", scheme);
        table_cell(t[r], "%s", own ? "yes" : "no");
        for (int k = 0; k < SWEEP_NPREC; k++)
            table_cell(t[r], "%.3Re", D + r * SWEEP_NPREC + k);
        if (r == 0 && isinf(fall))
            table_cell(t[r], "-");
        else if (r == 0)
            table_cell(t[r], "%.1f", fall);
        if (isinf(ulp[r]))
            table_cell(t[r], "-inf (all 0)");
        else   /* + 0.0 turns a rounded -0.0 into 0.0 */
            table_cell(t[r], "%.1f", round(ulp[r] * 10) / 10 + 0.0);
    }
    table_cell(t[1], "%.3Re", E + 1);
    /* the order only means something when the difference is truncation */
    if (own || mpfr_zero_p(E + 1)) {
        table_cell(t[1], "-");
    } else {
        mpfr_div(tmp, E, E + 1, MPFR_RNDN);
        mpfr_log2(tmp, tmp, MPFR_RNDN);
        table_cell(t[1], "%.2f", mpfr_get_d(tmp, MPFR_RNDN));
    }
    if (ev == NULL)
        return;
    ev->sweep_total++;
    ev->sweep_fall += ulp[0] <= H3_ULP_BITS;
    if (own) {
        ev->own_total++;
        ev->own_equal += ulp[1] <= H3_ULP_BITS;
    } else {
        ev->nonsym_total++;
        ev->nonsym_differ += ulp[1] > H3_ULP_BITS;
    }
}

int h3_sweep_tables(table_t *t, h3_evidence *ev, averr_t err)
{
    /* D: 2 x 5 differences, E: 3, tmp: 1, all at 1024 bits */
    mpfr_ptr v = mpblock_alloc(2 * SWEEP_NPREC + 4, 1024, err);
    if (v == NULL)
        return AV_ESYS;
    mpfr_ptr D = v, E = D + 2 * SWEEP_NPREC, tmp = E + 3;
    sweep_init(t);
    int st = 0;
    for (const char *const *s = tableau_builtin_names; *s != NULL && st == 0; s++) {
        tableau_t tab;
        partner_t pt;
        if ((st = tableau_init_builtin(tab, *s, 64, err)) != 0)
            break;
        if ((st = partner_init(pt, tab, err)) == 0) {
            int has = pt->has_partner, own = pt->own;
            partner_clear(pt);
            if (has) {
                st = sweep_scheme(D, E, *s, err);
                if (st == 0)
                    sweep_rows(t, ev, *s, own, D, E, tmp);
            } else {
                int refused = refuses_partner(*s, err);
                if (ev != NULL)
                    ev->no_partner += refused;
                table_note(t[0], "%s: no partner (some b_i = 0); --method partner %s", *s,
                           refused ? "refuses it (input error naming the scheme)"
                                   : "did NOT refuse it");
            }
        }
        tableau_clear(tab);
    }
    table_note(t[0], "each difference is the max over the 17 + 2 gradient values, both "
                     "from one recorded forward solve at that precision; size in ulps = "
                     "log2(difference * 2^prec / max |bp|), the largest over the five "
                     "precisions: rounding only when at most %d (a difference can round "
                     "to exactly 0 at one precision and not at the next, so the fall is "
                     "taken over nonzero pairs)", H3_ULP_BITS);
    table_note(t[1], "schemes that are not their own partner keep a difference of "
                     "truncation size at every precision (order in h = log2 of the "
                     "difference at N = %d over N = %d, at 256 bits); for their own "
                     "partners it falls with the precision like the row above",
               SWEEP_N, 2 * SWEEP_N);
    if (st != 0) {
        table_clear(t[0]);
        table_clear(t[1]);
    }
    mpblock_free(v);
    return st;
}

static int make_precision(table_t *out, int *n, const claim_opts *o, averr_t err)
{
    (void)o;
    int st = h3_sweep_tables(out, NULL, err);
    *n = st == 0 ? 2 : 0;
    return st;
}

const tablegen_def tablegen_partner_vs_bp_precision = {
    .base = "partner_vs_bp_precision",
    .summary = "|partner - bp| and |same - bp| on P1 at 64 to 1024 bits",
    .make = make_precision,
};

/* Appends the rows of the partner's Abar in the file format ("a b; c d"). */
static void abar_text(char *buf, size_t size, const partner_t pt)
{
    const tableau_struct *b = pt->bar;
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < b->s && len < size; i++)
        for (int j = 0; j < b->s && len < size; j++) {
            const char *sep = j > 0 ? " " : i > 0 ? "; " : "";
            int w = pt->exact
                        ? gmp_snprintf(buf + len, size - len, "%s%Qd", sep,
                                       b->Aq[i * b->s + j])
                        : mpfr_snprintf(buf + len, size - len, "%s%.6Re", sep,
                                        b->A + i * b->s + j);
            len += w > 0 ? (size_t)w : 0;
        }
}

static void tableau_row(table_t t, const tableau_t tab, const partner_t pt)
{
    char buf[1024];
    table_row(t);
    table_cell(t, "%s", tab->name);
    table_cell(t, "%d", tab->s);
    table_cell(t, "%s", tab->explicit_ ? "yes" : "no");
    table_cell(t, "%s", pt->has_partner ? "yes" : "no");
    table_cell(t, "%s", pt->own ? "yes" : "no");
    if (pt->exact) {
        mpq_t m;
        mpq_init(m);
        mpq_abs(m, pt->Mq[pt->Mmax_i * tab->s + pt->Mmax_j]);
        table_cell(t, "%Qd", m);
        mpq_clear(m);
    } else {
        table_cell(t, "%.3Re", pt->Mmax);
    }
    if (!pt->has_partner) {
        table_cell(t, "none (b_%d = 0)", pt->zero_b + 1);
        table_cell(t, "-");
        table_cell(t, "-");
        return;
    }
    abar_text(buf, sizeof buf, pt);
    table_cell(t, "%s", buf);
    int same_c = 1;
    for (int i = 0; i < tab->s; i++)
        same_c &= mpfr_equal_p(pt->bar->c + i, tab->c + i);
    table_cell(t, "%s", same_c ? "yes" : "no");
    table_cell(t, "%d", pt->bar->order);
}

int h3_tableaux_table(table_t t, mpfr_prec_t prec, averr_t err)
{
    static const char *const head[] = {"scheme", "stages", "explicit", "all b_i != 0",
                                       "own partner (M = 0)", "max |M_ij|",
                                       "partner Abar (rows)", "cbar = c",
                                       "partner's own order"};
    table_init(t, "partner tableaux abar_ij = b_j - b_j a_ji / b_i of the built-ins "
                  "(exact rationals; gauss2 in MPFR)", 9, head);
    table_set_command(t, "adjverify tables", (long)prec);
    int st = 0;
    for (const char *const *s = tableau_builtin_names; *s != NULL && st == 0; s++) {
        tableau_t tab;
        partner_t pt;
        if ((st = tableau_init_builtin(tab, *s, prec, err)) != 0)
            break;
        if ((st = partner_init(pt, tab, err)) == 0) {
            tableau_row(t, tab, pt);
            partner_clear(pt);
        }
        tableau_clear(tab);
    }
    table_note(t, "M_ij = b_i a_ij + b_j a_ji - b_i b_j; M = 0 exactly (gauss2: to "
                  "within 2^(8 - %ld)) makes the scheme its own partner (symplectic); "
                  "'adjverify partner --scheme NAME' prints one in full", (long)prec);
    table_note(t, "partner's own order: the order conditions up to 4 of (Abar, b, cbar) "
                  "taken alone as a Runge-Kutta method");
    if (st != 0)
        table_clear(t);
    return st;
}

static int make_tableaux(table_t *out, int *n, const claim_opts *o, averr_t err)
{
    int st = h3_tableaux_table(out[0], o->prec, err);
    *n = st == 0 ? 1 : 0;
    return st;
}

const tablegen_def tablegen_partner_tableaux = {
    .base = "partner_tableaux",
    .summary = "the partner tableau and M of every built-in scheme",
    .make = make_tableaux,
};
