/* cli_files: the output directory checked up front, and table files
 * written with the interrupting signals blocked.
 * report_write_files creates temporaries and renames them into place; a
 * signal taking its default action in between would leave a temporary.
 * Blocking with sigprocmask needs no handler and no global state (a handler
 * would have to find the temporaries' names through a global): the signal
 * stays pending and ends the process, as usual, as soon as the mask is
 * restored.  The computation between two files remains interruptible at
 * once.  SIGKILL cannot be blocked.  POSIX.1-2008, sigprocmask.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli_files.h"

int cli_write_files(const char *dir, const char *base, const table_t *tables,
                    int n, averr_t err)
{
    sigset_t hold, old;
    if (sigemptyset(&hold) != 0 || sigaddset(&hold, SIGINT) != 0 ||
        sigaddset(&hold, SIGTERM) != 0 || sigaddset(&hold, SIGHUP) != 0 ||
        sigaddset(&hold, SIGQUIT) != 0 || sigprocmask(SIG_BLOCK, &hold, &old) != 0)
        return averr_set(err, AV_ESYS, "cannot block signals while writing '%s': %s",
                         base, strerror(errno));
    int rc = report_write_files(dir, base, tables, n, err);
    if (sigprocmask(SIG_SETMASK, &old, NULL) != 0 && rc == AV_OK)
        rc = averr_set(err, AV_ESYS, "cannot restore the signal mask: %s",
                       strerror(errno));
    return rc;
}

int cli_check_dir(const char *dir, averr_t err)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return averr_set(err, AV_EINPUT, "cannot write tables to '%s': %s", dir,
                         strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return averr_set(err, AV_EINPUT, "cannot write tables to '%s': not a directory",
                         dir);
    if (access(dir, W_OK | X_OK) != 0)
        return averr_set(err, AV_EINPUT, "cannot write tables to '%s': %s", dir,
                         strerror(errno));
    return AV_OK;
}
