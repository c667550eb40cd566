/* checkpoint: backprop with binomial checkpointing.  Instead of recording
 * every step, the forward states are kept at a few checkpoints and the
 * steps between them are recomputed as the reverse pass reaches them, on
 * Griewank and Walther's revolve schedule: with c checkpoints and at most r
 * forward recomputations of any step one reverses beta(c, r) = C(c + r, c)
 * steps, with the fewest forward steps possible.  Each step is recomputed
 * by rk_step exactly as rk_solve computes it (t_n = t0 + n h, the same
 * workspace use), so the gradient equals full-storage backprop bit for bit.
 * References: Griewank (1992), Optim. Methods Softw. 1, 35-54; Griewank and
 * Walther (2000), ACM TOMS 26, 19-45 (Algorithm 799, revolve).
 */
#ifndef ADJVERIFY_CHECKPOINT_H
#define ADJVERIFY_CHECKPOINT_H

#include <stddef.h>
#include <mpfr.h>
#include "../numbers/averr.h"
#include "grad.h"

/* beta(c, r) = C(c + r, c), 0 when c < 0 or r < 0, saturating at LONG_MAX. */
long ckpt_beta(long c, long r);

/* The smallest r with beta(C, r) >= N (N >= 1, C >= 1): the most times a
 * schedule with C checkpoints advances over any one of N steps. */
long ckpt_reps(long N, long C);

/* The fewest forward steps (besides the N recording steps) needed to
 * reverse N steps with C checkpoints: r N - beta(C + 1, r - 1), r =
 * ckpt_reps(N, C) (Griewank 1992, Prop. 1).  Saturates at LONG_MAX. */
long ckpt_min_advances(long N, long C);

/* The actions of a schedule, in the order a driver must carry them out. */
typedef enum {
    CKPT_STORE,     /* copy the working state (at step `from`) into `slot` */
    CKPT_RESTORE,   /* load the working state from `slot` (step `from`) */
    CKPT_ADVANCE,   /* step the working state from `from` to `to`, no record */
    CKPT_REVERSE,   /* record step `from` (-> from + 1) from the working
                       state, then reverse it */
    CKPT_DONE
} ckpt_action;

/* A revolve schedule for N steps and C checkpoint slots (slot 0 holds the
 * initial state).  The fields after `pos` describe the last action and
 * count the actions so far. */
typedef struct {
    long N, C;        /* C is clipped to N: more slots are never used */
    long fine;        /* steps [0, fine) are still to be reversed */
    long cur;         /* step index of the working state */
    long top;         /* highest slot in use, -1 before the first store */
    int restore;      /* the next action is a restore */
    long *pos;        /* C: the step index held by each slot */
    long from, to, slot;
    long advances, stores, restores, reversals, max_slots;
} ckpt_sched_struct;
typedef ckpt_sched_struct ckpt_sched_t[1];

/* Starts a schedule; AV_EINPUT unless 1 <= N <= RK_MAX_STEPS and C >= 1,
 * AV_ESYS when memory is short.  Clear with ckpt_sched_clear. */
int ckpt_sched_init(ckpt_sched_t s, long N, long C, averr_t err);
void ckpt_sched_clear(ckpt_sched_t s);

/* The next action (its operands in s->from, s->to, s->slot); CKPT_DONE
 * once every step has been reversed, and on every later call. */
ckpt_action ckpt_sched_next(ckpt_sched_t s);

/* What a checkpointed gradient held and did. */
typedef struct {
    long checkpoints;       /* slots used at the peak */
    long advances;          /* forward steps without recording */
    long recorded;          /* forward steps recording stages (= N) */
    size_t stored_values;   /* MPFR numbers of the method's own storage:
                               the slots, one step's stages and aux, and the
                               working state (workspaces common to every
                               method not counted) */
    size_t stored_bytes;    /* the same in bytes at the working precision */
} ckpt_stats;

/* Backprop of P with tableau TAB, N uniform steps, C checkpoint slots:
 * sets G (L, zT, dtheta, dz0) to the same bits as bp_gradient.  STATS may
 * be NULL.  Errors as bp_gradient, naming the step; G untouched on
 * failure of the arguments, possibly partly written on a numerical one
 * (grad_compute guards G). */
int ckpt_gradient(grad_result_t g, const problem_t p, const tableau_t tab,
                  long N, long C, ckpt_stats *stats, averr_t err);

/* The values and bytes that full-storage backprop records for N steps of
 * an S-stage tableau on a DIM-dimensional system with NAUX aux values per
 * stage (traj_init's block), at PREC bits. */
void ckpt_full_storage(size_t *values, size_t *bytes, long N, size_t s,
                       size_t dim, size_t naux, mpfr_prec_t prec);

/* Bytes of N numbers of a block at PREC bits (struct and limbs). */
size_t ckpt_value_bytes(size_t n, mpfr_prec_t prec);

#endif
