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
