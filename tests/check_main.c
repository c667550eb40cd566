/* check_main: the one test runner; `make check` runs it. */
#include <stdlib.h>
#include <check.h>
#include "suites.h"

int main(void)
{
    Suite *(*const suites[])(void) = {
        suite_numbers, suite_report, suite_schemes, suite_problems,
        suite_integrate, suite_gradients, suite_claims, suite_cli,
        suite_checkpoint,
        suite_adjoint,
        suite_partner,
        suite_gradflow,
        suite_quad, suite_notes, suite_notes_doc,
        suite_derivations,
        suite_refcache,
    };
    SRunner *sr = srunner_create(suites[0]());
    for (size_t i = 1; i < sizeof suites / sizeof suites[0]; i++)
        srunner_add_suite(sr, suites[i]());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
