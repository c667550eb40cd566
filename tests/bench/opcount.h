/* opcount: the counting build of the benchmark.  `make bench` compiles the
 * sources on the path of P1's forward solve and backprop a second time with
 * this header forced in front (-include), so that every MPFR operation they
 * perform bumps a counter of its kind; bench_count links those objects and
 * reports the counts.  Counters are global here only: the library proper is
 * never built with this header.
 */
#ifndef ADJVERIFY_OPCOUNT_H
#define ADJVERIFY_OPCOUNT_H

#include <mpfr.h>

/* The operation kinds counted, in table order. */
#define OPC_KINDS(X) \
    X(FMA, fma) X(FMS, fms) X(MUL, mul) X(SQR, sqr) X(ADD, add) X(SUB, sub) \
    X(UI_SUB, ui_sub) X(ADD_UI, add_ui) X(MUL_SI, mul_si) X(DIV_SI, div_si) \
    X(DIV, div) X(DIV_2UI, div_2ui) X(TANH, tanh) X(SIN, sin) X(SET, set) \
    X(SET_ZERO, set_zero) X(SET_UI, set_ui) X(NEG, neg) X(DOT, dot)

#define OPC_ENUM(E, n) OPC_##E,
enum { OPC_KINDS(OPC_ENUM) OPC_N };
#undef OPC_ENUM

extern unsigned long opc_count[OPC_N];

#ifdef OPC_WRAP
/* Each wrapper counts, then calls the library function itself (a macro
 * never expands inside its own expansion, and the parenthesised name skips
 * mpfr.h's own function-like macros). */
#undef mpfr_set
#undef mpfr_set_ui
#undef mpfr_set_zero
#undef mpfr_neg
#undef mpfr_mul_si
#undef mpfr_div_si
#undef mpfr_add_ui
#undef mpfr_ui_sub
#undef mpfr_div_2ui
#define mpfr_fma(...) (opc_count[OPC_FMA]++, (mpfr_fma)(__VA_ARGS__))
#define mpfr_fms(...) (opc_count[OPC_FMS]++, (mpfr_fms)(__VA_ARGS__))
#define mpfr_mul(...) (opc_count[OPC_MUL]++, (mpfr_mul)(__VA_ARGS__))
#define mpfr_sqr(...) (opc_count[OPC_SQR]++, (mpfr_sqr)(__VA_ARGS__))
#define mpfr_add(...) (opc_count[OPC_ADD]++, (mpfr_add)(__VA_ARGS__))
#define mpfr_sub(...) (opc_count[OPC_SUB]++, (mpfr_sub)(__VA_ARGS__))
#define mpfr_ui_sub(...) (opc_count[OPC_UI_SUB]++, (mpfr_ui_sub)(__VA_ARGS__))
#define mpfr_add_ui(...) (opc_count[OPC_ADD_UI]++, (mpfr_add_ui)(__VA_ARGS__))
#define mpfr_mul_si(...) (opc_count[OPC_MUL_SI]++, (mpfr_mul_si)(__VA_ARGS__))
#define mpfr_div_si(...) (opc_count[OPC_DIV_SI]++, (mpfr_div_si)(__VA_ARGS__))
#define mpfr_div(...) (opc_count[OPC_DIV]++, (mpfr_div)(__VA_ARGS__))
#define mpfr_div_2ui(...) (opc_count[OPC_DIV_2UI]++, (mpfr_div_2ui)(__VA_ARGS__))
#define mpfr_tanh(...) (opc_count[OPC_TANH]++, (mpfr_tanh)(__VA_ARGS__))
#define mpfr_sin(...) (opc_count[OPC_SIN]++, (mpfr_sin)(__VA_ARGS__))
#define mpfr_set(...) (opc_count[OPC_SET]++, (mpfr_set)(__VA_ARGS__))
#define mpfr_set_zero(...) (opc_count[OPC_SET_ZERO]++, (mpfr_set_zero)(__VA_ARGS__))
#define mpfr_set_ui(...) (opc_count[OPC_SET_UI]++, (mpfr_set_ui)(__VA_ARGS__))
#define mpfr_neg(...) (opc_count[OPC_NEG]++, (mpfr_neg)(__VA_ARGS__))
#define mpfr_dot(...) (opc_count[OPC_DOT]++, (mpfr_dot)(__VA_ARGS__))
#endif

#endif
