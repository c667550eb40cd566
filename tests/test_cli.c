/* test_cli: the adjverify program run as a user runs it (path in
 * ADJVERIFY_BIN, set by `make check`), its output and exit codes captured.
 * `gradient --format csv` prints exactly the rows of the design with the
 * values the library computes; every bad input of issue 2 exits 2 with one
 * `adjverify: error:` message and nothing on stdout.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <check.h>
#include <mpfr.h>
#include "suites.h"
#include "testutil.h"
#include "../src/numbers/kvfile.h"
#include "../src/gradients/grad.h"

extern char **environ;

#define MAX_ARGS 24

/* What one run of the program left: exit status (or -1 when it did not
 * exit normally), its stdout and stderr (NUL-terminated, owned). */
typedef struct {
    int status;
    char *out, *err;
} run_result;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot reopen %s", path);
    size_t cap = 4096, len = 0, got;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len < 2) {
            buf = realloc(buf, cap *= 2);
            ck_assert_ptr_nonnull(buf);
        }
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* Runs the program with ARGS (NULL-terminated, without argv[0]), capturing
 * both streams. */
static void run_cli(run_result *r, const char *const *args)
{
    const char *bin = getenv("ADJVERIFY_BIN");
    ck_assert_msg(bin != NULL, "ADJVERIFY_BIN is not set (run through make check)");
    char out_path[] = "/tmp/adjverify-out-XXXXXX", err_path[] = "/tmp/adjverify-err-XXXXXX";
    int fo = mkstemp(out_path), fe = mkstemp(err_path);
    ck_assert(fo >= 0 && fe >= 0);
    char *argv[MAX_ARGS + 2];
    int n = 0;
    argv[n++] = (char *)bin;
    while (args[n - 1] != NULL && n <= MAX_ARGS)
        argv[n] = (char *)args[n - 1], n++;
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
    posix_spawn_file_actions_adddup2(&fa, fo, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, fe, STDERR_FILENO);
    pid_t pid;
    int rc = posix_spawn(&pid, bin, &fa, NULL, argv, environ);
    ck_assert_msg(rc == 0, "cannot run %s: %s", bin, strerror(rc));
    int ws;
    ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
    posix_spawn_file_actions_destroy(&fa);
    close(fo);
    close(fe);
    r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    r->out = slurp(out_path);
    r->err = slurp(err_path);
    unlink(out_path);
    unlink(err_path);
}

static void run_clear(run_result *r)
{
    free(r->out);
    free(r->err);
}

/* A scratch directory with small input files, removed afterwards. */
static char tmpdir[64];

static const char *tmp_file(char *path, size_t size, const char *name,
                            const char *text)
{
    snprintf(path, size, "%s/%s", tmpdir, name);
    if (text != NULL) {
        FILE *f = fopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fputs(text, f) >= 0, 1);
        ck_assert_int_eq(fclose(f), 0);
    }
    return path;
}

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/adjverify-cli-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* ---- the one CSV the design fixes ---- */

/* `gradient --problem mlp --scheme rk4 --steps 16 --method bp --digits 40
 * --format csv`: the header, then L, zT[0..1], dtheta[0..16], dz0[0..1],
 * each value exactly the library's result printed with %.39Re. */
