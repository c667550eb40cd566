/* tableau_builtin: the built-in tableaux, stored as text in the file format
 * and parsed like a user's file; gauss2 (irrational) is built in MPFR.
 * References: Butcher (2016), Table 232; Hairer, Norsett, Wanner I, II.1,
 * II.7 (Gauss and Lobatto IIIA methods); Gottlieb and Shu (1998) for ssprk3.
 */
#include <math.h>
#include <string.h>
#include "tableau.h"
#include "../numbers/mpvec.h"

typedef struct {
    const char *name;
    const char *text;
} builtin_text;

static const builtin_text builtins[] = {
    {"euler", "# forward Euler, order 1\nname = euler\norder = 1\n"
              "c = 0\nA = 0\nb = 1\n"},
    {"midpoint", "# explicit midpoint, order 2 (b_1 = 0: no RK partner)\n"
                 "name = midpoint\norder = 2\nc = 0 1/2\nA = 0 0; 1/2 0\nb = 0 1\n"},
    {"heun", "# Heun (explicit trapezoid), order 2\nname = heun\norder = 2\n"
             "c = 0 1\nA = 0 0; 1 0\nb = 1/2 1/2\n"},
    {"ralston", "# Ralston, order 2\nname = ralston\norder = 2\n"
                "c = 0 2/3\nA = 0 0; 2/3 0\nb = 1/4 3/4\n"},
    {"kutta3", "# Kutta's third-order method\nname = kutta3\norder = 3\n"
               "c = 0 1/2 1\nA = 0 0 0; 1/2 0 0; -1 2 0\nb = 1/6 2/3 1/6\n"},
    {"ssprk3", "# strong-stability-preserving RK3 (Shu-Osher)\nname = ssprk3\n"
               "order = 3\nc = 0 1 1/2\nA = 0 0 0; 1 0 0; 1/4 1/4 0\n"
               "b = 1/6 1/6 2/3\n"},
    {"rk4", "# classical Runge-Kutta, order 4\nname = rk4\norder = 4\n"
            "c = 0 1/2 1/2 1\nA = 0 0 0 0; 1/2 0 0 0; 0 1/2 0 0; 0 0 1 0\n"
            "b = 1/6 1/3 1/3 1/6\n"},
    {"rk38", "# Kutta's 3/8 rule, order 4\nname = rk38\norder = 4\n"
             "c = 0 1/3 2/3 1\nA = 0 0 0 0; 1/3 0 0 0; -1/3 1 0 0; 1 -1 1 0\n"
             "b = 1/8 3/8 3/8 1/8\n"},
    {"backward-euler", "# backward Euler (implicit), order 1\nname = backward-euler\n"
                       "order = 1\nc = 1\nA = 1\nb = 1\n"},
    {"implicit-midpoint", "# implicit midpoint (Gauss, 1 stage), order 2, symplectic\n"
                          "name = implicit-midpoint\norder = 2\nc = 1/2\nA = 1/2\nb = 1\n"},
    {"trapezoid", "# trapezoidal rule (Lobatto IIIA, 2 stages), order 2\n"
                  "name = trapezoid\norder = 2\nc = 0 1\nA = 0 0; 1/2 1/2\n"
                  "b = 1/2 1/2\n"},
    {"gauss2", "# Gauss-Legendre, 2 stages, order 4, symplectic.\n"
               "# The exact coefficients are irrational: with r = sqrt(3)/6,\n"
               "#   c = 1/2 - r, 1/2 + r;  A = 1/4, 1/4 - r; 1/4 + r, 1/4;  b = 1/2 1/2.\n"
               "# adjverify builds them in MPFR at the working precision; the\n"
               "# decimals below (40 digits) are NOT the exact values.\n"
               "name = gauss2-decimal\norder = 4\n"
               "c = 0.2113248654051871177454256097490212721762 "
               "0.7886751345948128822545743902509787278238\n"
               "A = 0.25 -0.0386751345948128822545743902509787278238; "
               "0.5386751345948128822545743902509787278238 0.25\n"
               "b = 1/2 1/2\n"},
};

const char *const tableau_builtin_names[] = {
    "euler", "midpoint", "heun", "ralston", "kutta3", "ssprk3", "rk4", "rk38",
    "backward-euler", "implicit-midpoint", "trapezoid", "gauss2", NULL,
};

const char *tableau_builtin_text(const char *name)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return builtins[i].text;
    return NULL;
}

