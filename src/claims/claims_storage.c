/* claims_storage: T3, "backpropagation must store the states at every step
 * of the solver; the adjoint method avoids this", measured on P1 with rk4:
 * the values each method holds (counted from the blocks it allocates) and
 * their bytes, for full-storage backprop, checkpointed backprop at several
 * C (revolve, with the same bits as full storage) and the continuous
 * adjoint (backsolve: the augmented state [z, a, g] and one RK workspace).
 * Reference: Griewank and Walther (2008), ch. 12; Chen et al. (2018), 2.
 */
#include <stdio.h>
#include "claims_storage.h"
#include "tablegen.h"
#include "../gradients/checkpoint.h"
#include "../numbers/mpvec.h"

#define T3_N 1000
static const long t3_ckpts[] = {4, 8, 32};
#define T3_NCKPT (sizeof t3_ckpts / sizeof t3_ckpts[0])

verdict_t storage_decide(long full_values, long ckpt_values, int ckpt_same_bits,
                         int full_grows, int adjoint_constant)
{
    if (!full_grows || !adjoint_constant)
        return VERDICT_REFUTED;
    if (ckpt_values < full_values && ckpt_same_bits)
        return VERDICT_QUALIFIED;
    return VERDICT_VERIFIED;
}

typedef struct {
    long full, full10, per_step;   /* full storage at N and 10 N */
    long ckpt_min, ckpt_c;         /* fewest values over the C tried */
    int same_bits;                 /* every C gave the bits of full storage */
    long adj, adj10;               /* the adjoint at N and 10 N */
    long work;                     /* one RK workspace of the state */
} t3_evidence;

/* Values of the workspace rk_work_init allocates for a system of DIM
 * equations with NAUX aux values per stage (explicit TAB), counted from the
 * block: everything before the scratch, plus the scratch. */
static long work_values(size_t dim, size_t naux, const tableau_t tab, mpfr_prec_t prec,
                        averr_t err)
{
    rk_system sys = {.dim = dim, .naux = naux, .F = NULL, .jac = NULL, .ctx = NULL};
    rk_work_t w;
    if (rk_work_init(w, &sys, tab, prec, err) != 0)
        return AV_ESYS;
    long v = (long)(w->tmp - w->block) + (long)(4 * dim + 6);
    rk_work_clear(w);
    return v;
}

/* Values of the trajectory full-storage backprop records for N steps. */
static long traj_values(long N, const problem_t p, const tableau_t tab, averr_t err)
{
    traj_t tr;
    int st = traj_init(tr, N, (size_t)tab->s, (size_t)p->d, (size_t)p->naux, p->prec, err);
    if (st != 0)
        return st;
    long v = (long)(tr->h + 1 - tr->block);
    traj_clear(tr);
    return v;
}

static int same_bits(const grad_result_t a, const grad_result_t b, const problem_t p)
{
    for (int k = 0; k < 1 + 2 * p->d + p->ntheta; k++)
        if (!mpfr_equal_p(a->block + k, b->block + k))
            return 0;
    return 1;
}

static void row(table_t t, const char *method, long N, const char *c, const char *r,
                long fwd, long values, mpfr_prec_t prec, const char *per_step,
                const char *bits)
{
    table_row(t);
    table_cell(t, "%s", method);
    table_cell(t, "%ld", N);
    table_cell(t, "%s", c);
    table_cell(t, "%s", r);
    table_cell(t, "%ld", fwd);
    table_cell(t, "%ld", values);
    table_cell(t, "%zu", ckpt_value_bytes((size_t)values, prec));
    table_cell(t, "%s", per_step);
    table_cell(t, "%s", bits);
}

