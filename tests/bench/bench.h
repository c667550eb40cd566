/* bench: shared pieces of the benchmark program (bench.c: driver and the
 * counting build; bench_ops.c: per-operation costs; bench_report.c: the
 * measurements and the Markdown report). */
#ifndef ADJVERIFY_BENCH_H
#define ADJVERIFY_BENCH_H

#include <mpfr.h>
#include "../../src/gradients/grad.h"
#include "opcount.h"

extern const char *const bench_op_names[OPC_N];

typedef struct {
    problem_t p;
    tableau_t tab;
    grad_result_t g;
} bench_case;

typedef struct {
    const char *out;        /* Markdown file */
    const char *count_bin;  /* the counting build, or NULL */
    const char *self;       /* this program, for the memory children */
    int quick;              /* smaller sizes, for trying the program out */
} bench_opts;

/* Wall-clock seconds (CLOCK_MONOTONIC) and CPU seconds of this process
 * (CLOCK_PROCESS_CPUTIME_ID: unaffected by time spent waiting for a core
 * on a loaded machine). */
double bench_now(void);
double bench_cpu(void);
/* The median of V[0..n-1] (sorts V). */
double bench_median(double *v, int n);

int bench_setup(bench_case *bc, const char *problem, const char *scheme,
                mpfr_prec_t prec);
void bench_teardown(bench_case *bc);
int bench_run(bench_case *bc, long N, grad_method m, long C, averr_t err);
int bench_forward(bench_case *bc, long N, averr_t err);

/* CPU seconds per call of operation KIND at PREC bits: the median of 5 timed
 * loops over operands drawn from a P1 (mlp, rk4) trajectory; negative when
 * the kind is not timed. */
double bench_op_cost(int kind, mpfr_prec_t prec);

/* Runs every measurement and writes the report; 0 on success. */
int bench_report(const bench_opts *o);

#endif