START_TEST(gradient_csv)
{
    static const char *const args[] = {"gradient", "--problem", "mlp", "--scheme", "rk4",
                                       "--steps", "16", "--method", "bp", "--digits",
                                       "40", "--format", "csv", NULL};
    run_result r;
    run_cli(&r, args);
    ck_assert_msg(r.status == 0, "exit %d, stderr '%s'", r.status, r.err);
    ck_assert_str_eq(r.err, "");
    problem_t p;
    tableau_t tab;
    grad_result_t g;
    averr_t err;
    ck_assert_int_eq(problem_init_lookup(p, "mlp", 256, err), 0);
    ck_assert_int_eq(tableau_init_builtin(tab, "rk4", 256, err), 0);
    ck_assert_int_eq(grad_result_init(g, p, err), 0);
    ck_assert_int_eq(grad_compute(g, p, tab, 16, GRAD_BP, NULL, err), 0);
    /* the expected text, row by row */
    size_t cap = 8192, len = 0;
    char *want = malloc(cap);
    ck_assert_ptr_nonnull(want);
    len += (size_t)snprintf(want, cap, "name,value\n");
    struct {
        const char *name;
        mpfr_srcptr x;
        int n, indexed;
    } rows[] = {{"L", g->L, 1, 0},
                {"zT", g->zT, p->d, 1},
                {"dtheta", g->dtheta, p->ntheta, 1},
                {"dz0", g->dz0, p->d, 1}};
    int nrows = 0;
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < rows[k].n; i++, nrows++) {
            char label[32];
            if (rows[k].indexed)
                snprintf(label, sizeof label, "%s[%d]", rows[k].name, i);
            else
                snprintf(label, sizeof label, "%s", rows[k].name);
            int w = mpfr_snprintf(want + len, cap - len, "%s,%.39Re\n", label,
                                  rows[k].x + i);
            ck_assert(w > 0 && (size_t)w < cap - len);
            len += (size_t)w;
        }
    ck_assert_int_eq(nrows, 22);
    ck_assert_str_eq(r.out, want);
    free(want);
    grad_result_clear(g);
    tableau_clear(tab);
    problem_clear(p);
    run_clear(&r);
}
END_TEST

/* `show problem NAME` and `show scheme NAME` print text that reads back
 * as a file giving the same exact values. */
START_TEST(show_reads_back)
{
    static const char *const problems[] = {"mlp", "linear", "scalar", "lotka", "decay",
                                           "stiff"};
    static const char *const schemes[] = {"rk4", "trapezoid", "gauss2"};
    for (size_t k = 0; k < 9; k++) {
        int is_problem = k < 6;
        const char *name = is_problem ? problems[k] : schemes[k - 6];
        const char *args[] = {"show", is_problem ? "problem" : "scheme", name, NULL};
        run_result r;
        averr_t err;
        run_cli(&r, args);
        ck_assert_msg(r.status == 0 && r.err[0] == '\0', "show %s: exit %d '%s'", name,
                      r.status, r.err);
        if (is_problem) {
            problem_t a, b;
            ck_assert_msg(tu_problem_text(a, "shown", r.out, 64, err) == 0, "%s: %s",
                          name, err->msg);
            ck_assert_int_eq(problem_init_lookup(b, name, 64, err), 0);
            ck_assert_int_eq(a->ntheta, b->ntheta);
            for (int i = 0; i < a->ntheta; i++)
                ck_assert(mpq_equal(a->theta_q[i], b->theta_q[i]));
            ck_assert(mpq_equal(a->T_q, b->T_q));
            problem_clear(a);
            problem_clear(b);
        } else {
            tableau_t a;
            ck_assert_msg(tu_tableau_text(a, "shown", r.out, 64, err) == 0, "%s: %s",
                          name, err->msg);
            ck_assert_int_eq(a->order, strcmp(name, "trapezoid") == 0 ? 2 : 4);
            tableau_clear(a);
        }
        run_clear(&r);
    }
}
END_TEST

START_TEST(ledger_and_version)
{
    static const char *const verify[] = {"--prec", "128", "--format", "csv", "verify",
                                         "--only", "E1", NULL};
    static const char *const version[] = {"--version", NULL};
    run_result r;
    run_cli(&r, verify);
    ck_assert_msg(r.status == 0, "exit %d, '%s'", r.status, r.err);
    ck_assert_msg(strncmp(r.out, "id,verdict,evidence\nE1,VERIFIED,", 32) == 0, "'%s'",
                  r.out);
    run_clear(&r);
    run_cli(&r, version);
    ck_assert_int_eq(r.status, 0);
    ck_assert(strncmp(r.out, "adjverify ", 10) == 0);
    run_clear(&r);
}
END_TEST

/* ---- bad input: exit 2, one message, nothing on stdout ---- */

