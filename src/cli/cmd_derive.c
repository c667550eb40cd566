/* cmd_derive: `adjverify derive notes [--variant V]`: the lecture notes'
 * Lagrangian derivation of the adjoint (derivations/lagrangian.md) on P7,
 * one row per equation with both sides and their difference.  --variant
 * sign-error or drop-boundary repeats it with a classic mistake, to show
 * which steps then fail.  Exit 1 when a step does not hold.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "../claims/claims_notes.h"
#include "../numbers/mpvec.h"

static const struct {
    const char *name;
    lag_variant v;
} variants[] = {
    {"exact", LAG_EXACT},
    {"sign-error", LAG_SIGN_ERROR},
    {"drop-boundary", LAG_DROP_BOUNDARY},
};

static int lookup_variant(lag_variant *v, const char *name, averr_t err)
{
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++)
        if (strcmp(variants[i].name, name) == 0) {
            *v = variants[i].v;
            return 0;
        }
    return averr_set(err, AV_EINPUT, "--variant: unknown '%s' (expected exact, "
                     "sign-error or drop-boundary)", name);
}

/* Prints the steps of the notes' derivation; *FAILED receives the bit set
 * of steps that do not hold. */
static int derive_notes(lag_variant v, const char *cmd, const cli_globals *g,
                        long *failed, averr_t err)
{
    lag_state_t s;
    table_t t;
    int rc = notes_state_init(s, g->prec, v, 1, err);
    if (rc != 0)
        return rc;
    long bits = notes_failing_steps(s, 1, 14, err);
    if (bits >= 0 && (rc = notes_steps_table(t, s, 1, 14, g->digits, NULL, NULL,
                                             err)) == 0) {
        char list[128] = "";
        for (int k = 1; k <= 14; k++)
            if (bits & (1L << k))
                snprintf(list + strlen(list), sizeof list - strlen(list),
                         " (%d)", k);
        table_set_command(t, cmd, (long)g->prec);
        if (bits == 0)
            table_note(t, "every step holds: each equation's sides agree to at "
                       "least %ld digits and every counter-example differs",
                       notes_need_digits(g->prec));
        else
            table_note(t, "steps that do NOT hold (sides agree to fewer than "
                       "%ld digits, or a counter-example agrees):%s",
                       notes_need_digits(g->prec), list);
        rc = report_write_stream(stdout, (const table_t *)&t, 1, g->fmt, 0, err);
        table_clear(t);
    }
    rc = bits < 0 ? (int)bits : rc;
    *failed = bits;
    lag_state_clear(s);
    return rc;
}

int cmd_derive(int argc, char **argv, const cli_globals *g)
{
    cli_option o[] = {{"--variant", 1, NULL}};
    const char *pos[1];
    int npos = 0;
    lag_variant v = LAG_EXACT;
    averr_t err;
    averr_clear(err);
    if (cli_parse(argc, argv, o, 1, pos, 1, &npos, err) != 0
        || (o[0].value != NULL && lookup_variant(&v, o[0].value, err) != 0))
        return cli_fail(err);
    if (npos != 1 || strcmp(pos[0], "notes") != 0) {
        averr_set(err, AV_EINPUT, "derive: expected the name of a derivation: "
                  "notes");
        return cli_fail(err);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "adjverify derive notes%s%s",
             o[0].value ? " --variant " : "", o[0].value ? o[0].value : "");
    long failed = 0;
    if (derive_notes(v, cmd, g, &failed, err) != 0)
        return cli_fail(err);
    return failed == 0 ? CLI_OK : CLI_DISAGREE;
}
