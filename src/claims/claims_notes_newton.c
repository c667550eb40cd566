/* claims_notes_newton: N8, "why calculate dL/dp during backprop? To use
 * Newton's method": Newton's method and gradient descent on F(p) of P7 from
 * the same start, side by side, with the Hessian Newton needs besides the
 * adjoint gradient; and the table newton_vs_gradient.
 * Reference: Nocedal and Wright, Numerical Optimization (2006), 3.3-3.4.
 */
#include <string.h>
#include "claims_notes.h"
#include "tablegen.h"
#include "../numbers/mpvec.h"

static int count_negative(mpfr_srcptr eig, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += mpfr_sgn(eig + i) < 0;
    return k;
}

mpfr_prec_t notes_newton_prec(mpfr_prec_t prec)
{
    return prec < NOTES_NEWTON_PREC ? prec : NOTES_NEWTON_PREC;
}

int notes_newton_run(notes_newton *nn, mpfr_prec_t prec, averr_t err)
{
    memset(nn, 0, sizeof *nn);
    impl_problem_t P;
    int rc = impl_init_notes(P, prec, err);
    if (rc != 0)
        return rc;
    int np = P->np;
    nn->block = mpblock_alloc(3, prec, err);
    if (nn->block == NULL) {
        impl_clear(P);
        return AV_ESYS;
    }
    nn->alpha = nn->block;
    nn->tol = nn->block + 1;
    nn->F_far = nn->block + 2;
    mpfr_set_ui(nn->tol, 1, MPFR_RNDN);
    mpfr_mul_2si(nn->tol, nn->tol, -(7 * (long)prec) / 8, MPFR_RNDN);
    if ((rc = lag_iter_init(nn->newton, NOTES_NEWTON_MAXIT, np, prec, err)) == 0
        && (rc = lag_iter_init(nn->descent, NOTES_DESCENT_MAXIT, np, prec, err)) == 0
        && (rc = lag_iter_init(nn->hybrid, NOTES_NEWTON_MAXIT, np, prec, err)) == 0
        && (rc = lag_newton(nn->newton, P, P->p, nn->tol, err)) == 0
        && (rc = lag_descent_step(nn->alpha, P, P->p, err)) == 0
        && (rc = lag_descent(nn->descent, P, P->p, nn->alpha, nn->tol, err)) == 0) {
        int k0 = nn->descent->iters < NOTES_HYBRID_START ? nn->descent->iters
                                                         : NOTES_HYBRID_START;
        rc = lag_newton(nn->hybrid, P, nn->descent->p + k0 * np, nn->tol, err);
    }
    if (rc == 0) {
        /* the hybrid limit with p2 pushed to -40: F is not bounded below */
        mpvec_set(P->p, nn->hybrid->p + nn->hybrid->iters * np, (size_t)np);
        mpfr_set_si(P->p + 2, -40, MPFR_RNDN);
        rc = lag_objective(nn->F_far, NULL, P, LAG_NLAMBDA, NULL, 0, 0, err);
    }
    impl_clear(P);
    if (rc != 0) {
        notes_newton_clear(nn);
        return rc;
    }
    nn->newton_neg = count_negative(nn->newton->eig, np);
    nn->hybrid_neg = count_negative(nn->hybrid->eig, np);
    return 0;
}

void notes_newton_clear(notes_newton *nn)
{
    lag_iter_clear(nn->newton);
    lag_iter_clear(nn->descent);
    lag_iter_clear(nn->hybrid);
    mpblock_free(nn->block);
    memset(nn, 0, sizeof *nn);
}

/* Two cells, F and |grad F|, of iterate K of IT (empty past its end). */
static void iter_cells(table_t t, const lag_iter_struct *it, int k, int digits)
{
    if (k > it->iters) {
        table_cell(t, "%s", "");
        table_cell(t, "%s", "");
        return;
    }
    table_cell(t, "%.*Re", digits - 1, it->F + k);
    table_cell(t, "%.3Re", it->gnorm + k);
}

/* One row of the table of points reached. */
static void point_row(table_t t, const char *name, const lag_iter_struct *it,
                      int hessian, int neg, int digits)
{
    int np = it->np, k = it->iters;
    table_row(t);
    table_cell(t, "%s", name);
    table_cell(t, "%d%s", k, it->converged ? "" : " (not converged)");
    for (int i = 0; i < np; i++)
        table_cell(t, "%.12Re", it->p + k * np + i);
    table_cell(t, "%.*Re", digits - 1, it->F + k);
    table_cell(t, "%.3Re", it->gnorm + k);
    if (hessian) {
        table_cell(t, "%.4Re, %.4Re, %.4Re", it->eig, it->eig + 1, it->eig + 2);
        table_cell(t, "%s", neg ? "saddle" : "minimum");
    } else {
        table_cell(t, "%s", "not computed");
        table_cell(t, "%s", "-");
    }
    table_cell(t, "%ld", it->grads);
}

