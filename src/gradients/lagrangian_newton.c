/* lagrangian_newton: the second-order side of claim N8 ("we compute dL/dp
 * to use Newton's method"): the Hessian of F(p) by central differences of
 * the adjoint gradient at doubled precision, its eigenvalues, and Newton's
 * method against gradient descent on F(p).
 * References: Nocedal and Wright, Numerical Optimization (2006), 3.3 and
 * 3.4; Golub and Van Loan (2013), 8.5 (cyclic Jacobi).
 */
#include <string.h>
#include "lagrangian_impl.h"
#include "../numbers/mpvec.h"

#define LAG_JACOBI_SWEEPS 100

/* H as lag_hessian, the gradients taken at WPREC bits with step
 * 2^-HBITS. */
static int hessian_at(mpfr_ptr H, mpfr_ptr asym, const impl_problem_t P,
                      mpfr_prec_t wprec, long hbits, averr_t err)
{
    int np = P->np;
    impl_problem_t P2;
    int rc = impl_init_copy(P2, P, wprec, err);
    if (rc != 0)
        return rc;
    lag_copy_current(P2, P);
    mpfr_ptr t = mpblock_alloc(3 + 2 * (size_t)np, wprec, err);
    if (t == NULL) {
        impl_clear(P2);
        return AV_ESYS;
    }
    mpfr_ptr h = t, save = t + 1, d = t + 2, gp = t + 3, gm = gp + np;
    mpfr_set_ui(h, 1, MPFR_RNDN);
    mpfr_mul_2si(h, h, -hbits, MPFR_RNDN);
    for (int k = 0; k < np && rc == 0; k++) {
        mpfr_set(save, P2->p + k, MPFR_RNDN);
        mpfr_add(P2->p + k, save, h, MPFR_RNDN);
        rc = lag_adjoint_gradient(gp, NULL, P2, LAG_EXACT, err);
        mpfr_sub(P2->p + k, save, h, MPFR_RNDN);
        if (rc == 0)
            rc = lag_adjoint_gradient(gm, NULL, P2, LAG_EXACT, err);
        mpfr_set(P2->p + k, save, MPFR_RNDN);
        for (int l = 0; l < np && rc == 0; l++) {
            mpfr_sub(d, gp + l, gm + l, MPFR_RNDN);
            mpfr_div(d, d, h, MPFR_RNDN);
            mpfr_div_2ui(H + l * np + k, d, 1, MPFR_RNDN);
        }
    }
    if (asym != NULL)
        mpfr_set_zero(asym, 1);
    for (int k = 0; k < np && rc == 0; k++)
        for (int l = k + 1; l < np; l++) {
            mpfr_sub(d, H + k * np + l, H + l * np + k, MPFR_RNDN);
            if (asym != NULL && mpfr_cmpabs(d, asym) > 0)
                mpfr_abs(asym, d, MPFR_RNDN);
            mpfr_add(d, H + k * np + l, H + l * np + k, MPFR_RNDN);
            mpfr_div_2ui(H + k * np + l, d, 1, MPFR_RNDN);
            mpfr_set(H + l * np + k, H + k * np + l, MPFR_RNDN);
        }
    mpblock_free(t);
    impl_clear(P2);
    return rc == 0 ? 0 : averr_prefix(err, "Hessian");
}

int lag_hessian(mpfr_ptr H, mpfr_ptr asym, const impl_problem_t P, averr_t err)
{
    return hessian_at(H, asym, P, 2 * P->prec, (long)(P->prec / 2 + 8), err);
}

int lag_hessian_step(mpfr_ptr H, mpfr_ptr asym, const impl_problem_t P,
                     averr_t err)
{
    /* truncation h^2 and rounding 2^-prec / h balance at h = 2^-(prec/3) */
    return hessian_at(H, asym, P, P->prec, (long)(P->prec / 3), err);
}

/* (a, b) <- (c a - s b, s a + c b); U, V scratch. */
static void rotate_pair(mpfr_ptr a, mpfr_ptr b, mpfr_srcptr c, mpfr_srcptr s,
                        mpfr_ptr u, mpfr_ptr v)
{
    mpfr_set(u, a, MPFR_RNDN);
    mpfr_set(v, b, MPFR_RNDN);
    mpfr_mul(a, s, v, MPFR_RNDN);
    mpfr_fms(a, c, u, a, MPFR_RNDN);
    mpfr_mul(b, s, u, MPFR_RNDN);
    mpfr_fma(b, c, v, b, MPFR_RNDN);
}

