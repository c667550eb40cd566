/* bench_report: the measurements of `make bench` and their Markdown report.
 * Times are medians of 5 runs after one warm-up run (of 3 where a run takes
 * seconds); the floor of a computation is sum over operation kinds of
 * (count x cost per call), the counts from bench_count.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpfr.h>
#include <gmp.h>
#include "bench.h"
#include "../../src/gradients/checkpoint.h"

#define BENCH_N 1000
static const long main_precs[] = {53, 256, 1024};
#define NPREC 3

typedef struct {
    double wall, cpu;   /* medians, seconds */
} timing;

/* Median wall and CPU times of gradient runs (forward only when FWD), one
 * warm-up first; wall < 0 when the method does not answer (its message in
 * WHY). */
static timing time_median(bench_case *bc, long N, grad_method m, long C, int fwd,
                          char *why, size_t nwhy)
{
    averr_t err;
    timing res = {-1.0, -1.0};
    double t0 = bench_now();
    int st = fwd ? bench_forward(bc, N, err) : bench_run(bc, N, m, C, err);
    double warm = bench_now() - t0;
    if (st != 0) {
        snprintf(why, nwhy, "%.200s", err->msg);
        return res;
    }
    int n = warm > 5.0 ? 3 : 5;
    double wall[5], cpu[5];
    for (int j = 0; j < n; j++) {
        t0 = bench_now();
        double c0 = bench_cpu();
        if (fwd)
            bench_forward(bc, N, err);
        else
            bench_run(bc, N, m, C, err);
        cpu[j] = bench_cpu() - c0;
        wall[j] = bench_now() - t0;
    }
    res.wall = bench_median(wall, n);
    res.cpu = bench_median(cpu, n);
    return res;
}

/* Operation counts from the counting build: FWD and TOTAL (OPC_N each). */
static int read_counts(const char *bin, long prec, long N, unsigned long *fwd,
                       unsigned long *total)
{
    char cmd[1024], phase[16], name[64];
    unsigned long v;
    snprintf(cmd, sizeof cmd, "%s %ld %ld", bin, prec, N);
    FILE *f = popen(cmd, "r");
    if (f == NULL)
        return -1;
    int got = 0;
    while (fscanf(f, "%15s %63s %lu", phase, name, &v) == 3)
        for (int k = 0; k < OPC_N; k++)
            if (strcmp(name, bench_op_names[k]) == 0) {
                (strcmp(phase, "forward") == 0 ? fwd : total)[k] = v;
                got++;
            }
    return pclose(f) == 0 && got == 2 * OPC_N ? 0 : -1;
}

static void machine(FILE *out)
{
    char line[512], model[256] = "unknown";
    FILE *f = fopen("/proc/cpuinfo", "r");
    int cpus = 0;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "processor", 9) == 0)
            cpus++;
        char *c = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && c != NULL && strcmp(model, "unknown") == 0) {
            snprintf(model, sizeof model, "%s", c + 2);
            model[strcspn(model, "\n")] = 0;
        }
    }
    if (f != NULL)
        fclose(f);
    int np = 0;
    FILE *p = popen("nproc", "r");
    if (p != NULL) {
        if (fscanf(p, "%d", &np) != 1)
            np = 0;
        pclose(p);
    }
    fprintf(out, "Machine: %s; `nproc` = %d (%d processors in /proc/cpuinfo); MPFR %s, "
            "GMP %s; compiled with the Makefile's flags. Single-threaded runs.\n\n",
            model, np, cpus, mpfr_get_version(), gmp_version);
}

