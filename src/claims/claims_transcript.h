/* claims_transcript: checks of the transcript's (seed 003) chain-rule claim
 * T1 on a recorded trajectory. */
#ifndef ADJVERIFY_CLAIMS_TRANSCRIPT_H
#define ADJVERIFY_CLAIMS_TRANSCRIPT_H

#include "claim.h"

/* T1's verdict: VERIFIED when the chain-rule adjoint agrees with the
 * independent derivative to at least REQUIRED digits, else REFUTED. */
verdict_t t1_decide(long min_digits, long required);

#endif
