/* table: building a table (title, command, headers, rows of cells, notes),
 * plus the small helpers around it (format names, number formatting).
 * Every string a table holds is malloc'd and owned by it.  An allocation
 * failure sets t->failed and the table stays usable, so code filling a
 * table need not test each cell; table_write reports the failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <mpfr.h>
#include "table.h"

/* A malloc'd copy of S (NULL stays NULL); marks T failed when short. */
static char *dup_or_fail(table_t t, const char *s)
{
    if (s == NULL)
        return NULL;
    char *d = strdup(s);
    if (d == NULL)
        t->failed = 1;
    return d;
}

/* mpfr_vasprintf allocates with GMP's allocator, which a caller may have
 * replaced; copying into malloc'd memory lets every string of a table, and
 * the result of report_num, be released with free(). */
static char *format_malloc(const char *fmt, va_list ap)
{
    char *m = NULL;
    if (mpfr_vasprintf(&m, fmt, ap) < 0)
        return NULL;
    char *s = strdup(m);
    mpfr_free_str(m);
    return s;
}

static char *format_malloc_va(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = format_malloc(fmt, ap);
    va_end(ap);
    return s;
}

void table_init(table_t t, const char *title, int ncols,
                const char *const *headers)
{
    memset(t, 0, sizeof *t);
    t->title = dup_or_fail(t, title);
    if (ncols < 1) {
        t->failed = 1;
        return;
    }
    t->headers = calloc((size_t)ncols, sizeof *t->headers);
    if (t->headers == NULL) {
        t->failed = 1;
        return;
    }
    t->ncols = ncols;
    for (int i = 0; i < ncols; i++)
        t->headers[i] = dup_or_fail(t, headers != NULL ? headers[i] : NULL);
}

void table_clear(table_t t)
{
    for (int i = 0; i < t->ncols && t->headers != NULL; i++)
        free(t->headers[i]);
    for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
        free(t->cells[i]);
    for (size_t i = 0; i < t->nnotes; i++)
        free(t->notes[i]);
    free(t->title);
    free(t->command);
    free(t->headers);
    free(t->cells);
    free(t->notes);
    memset(t, 0, sizeof *t);
}

void table_set_command(table_t t, const char *command, long prec)
{
    free(t->command);
    t->command = dup_or_fail(t, command);
    t->prec = prec;
}

void table_row(table_t t)
{
    size_t nc = (size_t)t->ncols;
    /* A short previous row is a bug in the code filling the table; mark it
     * so that table_write refuses rather than printing shifted columns. */
    if (nc == 0 || (t->nrows > 0 && t->cur != t->ncols)) {
        t->failed = 1;
        if (nc == 0)
            return;
    }
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 8;
        char **c = NULL;
        if (cap <= SIZE_MAX / sizeof *c / nc)
            c = realloc(t->cells, cap * nc * sizeof *c);
        if (c == NULL) {
            t->failed = 1;
            t->cur = t->ncols;      /* drop this row's cells */
            return;
        }
        t->cells = c;
        t->cap = cap;
    }
    for (size_t j = 0; j < nc; j++)
        t->cells[t->nrows * nc + j] = NULL;
    t->nrows++;
    t->cur = 0;
}

void table_cell(table_t t, const char *fmt, ...)
{
    if (t->nrows == 0 || t->cur >= t->ncols) {
        t->failed = 1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *s = format_malloc(fmt, ap);
    va_end(ap);
    if (s == NULL)
        t->failed = 1;
    t->cells[(t->nrows - 1) * (size_t)t->ncols + (size_t)t->cur] = s;
    t->cur++;
}

void table_note(table_t t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = format_malloc(fmt, ap);
    va_end(ap);
    char **n = NULL;
    if (s != NULL && t->nnotes < SIZE_MAX / sizeof *n - 1)
        n = realloc(t->notes, (t->nnotes + 1) * sizeof *n);
    if (n == NULL) {
        free(s);
        t->failed = 1;
        return;
    }
    t->notes = n;
    t->notes[t->nnotes++] = s;
}

int report_format_lookup(report_format *f, const char *name, averr_t err)
{
    static const struct { const char *name; report_format fmt; } names[] = {
        {"text", FMT_TEXT}, {"md", FMT_MD}, {"csv", FMT_CSV}, {"tex", FMT_TEX},
    };
    for (size_t i = 0; name != NULL && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *f = names[i].fmt;
            return AV_OK;
        }
    return averr_set(err, AV_EINPUT,
                     "unknown format '%s' (expected text, md, csv or tex)",
                     name != NULL ? name : "");
}

char *report_num(mpfr_srcptr x, int digits)
{
    if (digits < 1)
        digits = 1;
    return format_malloc_va("%.*Re", digits - 1, x);
}