/* Section 1: forward + backprop against the operation-count floor. */
static int floor_section(FILE *out, const bench_opts *o)
{
    static unsigned long fwd[NPREC][OPC_N], tot[NPREC][OPC_N];
    static double cost[NPREC][OPC_N];
    if (o->count_bin == NULL) {
        fprintf(out, "(no counting build given: floor section skipped)\n\n");
        return 0;
    }
    for (int i = 0; i < NPREC; i++) {
        if (read_counts(o->count_bin, main_precs[i], BENCH_N, fwd[i], tot[i]) != 0) {
            fprintf(stderr, "bench: the counting build failed\n");
            return -1;
        }
        for (int k = 0; k < OPC_N; k++)
            cost[i][k] = tot[i][k] > 0 ? bench_op_cost(k, main_precs[i]) : 0.0;
    }
    fprintf(out, "## P1 (mlp), rk4, N = %d: forward + backprop against the operation "
            "floor\n\nOperations counted by `bench_count` (the forward solve, the "
            "backprop reverse pass and the loss compiled again with every MPFR call "
            "wrapped in a counter); cost per call timed alone at that precision on "
            "operands drawn from a P1 trajectory (median of 5 loops of about 20 ms of "
            "CPU time). Times of the whole computation: medians of 5 runs after a "
            "warm-up, CPU time (CLOCK_PROCESS_CPUTIME_ID) and wall time "
            "(CLOCK_MONOTONIC); on a loaded machine the wall time also counts the "
            "time spent waiting for a core.\n\n",
            BENCH_N);
    fprintf(out, "| operation | count (forward) | count (forward + backprop) |");
    for (int i = 0; i < NPREC; i++)
        fprintf(out, " ns/call at %ld bits |", main_precs[i]);
    fprintf(out, "\n|---|---:|---:|");
    for (int i = 0; i < NPREC; i++)
        fprintf(out, "---:|");
    fprintf(out, "\n");
    for (int k = 0; k < OPC_N; k++) {
        if (tot[0][k] == 0)
            continue;
        fprintf(out, "| %s | %lu | %lu |", bench_op_names[k], fwd[0][k], tot[0][k]);
        for (int i = 0; i < NPREC; i++)
            fprintf(out, " %.1f |", 1e9 * cost[i][k]);
        fprintf(out, "\n");
    }
    fprintf(out, "\n| bits | part | CPU time (ms) | wall time (ms) | floor (ms) | "
            "CPU / floor | wall / floor |\n|---:|---|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < NPREC; i++) {
        bench_case bc;
        char why[256];
        if (bench_setup(&bc, "mlp", "rk4", main_precs[i]) != 0)
            return -1;
        for (int part = 0; part < 2; part++) {
            double fl = 0;
            for (int k = 0; k < OPC_N; k++)
                fl += (double)(part ? tot[i][k] : fwd[i][k]) * cost[i][k];
            timing t = time_median(&bc, BENCH_N, GRAD_BP, 0, !part, why, sizeof why);
            fprintf(out, "| %ld | %s | %.3f | %.3f | %.3f | %.2f | %.2f |\n",
                    main_precs[i], part ? "forward + backprop" : "forward (recording)",
                    1e3 * t.cpu, 1e3 * t.wall, 1e3 * fl, t.cpu / fl, t.wall / fl);
        }
        bench_teardown(&bc);
    }
    for (int i = 1; i < NPREC; i++)
        for (int k = 0; k < OPC_N; k++)
            if (tot[i][k] != tot[0][k] || fwd[i][k] != fwd[0][k])
                fprintf(out, "\nNote: the counts at %ld bits differ from those at %ld "
                        "bits for %s.\n", main_precs[i], main_precs[0], bench_op_names[k]);
    fprintf(out, "\n");
    return 0;
}

/* Section 2: every gradient method at 256 bits. */
static int methods_section(FILE *out)
{
    bench_case bc;
    if (bench_setup(&bc, "mlp", "rk4", 256) != 0)
        return -1;
    fprintf(out, "## Gradient methods, P1, rk4, N = %d, 256 bits\n\n| method | CPU "
            "time (ms) | wall time (ms) | note |\n|---|---:|---:|---|\n", BENCH_N);
    for (int m = 0; m < GRAD_NMETHODS; m++) {
        for (int c = 0; c < (m == GRAD_BP ? 2 : 1); c++) {
            char why[256] = "", name[64];
            long C = c ? 32 : 0;
            timing t = time_median(&bc, BENCH_N, (grad_method)m, C, 0, why, sizeof why);
            snprintf(name, sizeof name, "%s%s", grad_method_name((grad_method)m),
                     c ? " --checkpoints 32" : "");
            if (t.wall < 0)
                fprintf(out, "| %s | - | - | does not answer in this build: %s |\n", name,
                        why);
            else
                fprintf(out, "| %s | %.3f | %.3f | %s |\n", name, 1e3 * t.cpu, 1e3 * t.wall,
                        m == GRAD_REFERENCE ? "scheme and N ignored" : "");
        }
    }
    fprintf(out, "\n");
    bench_teardown(&bc);
    return 0;
}

