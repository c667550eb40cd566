/* claims_refcache: reference gradients shared by one run's checks and
 * tables.  Each entry keeps every output of one call (route 2's g(0) and
 * the error estimate included: they are outputs only, so asking for them
 * changes nothing the call computes), copied out exactly on a hit.
 */
#include <stdlib.h>
#include <string.h>
#include "claims_refcache.h"
#include "../gradients/reference.h"
#include "../numbers/mpvec.h"

struct claim_refgrad {
    struct claim_refgrad *next;
    char name[32];
    mpfr_prec_t prec;
    refc_route route;
    grad_result_t g;
    mpfr_ptr gode;     /* ntheta values at PREC (route 2) */
    mpfr_ptr est;      /* one value at REFC_EST_PREC */
};

/* One call of the route into G, GODE, EST on a fresh problem NAME at PREC. */
static int refc_compute(grad_result_t g, mpfr_ptr gode, mpfr_ptr est,
                        const char *name, mpfr_prec_t prec, refc_route route,
                        averr_t err)
{
    problem_t p;
    ref_opts o;
    if (problem_init_lookup(p, name, prec, err) != 0)
        return err->code;
    ref_opts_default(&o, prec);
    int st = route == REFC_ADJOINT
        ? ref_gradient_adjoint(g, gode, est, p, &o, err)
        : ref_gradient_sens(g, est, p, &o, err);
    problem_clear(p);
    return st;
}

static void refc_entry_free(struct claim_refgrad *e)
{
    grad_result_clear(e->g);
    mpblock_free(e->gode);
    mpblock_free(e->est);
    free(e);
}

/* A new entry with every output of the route, or NULL with ERR set. */
static struct claim_refgrad *refc_entry_make(const char *name, mpfr_prec_t prec,
                                             refc_route route, averr_t err)
{
    if (strlen(name) >= sizeof ((struct claim_refgrad *)0)->name) {
        averr_set(err, AV_EINPUT, "reference cache: problem name too long");
        return NULL;
    }
    struct claim_refgrad *e = calloc(1, sizeof *e);
    if (e == NULL) {
        averr_set(err, AV_ESYS, "reference cache: out of memory");
        return NULL;
    }
    problem_t p;
    int st = problem_init_lookup(p, name, prec, err);
    if (st != 0) {
        free(e);
        return NULL;
    }
    st = grad_result_init(e->g, p, err);
    size_t nth = (size_t)p->ntheta;
    problem_clear(p);
    if (st != 0) {
        free(e);
        return NULL;
    }
    e->gode = mpblock_alloc(nth, prec, err);
    e->est = e->gode == NULL ? NULL : mpblock_alloc(1, REFC_EST_PREC, err);
    if (e->est == NULL
        || refc_compute(e->g, route == REFC_ADJOINT ? e->gode : NULL, e->est,
                        name, prec, route, err) != 0) {
        refc_entry_free(e);
        return NULL;
    }
    strcpy(e->name, name);
    e->prec = prec;
    e->route = route;
    return e;
}

int refc_gradient(grad_result_t g, mpfr_ptr gode, mpfr_ptr est, claim_ctx *c,
                  const char *name, mpfr_prec_t prec, refc_route route,
                  averr_t err)
{
    if (c == NULL || (est != NULL && mpfr_get_prec(est) != REFC_EST_PREC))
        return refc_compute(g, gode, est, name, prec, route, err);
    struct claim_refgrad *e = c->refs;
    while (e != NULL && !(e->prec == prec && e->route == route
                          && strcmp(e->name, name) == 0))
        e = e->next;
    if (e == NULL) {
        if ((e = refc_entry_make(name, prec, route, err)) == NULL)
            return err->code;
        e->next = c->refs;
        c->refs = e;
    }
    mpvec_set(g->block, e->g->block,
              (size_t)(1 + 2 * e->g->d + e->g->ntheta));
    if (gode != NULL && route == REFC_ADJOINT)
        mpvec_set(gode, e->gode, (size_t)e->g->ntheta);
    if (est != NULL)
        mpfr_set(est, e->est, MPFR_RNDN);
    return 0;
}

int refc_count(const claim_ctx *c)
{
    int n = 0;
    for (const struct claim_refgrad *e = c->refs; e != NULL; e = e->next)
        n++;
    return n;
}

void refc_clear(claim_ctx *c)
{
    while (c->refs != NULL) {
        struct claim_refgrad *e = c->refs;
        c->refs = e->next;
        refc_entry_free(e);
    }
}
