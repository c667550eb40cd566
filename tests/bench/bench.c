/* bench: `make bench`.  Times P1 (mlp) forward + backprop with rk4 against
 * the floor its MPFR operations set: the operations are counted by a
 * second build (bench_count, see opcount.h) and each kind is timed alone at
 * the same precision on operands drawn from a P1 trajectory; the floor is
 * sum(count x cost).  Also: the other gradient methods, time against N and
 * against precision, and peak memory of full-storage and checkpointed
 * backprop in child processes.  Writes Markdown (tables/bench.md).
 * Compiled with BENCH_COUNT it is bench_count: it runs one gradient and
 * prints the operation counts.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "../../src/gradients/grad.h"
#include "../../src/gradients/checkpoint.h"
#include "../../src/numbers/mpvec.h"
#include "opcount.h"
#include "bench.h"

#define OPC_NAME(E, n) "mpfr_" #n,
const char *const bench_op_names[OPC_N] = {OPC_KINDS(OPC_NAME)};
#undef OPC_NAME

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double bench_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return v[n / 2];
}

int bench_setup(bench_case *bc, const char *problem, const char *scheme,
                mpfr_prec_t prec)
{
    averr_t err;
    if (problem_init_lookup(bc->p, problem, prec, err) != 0 ||
        tableau_init_builtin(bc->tab, scheme, prec, err) != 0 ||
        grad_result_init(bc->g, bc->p, err) != 0) {
        fprintf(stderr, "bench: %s\n", err->msg);
        return -1;
    }
    return 0;
}

void bench_teardown(bench_case *bc)
{
    grad_result_clear(bc->g);
    tableau_clear(bc->tab);
    problem_clear(bc->p);
}

/* One gradient by METHOD (C > 0: checkpointed bp); the status. */
int bench_run(bench_case *bc, long N, grad_method m, long C, averr_t err)
{
    grad_opts o = {.checkpoints = C};
    return grad_compute(bc->g, bc->p, bc->tab, N, m, &o, err);
}

/* The forward solve alone, recording the trajectory as backprop does. */
int bench_forward(bench_case *bc, long N, averr_t err)
{
    traj_t tr;
    rk_problem_ctx pctx;
    rk_system sys;
    int st = traj_init(tr, N, (size_t)bc->tab->s, (size_t)bc->p->d,
                       (size_t)bc->p->naux, bc->p->prec, err);
    if (st != 0)
        return st;
    if ((st = rk_problem_ctx_init(&pctx, bc->p, err)) == 0) {
        rk_system_of_problem(&sys, &pctx);
        st = rk_solve(bc->g->zT, tr, &sys, bc->tab, tr->t0, bc->p->T, N, bc->p->z0,
                      bc->p->prec, err);
        rk_problem_ctx_clear(&pctx);
    }
    traj_clear(tr);
    return st;
}

#ifdef BENCH_COUNT
unsigned long opc_count[OPC_N];

/* bench_count PREC N: the operations of the forward solve, then of
 * forward + backprop, one "phase kind count" line each. */
int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    bench_case bc;
    long prec = atol(argv[1]), N = atol(argv[2]);
    if (bench_setup(&bc, "mlp", "rk4", prec) != 0)
        return 1;
    averr_t err;
    memset(opc_count, 0, sizeof opc_count);
    int st = bench_forward(&bc, N, err);
    for (int k = 0; k < OPC_N && st == 0; k++)
        printf("forward %s %lu\n", bench_op_names[k], opc_count[k]);
    memset(opc_count, 0, sizeof opc_count);
    if (st == 0)
        st = bench_run(&bc, N, GRAD_BP, 0, err);
    for (int k = 0; k < OPC_N && st == 0; k++)
        printf("total %s %lu\n", bench_op_names[k], opc_count[k]);
    if (st != 0)
        fprintf(stderr, "bench_count: %s\n", err->msg);
    bench_teardown(&bc);
    return st == 0 ? 0 : 1;
}
#else

/* bench --child full|ckpt N PREC C: one gradient, then "maxrss_kB wall cpu"
 * (seconds). */
static int child(char **argv)
{
    bench_case bc;
    long N = atol(argv[1]), prec = atol(argv[2]), C = atol(argv[3]);
    if (bench_setup(&bc, "mlp", "rk4", prec) != 0)
        return 1;
    averr_t err;
    double t0 = bench_now(), c0 = bench_cpu();
    int st = bench_run(&bc, N, GRAD_BP, strcmp(argv[0], "ckpt") == 0 ? C : 0, err);
    double t = bench_now() - t0, c = bench_cpu() - c0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (st != 0)
        fprintf(stderr, "bench child: %s\n", err->msg);
    else
        printf("%ld %.6f %.6f\n", (long)ru.ru_maxrss, t, c);
    bench_teardown(&bc);
    return st == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "--child") == 0)
        return child(argv + 2);
    bench_opts o = {.out = "tables/bench.md", .count_bin = NULL, .self = argv[0],
                    .quick = 0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            o.out = argv[++i];
        else if (strcmp(argv[i], "--count-bin") == 0 && i + 1 < argc)
            o.count_bin = argv[++i];
        else if (strcmp(argv[i], "--quick") == 0)
            o.quick = 1;
        else {
            fprintf(stderr, "usage: bench [--out FILE] [--count-bin PATH] [--quick]\n");
            return 2;
        }
    }
    return bench_report(&o) == 0 ? 0 : 1;
}
#endif
