/* test_problems: every model's hand-derived products J^T v, (df/dtheta)^T v,
 * J v and (df/dtheta) w against central differences of f at doubled
 * precision (at least 60 correct digits at 512 bits, as issue 2 asks); the
 * transpose identities u^T (J v) = (J^T u)^T v; the exact-rational products
 * against the MPFR ones by a precision sweep; dimension errors that name
 * their place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <gmp.h>
#include <mpfr.h>
#include "suites.h"
#include "testutil.h"
#include "../src/numbers/mpvec.h"
#include "../src/problems/problem.h"

#define PREC 512
#define REQUIRED_DIGITS 60

/* A random-looking mlp with d = 3, m = 5, written as a user's file. */
static const char mlp35_text[] =
    "model = mlp\nname = mlp35\n"
    "W1 = 7/11 -3/5 2/9; -5/13 4/7 -1/3; 3/8 5/17 -6/7; -2/19 9/10 1/6; "
    "8/15 -7/12 3/14\n"
    "b1 = 1/9 -2/7 3/13 -1/6 2/5\n"
    "W2 = -4/9 5/11 1/7 -3/10 2/3; 6/13 -1/8 -5/9 3/4 1/12; 2/15 7/9 -3/7 -1/5 5/6\n"
    "b2 = 1/16 -3/20 2/21\n"
    "z0 = 3/4 -2/5 1/3\nT = 1\ny = 1/7 1/8 -1/9\n";

