/* kvfile: split `key = value` text into entries that remember their place.
 *
 * Lines end in LF or CRLF; '#' starts a comment.  Outside comments only
 * printable ASCII, tab and the line ending are allowed, so a stray NUL,
 * control character or non-ASCII byte is reported at its line and column
 * instead of confusing a later stage.  Columns count bytes from 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "kvfile.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static int is_key_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_key_char(char c)
{
    return is_key_start(c) || (c >= '0' && c <= '9');
}

/* Describes byte C for a message: 'c', or its code when not printable. */
static const char *show(char *buf, size_t size, unsigned char c)
{
    if (c >= 0x20 && c < 0x7f)
        snprintf(buf, size, "'%c'", c);
    else
        snprintf(buf, size, "byte 0x%02x", (unsigned)c);
    return buf;
}

/* Checks the bytes of one line (without its LF).  A CR is allowed only as
 * the last byte (CRLF); bytes >= 0x80 only inside a comment. */
static int check_bytes(const kvfile_t kv, const char *s, size_t n, int line,
                       averr_t err)
{
    int in_comment = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '#')
            in_comment = 1;
        if (c == '\0')
            return averr_set(err, AV_EINPUT, "%s:%d:%zu: NUL byte", kv->origin,
                             line, i + 1);
        if (c == '\r' && i + 1 == n)
            continue;
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return averr_set(err, AV_EINPUT,
                             "%s:%d:%zu: control character 0x%02x", kv->origin,
                             line, i + 1, (unsigned)c);
        if (c >= 0x80 && !in_comment)
            return averr_set(err, AV_EINPUT,
                             "%s:%d:%zu: non-ASCII byte 0x%02x (allowed only "
                             "in comments)", kv->origin, line, i + 1,
                             (unsigned)c);
    }
    return AV_OK;
}

/* Parses one line S[0..n) (owned, writable) that holds an entry. */
static int parse_entry(kvfile_t kv, char *s, size_t n, int line, averr_t err)
{
    char buf[32];
    size_t i = 0, k0, k1, v0, v1;
    while (i < n && is_space(s[i]))
        i++;
    k0 = i;
    if (!is_key_start(s[i]))
        return averr_set(err, AV_EINPUT,
                         "%s:%d:%zu: expected a key (a letter or '_'), found %s",
                         kv->origin, line, i + 1,
                         show(buf, sizeof buf, (unsigned char)s[i]));
    while (i < n && is_key_char(s[i]))
        i++;
    k1 = i;
    if (k1 - k0 >= KV_MAX_KEY)
        return averr_set(err, AV_EINPUT, "%s:%d:%zu: key longer than %d "
                         "characters", kv->origin, line, k0 + 1, KV_MAX_KEY - 1);
    while (i < n && is_space(s[i]))
        i++;
    if (i == n || s[i] != '=') {
        if (i == n)
            snprintf(buf, sizeof buf, "end of line");
        else
            show(buf, sizeof buf, (unsigned char)s[i]);
        return averr_set(err, AV_EINPUT, "%s:%d:%zu: expected '=' after key "
                         "'%.*s', found %s", kv->origin, line, i + 1,
                         (int)(k1 - k0), s + k0, buf);
    }
    for (i++; i < n && is_space(s[i]); i++)
        ;
    v0 = i;
    for (v1 = n; v1 > v0 && is_space(s[v1 - 1]); v1--)
        ;
    if (v1 == v0)
        return averr_set(err, AV_EINPUT, "%s:%d:%zu: expected a value after "
                         "'='", kv->origin, line, v0 + 1);
    for (int e = 0; e < kv->n; e++)
        if (strlen(kv->entries[e].key) == k1 - k0
            && memcmp(kv->entries[e].key, s + k0, k1 - k0) == 0)
            return averr_set(err, AV_EINPUT, "%s:%d:%zu: duplicate key '%.*s' "
                             "(first given on line %d)", kv->origin, line,
                             k0 + 1, (int)(k1 - k0), s + k0,
                             kv->entries[e].line);
    if (kv->n == KV_MAX_ENTRIES)
        return averr_set(err, AV_EINPUT, "%s:%d:%zu: more than %d entries",
                         kv->origin, line, k0 + 1, KV_MAX_ENTRIES);
    kv_entry *e = &kv->entries[kv->n++];
    memcpy(e->key, s + k0, k1 - k0);
    e->key[k1 - k0] = '\0';
    s[v1] = '\0'; /* the value becomes a string inside the owned text */
    e->value = s + v0;
    e->line = line;
    e->col = (int)(v0 + 1);
    return AV_OK;
}

/* Handles one line: byte check, comment removal, then an entry if any. */
static int parse_line(kvfile_t kv, char *s, size_t n, int line, averr_t err)
{
    int rc = check_bytes(kv, s, n, line, err);
    if (rc != AV_OK)
        return rc;
    char *hash = memchr(s, '#', n);
    if (hash != NULL)
        n = (size_t)(hash - s);
    if (n > 0 && s[n - 1] == '\r')
        n--;
    size_t i = 0;
    while (i < n && is_space(s[i]))
        i++;
    if (i == n)
        return AV_OK;
    return parse_entry(kv, s, n, line, err);
}

