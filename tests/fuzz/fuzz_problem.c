/* fuzz_problem: libFuzzer harness for the problem file path, kvfile_parse
 * then problem_init_kv at 64 bits.  A failure must carry a negative code
 * and a message; a success must have consistent sizes and a positive T.
 */
#include <stdint.h>
#include <stdlib.h>
#include "../../src/problems/problem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kvfile_t kv;
    averr_t err;
    averr_clear(err);
    int rc = kvfile_parse(kv, "fuzz", (const char *)data, size, err);
    if (rc == 0) {
        problem_t p;
        rc = problem_init_kv(p, kv, 64, err);
        if (rc == 0) {
            if (p->d < 1 || p->ntheta < 1 || p->model == NULL ||
                mpq_sgn(p->T_q) <= 0 || mpfr_sgn(p->T) <= 0)
                abort();
            problem_clear(p);
        }
    }
    if (rc != 0 && (rc >= 0 || err->msg[0] == '\0'))
        abort();
    kvfile_clear(kv);
    return 0;
}