/* The models under test: a built-in name, or NULL and a text. */
static const struct {
    const char *builtin, *text;
} cases[] = {
    {"mlp", NULL},    {NULL, mlp35_text}, {"linear", NULL}, {"scalar", NULL},
    {"lotka", NULL},  {"decay", NULL},    {"stiff", NULL},
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

static void load_case(problem_t p, int i, mpfr_prec_t prec)
{
    averr_t err;
    averr_clear(err);
    int st = cases[i].builtin != NULL
                 ? problem_init_lookup(p, cases[i].builtin, prec, err)
                 : tu_problem_text(p, "mlp35.txt", cases[i].text, prec, err);
    ck_assert_msg(st == 0, "case %d: %s", i, err->msg);
}

/* Deterministic "random-looking" rationals, none zero: the K-th of a
 * sequence started at SEED. */
static void pseudo_q(mpq_t x, int k, int seed)
{
    int num = (k * 37 + seed * 11) % 23 + 1, den = (k * 13 + seed * 5) % 17 + 2;
    mpq_set_si(x, (k + seed) % 2 ? -num : num, (unsigned long)den);
    mpq_canonicalize(x);
}

static void pseudo_vec(mpfr_ptr v, int n, int seed)
{
    mpq_t x;
    mpq_init(x);
    for (int k = 0; k < n; k++) {
        pseudo_q(x, k, seed);
        mpfr_set_q(v + k, x, MPFR_RNDN);
    }
    mpq_clear(x);
}

/* The evaluation point: t = 3/7 and z = z0 + (1/7, 2/7, ...), away from
 * the special values z = 0, t = 0. */
static void eval_point(mpfr_ptr t, mpfr_ptr z, const problem_t p)
{
    mpfr_set_ui(t, 3, MPFR_RNDN);
    mpfr_div_ui(t, t, 7, MPFR_RNDN);
    for (int i = 0; i < p->d; i++) {
        mpfr_set_ui(z + i, (unsigned long)(i + 1), MPFR_RNDN);
        mpfr_div_ui(z + i, z + i, 7, MPFR_RNDN);
        mpfr_add(z + i, z + i, p->z0 + i, MPFR_RNDN);
    }
}

/* OUT (d) = d/de f(t, z + e DZ; theta + e DTH) at e = 0 by a central
 * difference at Q's precision with e = 2^(-prec/3): truncation and
 * rounding errors are both near 2^(-2 prec/3).  DZ or DTH may be NULL.
 * S holds 4d + ntheta + naux + nwork + 1 numbers at Q's precision. */
static void central(mpfr_ptr out, problem_t q, mpfr_srcptr t, mpfr_srcptr z,
                    mpfr_srcptr dz, mpfr_srcptr dth, mpfr_ptr s)
{
    size_t d = (size_t)q->d, nt = (size_t)q->ntheta;
    mpfr_ptr zp = s, fp = zp + d, fm = fp + d, th0 = fm + d, aux = th0 + nt;
    mpfr_ptr work = aux + q->naux, e = work + q->nwork;
    mpfr_set_ui_2exp(e, 1, -(long)q->prec / 3, MPFR_RNDN);
    mpvec_set(th0, q->theta, nt);
    for (int sign = 1; sign >= -1; sign -= 2) {
        if (sign < 0)
            mpfr_neg(e, e, MPFR_RNDN);
        mpvec_set(zp, z, d);
        if (dz != NULL)
            mpvec_axpy(zp, e, dz, d);
        if (dth != NULL)
            mpvec_axpy(q->theta, e, dth, nt);
        ck_assert_int_eq(q->model->f(sign > 0 ? fp : fm, aux, t, zp, q, work), 0);
        mpvec_set(q->theta, th0, nt);
    }
    mpfr_neg(e, e, MPFR_RNDN);
    mpvec_sub(out, fp, fm, d);
    for (size_t i = 0; i < d; i++) {
        mpfr_div(out + i, out + i, e, MPFR_RNDN);
        mpfr_div_2ui(out + i, out + i, 1, MPFR_RNDN);
    }
}

static void dot(mpfr_ptr out, mpfr_srcptr u, mpfr_srcptr v, size_t n)
{
    mpfr_set_zero(out, 1);
    for (size_t i = 0; i < n; i++)
        mpfr_fma(out, u + i, v + i, out, MPFR_RNDN);
}

/* The four products of P at (t, z) with directions V (d) and W (ntheta):
 * R receives J^T v (d), (df/dtheta)^T v (ntheta), J v (d), (df/dtheta) w
 * (d), in that order. */
static void products(mpfr_ptr R, const problem_t p, mpfr_srcptr t, mpfr_srcptr z,
                     mpfr_srcptr v, mpfr_srcptr w, mpfr_ptr aux, mpfr_ptr work)
{
    size_t d = (size_t)p->d, nt = (size_t)p->ntheta;
    const model_desc *m = p->model;
    ck_assert_int_eq(m->f(R, aux, t, z, p, work), 0);
    ck_assert_int_eq(m->vjp_z(R, t, z, aux, v, p, work), 0);
    ck_assert_int_eq(m->vjp_theta(R + d, t, z, aux, v, p, work), 0);
    ck_assert_int_eq(m->jvp_z(R + d + nt, t, z, aux, v, p, work), 0);
    ck_assert_int_eq(m->jvp_theta(R + 2 * d + nt, t, z, aux, w, p, work), 0);
}

/* The same four by central differences of f at Q's (doubled) precision. */
static void products_fd(mpfr_ptr R, problem_t q, mpfr_srcptr t, mpfr_srcptr z,
                        mpfr_srcptr v, mpfr_srcptr w, mpfr_ptr e, mpfr_ptr col,
                        mpfr_ptr s)
{
    size_t d = (size_t)q->d, nt = (size_t)q->ntheta;
    for (size_t k = 0; k < d + nt; k++) {
        /* component k of J^T v (k < d) or (df/dtheta)^T v: v . (J e_k) */
        mpvec_zero(e, d + nt);
        mpfr_set_ui(e + k, 1, MPFR_RNDN);
        central(col, q, t, z, k < d ? e : NULL, k < d ? NULL : e + d, s);
        dot(R + k, v, col, d);
    }
    central(R + d + nt, q, t, z, v, NULL, s);
    central(R + 2 * d + nt, q, t, z, NULL, w, s);
}

START_TEST(products_against_differences)
{
    problem_t p, q;
    averr_t err;
    averr_clear(err);
    load_case(p, _i, PREC);
    ck_assert_int_eq(problem_init_copy(q, p, 2 * PREC, err), 0);
    size_t d = (size_t)p->d, nt = (size_t)p->ntheta, nr = 3 * d + nt;
    size_t np = 2 * d + 2 + nt + nr + (size_t)(p->naux + p->nwork);
    size_t nq = 2 * d + 2 + nt + nr + 2 * (d + nt) + 4 * d + nt +
                (size_t)(q->naux + q->nwork) + 1;
    mpfr_ptr a = mpblock_alloc(np, PREC, err), b = mpblock_alloc(nq, 2 * PREC, err);
    ck_assert(a != NULL && b != NULL);
    /* 512 bits: t, z, v, w, products, aux, work */
    mpfr_ptr t = a, z = t + 1, v = z + d, w = v + d, R = w + nt, aux = R + nr;
    mpfr_ptr work = aux + p->naux;
    /* doubled: t, z, v, w, products, e, col, central's scratch */
    mpfr_ptr t2 = b, z2 = t2 + 1, v2 = z2 + d, w2 = v2 + d, R2 = w2 + nt;
    mpfr_ptr e2 = R2 + nr, col2 = e2 + d + nt, s2 = col2 + d + nt;
    eval_point(t, z, p);
    pseudo_vec(v, (int)d, 1);
    pseudo_vec(w, (int)nt, 2);
    mpvec_set(t2, t, 1 + 2 * d + nt);   /* the same point and directions, exactly */
    products(R, p, t, z, v, w, aux, work);
    products_fd(R2, q, t2, z2, v2, w2, e2, col2, s2);
    static const char *const what[4] = {"J^T v", "(df/dtheta)^T v", "J v",
                                        "(df/dtheta) w"};
    const size_t off[5] = {0, d, d + nt, 2 * d + nt, nr};
    for (int k = 0; k < 4; k++) {
        long dig = mpvec_digits(R + off[k], R2 + off[k], off[k + 1] - off[k], 1000);
        ck_assert_msg(dig >= REQUIRED_DIGITS, "%s: %s agrees with central differences "
                      "at %d bits to %ld digits, want %d", p->name, what[k],
                      2 * PREC, dig, REQUIRED_DIGITS);
    }
    mpblock_free(a);
    mpblock_free(b);
    problem_clear(q);
    problem_clear(p);
}
END_TEST

/* u^T (J v) = (J^T u)^T v and w^T ((df/dtheta)^T u) = u^T ((df/dtheta) w):
 * the forward and reverse products describe the same matrices.  Both sides
 * are sums of at most a few dozen rounded products of moderate size, so
 * they agree to all but a handful of the digits 512 bits carry. */
START_TEST(transpose_identities)
{
    problem_t p;
    averr_t err;
    load_case(p, _i, PREC);
    size_t d = (size_t)p->d, nt = (size_t)p->ntheta, nr = 3 * d + nt;
    mpfr_ptr a = mpblock_alloc(2 + 4 * d + nt + nr + 4 + (size_t)(p->naux + p->nwork),
                               PREC, err);
    ck_assert_ptr_nonnull(a);
    mpfr_ptr t = a, z = t + 1, u = z + d, v = u + d, Jv = v + d, w = Jv + d;
    mpfr_ptr R = w + nt, x = R + nr, aux = x + 4, work = aux + p->naux;
    eval_point(t, z, p);
    pseudo_vec(u, (int)d, 3);
    pseudo_vec(v, (int)d, 6);
    pseudo_vec(w, (int)nt, 4);
    /* R = J^T u, (df/dtheta)^T u, J u, (df/dtheta) w; then J v */
    products(R, p, t, z, u, w, aux, work);
    ck_assert_int_eq(p->model->jvp_z(Jv, t, z, aux, v, p, work), 0);
    dot(x, u, Jv, d);                 /* u^T (J v) */
    dot(x + 1, R, v, d);              /* (J^T u)^T v */
    dot(x + 2, w, R + d, nt);         /* w^T (df/dtheta)^T u */
    dot(x + 3, u, R + 2 * d + nt, d); /* u^T (df/dtheta) w */
    long want = mpnum_max_digits(PREC) - 6;
    long dz = mpnum_digits(x, x + 1, 1000), dth = mpnum_digits(x + 2, x + 3, 1000);
    ck_assert_msg(dz >= want, "%s: u^T J v two ways: %ld digits, want %ld", p->name,
                  dz, want);
    ck_assert_msg(dth >= want, "%s: u^T (df/dtheta) w two ways: %ld digits, want %ld",
                  p->name, dth, want);
    mpblock_free(a);
    problem_clear(p);
}
END_TEST

/* Exact-rational f, J^T v and (df/dtheta)^T v (linear, scalar, lotka) at a
 * rational point against the MPFR ones: a precision sweep 64..512 bits in
 * which the MPFR result agrees with the exact one rounded to all but the
 * last few digits at every precision, i.e. the two are equal up to the
 * rounding of the inputs and of a few operations. */
START_TEST(exact_products_match_mpfr)
{
    static const char *const names[] = {"linear", "scalar", "lotka"};
    problem_t p0, p;
    averr_t err;
    averr_clear(err);
    ck_assert_int_eq(problem_init_lookup(p0, names[_i], 64, err), 0);
    const model_desc *m = p0->model;
    ck_assert(m->f_q != NULL && m->vjp_z_q != NULL && m->vjp_theta_q != NULL);
    int d = p0->d, nt = p0->ntheta, n = 2 * d + nt;
    mpq_t t, *z = malloc((size_t)(d + d + n) * sizeof(mpq_t));
    ck_assert_ptr_nonnull(z);
    mpq_t *v = z + d, *Q = v + d;
    mpq_init(t);
    mpq_set_ui(t, 3, 7);
    for (int i = 0; i < 2 * d + n; i++)
        mpq_init(z[i]);
    for (int i = 0; i < d; i++) {
        mpq_set_ui(z[i], (unsigned long)(i + 1), 7);
        mpq_add(z[i], z[i], p0->z0_q[i]);
        pseudo_q(v[i], i, 1);
    }
    ck_assert_int_eq(m->f_q(Q, t, (const mpq_t *)z, p0), 0);
    ck_assert_int_eq(m->vjp_z_q(Q + d, t, (const mpq_t *)z, (const mpq_t *)v, p0), 0);
    ck_assert_int_eq(m->vjp_theta_q(Q + 2 * d, t, (const mpq_t *)z, (const mpq_t *)v, p0),
                     0);
    for (mpfr_prec_t prec = 64; prec <= 512; prec *= 2) {
        ck_assert_int_eq(problem_init_copy(p, p0, prec, err), 0);
        size_t na = (size_t)(p->naux + p->nwork);
        mpfr_ptr a = mpblock_alloc(1 + 2 * (size_t)d + 2 * (size_t)n + na, prec, err);
        ck_assert_ptr_nonnull(a);
        mpfr_ptr tf = a, zf = tf + 1, vf = zf + d, R = vf + d, X = R + n, aux = X + n;
        mpfr_set_q(tf, t, MPFR_RNDN);
        for (int i = 0; i < d; i++) {
            mpfr_set_q(zf + i, z[i], MPFR_RNDN);
            mpfr_set_q(vf + i, v[i], MPFR_RNDN);
        }
        for (int k = 0; k < n; k++)
            mpfr_set_q(X + k, Q[k], MPFR_RNDN);
        ck_assert_int_eq(m->f(R, aux, tf, zf, p, aux + p->naux), 0);
        ck_assert_int_eq(m->vjp_z(R + d, tf, zf, aux, vf, p, aux + p->naux), 0);
        ck_assert_int_eq(m->vjp_theta(R + 2 * d, tf, zf, aux, vf, p, aux + p->naux), 0);
        long want = mpnum_max_digits(prec) - 3;
        long got = mpvec_digits(R, X, (size_t)n, 1000);
        ck_assert_msg(got >= want, "%s at %ld bits: MPFR and exact products agree to "
                      "%ld digits, want %ld", p->name, (long)prec, got, want);
        mpblock_free(a);
        problem_clear(p);
    }
    mpq_clear(t);
    for (int i = 0; i < 2 * d + n; i++)
        mpq_clear(z[i]);
    free(z);
    problem_clear(p0);
}
END_TEST

/* The loss and dL/dz in MPFR against problem_loss_q, both losses. */
START_TEST(loss_matches_exact)
{
    static const char *const names[] = {"mlp", "scalar"};  /* squared, linear */
    problem_t p;
    averr_t err;
    ck_assert_int_eq(problem_init_lookup(p, names[_i], PREC, err), 0);
    int d = p->d;
    mpq_t L, dL[2], z[2];
    mpq_init(L);
    mpfr_ptr a = mpblock_alloc(2 + 3 * (size_t)d, PREC, err);
    ck_assert_ptr_nonnull(a);
    for (int i = 0; i < d; i++) {
        mpq_inits(dL[i], z[i], (mpq_ptr)0);
        pseudo_q(z[i], i, 5);
        mpfr_set_q(a + 2 + i, z[i], MPFR_RNDN);
    }
    problem_loss_q(L, dL, (const mpq_t *)z, p);
    ck_assert_int_eq(problem_loss(a, a + 2 + d, a + 2, p), 0);
    mpfr_set_q(a + 1, L, MPFR_RNDN);
    for (int i = 0; i < d; i++)
        mpfr_set_q(a + 2 + 2 * d + i, dL[i], MPFR_RNDN);
    long want = mpnum_max_digits(PREC) - 3;
    ck_assert_int_ge(mpnum_digits(a, a + 1, 1000), want);
    ck_assert_int_ge(mpvec_digits(a + 2 + d, a + 2 + 2 * d, (size_t)d, 1000), want);
    for (int i = 0; i < d; i++)
        mpq_clears(dL[i], z[i], (mpq_ptr)0);
    mpq_clear(L);
    mpblock_free(a);
    problem_clear(p);
}
END_TEST

/* Problem files with one dimension fault each; the place is counted in
 * the text. */
#define MLP_HEAD "model = mlp\nW1 = 1/2 -1; 3/4 1/4; -1/3 2/3\nb1 = 1/10 -1/5 1/4\n"
static const struct {
    const char *text, *place, *what;
} bad_problem[] = {
    /* W2 transposed: 3 x 2 where 2 x 3 is needed (line 4, value at col 6) */
    {MLP_HEAD "W2 = 1 -1/2; 1/3 -2/3; 1 1/2\nb2 = -1/10 1/20\nz0 = 1 -1/2\nT = 1\n",
     "p.txt:4:6:", "'W2' should be 2 x 3, found 3 x 2"},
    /* z0 of length 3 with W1 of 2 columns: W1 cannot be m x d */
    {MLP_HEAD "W2 = 1 -1/2 1/3; -2/3 1 1/2\nb2 = -1/10 1/20\nz0 = 1 -1/2 2\nT = 1\n",
     "p.txt:2:6:", "'W1' should be 3 x 3, found 3 x 2"},
    /* b1 one short */
    {"model = mlp\nW1 = 1 2; 3 4; 5 6\nb1 = 1 2\nW2 = 1 2 3; 4 5 6\nb2 = 0 0\n"
     "z0 = 1 1\nT = 1\n", "p.txt:3:6:", "'b1' should be 1 x 3"},
    /* y of the wrong length */
    {MLP_HEAD "W2 = 1 -1/2 1/3; -2/3 1 1/2\nb2 = -1/10 1/20\nz0 = 1 -1/2\nT = 1\n"
     "y = 1 2 3\n", "p.txt:8:5:", "'y' should be 1 x 2"},
    /* linear: A 2 x 2 but z0 of length 3 */
    {"model = linear\nA = 1 2; 3 4\nz0 = 1 2 3\nT = 1\n", "p.txt:2:5:",
     "'A' should be 3 x 3"},
    /* lotka, decay, scalar: the state width is fixed by the model */
    {"model = lotka\nalpha = 1\nbeta = 1\ndelta = 1\ngamma = 1\nz0 = 1 1 1\nT = 1\n",
     "p.txt:6:6:", "z0"},
    {"model = decay\nk = -1\ns = 1\nz0 = 1 2\nT = 1\n", "p.txt:4:6:", "z0"},
    {"model = scalar\ntheta = 1\nz0 = 1 2\nT = 1\n", "p.txt:3:6:", "z0"},
    /* a matrix z0, a ragged W1, a non-positive T, an unknown model */
    {"model = linear\nA = 1\nz0 = 1 2; 3 4\nT = 1\n", "p.txt:3:6:", "z0"},
    {MLP_HEAD "W2 = 1 -1/2 1/3; -2/3 1\nb2 = 0 0\nz0 = 1 1\nT = 1\n", "p.txt:4:18:",
     "row 2 has 2 values"},
    {"model = scalar\ntheta = 1\nz0 = 1\nT = -1/2\n", "p.txt:4:5:", "T must be positive"},
    {"model = quartic\nz0 = 1\nT = 1\n", "p.txt:1:9:", "unknown model 'quartic'"},
    {"model = scalar\ntheta = 1\nz0 = 1\nT = 1\nW1 = 1\n", "p.txt:5:", "'W1'"},
};

START_TEST(dimension_errors)
{
    problem_t p;
    averr_t err;
    char ctx[64];
    snprintf(ctx, sizeof ctx, "bad problem %d", _i);
    int rc = tu_problem_text(p, "p.txt", bad_problem[_i].text, 128, err);
    tu_expect_place(rc, err, bad_problem[_i].place, bad_problem[_i].what, ctx);
    problem_clear(p);
}
END_TEST

START_TEST(unknown_problem)
{
    problem_t p;
    averr_t err;
    tu_expect_fail(problem_init_lookup(p, "nosuch", 128, err), err, AV_EINPUT,
                   "unknown problem 'nosuch'", "mlp", "unknown name");
    problem_clear(p);
    tu_expect_fail(problem_init_lookup(p, "/nonexistent/p.txt", 128, err), err,
                   AV_EINPUT, "/nonexistent/p.txt", NULL, "missing file");
    problem_clear(p);
}
END_TEST

Suite *suite_problems(void)
{
    Suite *s = suite_create("problems");
    TCase *c = tcase_create("products");
    tcase_add_loop_test(c, products_against_differences, 0, NCASES);
    tcase_add_loop_test(c, transpose_identities, 0, NCASES);
    tcase_add_loop_test(c, exact_products_match_mpfr, 0, 3);
    tcase_add_loop_test(c, loss_matches_exact, 0, 2);
    suite_add_tcase(s, c);
    TCase *e = tcase_create("errors");
    tcase_add_loop_test(e, dimension_errors, 0,
                        (int)(sizeof bad_problem / sizeof bad_problem[0]));
    tcase_add_test(e, unknown_problem);
    suite_add_tcase(s, e);
    return s;
}