/* Input files the bad cases name as @NAME; @MISSING is never written. */
static const struct {
    const char *name, *text;
} files[] = {
    {"empty.txt", ""},
    {"div0.txt", "model = lotka\nalpha = 1/0\nbeta = 1\ndelta = 1\ngamma = 1\nz0 = 1 1\nT = 1\n"},
    {"slash2.txt", "model = lotka\nalpha = 1//2\nbeta = 1\ndelta = 1\ngamma = 1\nz0 = 1 1\nT = 1\n"},
    {"hex.txt", "model = lotka\nalpha = 0x10\nbeta = 1\ndelta = 1\ngamma = 1\nz0 = 1 1\nT = 1\n"},
    {"exp.txt", "model = lotka\nalpha = 1e\nbeta = 1\ndelta = 1\ngamma = 1\nz0 = 1 1\nT = 1\n"},
    {"minus2.txt", "model = lotka\nalpha = --3\nbeta = 1\ndelta = 1\ngamma = 1\nz0 = 1 1\nT = 1\n"},
    {"ragged.txt", "model = mlp\nW1 = 1 2; 3\nb1 = 0 0\nW2 = 1 2; 3 4\nb2 = 0 0\nz0 = 1 1\nT = 1\n"},
    {"dims.txt", "model = mlp\nW1 = 1 2; 3 4\nb1 = 0 0\nW2 = 1 2 3; 4 5 6\nb2 = 0 0\n"
                 "z0 = 1 1\nT = 1\n"},
    {"sing.txt", "model = linear\nA = 2\nz0 = 1\nT = 1\n"},
    {"huge.txt", "model = lotka\nalpha = 1e100000\nbeta = 4/3\ndelta = 1\ngamma = 1\n"
                 "z0 = 1 1\nT = 1\n"},
    {"badc.txt", "c = 0 1/2\nA = 0 0; 1 0\nb = 1/2 1/2\n"},
    {"newton.txt", "model = lotka\nalpha = 5\nbeta = 4/3\ndelta = 1\ngamma = 1\n"
                   "z0 = 1 1\nT = 1\n"},
};

/* Each case: the arguments after `adjverify` (@NAME is a file of the
 * scratch directory), then two pieces the message must contain. */
#define G4 "gradient", "--scheme", "rk4", "--steps", "4", "--method", "bp"
static const struct {
    const char *args[16];
    const char *what1, *what2;
} bad[] = {
    {{G4, "--problem", "nosuch"}, "unknown problem 'nosuch'", "mlp"},
    {{"gradient", "--problem", "mlp", "--scheme", "nosuch", "--steps", "4"},
     "unknown scheme 'nosuch'", "rk4"},
    {{G4, "--problem", "@missing.txt"}, "missing.txt", "cannot open"},
    {{G4, "--problem", "@"}, "is a directory", NULL},
    {{G4, "--problem", "@empty.txt"}, "empty.txt", "empty"},
    {{G4, "--problem", "@div0.txt"}, "div0.txt:2:9:", "'1/0'"},
    {{G4, "--problem", "@slash2.txt"}, "slash2.txt:2:9:", "'1//2'"},
    {{G4, "--problem", "@hex.txt"}, "hex.txt:2:9:", "'0x10'"},
    {{G4, "--problem", "@exp.txt"}, "exp.txt:2:9:", "'1e'"},
    {{G4, "--problem", "@minus2.txt"}, "minus2.txt:2:9:", "'--3'"},
    {{G4, "--problem", "@ragged.txt"}, "ragged.txt:2:11:", "row 2 has 1 value"},
    {{G4, "--problem", "@dims.txt"}, "dims.txt:4:6:", "'W2' should be 2 x 2"},
    {{"gradient", "--problem", "mlp", "--scheme", "@badc.txt", "--steps", "4"},
     "badc.txt:1:5:", "c[2]"},
    {{"gradient", "--problem", "mlp", "--scheme", "rk4", "--steps", "0"}, "--steps",
     "not 0"},
    {{"gradient", "--problem", "mlp", "--scheme", "rk4", "--steps", "-3"}, "--steps",
     "not -3"},
    {{"gradient", "--problem", "mlp", "--scheme", "rk4", "--steps", "abc"}, "--steps",
     "'abc'"},
    {{"--prec", "15", G4, "--problem", "mlp"}, "--prec must be from 16 to 1000000",
     "not 15"},
    {{"--prec", "1000001", G4, "--problem", "mlp"}, "--prec must be from 16 to 1000000",
     "not 1000001"},
    {{"--digits", "0", G4, "--problem", "mlp"}, "--digits must be from 1", "not 0"},
    {{"--prec", "64", "--digits", "20", G4, "--problem", "mlp"},
     "--digits 20 is more than 64 bits support", "at most 19"},
    {{G4, "--problem", "mlp", "--bogus"}, "unknown option '--bogus'", NULL},
    {{"--bogus", G4, "--problem", "mlp"}, "unknown option '--bogus'", NULL},
    {{G4, "--problem"}, "option --problem needs a value", NULL},
    {{G4, "--problem", "mlp", "--prec"}, "option --prec needs a value", NULL},
    {{G4, "--problem", "mlp", "--problem", "lotka"}, "option --problem given twice", NULL},
    {{"--prec", "64", "--prec", "128", "problems"}, "option --prec given twice", NULL},
    {{G4, "--problem", "mlp", "extra"}, "unexpected argument 'extra'", NULL},
    {{"frobnicate"}, "unknown command 'frobnicate'", NULL},
    {{"gradient", "--problem", "mlp", "--scheme", "rk4", "--steps", "4", "--method",
      "adjoint"}, "unknown method 'adjoint'", NULL},
    {{"gradient", "--problem", "@sing.txt", "--scheme", "backward-euler", "--steps", "2"},
     "step 1 of 2", "singular"},
    /* one gauss2 step of h = 1 through a fast-growing field: Newton's
     * iteration wanders and never reaches the stage solution */
    {{"gradient", "--problem", "@newton.txt", "--scheme", "gauss2", "--steps", "1"},
     "step 1 of 1", "did not converge"},
    {{G4, "--problem", "@huge.txt"}, "overflow", NULL},
    {{"gradient", "--problem", "@huge.txt", "--scheme", "rk4", "--steps", "4", "--method",
      "fd"}, "overflow", NULL},
};

