/* lagrangian_adjoint: steps (10)-(14) of derivations/lagrangian.md: the
 * adjoint equation that makes the x_p terms vanish, the terminal
 * condition that removes the t = T boundary term, the multiplier u that
 * removes the t = 0 term, and the final gradient (no x_p needed) against
 * forward sensitivities and central differences of F.
 */
#include "lagrangian_impl.h"
#include "../numbers/mpvec.h"

int lag_check_adjoint_ode(lag_step_t st, lag_state_t s, averr_t err)
{
    lag_step_begin(st, 10, "adjoint equation: d/dt(lambda^T h_x') = f_x + "
                   "lambda^T h_x on [0, T] (the coefficient of x_p in step 9 "
                   "vanishes)", "lag_check_adjoint_ode");
    int n = s->P->n, rc = 0;
    lag_sc m;
    lag_sc_map(&m, s);
    lag_row *res[LAG_MAX_N], *in[LAG_MAX_N];
    for (int l = 0; l < n; l++) {
        res[l] = lag_step_add(st, 0, "max_t |d/dt(lambda^T h_x')_%d - (f_x + "
                              "lambda^T h_x)_%d| | 0", l, l);
        in[l] = lag_step_add(st, 0, "int d/dt(lambda^T h_x')_%d dt | int (f_x "
                             "+ lambda^T h_x)_%d dt", l, l);
    }
    lag_row *c = lag_step_add(st, 1, "lambda = %s: max_t |residual| | 0",
                              lag_lambda_name(LAG_LAMBDA_TRIG));
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        lag_lambda which = pass ? LAG_LAMBDA_TRIG : LAG_LAMBDA_ADJOINT;
        for (size_t j = 0; j < s->tr->N && rc == 0; j++) {
            rc = lag_boundary(s, &m, which, j);
            lag_adjoint_terms(s, &m);
            for (int l = 0; l < n; l++) {
                mpfr_sub(m.tmp, m.adl + l, m.adr + l, MPFR_RNDN);
                mpfr_ptr mx = pass ? c->left : res[l]->left;
                if (mpfr_cmpabs(m.tmp, mx) > 0)
                    mpfr_abs(mx, m.tmp, MPFR_RNDN);
                if (pass == 0 && j > 0 && j + 1 < s->tr->N) {
                    mpfr_set(s->vals + (j - 1) * (size_t)(2 * n) + l,
                             m.adl + l, MPFR_RNDN);
                    mpfr_set(s->vals + (j - 1) * (size_t)(2 * n) + n + l,
                             m.adr + l, MPFR_RNDN);
                }
            }
        }
        if (pass == 0)
            for (int l = 0; l < n; l++) {
                quad_rule_sum(in[l]->left, s->rule, s->vals + l, (size_t)(2 * n));
                quad_rule_sum(in[l]->right, s->rule, s->vals + n + l,
                              (size_t)(2 * n));
            }
    }
    lag_step_finish(st);
    return rc == 0 ? 0 : averr_set(err, AV_ENUM, "step 10: model failed");
}

int lag_check_terminal(lag_step_t st, lag_state_t s, averr_t err)
{
    lag_step_begin(st, 11, "terminal condition lambda(T)^T h_x'(T) = 0 (here "
                   "lambda(T) = 0, h_x' = 1 + x^2/2 > 0) removes the boundary "
                   "term [lambda^T h_x' x_p] at t = T", "lag_check_terminal");
    int n = s->P->n, np = s->P->np;
    lag_sc m;
    lag_sc_map(&m, s);
    if (lag_boundary(s, &m, LAG_LAMBDA_ADJOINT, s->tr->N - 1) != 0)
        return averr_set(err, AV_ENUM, "step 11: model failed");
    for (int l = 0; l < n; l++) {
        mpfr_set_zero(m.tmp, 1);
        for (int i = 0; i < n; i++)
            mpfr_fma(m.tmp, m.lam + i, m.hxd + i * n + l, m.tmp, MPFR_RNDN);
        mpfr_set(lag_step_add(st, 0, "(lambda(T)^T h_x'(T))_%d | 0", l)->left,
                 m.tmp, MPFR_RNDN);
    }
    for (int k = 0; k < np; k++)
        mpfr_set(lag_step_add(st, 0, "lambda^T h_x' x_p at T, d/d%s | 0",
                              s->P->model->param_names[k])->left,
                 m.bnd + k, MPFR_RNDN);
    lag_step_finish(st);
    return 0;
}