/* Section 3: time against N (256 bits) and against precision (N = 1000). */
static int scaling_section(FILE *out, int quick)
{
    static const long Ns[] = {100, 1000, 10000, 100000};
    static const long precs[] = {53, 128, 256, 512, 1024, 2048, 4096};
    int nN = quick ? 3 : 4;
    bench_case bc;
    char why[256];
    double lx[4], ly[4];
    if (bench_setup(&bc, "mlp", "rk4", 256) != 0)
        return -1;
    fprintf(out, "## Time against N (P1, rk4, forward + backprop, 256 bits)\n\n"
            "| N | CPU time (ms) | wall time (ms) | CPU time / N (us) |\n"
            "|---:|---:|---:|---:|\n");
    for (int i = 0; i < nN; i++) {
        timing t = time_median(&bc, Ns[i], GRAD_BP, 0, 0, why, sizeof why);
        lx[i] = log((double)Ns[i]);
        ly[i] = log(t.cpu);
        fprintf(out, "| %ld | %.3f | %.3f | %.2f |\n", Ns[i], 1e3 * t.cpu, 1e3 * t.wall,
                1e6 * t.cpu / (double)Ns[i]);
    }
    bench_teardown(&bc);
    double mx = 0, my = 0, sxy = 0, sxx = 0;
    for (int i = 0; i < nN; i++) {
        mx += lx[i] / nN;
        my += ly[i] / nN;
    }
    for (int i = 0; i < nN; i++) {
        sxy += (lx[i] - mx) * (ly[i] - my);
        sxx += (lx[i] - mx) * (lx[i] - mx);
    }
    fprintf(out, "\nLeast-squares slope of log(CPU time) against log(N): %.3f.\n\n", sxy / sxx);
    fprintf(out, "## Time against precision (P1, rk4, forward + backprop, N = %d)\n\n"
            "| bits | CPU time (ms) | wall time (ms) | CPU time / CPU time at 53 bits |\n"
            "|---:|---:|---:|---:|\n", BENCH_N);
    double t53 = 0;
    for (size_t i = 0; i < sizeof precs / sizeof precs[0]; i++) {
        if (bench_setup(&bc, "mlp", "rk4", precs[i]) != 0)
            return -1;
        timing t = time_median(&bc, BENCH_N, GRAD_BP, 0, 0, why, sizeof why);
        t53 = i == 0 ? t.cpu : t53;
        fprintf(out, "| %ld | %.3f | %.3f | %.2f |\n", precs[i], 1e3 * t.cpu, 1e3 * t.wall,
                t.cpu / t53);
        bench_teardown(&bc);
    }
    fprintf(out, "\n");
    return 0;
}

/* Section 4: peak memory of one gradient in a child process. */
static int child_run(const char *self, const char *mode, long N, long prec, long C,
                     long *kb, timing *sec)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s --child %s %ld %ld %ld", self, mode, N, prec, C);
    FILE *f = popen(cmd, "r");
    if (f == NULL)
        return -1;
    int ok = fscanf(f, "%ld %lf %lf", kb, &sec->wall, &sec->cpu) == 3;
    return pclose(f) == 0 && ok ? 0 : -1;
}

static int memory_section(FILE *out, const bench_opts *o)
{
    long N = o->quick ? 10000 : 100000, prec = 1024, kb, kb0;
    timing sec, sec0, tfull;
    static const long Cs[] = {100, 1000};
    if (child_run(o->self, "full", 1, prec, 0, &kb0, &sec0) != 0)
        return -1;
    fprintf(out, "## Peak memory, P1, rk4, N = %ld, %ld bits (one gradient per child "
            "process; getrusage ru_maxrss)\n\nA child computing N = 1 peaks at %.1f MB "
            "(the program itself).\n\n| backprop | checkpoints C | repetitions r | "
            "recomputed steps | peak RSS (MB) | CPU time (s) | wall time (s) | CPU time "
            "/ full storage's |\n|---|---:|---:|---:|---:|---:|---:|---:|\n", N, prec,
            kb0 / 1024.0);
    if (child_run(o->self, "full", N, prec, 0, &kb, &tfull) != 0)
        return -1;
    size_t values, bytes;
    ckpt_full_storage(&values, &bytes, N, 4, 2, 3, prec);
    fprintf(out, "| full storage | - | 1 | 0 | %.1f | %.2f | %.2f | 1.00 |\n", kb / 1024.0,
            tfull.cpu, tfull.wall);
    for (size_t i = 0; i < sizeof Cs / sizeof Cs[0]; i++) {
        if (child_run(o->self, "ckpt", N, prec, Cs[i], &kb, &sec) != 0)
            return -1;
        fprintf(out, "| checkpointed | %ld | %ld | %ld | %.1f | %.2f | %.2f | %.2f |\n",
                Cs[i], ckpt_reps(N, Cs[i]), ckpt_min_advances(N, Cs[i]), kb / 1024.0,
                sec.cpu, sec.wall, sec.cpu / tfull.cpu);
    }
    fprintf(out, "\nThe full-storage trajectory alone is %zu MPFR numbers = %.1f MB at "
            "%ld bits (ckpt_full_storage).\n\n", values, (double)bytes / 1048576.0, prec);
    return 0;
}

int bench_report(const bench_opts *o)
{
    FILE *out = fopen(o->out, "w");
    if (out == NULL) {
        perror(o->out);
        return -1;
    }
    fprintf(out, "# Benchmarks\n\nProduced by `make bench` (tests/bench/); times vary "
            "from run to run and machine to machine, so this file is not part of the "
            "byte-identical tables.\n\n");
    machine(out);
    int st = memory_section(out, o);
    if (st == 0)
        st = floor_section(out, o);
    if (st == 0)
        st = methods_section(out);
    if (st == 0)
        st = scaling_section(out, o->quick);
    fclose(out);
    if (st != 0)
        fprintf(stderr, "bench: a measurement failed\n");
    return st;
}