/* One Jacobi rotation of A (n x n) that zeroes A[p][q]; T is 6 scratch. */
static void jacobi_rotate(mpfr_ptr A, int n, int p, int q, mpfr_ptr T)
{
    mpfr_ptr th = T, t = T + 1, c = T + 2, s = T + 3, u = T + 4, v = T + 5;
    mpfr_sub(th, A + q * n + q, A + p * n + p, MPFR_RNDN);
    mpfr_div(th, th, A + p * n + q, MPFR_RNDN);
    mpfr_div_2ui(th, th, 1, MPFR_RNDN);
    /* t = sgn(theta) / (|theta| + sqrt(theta^2 + 1)), the smaller root,
     * keeps the rotation angle below pi/4 (Golub and Van Loan 8.5.2) */
    mpfr_set_ui(c, 1, MPFR_RNDN);
    mpfr_hypot(t, th, c, MPFR_RNDN);
    mpfr_abs(u, th, MPFR_RNDN);
    mpfr_add(t, t, u, MPFR_RNDN);
    mpfr_ui_div(t, 1, t, MPFR_RNDN);
    if (mpfr_sgn(th) < 0)
        mpfr_neg(t, t, MPFR_RNDN);
    mpfr_hypot(c, t, c, MPFR_RNDN);         /* c = 1 / sqrt(t^2 + 1) */
    mpfr_ui_div(c, 1, c, MPFR_RNDN);
    mpfr_mul(s, t, c, MPFR_RNDN);
    for (int k = 0; k < n; k++)             /* columns p, q */
        rotate_pair(A + k * n + p, A + k * n + q, c, s, u, v);
    for (int k = 0; k < n; k++)             /* rows p, q */
        rotate_pair(A + p * n + k, A + q * n + k, c, s, u, v);
}

int lag_sym_eigenvalues(mpfr_ptr eig, mpfr_srcptr H, int n, averr_t err)
{
    mpfr_prec_t wprec = mpfr_get_prec(eig) + 32;
    size_t nn = (size_t)n * (size_t)n;
    mpfr_ptr A = mpblock_alloc(nn + 8, wprec, err);
    if (A == NULL)
        return AV_ESYS;
    mpfr_ptr T = A + nn, off = T + 6, dia = T + 7;
    mpvec_set(A, H, nn);
    int done = 0;
    for (int sweep = 0; sweep < LAG_JACOBI_SWEEPS && !done; sweep++) {
        mpfr_set_zero(off, 1);
        mpfr_set_zero(dia, 1);
        for (int p = 0; p < n; p++) {
            mpfr_fma(dia, A + p * n + p, A + p * n + p, dia, MPFR_RNDN);
            for (int q = p + 1; q < n; q++)
                mpfr_fma(off, A + p * n + q, A + p * n + q, off, MPFR_RNDN);
        }
        /* off-diagonal mass below 2^-2wprec of the diagonal: diagonal */
        mpfr_mul_2si(dia, dia, -2 * (long)wprec, MPFR_RNDN);
        if (mpfr_cmp(off, dia) <= 0) {
            done = 1;
            break;
        }
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++)
                if (!mpfr_zero_p(A + p * n + q))
                    jacobi_rotate(A, n, p, q, T);
    }
    for (int i = 0; i < n; i++)
        mpfr_set(eig + i, A + i * n + i, MPFR_RNDN);
    for (int i = 1; i < n; i++)             /* insertion sort, ascending */
        for (int j = i; j > 0 && mpfr_cmp(eig + j - 1, eig + j) > 0; j--)
            mpfr_swap(eig + j - 1, eig + j);
    mpblock_free(A);
    return done ? 0 : averr_set(err, AV_ENUM, "Jacobi eigenvalues: no "
                                "convergence in %d sweeps", LAG_JACOBI_SWEEPS);
}

int lag_iter_init(lag_iter_t it, int maxit, int np, mpfr_prec_t prec,
                  averr_t err)
{
    memset(it, 0, sizeof *it);
    if (maxit < 0 || maxit > 100000 || np < 1 || np > LAG_MAX_NP)
        return averr_set(err, AV_EINPUT, "iteration record: %d iterations of "
                         "%d parameters", maxit, np);
    size_t m = (size_t)maxit + 1;
    it->block = mpblock_alloc(m * ((size_t)np + 2) + (size_t)np + 1, prec,
                              err);
    if (it->block == NULL)
        return AV_ESYS;
    it->maxit = maxit;
    it->np = np;
    it->p = it->block;
    it->F = it->p + m * (size_t)np;
    it->gnorm = it->F + m;
    it->eig = it->gnorm + m;
    it->asym = it->eig + np;
    return 0;
}

void lag_iter_clear(lag_iter_t it)
{
    mpblock_free(it->block);
    memset(it, 0, sizeof *it);
}

/* The iteration shared by Newton (ALPHA NULL) and gradient descent:
 * gradient at p_k, stop test, step. */
