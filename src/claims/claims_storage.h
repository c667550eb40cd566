/* claims_storage: claim T3 of the transcript (seed 003), "backpropagation
 * must store the states at every step of the solver; the adjoint method
 * avoids this", measured as values stored and bytes for full-storage
 * backprop, checkpointed backprop and the continuous adjoint. */
#ifndef ADJVERIFY_CLAIMS_STORAGE_H
#define ADJVERIFY_CLAIMS_STORAGE_H

#include "claim.h"

/* T3's verdict from measured storage:
 *   REFUTED   when full-storage backprop does not store per step
 *             (FULL_GROWS = 0) or the adjoint's storage is not constant in
 *             N (ADJOINT_CONSTANT = 0): one half of the statement fails;
 *   QUALIFIED when checkpointed backprop stores fewer values (CKPT_VALUES <
 *             FULL_VALUES) and gives the same bits (CKPT_SAME_BITS): the
 *             "must" holds only for backprop without recomputation;
 *   VERIFIED  otherwise (no middle ground found). */
verdict_t storage_decide(long full_values, long ckpt_values, int ckpt_same_bits,
                         int full_grows, int adjoint_constant);

#endif