static int checkpoint_rows(table_t t, t3_evidence *ev, const grad_result_t full,
                           grad_result_t g, const problem_t p, const tableau_t tab,
                           averr_t err)
{
    ev->same_bits = 1;
    ev->ckpt_min = -1;
    for (size_t i = 0; i < T3_NCKPT; i++) {
        ckpt_stats cs;
        int st = ckpt_gradient(g, p, tab, T3_N, t3_ckpts[i], &cs, err);
        if (st != 0)
            return st;
        int same = same_bits(full, g, p);
        ev->same_bits &= same;
        long v = (long)cs.stored_values + ev->work;
        if (ev->ckpt_min < 0 || v < ev->ckpt_min) {
            ev->ckpt_min = v;
            ev->ckpt_c = t3_ckpts[i];
        }
        char c[32], r[32];
        snprintf(c, sizeof c, "%ld", t3_ckpts[i]);
        snprintf(r, sizeof r, "%ld", ckpt_reps(T3_N, t3_ckpts[i]));
        row(t, "bp, checkpointed", T3_N, c, r, cs.recorded + cs.advances, v, p->prec, "-",
            same ? "identical" : "DIFFERENT");
    }
    return 0;
}

static int storage_table(table_t t, t3_evidence *ev, mpfr_prec_t prec, averr_t err)
{
    static const char *const head[] = {"method", "N", "checkpoints C", "repetitions r",
                                       "forward steps", "values held", "bytes",
                                       "values per step", "gradient vs full storage"};
    problem_t p;
    tableau_t tab;
    grad_result_t full, g;
    int st = problem_init_lookup(p, "mlp", prec, err);
    if (st != 0)
        return st;
    if ((st = tableau_init_builtin(tab, "rk4", prec, err)) != 0) {
        problem_clear(p);
        return st;
    }
    table_init(t, "T3: values held by backprop and the adjoint, P1 (mlp), rk4", 9, head);
    size_t d = (size_t)p->d, aug = 2 * d + (size_t)p->ntheta;
    full->block = g->block = NULL;
    if ((st = grad_result_init(full, p, err)) == 0 && (st = grad_result_init(g, p, err)) == 0 &&
        (st = bp_gradient(full, p, tab, T3_N, err)) == 0) {
        ev->work = work_values(d, (size_t)p->naux, tab, prec, err);
        long f1 = traj_values(T3_N, p, tab, err), f10 = traj_values(10 * T3_N, p, tab, err);
        long a = work_values(aug, (size_t)p->naux, tab, prec, err);
        if (ev->work < 0 || f1 < 0 || f10 < 0 || a < 0)
            st = AV_ESYS;
        else {
            ev->full = f1 + ev->work;
            ev->full10 = f10 + ev->work;
            ev->per_step = (f10 - f1) / (9 * T3_N);
            /* backsolve holds the augmented state, its next value and one
             * workspace of the augmented system, whatever N is */
            ev->adj = ev->adj10 = 2 * (long)aug + a;
            char ps[32];
            snprintf(ps, sizeof ps, "%ld", ev->per_step);
            row(t, "bp, full storage", T3_N, "-", "1", T3_N, ev->full, prec, ps, "(itself)");
            row(t, "bp, full storage", 10 * T3_N, "-", "1", 10 * T3_N, ev->full10, prec, ps,
                "-");
            st = checkpoint_rows(t, ev, full, g, p, tab, err);
            row(t, "adjoint (backsolve)", T3_N, "-", "-", 2 * T3_N, ev->adj, prec, "-",
                "not the same map");
        }
    }
    if (st == 0) {
        table_set_command(t, "adjverify tables", (long)prec);
        table_note(t, "values held: the numbers each method allocates for N steps, "
                   "counted from its blocks (trajectory or checkpoint slots, one step's "
                   "stages and tanh values, and one RK workspace); bytes = values x "
                   "(%zu-byte struct + %zu bytes of limbs at %ld bits).",
                   sizeof(__mpfr_struct), mpfr_custom_get_size(prec), (long)prec);
        table_note(t, "checkpointed rows run revolve (Griewank and Walther) and compare "
                   "L, z(T), dL/dtheta and dL/dz(0) bit for bit with full storage; "
                   "forward steps = recorded steps + recomputed steps.");
        table_note(t, "adjoint row: counted from the data it integrates (the augmented "
                   "state [z, a, g] of %zu values, its next value and an rk4 workspace of "
                   "that system); its forward steps are N forward and N backward. It "
                   "computes the continuous adjoint, not the discrete map's gradient.",
                   aug);
    }
    grad_result_clear(g);
    grad_result_clear(full);
    tableau_clear(tab);
    problem_clear(p);
    if (st != 0)
        table_clear(t);
    return st;
}

