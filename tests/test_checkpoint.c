/* test_checkpoint: the revolve schedule (it reverses every step once, in
 * order, within C slots, with the fewest advances, each step advanced at
 * most r times) and checkpointed backprop (the same bits as full storage,
 * through grad_compute too), and the verdict of claim T3. */
#include <stdlib.h>
#include <check.h>
#include "suites.h"
#include "../src/gradients/checkpoint.h"
#include "../src/claims/claims_storage.h"
#include "../src/numbers/mpvec.h"

/* Optimal advances by dynamic programming over the first split, the
 * independent route for ckpt_min_advances (L <= 60, C <= 6). */
#define DP_L 61
#define DP_C 7
static void dp_table(long t[DP_L][DP_C])
{
    for (long c = 0; c < DP_C; c++)
        t[1][c] = 0;
    for (long l = 2; l < DP_L; l++) {
        t[l][0] = -1;
        t[l][1] = l * (l - 1) / 2;
        for (long c = 2; c < DP_C; c++) {
            long best = -1;
            for (long l1 = 1; l1 < l; l1++) {
                long v = l1 + t[l1][c] + (l - l1 == 1 ? 0 : t[l - l1][c - 1]);
                if (best < 0 || v < best)
                    best = v;
            }
            t[l][c] = best;
        }
    }
}

/* Runs the schedule on step indices, checking every action. */
static void run_schedule(long N, long C, long *adv_out, long *max_rep_out)
{
    averr_t err;
    ckpt_sched_t s;
    ck_assert_int_eq(ckpt_sched_init(s, N, C, err), 0);
    long *slot = malloc((size_t)N * sizeof *slot), *rep = calloc((size_t)N, sizeof *rep);
    ck_assert(slot != NULL && rep != NULL);
    long work = 0, next = N - 1, adv = 0;
    for (ckpt_action a; (a = ckpt_sched_next(s)) != CKPT_DONE;) {
        switch (a) {
        case CKPT_STORE:
            ck_assert_msg(s->slot >= 0 && s->slot < C, "N=%ld C=%ld slot %ld", N, C, s->slot);
            ck_assert_int_eq(s->from, work);
            slot[s->slot] = work;
            break;
        case CKPT_RESTORE:
            work = slot[s->slot];
            ck_assert_int_eq(s->from, work);
            break;
        case CKPT_ADVANCE:
            ck_assert_int_eq(s->from, work);
            ck_assert_msg(s->to > s->from && s->to <= next, "N=%ld C=%ld", N, C);
            for (long n = s->from; n < s->to; n++)
                rep[n]++;
            adv += s->to - s->from;
            work = s->to;
            break;
        case CKPT_REVERSE:
            ck_assert_msg(s->from == work && s->from == next,
                          "N=%ld C=%ld: reversed %ld, expected %ld from %ld", N, C,
                          s->from, next, work);
            next--;
            break;
        case CKPT_DONE:
            break;
        }
    }
    ck_assert_int_eq(next, -1);
    ck_assert_int_eq(ckpt_sched_next(s), CKPT_DONE);
    ck_assert(s->max_slots <= C);
    long mr = 0;
    for (long n = 0; n < N; n++)
        mr = rep[n] > mr ? rep[n] : mr;
    *adv_out = adv;
    *max_rep_out = mr;
    free(slot);
    free(rep);
    ckpt_sched_clear(s);
}

START_TEST(schedule_optimal)
{
    static long t[DP_L][DP_C];
    dp_table(t);
    for (long N = 1; N < DP_L; N++)
        for (long C = 1; C < DP_C; C++) {
            long adv, mr;
            run_schedule(N, C, &adv, &mr);
            ck_assert_msg(adv == t[N][C] && adv == ckpt_min_advances(N, C),
                          "N=%ld C=%ld: %ld advances, optimum %ld, formula %ld", N, C,
                          adv, t[N][C], ckpt_min_advances(N, C));
            ck_assert_msg(mr <= ckpt_reps(N, C), "N=%ld C=%ld: a step advanced %ld > "
                          "r = %ld times", N, C, mr, ckpt_reps(N, C));
        }
}
END_TEST

/* beta(c, r) steps are covered with r repetitions, one more step needs
 * r + 1; larger N against the closed form. */
START_TEST(schedule_binomial)
{
    for (long C = 1; C <= 12; C++)
        for (long r = 1; r <= 4; r++) {
            long N = ckpt_beta(C, r), adv, mr;
            ck_assert_int_eq(ckpt_reps(N, C), r);
            ck_assert_int_eq(ckpt_reps(N + 1, C), r + 1);
            run_schedule(N, C, &adv, &mr);
            ck_assert_int_eq(mr, r);
            ck_assert_int_eq(adv, ckpt_min_advances(N, C));
        }
    ck_assert_int_eq(ckpt_beta(3, 4), 35);
    ck_assert_int_eq(ckpt_beta(0, 9), 1);
    ck_assert_int_eq(ckpt_beta(-1, 2), 0);
    long adv, mr;
    run_schedule(1000, 10, &adv, &mr);
    ck_assert_int_eq(adv, ckpt_min_advances(1000, 10));
    ck_assert_int_le(mr, ckpt_reps(1000, 10));
}
END_TEST