void notes_newton_tables(table_t *out, const notes_newton *nn, int digits)
{
    static const char *const h1[] = {"k", "Newton: F", "Newton: |grad F|",
                                     "descent: F", "descent: |grad F|",
                                     "Newton from descent k=16: F",
                                     "Newton from descent k=16: |grad F|"};
    static const char *const h2[] = {"method", "iterations", "p0", "p1", "p2",
                                     "F", "|grad F|", "Hessian eigenvalues",
                                     "point", "adjoint gradients"};
    long prec = (long)mpfr_get_prec(nn->tol);
    table_init(out[0], "N8: Newton's method against gradient descent on F(p) "
               "of P7 from p = (1/2, 3/4, 2)", 7, h1);
    table_set_command(out[0], "adjverify verify --only N8", prec);
    int last = nn->newton->iters > nn->hybrid->iters ? nn->newton->iters
                                                     : nn->hybrid->iters;
    for (int k = 0; k <= nn->descent->iters; k++) {
        if (k > last && k != 16 && k != 32 && k != nn->descent->iters)
            continue;
        table_row(out[0]);
        table_cell(out[0], "%d", k);
        iter_cells(out[0], nn->newton, k, digits);
        iter_cells(out[0], nn->descent, k, digits);
        iter_cells(out[0], nn->hybrid, k, digits);
    }
    table_note(out[0], "|grad F| = max-norm of the adjoint gradient; converged "
               "when it is at most %.2Re = 2^-(7 prec/8); descent step alpha = "
               "%.3Re, the first of 4, 2, 1, 1/2, ... whose first step lowers F",
               nn->tol, nn->alpha);
    table_note(out[0], "Newton: p <- p - H^-1 grad F, H by central differences "
               "of the adjoint gradient at the working %ld bits, step "
               "2^-(prec/3): about 2/3 of the working bits, enough for the "
               "step (its error multiplies |grad F|)", prec);
    table_init(out[1], "N8: the points reached", 10, h2);
    table_set_command(out[1], "adjverify verify --only N8", prec);
    point_row(out[1], "Newton from p = (1/2, 3/4, 2)", nn->newton, 1,
              nn->newton_neg, digits);
    point_row(out[1], "gradient descent", nn->descent, 0, 0, digits);
    point_row(out[1], "Newton from descent iterate 16", nn->hybrid, 1,
              nn->hybrid_neg, digits);
    table_note(out[1], "adjoint gradients: in all, grad F and Newton's H, at "
               "the working precision");
    table_note(out[1], "Hessian accuracy at the points reached: largest |H_kl "
               "- H_lk| = %.1Re (Newton), %.1Re (from descent)",
               nn->newton->asym, nn->hybrid->asym);
    table_note(out[1], "F at the minimum's (p0, p1) with p2 = -40: %.6Re; F is "
               "not bounded below, so its minima are local", nn->F_far);
}

static int check_n8(claim_result *r, const claim_opts *o, averr_t err)
{
    notes_newton nn;
    table_t tabs[2];
    int rc = notes_newton_run(&nn, notes_newton_prec(o->prec), err);
    if (rc != 0)
        return rc;
    notes_newton_tables(tabs, &nn, o->digits);
    *r->detail = *tabs[0];
    r->has_detail = 1;
    table_clear(tabs[1]);
    notes_newton_tables(r->tables, &nn, o->digits);   /* newton_vs_gradient */
    r->ntables = 2;
    const lag_iter_struct *n = nn.newton, *g = nn.descent, *h = nn.hybrid;
    r->verdict = n8_decide(n->converged, nn.newton_neg, h->converged,
                           nn.hybrid_neg);
    claim_evidence(r, "At %ld bits: Newton (Hessian: 6 extra adjoint "
                   "gradients per step, "
                   "symmetric to %.0Re) from p = (1/2, 3/4, 2) converges in %d steps, "
                   "|grad F| %.1Re, to a %s: F = %.8Re, eigenvalues %.3Re, "
                   "%.3Re, %.3Re; gradient descent (alpha = %.2Re) lowers F to "
                   "%.8Re in %d steps, |grad F| %.1Re (linear); Newton from "
                   "descent step 16 converges in %d steps to a %s, F = %.8Re; "
                   "F(p2 = -40) = %.3Re: not bounded below",
                   (long)mpfr_get_prec(nn.tol), n->asym, n->iters, n->gnorm + n->iters,
                   nn.newton_neg ? "saddle" : "minimum", n->F + n->iters, n->eig,
                   n->eig + 1, n->eig + 2, nn.alpha, g->F + g->iters, g->iters,
                   g->gnorm + g->iters, h->iters,
                   nn.hybrid_neg ? "saddle" : "minimum", h->F + h->iters,
                   nn.F_far);
    notes_newton_clear(&nn);
    return 0;
}

const claim_def claim_N8 = {
    .id = "N8",
    .source = "001",
    .statement = "\"Why calculate dL/dp during backprop? To use Newton's "
                 "method.\"",
    .reading = "At min(prec, 128) bits (the runs compare rates of "
               "convergence and the points reached, which 128 bits resolve): "
               "Newton's method on F(p) iterates p <- p - H^-1 grad F: the "
               "adjoint dL/dp is its right side, but it also needs the Hessian "
               "H, which the first-order adjoint does not give (here central "
               "differences of the adjoint gradient at the working precision, "
               "step 2^-(prec/3), 2 np gradients per step), and it converges to the nearest stationary "
               "point. Newton and gradient descent run from the notes' p; "
               "VERIFIED if Newton from there reaches a minimum, QUALIFIED if "
               "it reaches a saddle while Newton started in a minimum's basin "
               "reaches the minimum, REFUTED if no Newton run does.",
    .command = "adjverify verify --only N8",
    .file = "src/claims/claims_notes_newton.c",
    .func = "check_n8",
    .check = check_n8,
};

static int make_newton_vs_gradient(table_t *out, int *n, const claim_opts *o,
                                   averr_t err)
{
    notes_newton nn;
    *n = 0;
    int rc = notes_newton_run(&nn, notes_newton_prec(o->prec), err);
    if (rc != 0)
        return rc;
    notes_newton_tables(out, &nn, o->digits);
    *n = 2;
    notes_newton_clear(&nn);
    return 0;
}

const tablegen_def tablegen_newton_vs_gradient = {
    .base = "newton_vs_gradient",
    .summary = "N8: Newton's method and gradient descent on F(p) of P7, side "
               "by side, and the points they reach",
    .make = make_newton_vs_gradient,
    .claim = "N8",
};
