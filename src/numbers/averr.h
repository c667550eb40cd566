/* averr: the error record every library function fills on failure.
 *
 * Library code never prints and never exits: a failing function returns a
 * negative status and writes one message here (with `file:line:col` in front
 * when the failure is in a parsed file).  Only src/cli prints the message, as
 * `adjverify: error: MESSAGE`, and chooses the exit code.
 */
#ifndef ADJVERIFY_AVERR_H
#define ADJVERIFY_AVERR_H

#include <stddef.h>

#define AVERR_MSG_MAX 768

/* Status codes returned by library functions (0 is success). */
enum {
    AV_OK = 0,
    AV_EINPUT = -1,   /* bad input: parse error, bad dimension, bad option */
    AV_ENUM = -2,     /* numerical failure: NaN, overflow, singular, no convergence */
    AV_ESYS = -3      /* system failure: out of memory, I/O */
};

typedef struct {
    int code;                 /* one of the AV_E* codes, AV_OK when unset */
    char msg[AVERR_MSG_MAX];  /* one line, no trailing newline */
} averr_struct;
typedef averr_struct averr_t[1];

/* Clears the record (code AV_OK, empty message). */
void averr_clear(averr_t err);

/* Sets the record to CODE and a printf-style message; returns CODE so that a
 * failing function can `return averr_set(err, AV_EINPUT, "...")`.
 * ERR may be NULL, in which case only CODE is returned. */
int averr_set(averr_t err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prefixes the existing message with a printf-style context, separated by
 * ": ", for example the name of the step or quantity that failed.  Returns
 * the record's code.  ERR may be NULL. */
int averr_prefix(averr_t err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
