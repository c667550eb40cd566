/* kvfile_value: read one entry's value as a word or as a matrix of rationals.
 *
 * A matrix value is tokens separated by spaces or tabs, rows separated by
 * ';'.  Every token goes through qnum_parse, and its error is moved to the
 * token's place in the file, so a message reads `origin:line:col: ...`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kvfile.h"
#include "qnum.h"

/* Longest piece of a bad token quoted in a message. */
#define SHOW_MAX 40

void qmat_init(qmat_t m, int rows, int cols)
{
    size_t n = (rows > 0 && cols > 0) ? (size_t)rows * (size_t)cols : 0;
    m->q = NULL;
    m->rows = m->cols = 0;
    if (n == 0)
        return;
    /* On allocation failure M stays 0 x 0 with q NULL; callers check q. */
    m->q = malloc(n * sizeof *m->q);
    if (m->q == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        mpq_init(m->q[i]);
    m->rows = rows;
    m->cols = cols;
}

void qmat_clear(qmat_t m)
{
    size_t n = (size_t)m->rows * (size_t)m->cols;
    for (size_t i = 0; i < n; i++)
        mpq_clear(m->q[i]);
    free(m->q);
    m->q = NULL;
    m->rows = m->cols = 0;
}

static const kv_entry *lookup(const kvfile_t kv, const char *key, int required,
                              averr_t err, int *rc)
{
    const kv_entry *e = kvfile_find(kv, key);
    *rc = AV_OK;
    if (e == NULL && required)
        *rc = averr_set(err, AV_EINPUT, "%s: missing key '%s'", kv->origin,
                        key);
    return e;
}

static int is_word_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int kvfile_word(const char **out, const kvfile_t kv, const char *key,
                int required, averr_t err)
{
    int rc;
    const kv_entry *e = lookup(kv, key, required, err, &rc);
    *out = NULL;
    if (e == NULL)
        return rc;
    for (const char *p = e->value; *p != '\0'; p++)
        if (!is_word_char(*p))
            return averr_set(err, AV_EINPUT, "%s:%d:%d: expected one word "
                             "(letters, digits, '_', '.', '-') for '%s', "
                             "found '%c'", kv->origin, e->line,
                             e->col + (int)(p - e->value), key, *p);
    *out = e->value;
    return AV_OK;
}

/* Walks the value of E once.  With M NULL it only counts and checks the
 * shape (and validates every number into SCRATCH); with M it stores. */
static int walk(qmat_t m, int *rows, int *cols, mpq_t scratch,
                const kvfile_t kv, const kv_entry *e, averr_t err)
{
    const char *v = e->value;
    size_t i = 0, row0 = 0;
    int r = 0, c = 0, first_cols = -1, k = 0;
    for (;;) {
        while (v[i] == ' ' || v[i] == '\t')
            i++;
        if (v[i] == ';' || v[i] == '\0') {
            if (c == 0)
                return averr_set(err, AV_EINPUT, "%s:%d:%zu: row %d of '%s' "
                                 "is empty", kv->origin, e->line,
                                 (size_t)e->col + i, r + 1, e->key);
            if (first_cols < 0)
                first_cols = c;
            else if (c != first_cols)
                return averr_set(err, AV_EINPUT, "%s:%d:%zu: row %d has %d "
                                 "value%s, row 1 has %d", kv->origin, e->line,
                                 (size_t)e->col + row0, r + 1, c,
                                 c == 1 ? "" : "s", first_cols);
            r++;
            c = 0;
            if (v[i] == '\0')
                break;
            i++;
            while (v[i] == ' ' || v[i] == '\t')
                i++;
            row0 = i;
            continue;
        }
        size_t t0 = i;
        while (v[i] != '\0' && v[i] != ';' && v[i] != ' ' && v[i] != '\t')
            i++;
        averr_t sub;
        averr_clear(sub);
        mpq_ptr dst = m != NULL ? m->q[k] : scratch;
        if (qnum_parse(dst, v + t0, i - t0, sub) != AV_OK) {
            /* qnum names "column C" within the token: move it into the file */
            size_t at = 1;
            const char *detail = sub->msg;
            if (sscanf(sub->msg, "column %zu: ", &at) == 1) {
                const char *colon = strstr(sub->msg, ": ");
                if (colon != NULL)
                    detail = colon + 2;
            }
            int shown = (int)(i - t0 < SHOW_MAX ? i - t0 : SHOW_MAX);
            return averr_set(err, sub->code, "%s:%d:%zu: expected a number, "
                             "found '%.*s%s' (column %zu: %s)", kv->origin,
                             e->line, (size_t)e->col + t0, shown, v + t0,
                             i - t0 > SHOW_MAX ? "..." : "",
                             (size_t)e->col + t0 + at - 1, detail);
        }
        c++;
        k++;
    }
    *rows = r;
    *cols = first_cols;
    return AV_OK;
}

int kvfile_qmat(qmat_t m, const kvfile_t kv, const char *key, int required,
                averr_t err)
{
    int rc, rows = 0, cols = 0;
    mpq_t scratch;
    const kv_entry *e = lookup(kv, key, required, err, &rc);
    qmat_init(m, 0, 0);
    if (e == NULL)
        return rc;
    mpq_init(scratch);
    rc = walk(NULL, &rows, &cols, scratch, kv, e, err);
    mpq_clear(scratch);
    if (rc != AV_OK)
        return rc;
    qmat_init(m, rows, cols);
    if (m->q == NULL)
        return averr_set(err, AV_ESYS, "%s:%d:%d: out of memory for a %d x %d "
                         "matrix", kv->origin, e->line, e->col, rows, cols);
    rc = walk(m, &rows, &cols, NULL, kv, e, err);
    if (rc != AV_OK)
        qmat_clear(m);
    return rc;
}

int kvfile_expect_shape(qmat_t m, const kvfile_t kv, const char *key,
                        int rows, int cols, averr_t err)
{
    const kv_entry *e = kvfile_find(kv, key);
    if (m->rows == rows && m->cols == cols)
        return AV_OK;
    /* A vector written one value per row: same row-major data, new shape. */
    if (rows == 1 && m->rows == cols && m->cols == 1) {
        m->rows = 1;
        m->cols = cols;
        return AV_OK;
    }
    if (e == NULL)
        return averr_set(err, AV_EINPUT, "%s: missing key '%s' (expected %d x "
                         "%d values)", kv->origin, key, rows, cols);
    return averr_set(err, AV_EINPUT, "%s:%d:%d: '%s' should be %d x %d%s, "
                     "found %d x %d", kv->origin, e->line, e->col, key, rows,
                     cols, rows == 1 ? " (or a column of that length)" : "",
                     m->rows, m->cols);
}