static int iterate(lag_iter_t it, const impl_problem_t P, mpfr_srcptr p0,
                   mpfr_srcptr alpha, mpfr_srcptr tol, averr_t err)
{
    int np = P->np, rc;
    size_t piv[LAG_MAX_NP];
    impl_problem_t Pw;
    if ((rc = impl_init_copy(Pw, P, P->prec, err)) != 0)
        return rc;
    mpfr_ptr w = mpblock_alloc((size_t)(np * np + 2 * np + 1), P->prec, err);
    if (w == NULL) {
        impl_clear(Pw);
        return AV_ESYS;
    }
    mpfr_ptr H = w, g = H + np * np, d = g + np, tmp = d + np;
    mpvec_set(it->p, p0, (size_t)np);
    it->converged = 0;
    it->grads = it->grads2 = 0;
    mpfr_set_zero(it->asym, 1);
    for (int k = 0; rc == 0; k++) {
        mpfr_ptr pk = it->p + k * np;
        mpvec_set(Pw->p, pk, (size_t)np);
        rc = lag_adjoint_gradient(g, it->F + k, Pw, LAG_EXACT, err);
        it->grads++;
        mpvec_norm_max(it->gnorm + k, g, (size_t)np);
        it->iters = k;
        it->converged = rc == 0 && mpfr_cmp(it->gnorm + k, tol) <= 0;
        /* H to about 2/3 of the working digits: its error multiplies
         * |grad F| in a step, and the eigenvalues are printed to a few
         * digits (IT->asym shows how many H has) */
        if (rc == 0 && alpha == NULL) {
            rc = lag_hessian_step(H, it->asym, Pw, err);
            it->grads += 2 * np;
            if (rc == 0 && (it->converged || k == it->maxit))
                rc = lag_sym_eigenvalues(it->eig, H, np, err);
        }
        if (rc != 0 || it->converged || k == it->maxit)
            break;
        if (alpha == NULL) {                /* Newton: H d = g */
            if ((rc = mplu_factor(H, piv, (size_t)np, tmp, err)) != 0)
                break;
            mplu_solve(d, H, piv, g, (size_t)np, 0, tmp);
        } else {
            for (int i = 0; i < np; i++)
                mpfr_mul(d + i, alpha, g + i, MPFR_RNDN);
        }
        mpvec_sub(pk + np, pk, d, (size_t)np);
    }
    mpblock_free(w);
    impl_clear(Pw);
    return rc;
}

int lag_newton(lag_iter_t it, const impl_problem_t P, mpfr_srcptr p0,
               mpfr_srcptr tol, averr_t err)
{
    int rc = iterate(it, P, p0, NULL, tol, err);
    return rc == 0 ? 0 : averr_prefix(err, "Newton iteration %d", it->iters);
}

int lag_descent(lag_iter_t it, const impl_problem_t P, mpfr_srcptr p0,
                mpfr_srcptr alpha, mpfr_srcptr tol, averr_t err)
{
    int rc = iterate(it, P, p0, alpha, tol, err);
    return rc == 0 ? 0 : averr_prefix(err, "descent iteration %d", it->iters);
}

int lag_descent_step(mpfr_ptr alpha, const impl_problem_t P, mpfr_srcptr p0,
                     averr_t err)
{
    int np = P->np, rc;
    impl_problem_t Pw;
    if ((rc = impl_init_copy(Pw, P, P->prec, err)) != 0)
        return rc;
    mpfr_ptr w = mpblock_alloc((size_t)np + 2, P->prec, err);
    if (w == NULL) {
        impl_clear(Pw);
        return AV_ESYS;
    }
    mpfr_ptr g = w, F0 = w + np, F1 = F0 + 1;
    mpvec_set(Pw->p, p0, (size_t)np);
    rc = lag_adjoint_gradient(g, F0, Pw, LAG_EXACT, err);
    int found = 0;
    mpfr_set_ui(alpha, 4, MPFR_RNDN);
    for (int i = 0; i <= 12 && rc == 0 && !found; i++) {
        for (int k = 0; k < np; k++) {
            mpfr_mul(Pw->p + k, alpha, g + k, MPFR_RNDN);
            mpfr_sub(Pw->p + k, p0 + k, Pw->p + k, MPFR_RNDN);
        }
        rc = lag_objective(F1, NULL, Pw, LAG_NLAMBDA, NULL, 0, 0, err);
        found = rc == 0 && mpfr_less_p(F1, F0);
        if (!found)
            mpfr_div_2ui(alpha, alpha, 1, MPFR_RNDN);
    }
    mpblock_free(w);
    impl_clear(Pw);
    if (rc == 0 && !found)
        rc = averr_set(err, AV_ENUM, "no descent step from 4 down to 2^-10 "
                       "lowers F");
    return rc;
}
