/* tables_essay_flow: the gradient_flow and gradient_descent_vs_flow tables
 * (essay section 2.5, claims E5 and E6): the flow of L = c theta^k solved
 * three ways, and gradient descent against it.
 */
#include <stdio.h>
#include <gmp.h>
#include "claims_essay_flow.h"
#include "tablegen.h"
#include "../numbers/mpvec.h"
#include "../numbers/qnum.h"

/* Times, step counts and flow time of problem P4, as written in the
 * problem list. */
static const char *const p4_times[ESSAY_FLOW_P4_NTIMES] = {
    "1/2", "1", "2", "5", "10"};
#define P4_NT ESSAY_FLOW_P4_NTIMES
static const long p4_ns[] = {20, 40, 80, 160, 320, 640};
#define P4_NNS 6
static const char *const p4_gd_time = "2";

/* Notes on what the essay's formula solves: A = -theta'/theta^(m+1)
 * measured at every time against the exact beta/m. */
static int note_essay_solves(table_t t, const gflow_form_t fe, const gflow_t g,
                             mpfr_srcptr ts, int n, averr_t err)
{
    mpq_t A, cq, eq, rq;
    mpfr_t a, aq;
    mpq_inits(A, cq, eq, rq, NULL);
    mpfr_inits2(g->prec, a, aq, NULL);
    /* exact: A = beta/m; the loss c' with theta' = -eta d(c' theta^(m+2)),
     * and the rate eta' with theta' = -eta' dL/dtheta for this L */
    mpq_set_ui(cq, (unsigned long)fe->m, 1);
    mpq_div(A, fe->beta, cq);
    mpq_set_ui(cq, (unsigned long)(fe->m + 2), 1);
    mpq_mul(cq, cq, g->eta);
    mpq_div(cq, A, cq);
    mpq_div(eq, A, g->ck);
    mpq_div(rq, eq, g->eta);
    mpfr_set_q(aq, A, MPFR_RNDN);
    long dmin = mpnum_max_digits(g->prec);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        rc = gflow_solved_coeff(a, fe, g, ts + i, err);
        long d = rc == 0 ? mpnum_digits(a, aq, dmin) : 0;
        dmin = d < dmin ? d : dmin;
    }
    if (rc == 0) {
        table_note(t, "the essay's formula solves theta' = -A theta^%d: A = "
                   "-theta'/theta^%d from its exact derivative equals %Qd to "
                   "%ld digits at every t, not the flow's %Qd", fe->m + 1,
                   fe->m + 1, A, dmin, g->a);
        table_note(t, "so it is the flow of L = %Qd theta^%d at rate eta, or "
                   "of this L at rate %Qd = %Qd eta", cq, fe->m + 2, eq, rq);
    }
    mpq_clears(A, cq, eq, rq, NULL);
    mpfr_clears(a, aq, NULL);
    return rc;
}

/* One form's cells at time T: value, digits vs REF, relative residual. */
static int form_cells(table_t t, const gflow_form_t f, const gflow_t g,
                      mpfr_srcptr tt, mpfr_srcptr ref, int digits,
                      mpfr_ptr th, mpfr_ptr rel, averr_t err)
{
    int rc = gflow_form_eval(th, NULL, f, g, tt, err);
    if (rc == 0)
        rc = gflow_residual(rel, rel, f, g, tt, err);
    if (rc != 0)
        return rc;
    table_cell(t, "%.*Re", digits - 1, th);
    table_cell(t, "%ld", mpnum_digits(th, ref, mpnum_max_digits(g->prec)));
    table_cell(t, "%.3Re", rel);
    return 0;
}