/* Gauss-Legendre with 2 stages from r = sqrt(3)/6 rounded once. */
static int init_gauss2(tableau_t t, mpfr_prec_t prec, averr_t err)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "gauss2");
    t->s = 2;
    t->order = 4;
    t->exact = 0;
    t->prec = prec;
    t->A = mpblock_alloc(8, prec, err);
    if (t->A == NULL)
        return AV_ESYS;
    t->b = t->A + 4;
    t->c = t->b + 2;
    mpfr_t r;
    mpfr_init2(r, prec + 32);
    mpfr_sqrt_ui(r, 3, MPFR_RNDN);
    mpfr_div_ui(r, r, 6, MPFR_RNDN);
    mpfr_set_d(t->A + 0, 0.25, MPFR_RNDN);
    mpfr_set_d(t->A + 3, 0.25, MPFR_RNDN);
    mpfr_d_sub(t->A + 1, 0.25, r, MPFR_RNDN);
    mpfr_add_d(t->A + 2, r, 0.25, MPFR_RNDN);
    mpfr_set_d(t->b + 0, 0.5, MPFR_RNDN);
    mpfr_set_d(t->b + 1, 0.5, MPFR_RNDN);
    mpfr_d_sub(t->c + 0, 0.5, r, MPFR_RNDN);
    mpfr_add_d(t->c + 1, r, 0.5, MPFR_RNDN);
    mpfr_clear(r);
    t->explicit_ = 0;
    return 0;
}

/* A tableau from a built-in's TEXT, or from the file NAME when TEXT is NULL. */
static int init_loaded(tableau_t t, const char *name, const char *text,
                       mpfr_prec_t prec, averr_t err)
{
    kvfile_t kv;
    memset(t, 0, sizeof *t);
    int status = kvfile_load(kv, name, text, err);
    if (status == 0)
        status = tableau_init_kv(t, kv, prec, err);
    kvfile_clear(kv);
    return status;
}

int tableau_init_builtin(tableau_t t, const char *name, mpfr_prec_t prec,
                         averr_t err)
{
    if (strcmp(name, "gauss2") == 0)
        return init_gauss2(t, prec, err);
    const char *text = tableau_builtin_text(name);
    if (text == NULL) {
        memset(t, 0, sizeof *t);
        return averr_set(err, AV_EINPUT,
                         "unknown scheme '%s' (built-ins: euler, midpoint, heun, "
                         "ralston, kutta3, ssprk3, rk4, rk38, backward-euler, "
                         "implicit-midpoint, trapezoid, gauss2; or a tableau file)",
                         name);
    }
    return init_loaded(t, name, text, prec, err);
}

int tableau_init_lookup(tableau_t t, const char *name, mpfr_prec_t prec,
                        averr_t err)
{
    if (strcmp(name, "gauss2") == 0 || tableau_builtin_text(name) != NULL)
        return tableau_init_builtin(t, name, prec, err);
    /* Anything that looks like a path is read as a file; a bare unknown
     * word is reported as an unknown scheme, listing the built-ins. */
    if (strchr(name, '/') == NULL && strchr(name, '.') == NULL)
        return tableau_init_builtin(t, name, prec, err);
    return init_loaded(t, name, NULL, prec, err);
}

/* The order conditions up to 4 (Hairer-Norsett-Wanner I, Table 2.2), each
 * as sum = 1/gamma, evaluated at WP bits. */
