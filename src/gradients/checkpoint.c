/* checkpoint: the numeric driver of checkpointed backprop, carrying out a
 * revolve schedule with rk_step forward and bp_step_reverse backward, and
 * the storage each variant of backprop needs.
 * Reference: Griewank and Walther (2008), Evaluating Derivatives, ch. 12.
 */
#include "checkpoint.h"
#include "../numbers/mpvec.h"

size_t ckpt_value_bytes(size_t n, mpfr_prec_t prec)
{
    return n * (sizeof(__mpfr_struct) + mpfr_custom_get_size(prec));
}

void ckpt_full_storage(size_t *values, size_t *bytes, long N, size_t s,
                       size_t dim, size_t naux, mpfr_prec_t prec)
{
    /* traj_init: N + 1 states, N s stages and aux, t0 and h */
    size_t v = (size_t)N * (s * (dim + naux) + dim) + dim + 2;
    *values = v;
    *bytes = ckpt_value_bytes(v, prec);
}

/* The working storage of one checkpointed gradient, in one block. */
typedef struct {
    mpfr_ptr slots;    /* C * d */
    mpfr_ptr stages;   /* s * d: the recorded step */
    mpfr_ptr aux;      /* s * naux */
    mpfr_ptr y, ynext; /* d each */
    mpfr_ptr t0, h, t, ts;
    mpfr_ptr block;
    size_t nvalues;
} ckpt_store;

static int store_init(ckpt_store *cs, long C, const problem_t p, const tableau_t tab,
                      averr_t err)
{
    size_t d = (size_t)p->d, s = (size_t)tab->s, na = (size_t)p->naux;
    cs->nvalues = (size_t)C * d + s * (d + na) + 2 * d + 4;
    cs->block = mpblock_alloc(cs->nvalues, p->prec, err);
    if (cs->block == NULL)
        return AV_ESYS;
    cs->slots = cs->block;
    cs->stages = cs->slots + (size_t)C * d;
    cs->aux = cs->stages + s * d;
    cs->y = cs->aux + s * na;
    cs->ynext = cs->y + d;
    cs->t0 = cs->ynext + d;
    cs->h = cs->t0 + 1;
    cs->t = cs->h + 1;
    cs->ts = cs->t + 1;
    return 0;
}

/* t_n = t0 + n h, as rk_solve and bp_reverse form it. */
static void step_time(ckpt_store *cs, long n)
{
    mpfr_mul_si(cs->ts, cs->h, n, MPFR_RNDN);
    mpfr_add(cs->t, cs->t0, cs->ts, MPFR_RNDN);
}

/* Steps the working state from FROM to TO without recording. */
static int advance(ckpt_store *cs, long from, long to, const rk_system *sys,
                   const tableau_t tab, rk_work_t w, averr_t err)
{
    for (long n = from; n < to; n++) {
        step_time(cs, n);
        int st = rk_step(cs->y, NULL, NULL, cs->t, cs->y, cs->h, sys, tab, w, err);
        if (st == 0 && !mpvec_is_finite(cs->y, sys->dim))
            st = averr_set(err, AV_ENUM, "the solution is NaN or infinite (overflow)");
        if (st != 0)
            return averr_prefix(err, "step %ld", n + 1);
    }
    return 0;
}

/* Records step N from the working state and reverses it; the last step
 * also gives z(T), the loss and the starting adjoint. */
static int reverse(grad_result_t g, ckpt_store *cs, long n, long N, const problem_t p,
                   const rk_system *sys, const tableau_t tab, rk_work_t w,
                   rk_problem_ctx *pctx, averr_t err)
{
    step_time(cs, n);
    int st = rk_step(cs->ynext, cs->stages, cs->aux, cs->t, cs->y, cs->h, sys, tab, w,
                     err);
    if (st == 0 && !mpvec_is_finite(cs->ynext, sys->dim))
        st = averr_set(err, AV_ENUM, "the solution is NaN or infinite (overflow)");
    if (st != 0)
        return averr_prefix(err, "step %ld", n + 1);
    if (n == N - 1) {
        mpvec_set(g->zT, cs->ynext, sys->dim);
        if ((st = problem_loss(g->L, g->dz0, g->zT, p)) != 0)
            return averr_set(err, st, "the loss failed at z(T)");
        mpvec_zero(g->dtheta, (size_t)p->ntheta);
    }
    st = bp_step_reverse(g->dz0, g->dtheta, cs->stages, cs->aux, cs->t, cs->h, p, tab,
                         w, pctx, err);
    return st != 0 ? averr_prefix(err, "backprop, step %ld", n + 1) : 0;
}

static int run(grad_result_t g, ckpt_sched_t sc, ckpt_store *cs, const problem_t p,
               const rk_system *sys, const tableau_t tab, rk_work_t w,
               rk_problem_ctx *pctx, averr_t err)
{
    size_t d = (size_t)p->d;
    /* h = (T - t0) / N exactly as rk_solve forms it */
    mpfr_sub(cs->h, p->T, cs->t0, MPFR_RNDN);
    mpfr_div_si(cs->h, cs->h, sc->N, MPFR_RNDN);
    mpvec_set(cs->y, p->z0, d);
    int st = 0;
    for (ckpt_action a; st == 0 && (a = ckpt_sched_next(sc)) != CKPT_DONE;) {
        switch (a) {
        case CKPT_STORE:
            mpvec_set(cs->slots + (size_t)sc->slot * d, cs->y, d);
            break;
        case CKPT_RESTORE:
            mpvec_set(cs->y, cs->slots + (size_t)sc->slot * d, d);
            break;
        case CKPT_ADVANCE:
            st = advance(cs, sc->from, sc->to, sys, tab, w, err);
            break;
        case CKPT_REVERSE:
            st = reverse(g, cs, sc->from, sc->N, p, sys, tab, w, pctx, err);
            break;
        case CKPT_DONE:
            break;
        }
    }
    return st;
}

int ckpt_gradient(grad_result_t g, const problem_t p, const tableau_t tab,
                  long N, long C, ckpt_stats *stats, averr_t err)
{
    ckpt_sched_t sc;
    int st = ckpt_sched_init(sc, N, C, err);
    if (st != 0)
        return st;
    rk_problem_ctx pctx;
    rk_system sys;
    rk_work_t w;
    ckpt_store cs;
    cs.block = NULL;
    if ((st = rk_problem_ctx_init(&pctx, p, err)) != 0) {
        ckpt_sched_clear(sc);
        return st;
    }
    rk_system_of_problem(&sys, &pctx);
    if ((st = rk_work_init(w, &sys, tab, p->prec, err)) == 0) {
        if ((st = store_init(&cs, sc->C, p, tab, err)) == 0)
            st = run(g, sc, &cs, p, &sys, tab, w, &pctx, err);
        rk_work_clear(w);
    }
    if (st == 0 && stats != NULL) {
        stats->checkpoints = sc->max_slots;
        stats->advances = sc->advances;
        stats->recorded = sc->reversals;
        stats->stored_values = cs.nvalues;
        stats->stored_bytes = ckpt_value_bytes(stats->stored_values, p->prec);
    }
    mpblock_free(cs.block);
    rk_problem_ctx_clear(&pctx);
    ckpt_sched_clear(sc);
    return st;
}