int essay_flow_table_flow(table_t t, const gflow_t g, mpfr_srcptr ts, int n,
                          int digits, averr_t err)
{
    static const char *const head[] = {
        "t", "theta numerical", "error estimate", "theta derived", "digits",
        "residual", "theta essay", "digits", "residual"};
    int essay = g->k == 4;
    char title[256], buf[160];
    gmp_snprintf(title, sizeof title, "Gradient flow d theta/dt = -eta "
                 "dL/dtheta, L = %Qd theta^%d, eta = %Qd, theta(0) = %Qd",
                 g->c, g->k, g->eta, g->theta0);
    table_init(t, title, essay ? 9 : 6, head);
    table_set_command(t, "adjverify gradflow", (long)g->prec);
    gflow_form_t fd, fe;
    gflow_form_init(fd);
    gflow_form_init(fe);
    gflow_form_derived(fd, g);
    gflow_form_essay(fe, g);
    mpfr_ptr v = mpblock_alloc(2 * (size_t)n + 2, g->prec, err);
    int rc = v == NULL ? AV_ESYS : 0;
    if (rc == 0)
        rc = gflow_reference(v + 2, v + 2 + n, g, ts, n, err);
    for (int i = 0; i < n && rc == 0; i++) {
        mpfr_ptr th = v, rel = v + 1, ref = v + 2 + i, est = v + 2 + n + i;
        table_row(t);
        table_cell(t, "%.*Rg", digits, ts + i);
        table_cell(t, "%.*Re", digits - 1, ref);
        table_cell(t, "%.2Re", est);
        rc = form_cells(t, fd, g, ts + i, ref, digits, th, rel, err);
        if (rc == 0 && essay)
            rc = form_cells(t, fe, g, ts + i, ref, digits, th, rel, err);
    }
    if (rc == 0) {
        int ord[2];
        mpfr_prec_t wp[2];
        gflow_reference_setup(ord, wp, g->prec);
        table_note(t, "numerical: Taylor series, %d and %d terms per step at "
                   "%ld and %ld bits; error estimate = |difference of the two|",
                   ord[0], ord[1], (long)wp[0], (long)wp[1]);
        gflow_form_describe(buf, sizeof buf, fd);
        table_note(t, "derived (separation of variables): theta = %s", buf);
        table_note(t, "residual = |theta' + eta dL/dtheta| / |eta dL/dtheta| "
                   "with theta' the exact derivative of the closed form; "
                   "digits = agreement with the numerical solution");
        if (essay) {
            gflow_form_describe(buf, sizeof buf, fe);
            table_note(t, "essay: theta = %s", buf);
            /* theta0 = 0 is the equilibrium of every flow: nothing to infer */
            if (mpq_sgn(g->theta0) != 0)
                rc = note_essay_solves(t, fe, g, ts, n, err);
        }
    }
    if (rc != 0)
        table_clear(t);
    mpblock_free(v);
    gflow_form_clear(fd);
    gflow_form_clear(fe);
    return rc;
}

/* The orbit rows around the threshold ALPHA_STAR: alpha = r alpha* for
 * r in RATIOS.  Updates the E5 flags. */
static const char *const gd_ratios[] = {"1/4", "1/2", "3/4", "1", "9/8", "5/4"};
#define GD_NR 6
static const long gd_snaps[] = {1, 2, 10, 50};
#define GD_NS 4

