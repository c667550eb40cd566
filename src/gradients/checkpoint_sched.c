/* checkpoint_sched: the revolve schedule as a sequence of actions, apart
 * from any arithmetic, so that tests can run it on step indices alone.
 * The split of a stretch of l steps with c free slots follows Griewank and
 * Walther (2000), section 3: with r the repetition number (beta(c, r-1) <
 * l <= beta(c, r)) the first checkpoint goes as far as keeps both parts
 * within their binomial bounds and the total number of advances minimal.
 */
#include <limits.h>
#include <stdlib.h>
#include "checkpoint.h"

long ckpt_beta(long c, long r)
{
    if (c < 0 || r < 0)
        return 0;
    long k = c < r ? c : r, n = c + r, v = 1;
    /* v = C(n - k + i, i) after step i: every quotient is exact. */
    for (long i = 1; i <= k; i++) {
        long f = n - k + i;
        if (v > LONG_MAX / f)
            return LONG_MAX;
        v = v * f / i;
    }
    return v;
}

long ckpt_reps(long N, long C)
{
    long r = 0;
    while (ckpt_beta(C, r) < N)
        r++;
    return r;
}

long ckpt_min_advances(long N, long C)
{
    long r = ckpt_reps(N, C);
    if (r > 0 && N > LONG_MAX / r)
        return LONG_MAX;
    return r * N - ckpt_beta(C + 1, r - 1);
}

/* Steps to advance from a checkpoint over a stretch of L >= 2 steps with C
 * slots counting the one the stretch starts from. */
static long split(long l, long c)
{
    if (c <= 1)
        return l - 1;
    long r = ckpt_reps(l, c), range = ckpt_beta(c, r);
    long b1 = ckpt_beta(c, r - 1), b2 = ckpt_beta(c - 1, r - 1);
    long b3 = ckpt_beta(c - 2, r - 1), b4 = ckpt_beta(c, r - 2);
    long b5 = ckpt_beta(c - 3, r);
    long l1;
    if (l <= b1 + b3)
        l1 = b4;
    else if (l >= range - b5)
        l1 = b1;
    else
        l1 = l - b2 - b3;
    if (l1 < 1)
        l1 = 1;
    return l1 < l ? l1 : l - 1;
}

int ckpt_sched_init(ckpt_sched_t s, long N, long C, averr_t err)
{
    s->pos = NULL;
    if (N < 1 || N > RK_MAX_STEPS)
        return averr_set(err, AV_EINPUT, "steps must be from 1 to %ld, not %ld",
                         RK_MAX_STEPS, N);
    if (C < 1)
        return averr_set(err, AV_EINPUT, "checkpoints must be at least 1, not %ld", C);
    s->N = N;
    s->C = C < N ? C : N;
    s->fine = N;
    s->cur = 0;
    s->top = -1;
    s->restore = 0;
    s->from = s->to = s->slot = 0;
    s->advances = s->stores = s->restores = s->reversals = s->max_slots = 0;
    s->pos = malloc((size_t)s->C * sizeof *s->pos);
    if (s->pos == NULL)
        return averr_set(err, AV_ESYS, "out of memory for %ld checkpoints", s->C);
    return 0;
}

void ckpt_sched_clear(ckpt_sched_t s)
{
    free(s->pos);
    s->pos = NULL;
}

ckpt_action ckpt_sched_next(ckpt_sched_t s)
{
    if (s->fine == 0)
        return CKPT_DONE;
    if (s->restore) {
        s->restore = 0;
        s->cur = s->pos[s->top];
        s->slot = s->top;
        s->from = s->to = s->cur;
        s->restores++;
        return CKPT_RESTORE;
    }
    long l = s->fine - s->cur;
    if (l == 1) {
        /* The step just before the reversal front: record and reverse it;
         * a checkpoint at the new front is no longer needed. */
        s->from = s->cur;
        s->to = s->cur + 1;
        s->fine--;
        s->reversals++;
        if (s->top > 0 && s->pos[s->top] == s->fine)
            s->top--;
        s->restore = s->fine > 0;
        return CKPT_REVERSE;
    }
    if (s->top < 0 || s->pos[s->top] != s->cur) {
        s->top++;
        s->pos[s->top] = s->cur;
        s->slot = s->top;
        s->from = s->to = s->cur;
        s->stores++;
        if (s->top + 1 > s->max_slots)
            s->max_slots = s->top + 1;
        return CKPT_STORE;
    }
    long l1 = split(l, s->C - s->top);
    s->from = s->cur;
    s->to = s->cur + l1;
    s->cur = s->to;
    s->advances += l1;
    return CKPT_ADVANCE;
}
