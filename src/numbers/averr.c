/* averr: fill and extend the one-line error record of averr.h.
 *
 * Messages are truncated to AVERR_MSG_MAX - 1 bytes rather than failing, so
 * reporting an error can never itself fail.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "averr.h"

void averr_clear(averr_t err)
{
    if (err == NULL)
        return;
    err->code = AV_OK;
    err->msg[0] = '\0';
}

int averr_set(averr_t err, int code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->code = code;
    return code;
}

/* Appends SRC to DST (holding *USED bytes) within AVERR_MSG_MAX, truncating. */
static void append(char *dst, size_t *used, const char *src)
{
    size_t room = AVERR_MSG_MAX - 1 - *used;
    size_t n = strlen(src);
    if (n > room)
        n = room;
    memcpy(dst + *used, src, n);
    *used += n;
    dst[*used] = '\0';
}

int averr_prefix(averr_t err, const char *fmt, ...)
{
    if (err == NULL)
        return AV_OK;
    char old[AVERR_MSG_MAX];
    size_t used;
    va_list ap;
    /* Copy first: the old message is both source and destination. */
    memcpy(old, err->msg, sizeof old);
    old[sizeof old - 1] = '\0';
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    used = strlen(err->msg);
    if (old[0] != '\0') {
        append(err->msg, &used, ": ");
        append(err->msg, &used, old);
    }
    return err->code;
}