static int table_orbits(table_t t, e5_evidence *ev, const gflow_t g,
                        const mpq_t alpha_star, int digits, averr_t err)
{
    static const char *const head[] = {
        "alpha", "alpha/alpha*", "theta_1", "theta_2", "theta_10",
        "theta_50", "sign changes", "orbit"};
    char title[200];
    gmp_snprintf(title, sizeof title, "Gradient descent orbits around the "
                 "first-step threshold alpha* = %Qd (theta(0) = %Qd)",
                 alpha_star, g->theta0);
    table_init(t, title, 8, head);
    table_set_command(t, "adjverify gradflow --descent", (long)g->prec);
    mpq_t r, alpha;
    mpq_inits(r, alpha, NULL);
    mpfr_ptr snap = mpblock_alloc(GD_NS, g->prec, err);
    int rc = snap == NULL ? AV_ESYS : 0;
    ev->below_ok = 1;
    ev->above_diverges = 0;
    for (int i = 0; i < GD_NR && rc == 0; i++) {
        gflow_gd_orbit o;
        if ((rc = qnum_parse_str(r, gd_ratios[i], err)) != 0)
            break;
        mpq_mul(alpha, r, alpha_star);
        rc = gflow_gd_orbit_run(&o, snap, gd_snaps, GD_NS, g, alpha,
                                gd_snaps[GD_NS - 1], err);
        if (rc != 0)
            break;
        int conv = o.kind == GFLOW_GD_MONOTONE || o.kind == GFLOW_GD_OSCILLATING;
        if (mpq_cmp_ui(r, 1, 1) < 0)
            ev->below_ok &= conv;
        else if (mpq_cmp_ui(r, 1, 1) > 0)
            ev->above_diverges |= o.kind == GFLOW_GD_DIVERGING;
        table_row(t);
        table_cell(t, "%Qd", alpha);
        table_cell(t, "%Qd", r);
        for (int j = 0; j < GD_NS; j++) {
            if (o.diverged_at >= 0 && gd_snaps[j] >= o.diverged_at)
                table_cell(t, "|theta| > 2^%d at step %ld", GFLOW_GD_BIG,
                           o.diverged_at);
            else
                table_cell(t, "%.*Re", digits - 1, snap + j);
        }
        table_cell(t, "%ld", o.sign_changes);
        table_cell(t, "%s", gflow_gd_kind_name(o.kind));
    }
    if (rc == 0) {
        mpq_set_ui(r, 1, 2);
        mpq_mul(r, r, alpha_star);
        table_note(t, "theta_1 = theta_0 (1 - alpha c k theta_0^(k-2)): "
                   "|theta_1| < |theta_0| iff 0 < alpha c k theta_0^(k-2) < 2, "
                   "i.e. alpha < alpha* = %Qd; theta keeps its sign iff "
                   "alpha <= alpha*/2 = %Qd", alpha_star, r);
        table_note(t, "below alpha* every later step has |theta_n| < |theta_0| "
                   "and so the same bound: |theta| falls to 0; at alpha* "
                   "theta_1 = -theta_0 (a 2-cycle); above, |theta| grows at "
                   "every step");
    }
    if (rc != 0)
        table_clear(t);
    mpblock_free(snap);
    mpq_clears(r, alpha, NULL);
    return rc;
}

/* The table of descent against the flow for the step counts NS. */
static int table_descent(table_t t, e5_evidence *ev, const gflow_t g,
                         const mpq_t tend, const long *ns, int n, int digits,
                         averr_t err)
{
    static const char *const head[] = {
        "steps N", "alpha = eta t / N", "theta after N steps", "flow theta(t)",
        "error", "order"};
    char title[200];
    gmp_snprintf(title, sizeof title, "Gradient descent theta_{n+1} = theta_n "
                 "- alpha dL/dtheta against the flow at t = N alpha / eta = %Qd",
                 tend);
    table_init(t, title, 6, head);
    table_set_command(t, "adjverify gradflow --descent", (long)g->prec);
    mpfr_ptr v = mpblock_alloc(3 * (size_t)n + 1, g->prec, err);
    int rc = v == NULL ? AV_ESYS : 0;
    mpfr_ptr vals = v, errs = v + n, ord = v + 2 * n, ref = v + 3 * n;
    if (rc == 0)
        rc = gflow_gd_study(vals, errs, ord, ref, g, tend, ns, n, err);
    mpq_t alpha;
    mpq_init(alpha);
    ev->order_lo = 1e300;
    ev->order_hi = -1e300;
    for (int j = 0; j < n && rc == 0; j++) {
        mpq_set_ui(alpha, 1, (unsigned long)ns[j]);
        mpq_mul(alpha, alpha, g->eta);
        mpq_mul(alpha, alpha, tend);
        table_row(t);
        table_cell(t, "%ld", ns[j]);
        table_cell(t, "%Qd", alpha);
        table_cell(t, "%.*Re", digits - 1, vals + j);
        table_cell(t, "%.*Re", digits - 1, ref);
        table_cell(t, "%.3Re", errs + j);
        if (j == 0 || mpfr_zero_p(errs + j) || mpfr_zero_p(errs + j - 1)) {
            table_cell(t, "-");
            continue;
        }
        table_cell(t, "%.4Rf", ord + j);
        ev->order = mpfr_get_d(ord + j, MPFR_RNDN);
        ev->order_lo = ev->order < ev->order_lo ? ev->order : ev->order_lo;
        ev->order_hi = ev->order > ev->order_hi ? ev->order : ev->order_hi;
    }
    if (rc == 0)
        table_note(t, "descent is forward Euler on the flow with step alpha / "
                   "eta in flow time; order = log(e(N) / e(2N)) / log 2; flow "
                   "theta(t) from the Taylor-series solution");
    else
        table_clear(t);
    mpq_clear(alpha);
    mpblock_free(v);
    return rc;
}