START_TEST(schedule_errors)
{
    averr_t err;
    ckpt_sched_t s;
    ck_assert_int_eq(ckpt_sched_init(s, 0, 3, err), AV_EINPUT);
    ck_assert_int_eq(ckpt_sched_init(s, 5, 0, err), AV_EINPUT);
}
END_TEST

/* Full storage and checkpointing give the same bits on PROBLEM/SCHEME. */
static void same_bits(const char *problem, const char *scheme, const long *Ns, int nN,
                      const long *Cs, int nC)
{
    averr_t err;
    problem_t p;
    tableau_t tab;
    grad_result_t a, b;
    ck_assert_int_eq(problem_init_lookup(p, problem, 128, err), 0);
    ck_assert_int_eq(tableau_init_builtin(tab, scheme, 128, err), 0);
    ck_assert_int_eq(grad_result_init(a, p, err), 0);
    ck_assert_int_eq(grad_result_init(b, p, err), 0);
    size_t n = (size_t)(1 + 2 * p->d + p->ntheta);
    for (int i = 0; i < nN; i++) {
        ck_assert_int_eq(bp_gradient(a, p, tab, Ns[i], err), 0);
        for (int j = 0; j < nC; j++) {
            ckpt_stats st;
            ck_assert_msg(ckpt_gradient(b, p, tab, Ns[i], Cs[j], &st, err) == 0, "%s",
                          err->msg);
            for (size_t k = 0; k < n; k++)
                ck_assert_msg(mpfr_equal_p(a->block + k, b->block + k),
                              "%s %s N=%ld C=%ld: value %zu differs", problem, scheme,
                              Ns[i], Cs[j], k);
            ck_assert_int_eq(st.recorded, Ns[i]);
            ck_assert_int_eq(st.advances, ckpt_min_advances(Ns[i], Cs[j]));
        }
    }
    grad_result_clear(b);
    grad_result_clear(a);
    tableau_clear(tab);
    problem_clear(p);
}

START_TEST(bits_explicit)
{
    /* 35 = beta(3, 4), 36 one more; 13 and 100 of no binomial form */
    static const long Ns[] = {1, 2, 13, 35, 36, 100};
    static const long Cs[] = {1, 2, 3, 5, 200};
    same_bits("mlp", "rk4", Ns, 6, Cs, 5);
}
END_TEST

START_TEST(bits_implicit)
{
    static const long Ns[] = {7, 10};
    static const long Cs[] = {1, 3};
    same_bits("stiff", "gauss2", Ns, 2, Cs, 2);
}
END_TEST

/* `--method bp --checkpoints C` reaches the checkpointed route. */
START_TEST(through_grad_compute)
{
    averr_t err;
    problem_t p;
    tableau_t tab;
    grad_result_t a, b;
    ck_assert_int_eq(problem_init_lookup(p, "mlp", 96, err), 0);
    ck_assert_int_eq(tableau_init_builtin(tab, "heun", 96, err), 0);
    ck_assert_int_eq(grad_result_init(a, p, err), 0);
    ck_assert_int_eq(grad_result_init(b, p, err), 0);
    grad_opts full = {.checkpoints = 0}, two = {.checkpoints = 2};
    ck_assert_int_eq(grad_compute(a, p, tab, 21, GRAD_BP, &full, err), 0);
    ck_assert_int_eq(grad_compute(b, p, tab, 21, GRAD_BP, &two, err), 0);
    for (int k = 0; k < 1 + 2 * p->d + p->ntheta; k++)
        ck_assert(mpfr_equal_p(a->block + k, b->block + k));
    ck_assert_int_eq(ckpt_gradient(b, p, tab, 21, 0, NULL, err), AV_EINPUT);
    grad_result_clear(b);
    grad_result_clear(a);
    tableau_clear(tab);
    problem_clear(p);
}
END_TEST

/* T3's verdict follows the measured storage: QUALIFIED when checkpointing
 * stores fewer values than full storage with the same bits; VERIFIED when
 * no such middle ground is found; REFUTED when full storage itself did not
 * store a state per step. */
START_TEST(t3_decide_flips)
{
    ck_assert_int_eq(storage_decide(1000, 100, 1, 1, 1), VERDICT_QUALIFIED);
    ck_assert_int_eq(storage_decide(1000, 1000, 1, 1, 1), VERDICT_VERIFIED);
    ck_assert_int_eq(storage_decide(1000, 100, 0, 1, 1), VERDICT_VERIFIED);
    ck_assert_int_eq(storage_decide(1000, 100, 1, 0, 1), VERDICT_REFUTED);
    ck_assert_int_eq(storage_decide(1000, 100, 1, 1, 0), VERDICT_REFUTED);
}
END_TEST

Suite *suite_checkpoint(void)
{
    Suite *s = suite_create("checkpoint");
    TCase *tc = tcase_create("schedule");
    tcase_add_test(tc, schedule_optimal);
    tcase_add_test(tc, schedule_binomial);
    tcase_add_test(tc, schedule_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("bits");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, bits_explicit);
    tcase_add_test(tc, bits_implicit);
    tcase_add_test(tc, through_grad_compute);
    suite_add_tcase(s, tc);
    tc = tcase_create("claim");
    tcase_add_test(tc, t3_decide_flips);
    suite_add_tcase(s, tc);
    return s;
}
