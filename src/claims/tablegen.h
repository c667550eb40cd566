/* tablegen: the registry of generated tables (tables/BASE.{md,csv,tex}).
 *
 * Each generator computes its numbers and fills up to TABLEGEN_MAX tables;
 * `adjverify tables` runs every generator and writes the files atomically.
 */
#ifndef ADJVERIFY_TABLEGEN_H
#define ADJVERIFY_TABLEGEN_H

#include "../numbers/averr.h"
#include "../report/table.h"
#include "claim.h"

#define TABLEGEN_MAX 8

typedef struct {
    const char *base;      /* file base name in tables/ */
    const char *summary;   /* one line */
    /* Initialises and fills OUT[0..*n-1]; on failure returns a negative code
     * with ERR set, and every table it initialised is cleared. */
    int (*make)(table_t *out, int *n, const claim_opts *o, averr_t err);
    /* The id of a claim whose check computes the same tables (claim_result
     * tables) at the same options, or NULL: when that claim ran without
     * error in the same run, its tables are written and MAKE is not
     * called. */
    const char *claim;
} tablegen_def;

/* All generators, in order; the count in *N.  Each is a
 * `const tablegen_def tablegen_BASE` defined beside its computation and
 * listed in src/claims/registry.c. */
const tablegen_def *const *tablegen_registry(int *n);
const tablegen_def *tablegen_find(const char *base);

#endif
