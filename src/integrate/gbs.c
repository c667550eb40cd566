/* gbs: Gragg-Bulirsch-Stoer extrapolation with the harmonic sequence
 * n_j = 2j, step rejection by halving, and exact landing on the end time.
 * Reference: Hairer, Norsett, Wanner, Solving ODEs I, II.9 (the tableau
 * T_{j,k+1} = T_{j,k} + (T_{j,k} - T_{j-1,k}) / ((n_j / n_{j-k})^2 - 1)).
 */
#include <string.h>
#include "gbs.h"
#include "../numbers/mpvec.h"

enum { V_Y, V_F0, V_ZP, V_ZC, V_FZ, V_A, V_B, NVEC };
enum { S_T, S_H, S_HS, S_TOL, S_ERR, S_TI, S_GAP, S_TMP, NSCAL };

int gbs_levels_for_bits(long bits)
{
    long k = (long)(0.5 * 0.30103 * (double)bits) + 1;
    return k < 6 ? 6 : k > GBS_KMAX ? GBS_KMAX : (int)k;
}

int gbs_work_init(gbs_work_t w, const rk_system *sys, int kmax, long bits,
                  mpfr_prec_t prec, averr_t err)
{
    memset(w, 0, sizeof *w);
    if (kmax < 3 || kmax > GBS_KMAX)
        return averr_set(err, AV_EINPUT, "extrapolation levels must be from 3 to %d, "
                         "not %d", GBS_KMAX, kmax);
    if (bits < 8 || bits > (long)prec - 8)
        return averr_set(err, AV_EINPUT, "extrapolation tolerance 2^-%ld needs at "
                         "least %ld bits of working precision, not %ld", bits, bits + 8,
                         (long)prec);
    size_t dim = sys->dim;
    w->block = mpblock_alloc((size_t)kmax * dim + NVEC * dim + NSCAL + 1, prec, err);
    if (w->block == NULL)
        return AV_ESYS;
    w->dim = dim;
    w->kmax = kmax;
    w->bits = bits;
    w->max_steps = 1000000;
    w->R = w->block;
    w->v = w->R + (size_t)kmax * dim;
    w->s = w->v + NVEC * dim;
    w->H = w->s + NSCAL;
    mpfr_set_inf(w->H, 1);
    return 0;
}

void gbs_work_clear(gbs_work_t w)
{
    mpblock_free(w->block);
    memset(w, 0, sizeof *w);
}

/* Gragg's modified midpoint rule: N substeps of size h = HS / n from
 * (t, y) with F0 = F(t, y) given; the result in ZC. */
static int midpoint(gbs_work_t w, const rk_system *sys, unsigned long n)
{
    size_t dim = w->dim;
    mpfr_ptr y = w->v + V_Y * dim, f0 = w->v + V_F0 * dim;
    mpfr_ptr zp = w->v + V_ZP * dim, zc = w->v + V_ZC * dim, fz = w->v + V_FZ * dim;
    mpfr_ptr h = w->s + S_TMP, h2 = w->s + S_GAP, ti = w->s + S_TI;
    mpfr_div_ui(h, w->s + S_HS, n, MPFR_RNDN);
    mpfr_mul_2ui(h2, h, 1, MPFR_RNDN);
    mpvec_set(zp, y, dim);
    mpvec_set(zc, y, dim);
    mpvec_axpy(zc, h, f0, dim);
    for (unsigned long i = 1; i < n; i++) {
        mpfr_mul_ui(ti, h, i, MPFR_RNDN);
        mpfr_add(ti, ti, w->s + S_T, MPFR_RNDN);
        int st = sys->F(fz, NULL, ti, zc, sys->ctx);
        if (st != 0)
            return st;
        w->evals++;
        /* z_{i+1} = z_{i-1} + 2h f(z_i), written over z_{i-1}, then swapped */
        mpvec_axpy(zp, h2, fz, dim);
        for (size_t k = 0; k < dim; k++)
            mpfr_swap(zp + k, zc + k);
    }
    return 0;
}

/* Binary exponent of a nonnegative number, with 0 as very small. */
static long lg(mpfr_srcptr x)
{
    return mpfr_zero_p(x) ? -(1L << 40) : (long)mpfr_get_exp(x);
}