int tableau_computed_order(const tableau_t t)
{
    int s = t->s;
    mpfr_prec_t wp = t->exact ? (t->prec > 256 ? t->prec : 256) : t->prec;
    averr_t err;
    mpfr_ptr v = mpblock_alloc((size_t)(s * s + 4 * s + 12), wp, err);
    if (v == NULL)
        return 0;
    mpfr_ptr A = v, b = A + s * s, c = b + s, Ac = c + s, Ac2 = Ac + s;
    mpfr_ptr sum = Ac2 + s, tmp = sum + 1, cond = tmp + 1, tol = cond + 8;
    for (int k = 0; k < s * s + 2 * s; k++) {
        if (t->exact)
            mpfr_set_q(A + k, t->Aq[k], MPFR_RNDN);
        else
            mpfr_set(A + k, t->A + k, MPFR_RNDN);
    }
    for (int i = 0; i < s; i++) {
        mpfr_set_zero(Ac + i, 1);
        mpfr_set_zero(Ac2 + i, 1);
        for (int j = 0; j < s; j++) {
            mpfr_fma(Ac + i, A + i * s + j, c + j, Ac + i, MPFR_RNDN);
            mpfr_sqr(tmp, c + j, MPFR_RNDN);
            mpfr_fma(Ac2 + i, A + i * s + j, tmp, Ac2 + i, MPFR_RNDN);
        }
    }
    /* cond[0..7]: sum b, b c, b c^2, b Ac, b c^3, b c Ac, b Ac2, b A Ac */
    for (int q = 0; q < 8; q++)
        mpfr_set_zero(cond + q, 1);
    for (int i = 0; i < s; i++) {
        mpfr_ptr bi = b + i, ci = c + i;
        mpfr_add(cond + 0, cond + 0, bi, MPFR_RNDN);
        mpfr_mul(tmp, bi, ci, MPFR_RNDN);
        mpfr_add(cond + 1, cond + 1, tmp, MPFR_RNDN);
        mpfr_mul(tmp, tmp, ci, MPFR_RNDN);
        mpfr_add(cond + 2, cond + 2, tmp, MPFR_RNDN);
        mpfr_mul(tmp, tmp, ci, MPFR_RNDN);
        mpfr_add(cond + 4, cond + 4, tmp, MPFR_RNDN);
        mpfr_mul(tmp, bi, Ac + i, MPFR_RNDN);
        mpfr_add(cond + 3, cond + 3, tmp, MPFR_RNDN);
        mpfr_mul(tmp, tmp, ci, MPFR_RNDN);
        mpfr_add(cond + 5, cond + 5, tmp, MPFR_RNDN);
        mpfr_mul(tmp, bi, Ac2 + i, MPFR_RNDN);
        mpfr_add(cond + 6, cond + 6, tmp, MPFR_RNDN);
        mpfr_set_zero(sum, 1);
        for (int j = 0; j < s; j++)
            mpfr_fma(sum, A + i * s + j, Ac + j, sum, MPFR_RNDN);
        mpfr_mul(tmp, bi, sum, MPFR_RNDN);
        mpfr_add(cond + 7, cond + 7, tmp, MPFR_RNDN);
    }
    static const int gamma[8] = {1, 2, 3, 6, 4, 8, 12, 24};
    static const int level[8] = {1, 2, 3, 3, 4, 4, 4, 4};
    mpfr_set_ui_2exp(tol, 1, -(long)wp + 8, MPFR_RNDN);
    int order = 4;
    for (int q = 0; q < 8; q++) {
        mpfr_mul_ui(tmp, cond + q, (unsigned long)gamma[q], MPFR_RNDN);
        mpfr_sub_ui(tmp, tmp, 1, MPFR_RNDN);
        if (mpfr_cmpabs(tmp, tol) > 0 && level[q] - 1 < order)
            order = level[q] - 1;
    }
    mpblock_free(v);
    return order;
}

int tableau_write(FILE *out, const tableau_t t)
{
    int s = t->s, ok = 1;
    if (!t->exact)
        ok &= fprintf(out, "# decimals rounded to %ld bits: not the exact "
                           "(irrational) coefficients\n", (long)t->prec) > 0;
    ok &= fprintf(out, "name = %s\n", t->name) > 0;
    /* order 0 (not even consistent) has no file form: the reader computes it */
    if (t->order > 0)
        ok &= fprintf(out, "order = %d\n", t->order) > 0;
    /* Rounded decimals of A do not sum exactly to rounded decimals of c,
     * and the parser rejects an inconsistent c: leave c out, so that it is
     * read back as the row sums of the written A. */
    if (!t->exact)
        ok &= fputs("# c omitted: the row sums of A\n", out) >= 0;
    const char *keys[3] = {"c", "A", "b"};
    for (int k = t->exact ? 0 : 1; k < 3; k++) {
        ok &= fprintf(out, "%s =", keys[k]) > 0;
        int rows = k == 1 ? s : 1;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < s; j++) {
                size_t idx = k == 1 ? (size_t)(i * s + j) : (size_t)j;
                if (t->exact) {
                    mpq_t *q = k == 0 ? t->cq : k == 1 ? t->Aq : t->bq;
                    ok &= gmp_fprintf(out, " %Qd", q[idx]) > 0;
                } else {
                    mpfr_srcptr x = (k == 0 ? t->c : k == 1 ? t->A : t->b) + idx;
                    long dig = mpnum_max_digits(t->prec);
                    ok &= mpfr_fprintf(out, " %.*Re", (int)(dig > 1 ? dig - 1 : 1), x) > 0;
                }
            }
            if (i + 1 < rows)
                ok &= fputs(";", out) >= 0;
        }
        ok &= fputs("\n", out) >= 0;
    }
    return ok ? 0 : AV_ESYS;
}