static void kv_zero(kvfile_t kv)
{
    kv->entries = NULL;
    kv->n = 0;
    kv->text = NULL;
}

int kvfile_parse(kvfile_t kv, const char *origin, const char *text, size_t len,
                 averr_t err)
{
    int rc = AV_OK, line = 1;
    size_t start = 0;
    kv_zero(kv);
    snprintf(kv->origin, sizeof kv->origin, "%s", origin ? origin : "(text)");
    if (text == NULL)
        len = 0;
    if (len > (size_t)KV_MAX_BYTES)
        return averr_set(err, AV_EINPUT, "%s: %zu bytes, more than the limit "
                         "of %ld", kv->origin, len, (long)KV_MAX_BYTES);
    kv->text = malloc(len + 1);
    kv->entries = calloc(KV_MAX_ENTRIES, sizeof *kv->entries);
    if (kv->text == NULL || kv->entries == NULL) {
        kvfile_clear(kv);
        return averr_set(err, AV_ESYS, "%s: out of memory", origin);
    }
    if (len > 0)
        memcpy(kv->text, text, len);
    kv->text[len] = '\0';
    while (start < len && rc == AV_OK) {
        char *nl = memchr(kv->text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - kv->text) : len;
        rc = parse_line(kv, kv->text + start, end - start, line, err);
        start = end + 1;
        line++;
    }
    if (rc == AV_OK && kv->n == 0)
        rc = averr_set(err, AV_EINPUT, "%s: no entries (the text is empty or "
                       "holds only comments)", kv->origin);
    if (rc != AV_OK)
        kvfile_clear(kv);
    return rc;
}

/* Reads at most KV_MAX_BYTES + 1 bytes so that an oversized file is seen
 * without reading all of it. */
int kvfile_read(kvfile_t kv, const char *path, averr_t err)
{
    struct stat st;
    size_t n;
    int rc;
    FILE *f;
    kv_zero(kv);
    snprintf(kv->origin, sizeof kv->origin, "%s", path ? path : "(null)");
    if (path == NULL)
        return averr_set(err, AV_EINPUT, "no file name given");
    f = fopen(path, "rb");
    if (f == NULL)
        return averr_set(err, AV_EINPUT, "%s: cannot open: %s", path,
                         strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return averr_set(err, AV_EINPUT, "%s: is a directory, not a file",
                         path);
    }
    char *buf = malloc((size_t)KV_MAX_BYTES + 1);
    if (buf == NULL) {
        fclose(f);
        return averr_set(err, AV_ESYS, "%s: out of memory", path);
    }
    n = fread(buf, 1, (size_t)KV_MAX_BYTES + 1, f);
    if (ferror(f))
        rc = averr_set(err, AV_EINPUT, "%s: cannot read: %s", path,
                       strerror(errno));
    else if (n > (size_t)KV_MAX_BYTES)
        rc = averr_set(err, AV_EINPUT, "%s: larger than the limit of %ld "
                       "bytes", path, (long)KV_MAX_BYTES);
    else if (n == 0)
        rc = averr_set(err, AV_EINPUT, "%s: empty file", path);
    else
        rc = kvfile_parse(kv, path, buf, n, err);
    free(buf);
    fclose(f);
    return rc;
}

void kvfile_clear(kvfile_t kv)
{
    free(kv->entries);
    free(kv->text);
    kv_zero(kv);
}

const kv_entry *kvfile_find(const kvfile_t kv, const char *key)
{
    for (int i = 0; i < kv->n; i++)
        if (strcmp(kv->entries[i].key, key) == 0)
            return &kv->entries[i];
    return NULL;
}

/* The key's column: the value lies in its own line of the owned text, so the
 * line starts col - 1 bytes before the value. */
static int key_col(const kv_entry *e)
{
    const char *s = e->value - (e->col - 1);
    int c = 1;
    while (is_space(s[c - 1]))
        c++;
    return c;
}

int kvfile_check_keys(const kvfile_t kv, const char *const *allowed, averr_t err)
{
    for (int i = 0; i < kv->n; i++) {
        const kv_entry *e = &kv->entries[i];
        int ok = 0;
        for (const char *const *a = allowed; *a != NULL && !ok; a++)
            ok = strcmp(*a, e->key) == 0;
        if (ok)
            continue;
        char list[AVERR_MSG_MAX / 2];
        size_t used = 0;
        list[0] = '\0';
        for (const char *const *a = allowed; *a != NULL; a++) {
            int w = snprintf(list + used, sizeof list - used, "%s%s",
                             a == allowed ? "" : ", ", *a);
            if (w < 0 || (size_t)w >= sizeof list - used)
                break;
            used += (size_t)w;
        }
        return averr_set(err, AV_EINPUT, "%s:%d:%d: unknown key '%s' "
                         "(allowed: %s)", kv->origin, e->line, key_col(e),
                         e->key, list);
    }
    return AV_OK;
}

int kvfile_load(kvfile_t kv, const char *name, const char *builtin_text,
                averr_t err)
{
    if (builtin_text == NULL)
        return kvfile_read(kv, name, err);
    char origin[sizeof kv->origin];
    snprintf(origin, sizeof origin, "builtin:%s", name);
    return kvfile_parse(kv, origin, builtin_text, strlen(builtin_text), err);
}