static long clampl(long v, long lo, long hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* One macro step of signed size HS from (t, y): returns the accepted level
 * (the result in R + (level-1)*dim, its estimate in S_ERR), 0 when the step
 * is rejected, or a negative code.  The estimates fall by about a fixed
 * number of bits per level (2 log2(rho / H) for a field analytic in a disc
 * of radius rho); from that gain the step predicts whether the last level
 * can meet the tolerance (else it gives up early) and sets w->shift, the
 * power of 2 for the next H that would bring convergence near 3/4 of kmax.
 * Only binary exponents enter, so the decisions are exact integers. */
static int macro_step(gbs_work_t w, const rk_system *sys)
{
    size_t dim = w->dim;
    mpfr_ptr A = w->v + V_ZC * dim, B = w->v + V_B * dim;
    mpfr_ptr errn = w->s + S_ERR;
    long etol = lg(w->s + S_TOL), e2 = 0, eprev = 0, kt = (3L * w->kmax) / 4;
    for (int j = 1; j <= w->kmax; j++) {
        int st = midpoint(w, sys, 2UL * (unsigned long)j);
        if (st != 0)
            return st;
        /* A = T_{j,1}; walk the row, keeping the old entries in R */
        for (int k = 1; k < j; k++) {
            mpfr_ptr Rk = w->R + (size_t)(k - 1) * dim;
            mpvec_sub(B, A, Rk, dim);
            for (size_t c = 0; c < dim; c++) {
                mpfr_mul_ui(B + c, B + c, (unsigned long)((j - k) * (j - k)), MPFR_RNDN);
                mpfr_div_ui(B + c, B + c, (unsigned long)(k * (2 * j - k)), MPFR_RNDN);
            }
            mpvec_set(Rk, A, dim);
            mpvec_add(A, A, B, dim);
        }
        mpvec_set(w->R + (size_t)(j - 1) * dim, A, dim);
        if (!mpvec_is_finite(A, dim)) {
            w->shift = -2;
            return 0;
        }
        if (j < 2)
            continue;
        mpvec_norm_max(errn, B, dim);
        long e = lg(errn), last = eprev - e;
        eprev = e;
        if (j == 2)
            e2 = e;
        if (j >= 3 && mpfr_cmp(errn, w->s + S_TOL) <= 0) {
            long avg = (e2 - e) / (j - 2);
            w->shift = mpfr_zero_p(errn) || avg > 4 * (long)w->bits
                           ? 6 : clampl(avg * (kt - j) / (4 * kt), -2, 6);
            return j;
        }
        if (j < 4)
            continue;
        if (last <= 0) {            /* diverging: the midpoint rule is unstable */
            w->shift = -2;
            return 0;
        }
        /* the gain per level grows with j, so the last gain is optimistic */
        if (e - last * (w->kmax - j) > etol) {
            long room = (j < kt ? kt : w->kmax) - j;
            long need = room > 0 ? (e - etol + room - 1) / room : e - etol;
            w->shift = -clampl((need - last + 1) / 2, 1, 20);
            return 0;
        }
    }
    w->shift = -1;
    return 0;
}

int gbs_solve(mpfr_ptr y, mpfr_ptr est, const rk_system *sys, mpfr_srcptr t0,
              mpfr_srcptr t1, gbs_work_t w, averr_t err)
{
    size_t dim = w->dim;
    mpfr_ptr yc = w->v + V_Y * dim, f0 = w->v + V_F0 * dim;
    mpfr_ptr t = w->s + S_T, hs = w->s + S_HS, tol = w->s + S_TOL, gap = w->s + S_GAP;
    int dir = mpfr_cmp(t1, t0);
    if (dir == 0)
        return 0;
    mpvec_set(yc, y, dim);
    mpfr_set(t, t0, MPFR_RNDN);
    long tries = 0;
    for (;;) {
        mpfr_sub(gap, t1, t, MPFR_RNDN);
        mpfr_abs(gap, gap, MPFR_RNDN);
        int landing = mpfr_cmp(w->H, gap) >= 0;
        mpfr_set(hs, landing ? gap : w->H, MPFR_RNDN);
        if (dir < 0)
            mpfr_neg(hs, hs, MPFR_RNDN);
        if (++tries > w->max_steps)
            return averr_set(err, AV_ENUM, "extrapolation took more than %ld steps "
                             "by t = %.6g", w->max_steps, mpfr_get_d(t, MPFR_RNDN));
        mpvec_norm_max(tol, yc, dim);
        if (mpfr_cmp_ui(tol, 1) < 0)
            mpfr_set_ui(tol, 1, MPFR_RNDN);
        mpfr_mul_2si(tol, tol, -w->bits, MPFR_RNDN);
        int st = sys->F(f0, NULL, t, yc, sys->ctx);
        w->evals++;
        int level = st == 0 ? macro_step(w, sys) : st;
        if (level < 0)
            return averr_set(err, level, "the vector field failed at t = %.6g",
                             mpfr_get_d(t, MPFR_RNDN));
        if (level == 0) {
            w->rejects++;
            mpfr_abs(w->H, hs, MPFR_RNDN);
            mpfr_mul_2si(w->H, w->H, w->shift, MPFR_RNDN);
            continue;
        }
        w->steps++;
        w->last_level = level;
        mpvec_set(yc, w->R + (size_t)(level - 1) * dim, dim);
        mpfr_add(est, est, w->s + S_ERR, MPFR_RNDN);
        if (landing)
            break;
        mpfr_add(t, t, hs, MPFR_RNDN);
        mpfr_mul_2si(w->H, w->H, w->shift, MPFR_RNDN);
    }
    mpvec_set(y, yc, dim);
    return 0;
}