int lag_check_multiplier(lag_step_t st, lag_state_t s, averr_t err)
{
    lag_step_begin(st, 12, "u from the t = 0 term: g_x0^T u = h_x'(0)^T "
                   "lambda(0), so u^T g_x0 x0_p - lambda(0)^T h_x'(0) x_p(0) = 0 "
                   "for every p", "lag_check_multiplier");
    int n = s->P->n, np = s->P->np, rc;
    lag_sc m;
    lag_sc_map(&m, s);
    impl_point pt;
    impl_traj_point(&pt, s->tr, 0);
    if ((rc = lag_boundary(s, &m, LAG_LAMBDA_ADJOINT, 0)) != 0
        || (rc = lag_call(s->P->model->g_x0, m.gx0, &pt, s, &m)) != 0)
        return averr_set(err, AV_ENUM, "step 12: model failed");
    for (int l = 0; l < n; l++) {
        lag_row *r = lag_step_add(st, 0, "(g_x0^T u)_%d | (h_x'(0)^T "
                                  "lambda(0))_%d", l, l);
        for (int i = 0; i < n; i++) {
            mpfr_fma(r->left, m.gx0 + i * n + l, s->u + i, r->left, MPFR_RNDN);
            mpfr_fma(r->right, m.hxd + i * n + l, m.lam + i, r->right,
                     MPFR_RNDN);
        }
    }
    for (int k = 0; k < np; k++) {
        lag_row *r = lag_step_add(st, 0, "u^T g_x0 x0_p | lambda(0)^T h_x'(0) "
                                  "x_p(0), d/d%s", s->P->model->param_names[k]);
        for (int i = 0; i < n; i++)
            for (int l = 0; l < n; l++) {
                mpfr_mul(m.tmp, m.gx0 + i * n + l, s->tr->xp + l * np + k,
                         MPFR_RNDN);
                mpfr_fma(r->left, s->u + i, m.tmp, r->left, MPFR_RNDN);
            }
        mpfr_set(r->right, m.bnd + k, MPFR_RNDN);
    }
    lag_step_finish(st);
    return 0;
}

/* Rows: the adjoint gradient against REF (np values) named REFNAME. */
static void gradient_rows(lag_step_t st, lag_state_t s, mpfr_srcptr ref,
                          const char *refname)
{
    for (int k = 0; k < s->P->np; k++) {
        lag_row *r = lag_step_add(st, 0, "dF/d%s: adjoint | %s",
                                  s->P->model->param_names[k], refname);
        mpfr_set(r->left, s->grad_adj + k, MPFR_RNDN);
        mpfr_set(r->right, ref + k, MPFR_RNDN);
    }
    lag_step_finish(st);
}

int lag_check_grad_sens(lag_step_t st, lag_state_t s, averr_t err)
{
    (void)err;
    lag_step_begin(st, 13, "dF/dp = int (f_p + lambda^T h_p) dt + u^T g_p "
                   "(no x_p needed) against the forward-sensitivity gradient "
                   "int (f_x x_p + f_p) dt", "lag_check_grad_sens");
    gradient_rows(st, s, s->grad_sens, "forward sensitivity");
    return 0;
}

int lag_check_grad_fd(lag_step_t st, lag_state_t s, averr_t err)
{
    lag_step_begin(st, 14, "dF/dp = int (f_p + lambda^T h_p) dt + u^T g_p "
                   "against central differences of F at doubled precision",
                   "lag_check_grad_fd");
    if (!s->has_fd) {
        int rc = lag_fd_gradient(s->grad_fd, s->P, LAG_NLAMBDA, NULL, err);
        if (rc != 0)
            return rc;
        s->has_fd = 1;
    }
    gradient_rows(st, s, s->grad_fd, "central differences");
    return 0;
}

static const lag_step_entry steps[] = {
    {1, "lag_check_objective", lag_check_objective},
    {2, "lag_check_initial", lag_check_initial},
    {3, "lag_check_constraint", lag_check_constraint},
    {4, "lag_check_stationary", lag_check_stationary},
    {5, "lag_check_loss_is_F", lag_check_loss_is_F},
    {6, "lag_check_dloss_dp", lag_check_dloss_dp},
    {7, "lag_check_chain_rule", lag_check_chain_rule},
    {8, "lag_check_by_parts", lag_check_by_parts},
    {9, "lag_check_regrouped", lag_check_regrouped},
    {10, "lag_check_adjoint_ode", lag_check_adjoint_ode},
    {11, "lag_check_terminal", lag_check_terminal},
    {12, "lag_check_multiplier", lag_check_multiplier},
    {13, "lag_check_grad_sens", lag_check_grad_sens},
    {14, "lag_check_grad_fd", lag_check_grad_fd},
};

const lag_step_entry *lag_steps(int *n)
{
    *n = (int)(sizeof steps / sizeof steps[0]);
    return steps;
}
