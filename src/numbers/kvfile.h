/* kvfile: the `key = value` text format shared by tableau and problem files.
 *
 * One entry per line; '#' starts a comment; blank lines are ignored.  A value
 * is either a word (name = rk4) or a list of exact numbers separated by
 * spaces, with ';' between matrix rows.  Every entry remembers where it came
 * from so that an error can name `origin:line:col`.  Built-in tableaux and
 * problems are stored in this same form and go through this same parser.
 */
#ifndef ADJVERIFY_KVFILE_H
#define ADJVERIFY_KVFILE_H

#include <stddef.h>
#include <gmp.h>
#include "averr.h"

/* Limits that keep a hostile file from exhausting memory. */
#define KV_MAX_BYTES (1L << 20)      /* 1 MiB per file */
#define KV_MAX_ENTRIES 256
#define KV_MAX_KEY 64

typedef struct {
    char key[KV_MAX_KEY];
    char *value;       /* the raw value text, trimmed, NUL-terminated */
    int line;          /* 1-based line of the key */
    int col;           /* 1-based column where the value starts */
} kv_entry;

typedef struct {
    char origin[256];  /* file name, or "builtin:NAME" */
    kv_entry *entries;
    int n;
    char *text;        /* the whole text (owned) */
} kvfile_struct;
typedef kvfile_struct kvfile_t[1];

/* A matrix of exact rationals read from one value: ROWS rows of COLS each
 * (a plain list is one row).  Row-major, Q + i*cols + j. */
typedef struct {
    mpq_t *q;
    int rows, cols;
} qmat_struct;
typedef qmat_struct qmat_t[1];

/* Parses TEXT (LEN bytes) from ORIGIN.  Errors (AV_EINPUT, message
 * `origin:line:col: ...`): empty input, a NUL byte, a line without '=',
 * an empty or malformed key, a duplicate key, too many entries, text over
 * KV_MAX_BYTES.  On failure KV is left cleared (safe to kvfile_clear). */
int kvfile_parse(kvfile_t kv, const char *origin, const char *text, size_t len,
                 averr_t err);

/* Reads the file at PATH and parses it; a missing, unreadable, empty or
 * oversized file is an AV_EINPUT error naming PATH. */
int kvfile_read(kvfile_t kv, const char *path, averr_t err);

/* Parses BUILTIN_TEXT as the built-in NAME (origin "builtin:NAME") when it
 * is not NULL, else reads the file NAME with kvfile_read: the one place
 * where built-ins and users' files meet the same parser. */
int kvfile_load(kvfile_t kv, const char *name, const char *builtin_text,
                averr_t err);

void kvfile_clear(kvfile_t kv);

/* Returns the entry for KEY, or NULL. */
const kv_entry *kvfile_find(const kvfile_t kv, const char *key);

/* Checks that every key of KV is in the NULL-terminated list ALLOWED;
 * otherwise AV_EINPUT naming the place and the allowed keys. */
int kvfile_check_keys(const kvfile_t kv, const char *const *allowed, averr_t err);

/* The value of KEY as one word ([A-Za-z0-9_.-]+).  Missing key (when
 * REQUIRED) or a value that is not one word is an AV_EINPUT error. Sets
 * *OUT to NULL when absent and not required. */
int kvfile_word(const char **out, const kvfile_t kv, const char *key,
                int required, averr_t err);

/* The value of KEY as a matrix of rationals.  Ragged rows, an empty row and
 * malformed numbers are AV_EINPUT errors naming line and column.  A missing
 * key is an error when REQUIRED, else M is set to 0 x 0.  M must be
 * uninitialised (or cleared) on entry; on success clear it with qmat_clear. */
int kvfile_qmat(qmat_t m, const kvfile_t kv, const char *key, int required,
                averr_t err);

/* Checks the shape of KEY's matrix: ROWS x COLS; a vector (ROWS = 1) may also
 * be written as a column (COLS rows of 1).  AV_EINPUT error naming the place
 * and both shapes otherwise.  On success the matrix is reshaped to
 * ROWS x COLS. */
int kvfile_expect_shape(qmat_t m, const kvfile_t kv, const char *key,
                        int rows, int cols, averr_t err);

void qmat_init(qmat_t m, int rows, int cols);
void qmat_clear(qmat_t m);

#endif
