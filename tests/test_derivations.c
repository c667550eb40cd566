/* test_derivations: every function that a step of derivations/ *.md names
 * after "Check:" must be defined somewhere in src/, so a renamed or deleted
 * check cannot leave a derivation pointing at nothing.  The tests run from
 * the top of the tree (make check). */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include "suites.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL)
        buf[n] = '\0';
    return buf;
}

/* 1 when some line of TEXT starts (column 0) a definition of NAME: the line
 * holds "NAME(" and does not end in ';' (a declaration or a call). */
static int defines(const char *text, const char *name)
{
    size_t len = strlen(name);
    for (const char *line = text; line != NULL && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (isalpha((unsigned char)line[0])) {
            for (const char *p = line; p + len < line + n; p++)
                if (strncmp(p, name, len) == 0 && p[len] == '(' &&
                    (p == line || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
                    size_t k = n;
                    while (k > 0 && isspace((unsigned char)line[k - 1]))
                        k--;
                    if (k > 0 && line[k - 1] != ';')
                        return 1;
                }
        }
        line = end ? end + 1 : NULL;
    }
    return 0;
}

/* Concatenation of every src/ * / *.c file. */
static char *all_sources(void)
{
    size_t cap = 1 << 20, n = 0;
    char *all = malloc(cap);
    DIR *top = opendir("src");
    struct dirent *e;
    if (all == NULL || top == NULL) {
        free(all);
        if (top)
            closedir(top);
        return NULL;
    }
    all[0] = '\0';
    while ((e = readdir(top)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char dir[512];
        snprintf(dir, sizeof dir, "src/%s", e->d_name);
        DIR *sub = opendir(dir);
        struct dirent *f;
        while (sub != NULL && (f = readdir(sub)) != NULL) {
            size_t l = strlen(f->d_name);
            if (l < 3 || strcmp(f->d_name + l - 2, ".c") != 0)
                continue;
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
            char *t = slurp(path);
            size_t tl = t ? strlen(t) : 0;
            while (n + tl + 2 > cap) {
                char *na = realloc(all, cap *= 2);
                ck_assert_ptr_nonnull(na);
                all = na;
            }
            if (t != NULL) {
                memcpy(all + n, t, tl);
                n += tl;
                all[n++] = '\n';
                all[n] = '\0';
                free(t);
            }
        }
        if (sub)
            closedir(sub);
    }
    closedir(top);
    return all;
}

/* Checks every backquoted identifier that follows "Check:" up to the next
 * blank line; returns the number of names checked, and fails on the first
 * missing one. */
static int check_doc(const char *path, const char *text, const char *src)
{
    int checked = 0;
    for (const char *p = strstr(text, "Check:"); p != NULL; p = strstr(p + 6, "Check:")) {
        const char *stop = strstr(p, "\n\n");
        const char *q = p + 6;
        while ((q = strchr(q, '`')) != NULL && (stop == NULL || q < stop)) {
            const char *close = strchr(q + 1, '`');
            if (close == NULL)
                break;
            char name[128];
            size_t len = (size_t)(close - q - 1);
            if (len > 2 && len < sizeof name) {
                memcpy(name, q + 1, len);
                name[len] = '\0';
                if (len > 2 && strcmp(name + len - 2, "()") == 0)
                    name[len - 2] = '\0';
                int ident = islower((unsigned char)name[0]) && strchr(name, '_') != NULL;
                for (const char *c = name; ident && *c; c++)
                    ident = islower((unsigned char)*c) || isdigit((unsigned char)*c) ||
                            *c == '_';
                if (ident) {
                    ck_assert_msg(defines(src, name), "%s names check `%s`, which is not "
                                  "defined in src/", path, name);
                    checked++;
                }
            }
            q = close + 1;
        }
    }
    return checked;
}

START_TEST(every_named_check_exists)
{
    char *src = all_sources();
    ck_assert_ptr_nonnull(src);
    DIR *d = opendir("derivations");
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    int docs = 0, names = 0;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 4 || strcmp(e->d_name + l - 3, ".md") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "derivations/%s", e->d_name);
        char *text = slurp(path);
        ck_assert_ptr_nonnull(text);
        int k = check_doc(path, text, src);
        ck_assert_msg(k > 0, "%s names no check", path);
        names += k;
        docs++;
        free(text);
    }
    closedir(d);
    ck_assert_int_ge(docs, 5);
    ck_assert_int_gt(names, docs);
    free(src);
}
END_TEST

/* The checker itself must fail on a name that is not defined. */
START_TEST(a_missing_check_is_caught)
{
    const char *src = "int real_check(int x)\n{\n}\nvoid other(void);\n";
    ck_assert(defines(src, "real_check"));
    ck_assert(!defines(src, "other"));
    ck_assert(!defines(src, "no_such_check"));
}
END_TEST

Suite *suite_derivations(void)
{
    Suite *s = suite_create("derivations");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_named_check_exists);
    tcase_add_test(tc, a_missing_check_is_caught);
    suite_add_tcase(s, tc);
    return s;
}