int essay_flow_table_gd(table_t *out, int *nout, e5_evidence *ev,
                        const gflow_t g, const mpq_t tend, const long *ns,
                        int n, int digits, averr_t err)
{
    e5_evidence local;
    if (ev == NULL)
        ev = &local;
    *nout = 0;
    if (n < 2)
        return averr_set(err, AV_EINPUT, "gradflow: the descent study needs "
                         "two or more step counts");
    int rc = table_descent(out[0], ev, g, tend, ns, n, digits, err);
    if (rc != 0)
        return rc;
    *nout = 1;
    mpq_t as;
    mpq_init(as);
    ev->has_threshold = gflow_gd_threshold(as, g);
    gmp_snprintf(ev->alpha_star, sizeof ev->alpha_star, "%Qd", as);
    ev->below_ok = 1;
    ev->above_diverges = 0;
    if (ev->has_threshold) {
        rc = table_orbits(out[1], ev, g, as, digits, err);
        if (rc == 0)
            *nout = 2;
        else
            table_clear(out[0]);
    } else {
        table_note(out[0], "no step size decreases |theta| from this theta(0) "
                   "(theta(0) = 0, or k odd and theta(0) < 0)");
    }
    mpq_clear(as);
    if (rc != 0)
        *nout = 0;
    return rc;
}

int essay_flow_p4_times(mpfr_ptr ts, averr_t err)
{
    mpq_t q;
    mpq_init(q);
    int rc = 0;
    for (int i = 0; i < P4_NT && rc == 0; i++)
        if ((rc = qnum_parse_str(q, p4_times[i], err)) == 0)
            mpfr_set_q(ts + i, q, MPFR_RNDN);
    mpq_clear(q);
    return rc;
}

static int make_gradient_flow(table_t *out, int *n, const claim_opts *o,
                              averr_t err)
{
    gflow_t g;
    *n = 0;
    int rc = gflow_init_p4(g, o->prec, err);
    if (rc != 0)
        return rc;
    mpfr_ptr ts = mpblock_alloc(P4_NT, o->prec, err);
    rc = ts == NULL ? AV_ESYS : essay_flow_p4_times(ts, err);
    if (rc == 0)
        rc = essay_flow_table_flow(out[0], g, ts, P4_NT, o->digits, err);
    if (rc == 0)
        *n = 1;
    mpblock_free(ts);
    gflow_clear(g);
    return rc;
}

const tablegen_def tablegen_gradient_flow = {
    .base = "gradient_flow",
    .summary = "P4: the quartic flow, numerical vs essay's vs derived closed form",
    .make = make_gradient_flow,
};

int essay_flow_p4_descent(table_t *out, int *nout, e5_evidence *ev,
                          const claim_opts *o, averr_t err)
{
    gflow_t g;
    mpq_t tend;
    *nout = 0;
    int rc = gflow_init_p4(g, o->prec, err);
    if (rc != 0)
        return rc;
    mpq_init(tend);
    rc = qnum_parse_str(tend, p4_gd_time, err);
    if (rc == 0)
        rc = essay_flow_table_gd(out, nout, ev, g, tend, p4_ns, P4_NNS,
                                 o->digits, err);
    mpq_clear(tend);
    gflow_clear(g);
    return rc;
}

static int make_gradient_descent(table_t *out, int *n, const claim_opts *o,
                                 averr_t err)
{
    return essay_flow_p4_descent(out, n, NULL, o, err);
}

const tablegen_def tablegen_gradient_descent_vs_flow = {
    .base = "gradient_descent_vs_flow",
    .summary = "P4: gradient descent against the flow, order and threshold",
    .make = make_gradient_descent,
};
