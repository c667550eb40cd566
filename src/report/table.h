/* table: the one table model every result is shown in, written as aligned
 * text (terminal), Markdown, CSV or LaTeX, and files written atomically.
 *
 * A table has a title, the command that produced it, the precision, column
 * headers, rows of cells (strings) and notes.  Cells are formatted with
 * mpfr_asprintf, so `%.*Re` prints an MPFR number with correct rounding and
 * the same bytes on every machine.
 */
#ifndef ADJVERIFY_TABLE_H
#define ADJVERIFY_TABLE_H

#include <stdio.h>
#include <stddef.h>
#include <mpfr.h>
#include "../numbers/averr.h"

typedef enum { FMT_TEXT = 0, FMT_MD, FMT_CSV, FMT_TEX } report_format;

typedef struct {
    char *title;
    char *command;       /* the command that regenerates it, or NULL */
    long prec;           /* working precision in bits, 0 when none */
    int ncols;
    char **headers;      /* ncols */
    char **cells;        /* nrows * ncols */
    size_t nrows, cap;
    int cur;             /* cells filled in the current row */
    char **notes;
    size_t nnotes;
    int failed;          /* an allocation failed: table_write reports it */
} table_struct;
typedef table_struct table_t[1];

/* Starts a table with NCOLS columns and the given headers (copied). */
void table_init(table_t t, const char *title, int ncols,
                const char *const *headers);
void table_clear(table_t t);
void table_set_command(table_t t, const char *command, long prec);

/* Starts a new row; the previous one must be complete. */
void table_row(table_t t);
/* Appends one cell to the current row, formatted as by mpfr_printf. */
void table_cell(table_t t, const char *fmt, ...);
/* Appends a note printed under the table (formatted as by mpfr_printf). */
void table_note(table_t t, const char *fmt, ...);

/* Writes T in FMT.  Returns 0, or AV_ESYS (allocation failed earlier, or
 * the stream failed).  CSV: the header row then the rows, RFC 4180
 * quoting, no title or notes (the command and precision go in a leading
 * `# ` comment line only when INCLUDE_HEADER_COMMENT).  Markdown and LaTeX
 * start with the command and precision. */
int table_write(FILE *out, const table_t t, report_format fmt,
                int include_header_comment, averr_t err);

/* Writes TABLES (N of them) in FMT, separated by a blank line (in CSV the
 * blank line precedes the next table's comment or header row).  Every table
 * is checked before any byte is written, so an incomplete table prints
 * nothing.  Returns 0 or AV_ESYS as table_write. */
int report_write_stream(FILE *out, const table_t *tables, int n,
                        report_format fmt, int include_header_comment,
                        averr_t err);

/* Parses "text", "md", "csv", "tex". */
int report_format_lookup(report_format *f, const char *name, averr_t err);

/* Writes TABLES (N of them, separated by a blank line) as DIR/BASE.md,
 * DIR/BASE.csv and DIR/BASE.tex, each through a temporary file in DIR
 * renamed into place, so a reader never sees a partial file; on failure no
 * temporary file is left and the previous files are intact.  The CSV file
 * carries the `# COMMAND (PREC bits)` line.  All three temporaries are
 * written (mode 0644) before the first rename; only a failing rename (a
 * target that cannot be replaced) can leave the earlier files replaced.
 * DIR NULL or "" means ".".  Returns 0; AV_EINPUT when BASE is empty or
 * holds '/'; AV_ESYS with a message naming the path and the system error. */
int report_write_files(const char *dir, const char *base,
                       const table_t *tables, int n, averr_t err);

/* Formats X with DIGITS significant digits in scientific notation into a
 * malloc'd string (NULL when memory is short): the `%.{D-1}Re` form. */
char *report_num(mpfr_srcptr x, int digits);

#endif
