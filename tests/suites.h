/* suites: one Check suite per module; check_main.c runs them all. */
#ifndef ADJVERIFY_TEST_SUITES_H
#define ADJVERIFY_TEST_SUITES_H

#include <check.h>

Suite *suite_numbers(void);
Suite *suite_report(void);
Suite *suite_schemes(void);
Suite *suite_problems(void);
Suite *suite_integrate(void);
Suite *suite_gradients(void);
Suite *suite_claims(void);
Suite *suite_cli(void);
Suite *suite_checkpoint(void);
Suite *suite_partner(void);
Suite *suite_gradflow(void);
Suite *suite_quad(void);
Suite *suite_notes(void);
Suite *suite_notes_doc(void);

Suite *suite_adjoint(void);
Suite *suite_derivations(void);
Suite *suite_refcache(void);

#endif
