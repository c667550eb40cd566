/* claims_notes_steps: the decide functions of N1 to N8, the table of the
 * derivation's steps (what `adjverify derive notes` prints and
 * tables/lagrangian_steps holds), and its generator.
 */
#include "claims_notes.h"
#include "tablegen.h"
#include "../numbers/mpvec.h"

long notes_need_digits(mpfr_prec_t prec)
{
    return mpnum_max_digits(prec) - 6;
}

verdict_t notes_decide_steps(long digits, long contrast, long need)
{
    return digits >= need && contrast < need ? VERDICT_VERIFIED
                                              : VERDICT_REFUTED;
}

verdict_t n3_decide(long digits, long contrast, int sweep_ok, long need)
{
    return sweep_ok ? notes_decide_steps(digits, contrast, need)
                    : VERDICT_REFUTED;
}

verdict_t n7_decide(long sens, long fd, long resid, long reduce, long need)
{
    return sens >= need && fd >= need && resid >= need && reduce >= need
               ? VERDICT_VERIFIED
               : VERDICT_REFUTED;
}

verdict_t n8_decide(int newton_conv, int newton_neg, int hybrid_conv,
                    int hybrid_neg)
{
    if (newton_conv && newton_neg == 0)
        return VERDICT_VERIFIED;
    if (hybrid_conv && hybrid_neg == 0)
        return VERDICT_QUALIFIED;
    return VERDICT_REFUTED;
}

/* One table row per row of ST. */
static void step_rows(table_t t, const lag_step_t st, int digits, long cap)
{
    for (int i = 0; i < st->nrows; i++) {
        const lag_row *r = &st->rows[i];
        table_row(t);
        table_cell(t, "(%d)", st->step);
        table_cell(t, "%s", st->func);
        table_cell(t, "%s%s", r->contrast ? "counter-example: " : "", r->label);
        table_cell(t, "%.*Re", digits - 1, r->left);
        table_cell(t, "%.*Re", digits - 1, r->right);
        table_cell(t, "%.3Re", r->diff);
        table_cell(t, "%ld", mpnum_digits(r->left, r->right, cap));
    }
}

int notes_steps_table(table_t t, lag_state_t s, int first, int last,
                      int digits, long *min_digits, long *contrast,
                      averr_t err)
{
    static const char *const head[] = {"step", "check", "quantity",
                                       "left side", "right side",
                                       "difference", "digits"};
    mpfr_prec_t prec = s->P->prec;
    long cap = mpnum_max_digits(prec), dmin = cap, cmax = -1;
    lag_step_t st;
    int rc = lag_step_init(st, prec, err), n;
    if (rc != 0)
        return rc;
    const lag_step_entry *e = lag_steps(&n);
    table_init(t, "The notes' Lagrangian derivation on P7, step by step: "
                  "each row is one equation, its left and right side computed "
                  "by different routes", 7, head);
    table_set_command(t, "adjverify derive notes", (long)prec);
    for (int i = 0; i < n && rc == 0; i++) {
        if (e[i].step < first || e[i].step > last)
            continue;
        if ((rc = e[i].fn(st, s, err)) != 0)
            break;
        table_note(t, "(%d) %s  [%s]", st->step, st->title, st->func);
        step_rows(t, st, digits, cap);
        long d = lag_step_digits(st, cap), c = lag_step_contrast_digits(st, cap);
        dmin = d < dmin ? d : dmin;
        cmax = c > cmax ? c : cmax;
    }
    table_note(t, "digits: correct decimal digits of the left side against the "
                  "right (absolute where the right side is 0), at most %ld at "
                  "%ld bits; counter-example rows show what fails when a "
                  "condition of the derivation is dropped", cap, (long)prec);
    lag_step_clear(st);
    if (rc != 0) {
        table_clear(t);
        return rc;
    }
    if (min_digits != NULL)
        *min_digits = dmin;
    if (contrast != NULL)
        *contrast = cmax;
    return 0;
}

long notes_failing_steps(lag_state_t s, int first, int last, averr_t err)
{
    mpfr_prec_t prec = s->P->prec;
    long cap = mpnum_max_digits(prec), need = notes_need_digits(prec), bits = 0;
    lag_step_t st;
    int rc = lag_step_init(st, prec, err), n;
    const lag_step_entry *e = lag_steps(&n);
    for (int i = 0; i < n && rc == 0; i++) {
        if (e[i].step < first || e[i].step > last)
            continue;
        if ((rc = e[i].fn(st, s, err)) == 0
            && notes_decide_steps(lag_step_digits(st, cap),
                                  lag_step_contrast_digits(st, cap),
                                  need) != VERDICT_VERIFIED)
            bits |= 1L << e[i].step;
    }
    lag_step_clear(st);
    return rc != 0 ? rc : bits;
}

static int make_lagrangian_steps(table_t *out, int *n, const claim_opts *o,
                                 averr_t err)
{
    lag_state_struct *s;
    *n = 0;
    int rc = notes_state_get(&s, o, err);
    if (rc != 0)
        return rc;
    rc = notes_steps_table(out[0], s, 1, 14, o->digits, NULL, NULL, err);
    notes_state_release(s, o);
    if (rc == 0)
        *n = 1;
    return rc;
}

const tablegen_def tablegen_lagrangian_steps = {
    .base = "lagrangian_steps",
    .summary = "the notes' Lagrangian derivation on P7: every step's two sides "
               "and their difference",
    .make = make_lagrangian_steps,
};
