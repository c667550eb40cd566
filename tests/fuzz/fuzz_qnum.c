/* fuzz_qnum: libFuzzer harness for the exact number parser (qnum_parse).
 * Beyond "no crash, no leak, no undefined behaviour" it checks the
 * contract: a failure sets a negative code and a message and leaves OUT
 * unchanged; a success is canonical and, printed as num/den, reads back
 * to the same rational.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/numbers/qnum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mpq_t q, back;
    mpq_init(q);
    mpq_init(back);
    mpq_set_si(q, 7, 3);
    averr_t err;
    averr_clear(err);
    int rc = qnum_parse(q, (const char *)data, size, err);
    if (rc != 0) {
        if (rc != AV_EINPUT || err->msg[0] == '\0' || mpq_cmp_si(q, 7, 3) != 0)
            abort();
    } else {
        mpq_t c;
        mpq_init(c);
        mpq_set(c, q);
        mpq_canonicalize(c);
        if (!mpq_equal(c, q))
            abort();
        mpq_clear(c);
        /* "1e99999" is a valid token whose integer form is longer than
         * QNUM_MAX_LEN characters: read back only what fits. */
        char *s = mpq_get_str(NULL, 10, q);
        if (s == NULL)
            abort();
        if (strlen(s) <= QNUM_MAX_LEN &&
            (qnum_parse_str(back, s, err) != 0 || !mpq_equal(back, q)))
            abort();
        free(s);
    }
    mpq_clear(back);
    mpq_clear(q);
    return 0;
}
