/* cli_files: the output directory of `tables` and `verify --write`,
 * checked before any computation, and table files written so that SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT cannot leave a temporary file behind.
 */
#ifndef ADJVERIFY_CLI_FILES_H
#define ADJVERIFY_CLI_FILES_H

#include "../numbers/averr.h"
#include "../report/table.h"

/* report_write_files (src/report/table.h) with those four signals held
 * back for its duration: a signal that arrives meanwhile takes its usual
 * effect once the files are renamed into place (or their temporaries
 * removed).  Same arguments and return; AV_ESYS when the signal mask
 * cannot be changed.  Not for use from several threads. */
int cli_write_files(const char *dir, const char *base, const table_t *tables,
                    int n, averr_t err);

/* Checks that DIR is an existing, writable directory, so that a wrong
 * --dir fails at once and not after every table has been computed.
 * AV_EINPUT naming DIR and the reason otherwise. */
int cli_check_dir(const char *dir, averr_t err);

#endif
