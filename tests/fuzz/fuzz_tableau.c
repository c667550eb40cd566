/* fuzz_tableau: libFuzzer harness for the tableau file path, kvfile_parse
 * then tableau_init_kv at 64 bits, as a user's file goes.  A failure must
 * carry a negative code and a message; a success must hold a tableau of
 * 1 to TABLEAU_MAX_STAGES stages with finite coefficients.
 */
#include <stdint.h>
#include <stdlib.h>
#include "../../src/numbers/mpvec.h"
#include "../../src/schemes/tableau.h"

static void check_fail(int rc, const averr_t err)
{
    if (rc >= 0 || err->msg[0] == '\0')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kvfile_t kv;
    averr_t err;
    averr_clear(err);
    int rc = kvfile_parse(kv, "fuzz", (const char *)data, size, err);
    if (rc != 0) {
        check_fail(rc, err);
        kvfile_clear(kv);
        return 0;
    }
    tableau_t t;
    rc = tableau_init_kv(t, kv, 64, err);
    if (rc != 0) {
        check_fail(rc, err);
    } else {
        size_t s = (size_t)t->s;
        if (t->s < 1 || t->s > TABLEAU_MAX_STAGES || !mpvec_is_finite(t->A, s * s) ||
            !mpvec_is_finite(t->b, s) || !mpvec_is_finite(t->c, s))
            abort();
        tableau_clear(t);
    }
    kvfile_clear(kv);
    return 0;
}
