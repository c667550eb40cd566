/* implicit: building implicit-ODE problems from exact parameters, and the
 * sampled trajectories their solvers fill.  The P7 model's callbacks are in
 * implicit_notes.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "implicit.h"
#include "../numbers/mpvec.h"
#include "../numbers/qnum.h"

/* Allocates P for MODEL with NP parameters and clears the exact values;
 * the caller fills p_q and T_q and calls impl_round. */
static int impl_alloc(impl_problem_t P, const impl_model *model,
                      const char *name, int n, int np, int nwork,
                      mpfr_prec_t prec, averr_t err)
{
    memset(P, 0, sizeof *P);
    if (prec < MPV_PREC_MIN || prec > MPV_PREC_MAX)
        return averr_set(err, AV_EINPUT, "%s: precision %ld outside [%d, %d]",
                         name, (long)prec, MPV_PREC_MIN, MPV_PREC_MAX);
    P->p_q = malloc((size_t)np * sizeof *P->p_q);
    if (P->p_q == NULL)
        return averr_set(err, AV_ESYS, "%s: out of memory", name);
    P->block = mpblock_alloc((size_t)np + 1, prec, err);
    if (P->block == NULL) {
        free(P->p_q);
        P->p_q = NULL;
        return AV_ESYS;
    }
    for (int k = 0; k < np; k++)
        mpq_init(P->p_q[k]);
    mpq_init(P->T_q);
    snprintf(P->name, sizeof P->name, "%s", name);
    P->model = model;
    P->n = n;
    P->np = np;
    P->nwork = nwork;
    P->prec = prec;
    P->p = P->block;
    P->T = P->block + np;
    return 0;
}

int impl_init_notes(impl_problem_t P, mpfr_prec_t prec, averr_t err)
{
    /* P7 of the canonical list, read exactly. */
    static const char *const pq[] = {"1/2", "3/4", "2"};
    int rc = impl_alloc(P, &impl_model_notes, "notes", 1, 3, 2, prec, err);
    if (rc != 0)
        return rc;
    for (int k = 0; k < 3 && rc == 0; k++)
        rc = qnum_parse_str(P->p_q[k], pq[k], err);
    if (rc == 0)
        rc = qnum_parse_str(P->T_q, "2", err);
    if (rc != 0) {
        impl_clear(P);
        return averr_prefix(err, "notes: built-in parameters");
    }
    impl_round(P);
    return 0;
}

int impl_init_neural(impl_problem_t P, const problem_struct *src, averr_t err)
{
    int nwork = src->naux + 2 * src->d + src->nwork + 1;
    int rc = impl_alloc(P, &impl_model_neural, src->name, src->d, src->ntheta,
                        nwork, src->prec, err);
    if (rc != 0)
        return rc;
    for (int k = 0; k < src->ntheta; k++)
        mpq_set(P->p_q[k], src->theta_q[k]);
    mpq_set(P->T_q, src->T_q);
    P->ctx = src;
    impl_round(P);
    return 0;
}

int impl_init_copy(impl_problem_t P, const impl_problem_t src,
                   mpfr_prec_t prec, averr_t err)
{
    memset(P, 0, sizeof *P);
    if (src->ctx != NULL && prec != src->prec)
        return averr_set(err, AV_EINPUT, "%s: a wrapped problem cannot change "
                         "precision (%ld to %ld bits)", src->name,
                         (long)src->prec, (long)prec);
    int rc = impl_alloc(P, src->model, src->name, src->n, src->np, src->nwork,
                        prec, err);
    if (rc != 0)
        return rc;
    P->ctx = src->ctx;
    for (int k = 0; k < src->np; k++)
        mpq_set(P->p_q[k], src->p_q[k]);
    mpq_set(P->T_q, src->T_q);
    impl_round(P);
    return 0;
}

void impl_clear(impl_problem_t P)
{
    if (P->p_q != NULL) {
        for (int k = 0; k < P->np; k++)
            mpq_clear(P->p_q[k]);
        mpq_clear(P->T_q);
        free(P->p_q);
    }
    mpblock_free(P->block);
    memset(P, 0, sizeof *P);
}

void impl_round(impl_problem_t P)
{
    for (int k = 0; k < P->np; k++)
        mpfr_set_q(P->p + k, P->p_q[k], MPFR_RNDN);
    mpfr_set_q(P->T, P->T_q, MPFR_RNDN);
}

int impl_traj_init(impl_traj_t tr, size_t N, int n, int np, mpfr_prec_t prec,
                   averr_t err)
{
    memset(tr, 0, sizeof *tr);
    if (N == 0 || n < 1 || np < 1)
        return averr_set(err, AV_EINPUT, "trajectory: %zu samples of width %d "
                         "with %d parameters", N, n, np);
    size_t w = (size_t)n, wp = (size_t)n * (size_t)np;
    /* t, x, xd, xdd, xp, xpd, lam, lamd */
    size_t per = 1 + 3 * w + 2 * wp + 2 * w;
    if (N > ((size_t)-1) / per / 2)
        return averr_set(err, AV_EINPUT, "trajectory: %zu samples is too many", N);
    tr->block = mpblock_alloc(N * per, prec, err);
    if (tr->block == NULL)
        return AV_ESYS;
    tr->N = N;
    tr->n = n;
    tr->np = np;
    tr->t = tr->block;
    tr->x = tr->t + N;
    tr->xd = tr->x + N * w;
    tr->xdd = tr->xd + N * w;
    tr->xp = tr->xdd + N * w;
    tr->xpd = tr->xp + N * wp;
    tr->lam = tr->xpd + N * wp;
    tr->lamd = tr->lam + N * w;
    return 0;
}

void impl_traj_clear(impl_traj_t tr)
{
    mpblock_free(tr->block);
    memset(tr, 0, sizeof *tr);
}

void impl_traj_point(impl_point *pt, const impl_traj_t tr, size_t j)
{
    size_t w = (size_t)tr->n;
    pt->t = tr->t + j;
    pt->x = tr->x + j * w;
    pt->xd = tr->xd + j * w;
    pt->xdd = tr->xdd + j * w;
}
