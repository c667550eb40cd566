/* seeds: writes the fuzzing seed corpora from the built-ins, so the
 * fuzzers start from the very texts the program ships: DIR/tableau/NAME
 * (tableau_builtin_text), DIR/problem/NAME (problem_builtin_text) and
 * DIR/qnum/N (every number token of those texts).  Usage: seeds DIR.
 */
#include <stdio.h>
#include <string.h>
#include "../../src/problems/problem.h"
#include "../../src/schemes/tableau.h"

static int put(const char *dir, const char *sub, const char *name,
               const char *text, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "seeds: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

/* Writes each number-like token of TEXT's values (after '=') as a seed. */
static int tokens(const char *dir, const char *text, int *k)
{
    const char *p = text;
    int rc = 0;
    while ((p = strchr(p, '=')) != NULL) {
        p++;
        size_t n = strcspn(p, "\n#");
        const char *end = p + n;
        while (p < end) {
            p += strspn(p, " \t;");
            size_t m = strcspn(p, " \t;\n#");
            if (p + m > end)
                m = (size_t)(end - p);
            if (m > 0 && strchr("+-.0123456789", p[0]) != NULL) {
                char name[32];
                snprintf(name, sizeof name, "%d", (*k)++);
                rc |= put(dir, "qnum", name, p, m);
            }
            p += m;
        }
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: seeds DIR (with DIR/tableau, DIR/problem, DIR/qnum)\n");
        return 2;
    }
    int rc = 0, k = 0;
    for (const char *const *n = tableau_builtin_names; *n != NULL; n++) {
        const char *t = tableau_builtin_text(*n);
        if (t != NULL)
            rc |= put(argv[1], "tableau", *n, t, strlen(t)) | tokens(argv[1], t, &k);
    }
    for (const char *const *n = problem_builtin_names; *n != NULL; n++) {
        const char *t = problem_builtin_text(*n);
        if (t != NULL)
            rc |= put(argv[1], "problem", *n, t, strlen(t)) | tokens(argv[1], t, &k);
    }
    return rc;
}