/* The accuracy side of the adjoint's O(1) memory: digits to which
 * backsolve's dL/dtheta on P6 (rk4, N = 100) agrees with backprop's, or -1
 * when backsolve is not in grad_compute in this build. */
static long backsolve_digits(mpfr_prec_t prec)
{
    averr_t err;
    problem_t p;
    tableau_t tab;
    grad_result_t a, b;
    long dg = -1;
    if (problem_init_lookup(p, "decay", prec, err) != 0)
        return -1;
    if (tableau_init_builtin(tab, "rk4", prec, err) == 0) {
        if (grad_result_init(a, p, err) == 0) {
            if (grad_result_init(b, p, err) == 0) {
                if (grad_compute(a, p, tab, 100, GRAD_BACKSOLVE, NULL, err) == 0 &&
                    grad_compute(b, p, tab, 100, GRAD_BP, NULL, err) == 0)
                    dg = mpvec_digits(a->dtheta, b->dtheta, (size_t)p->ntheta,
                                      mpnum_max_digits(prec));
                grad_result_clear(b);
            }
            grad_result_clear(a);
        }
        tableau_clear(tab);
    }
    problem_clear(p);
    return dg;
}

static int check_t3(claim_result *r, const claim_opts *o, averr_t err)
{
    t3_evidence ev;
    int st = storage_table(r->detail, &ev, o->prec, err);
    if (st != 0)
        return st;
    long bs = backsolve_digits(o->prec);
    char acc[200];
    if (bs < 0)
        snprintf(acc, sizeof acc, "backsolve is not in grad_compute in this build, so "
                 "its storage is counted from the data it integrates");
    else
        snprintf(acc, sizeof acc, "on P6 (rk4, N = 100) backsolve's dL/dtheta agrees "
                 "with backprop's to %ld digits", bs);
    r->has_detail = 1;
    int grows = ev.full10 > ev.full && ev.per_step > 0;
    r->verdict = storage_decide(ev.full, ev.ckpt_min, ev.same_bits, grows,
                                ev.adj10 == ev.adj);
    claim_evidence(r, "P1, rk4, N = %d, %ld bits: full-storage backprop holds %ld values "
                   "(%ld per step; %ld at N = %d), checkpointed backprop with C = %ld "
                   "holds %ld (r = %ld) and gives the %s bits; the adjoint holds %ld "
                   "whatever N: backprop need not store every step (it trades "
                   "recomputation for memory), the adjoint's O(1) memory computes a "
                   "different gradient (%s)", T3_N, (long)o->prec, ev.full, ev.per_step,
                   ev.full10, 10 * T3_N, ev.ckpt_c, ev.ckpt_min,
                   ckpt_reps(T3_N, ev.ckpt_c), ev.same_bits ? "same" : "NOT the same",
                   ev.adj, acc);
    return 0;
}

const claim_def claim_T3 = {
    .id = "T3",
    .source = "003",
    .statement = "Backpropagation must store the states at every step of the solver; "
                 "the adjoint method avoids this.",
    .reading = "Count the values each method holds on P1 (rk4, N = 1000 and 10000): "
               "full-storage backprop grows by a fixed number of values per step; "
               "checkpointed backprop (revolve, C slots) holds O(C) values and gives "
               "the same bits by recomputing steps; the continuous adjoint (backsolve) "
               "holds O(1) (counted from the data it integrates: the augmented state "
               "and one RK workspace; where backsolve answers in grad_compute, its "
               "agreement with backprop on P6 is shown as the price). QUALIFIED when "
               "checkpointing holds fewer values with the same bits: 'must' holds "
               "only for backprop without recomputation.",
    .command = "adjverify verify --only T3",
    .file = "src/claims/claims_storage.c",
    .func = "check_t3",
    .check = check_t3,
};

static int make_storage(table_t *out, int *n, const claim_opts *o, averr_t err)
{
    t3_evidence ev;
    int st = storage_table(out[0], &ev, o->prec, err);
    *n = st == 0 ? 1 : 0;
    return st;
}

const tablegen_def tablegen_storage = {
    .base = "storage",
    .summary = "T3: values and bytes held by full-storage and checkpointed backprop "
               "and by the adjoint",
    .make = make_storage,
};
