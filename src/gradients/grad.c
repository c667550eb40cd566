/* grad: the gradient result, method names, and the dispatcher that runs a
 * method with the MPFR flags checked around it.
 */
#include <string.h>
#include "grad.h"
#include "adjoint.h"
#include "checkpoint.h"
#include "partner.h"
#include "reference.h"
#include "../numbers/mpvec.h"

int grad_result_init(grad_result_t g, const problem_t p, averr_t err)
{
    g->d = p->d;
    g->ntheta = p->ntheta;
    g->block = mpblock_alloc((size_t)(1 + 2 * p->d + p->ntheta), p->prec, err);
    if (g->block == NULL)
        return AV_ESYS;
    g->L = g->block;
    g->zT = g->L + 1;
    g->dtheta = g->zT + p->d;
    g->dz0 = g->dtheta + p->ntheta;
    return 0;
}

void grad_result_clear(grad_result_t g)
{
    mpblock_free(g->block);
    g->block = NULL;
}

static const char *const method_names[GRAD_NMETHODS] = {
    "bp", "fd", "backsolve", "interp", "partner", "reference",
};

const char *grad_method_name(grad_method m)
{
    return (unsigned)m < GRAD_NMETHODS ? method_names[m] : "?";
}

int grad_method_lookup(grad_method *m, const char *name, averr_t err)
{
    for (int i = 0; i < GRAD_NMETHODS; i++)
        if (strcmp(method_names[i], name) == 0) {
            *m = (grad_method)i;
            return 0;
        }
    return averr_set(err, AV_EINPUT, "unknown method '%s' (expected bp, fd, backsolve, "
                     "interp, partner or reference)", name);
}

int grad_compute(grad_result_t g, const problem_t p, const tableau_t tab,
                 long N, grad_method method, const grad_opts *opts,
                 averr_t err)
{
    grad_result_t tmp;
    if (grad_result_init(tmp, p, err) != 0)
        return AV_ESYS;
    mpfr_clear_flags();
    int st;
    switch (method) {
    case GRAD_BP:
        st = opts != NULL && opts->checkpoints > 0
                 ? ckpt_gradient(tmp, p, tab, N, opts->checkpoints, NULL, err)
                 : bp_gradient(tmp, p, tab, N, err);
        break;
    case GRAD_FD:
        st = fd_gradient(tmp, p, tab, N, err);
        break;
    case GRAD_BACKSOLVE:
        st = adj_backsolve(tmp, NULL, p, tab, N, err);
        break;
    case GRAD_INTERP:
        st = adj_interp(tmp, p, tab, N, err);
        break;
    case GRAD_REFERENCE:
        st = reference_gradient(tmp, p, err);
        break;
    case GRAD_PARTNER:
        st = partner_gradient(tmp, p, tab, N, err);
        break;
    default:
        st = averr_set(err, AV_EINPUT, "method '%s' is not available yet",
                       grad_method_name(method));
        break;
    }
    if (st == 0)
        st = rk_check_flags(grad_method_name(method), err);
    if (st == 0 && !mpvec_is_finite(tmp->block, (size_t)(1 + 2 * p->d + p->ntheta)))
        st = averr_set(err, AV_ENUM, "%s: the gradient is NaN or infinite",
                       grad_method_name(method));
    if (st == 0)
        mpvec_set(g->block, tmp->block, (size_t)(1 + 2 * p->d + p->ntheta));
    grad_result_clear(tmp);
    return st;
}
