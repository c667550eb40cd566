/* model_common: the model registry and the parameter reader every model's
 * setup uses. */
#include <string.h>
#include "problem_impl.h"

static const model_desc *const models[] = {
    &model_mlp, &model_linear, &model_scalar, &model_lotka, &model_decay,
    &model_stiff,
};

const model_desc *model_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (strcmp(models[i]->name, name) == 0)
            return models[i];
    return NULL;
}

int model_read_param(problem_struct *p, const kvfile_t kv, const char *key,
                     int rows, int cols, int *pos, averr_t err)
{
    qmat_t m;
    int status = kvfile_qmat(m, kv, key, 1, err);
    if (status != 0)
        return status;
    status = kvfile_expect_shape(m, kv, key, rows, cols, err);
    for (int k = 0; status == 0 && k < rows * cols; k++)
        mpq_set(p->theta_q[(*pos)++], m->q[k]);
    qmat_clear(m);
    return status;
}

int model_fixed_width(const problem_struct *p, const kvfile_t kv, const char *model,
                      int want, averr_t err)
{
    if (p->d == want)
        return 0;
    const kv_entry *e = kvfile_find(kv, "z0");
    return averr_set(err, AV_EINPUT, "%s:%d:%d: model %s needs z0 with %d value%s, not %d",
                     kv->origin, e != NULL ? e->line : 0, e != NULL ? e->col : 0, model,
                     want, want == 1 ? "" : "s", p->d);
}