static void remove_tmpdir(void)
{
    char path[128];
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++)
        unlink(tmp_file(path, sizeof path, files[k].name, NULL));
    ck_assert_int_eq(rmdir(tmpdir), 0);
}

START_TEST(bad_input)
{
    make_tmpdir();
    char paths[sizeof files / sizeof files[0]][128], arg_paths[16][128];
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++)
        tmp_file(paths[k], sizeof paths[k], files[k].name, files[k].text);
    const char *args[17];
    int n = 0;
    for (; n < 16 && bad[_i].args[n] != NULL; n++) {
        const char *a = bad[_i].args[n];
        args[n] = a[0] == '@' ? tmp_file(arg_paths[n], sizeof arg_paths[n], a + 1, NULL)
                              : a;
    }
    args[n] = NULL;
    run_result r;
    run_cli(&r, args);
    remove_tmpdir();
    const char *what2 = bad[_i].what2 != NULL ? bad[_i].what2 : "";
    ck_assert_msg(r.status == 2, "case %d: exit %d, stderr '%s'", _i, r.status, r.err);
    ck_assert_msg(strncmp(r.err, "adjverify: error: ", 18) == 0, "case %d: stderr '%s'",
                  _i, r.err);
    ck_assert_msg(strchr(r.err, '\n') == r.err + strlen(r.err) - 1,
                  "case %d: not one line: '%s'", _i, r.err);
    ck_assert_msg(strstr(r.err, bad[_i].what1) && strstr(r.err, what2),
                  "case %d: '%s' lacks '%s' or '%s'", _i, r.err, bad[_i].what1, what2);
    ck_assert_msg(r.out[0] == '\0', "case %d: stdout '%s'", _i, r.out);
    run_clear(&r);
}
END_TEST

Suite *suite_cli(void)
{
    Suite *s = suite_create("cli");
    TCase *ok = tcase_create("output");
    tcase_set_timeout(ok, 30);
    tcase_add_test(ok, gradient_csv);
    tcase_add_test(ok, show_reads_back);
    tcase_add_test(ok, ledger_and_version);
    suite_add_tcase(s, ok);
    TCase *b = tcase_create("bad input");
    tcase_add_loop_test(b, bad_input, 0, (int)(sizeof bad / sizeof bad[0]));
    suite_add_tcase(s, b);
    return s;
}
