/* report_files: tables written as DIR/BASE.{md,csv,tex}, atomically.
 * Each file is written to a temporary in DIR (so on the same file system),
 * flushed, synced and closed with every status checked, and only then
 * renamed over the old file (POSIX rename replaces atomically).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "table.h"

typedef struct {
    const char *ext;
    report_format fmt;
} file_kind;

static const file_kind kinds[] = {
    {"md", FMT_MD}, {"csv", FMT_CSV}, {"tex", FMT_TEX},
};
enum { NKINDS = sizeof kinds / sizeof kinds[0] };

/* "DIR/" LEAD BASE "." EXT TAIL, malloc'd; NULL when memory is short. */
static char *join(const char *dir, const char *lead, const char *base,
                  const char *ext, const char *tail)
{
    size_t n = strlen(dir) + strlen(lead) + strlen(base) + strlen(ext) +
               strlen(tail) + 3;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s/%s%s.%s%s", dir, lead, base, ext, tail);
    return s;
}

static int sys_fail(averr_t err, const char *what, const char *path, int e)
{
    return averr_set(err, AV_ESYS, "%s '%s': %s", what, path, strerror(e));
}

/* Writes TABLES in kind K to a new temporary next to PATH and stores its
 * malloc'd name in *TMP.  On failure nothing is left behind and *TMP is
 * NULL.  The mode is 0644: generated tables are meant to be shared. */
static int write_temp(char **tmp, const char *dir, const char *base,
                      const char *path, const file_kind *k,
                      const table_t *tables, int n, averr_t err)
{
    *tmp = NULL;
    char *name = join(dir, ".", base, k->ext, ".XXXXXX");
    if (name == NULL)
        return averr_set(err, AV_ESYS, "out of memory writing '%s'", path);
    int fd = mkstemp(name);
    if (fd < 0) {
        int rc = sys_fail(err, "cannot create a temporary file for", path,
                          errno);
        free(name);
        return rc;
    }
    FILE *f = fdopen(fd, "w");
    int rc = f == NULL ? sys_fail(err, "cannot write", path, errno) : AV_OK;
    if (f == NULL)
        close(fd);
    if (rc == AV_OK) {
        rc = report_write_stream(f, tables, n, k->fmt, 1, err);
        if (rc != AV_OK)
            averr_prefix(err, "cannot write '%s'", path);
        else if (fflush(f) != 0 || fchmod(fd, 0644) != 0 || fsync(fd) != 0)
            rc = sys_fail(err, "cannot write", path, errno);
        if (fclose(f) != 0 && rc == AV_OK)
            rc = sys_fail(err, "cannot write", path, errno);
    }
    if (rc != AV_OK) {
        unlink(name);
        free(name);
        return rc;
    }
    *tmp = name;
    return AV_OK;
}

int report_write_files(const char *dir, const char *base,
                       const table_t *tables, int n, averr_t err)
{
    if (dir == NULL || dir[0] == '\0')
        dir = ".";
    if (base == NULL || base[0] == '\0' || strchr(base, '/') != NULL)
        return averr_set(err, AV_EINPUT, "invalid table file name '%s'",
                         base != NULL ? base : "");
    char *path[NKINDS] = {NULL}, *tmp[NKINDS] = {NULL};
    int rc = AV_OK;
    /* All three temporaries first, then the renames, so that a failure
     * while writing leaves every old file untouched. */
    for (int k = 0; k < NKINDS && rc == AV_OK; k++) {
        path[k] = join(dir, "", base, kinds[k].ext, "");
        rc = path[k] == NULL
                 ? averr_set(err, AV_ESYS, "out of memory writing '%s'", base)
                 : write_temp(&tmp[k], dir, base, path[k], &kinds[k], tables,
                              n, err);
    }
    for (int k = 0; k < NKINDS && rc == AV_OK; k++) {
        if (rename(tmp[k], path[k]) != 0) {
            rc = averr_set(err, AV_ESYS, "cannot rename '%s' to '%s': %s",
                           tmp[k], path[k], strerror(errno));
            break;
        }
        free(tmp[k]);
        tmp[k] = NULL;
    }
    for (int k = 0; k < NKINDS; k++) {
        if (tmp[k] != NULL)
            unlink(tmp[k]);
        free(tmp[k]);
        free(path[k]);
    }
    return rc;
}
