// The fused Adam step over every optimizer group of a training session (adam_fused in adam.cu): the group table and
// the work of one chunk of ADAM_VECTOR consecutive values. Plain C as well as CUDA, so that the CPU stand-in driver of
// the host-layer tests (tests/org.diff2dgs.cuda.tests/mock/stand_in_driver.c) runs this very code against the Java
// twin org.diff2dgs.train.optim.Adam. Every float operation is rounded separately (no FMA contraction, IEEE sqrt and
// division), as adam_step: a step is the twin's bit for bit.
#ifndef ADAM_FUSED_CUH
#define ADAM_FUSED_CUH

#define ADAM_MAX_GROUPS 8
#define ADAM_VECTOR 4

#ifdef __CUDACC__
#define ADAM_FN __device__ __forceinline__
#define ADAM_FADD(a, b) __fadd_rn(a, b)
#define ADAM_FSUB(a, b) __fsub_rn(a, b)
#define ADAM_FMUL(a, b) __fmul_rn(a, b)
#define ADAM_FDIV(a, b) __fdiv_rn(a, b)
#define ADAM_FSQRT(a) __fsqrt_rn(a)
#define ADAM_BITS(a) __float_as_uint(a)
#define ADAM_ADDRESS(p) ((unsigned long long)(p))
typedef float4 adam_float4;
#else
#include <math.h>
#include <stdint.h>
#define ADAM_FN static inline
// x86-64 SSE float arithmetic, built with -ffp-contract=off: each operation rounded once, as Java's float
#define ADAM_FADD(a, b) ((float)((a) + (b)))
#define ADAM_FSUB(a, b) ((float)((a) - (b)))
#define ADAM_FMUL(a, b) ((float)((a) * (b)))
#define ADAM_FDIV(a, b) ((float)((a) / (b)))
#define ADAM_FSQRT(a) sqrtf(a)
#define ADAM_ADDRESS(p) ((unsigned long long)(uintptr_t)(p))
static inline unsigned adam_bits(float a)
{
    union { float f; unsigned u; } x;
    x.f = a;
    return x.u;
}
#define ADAM_BITS(a) adam_bits(a)
typedef struct __attribute__((aligned(16))) { float x, y, z, w; } adam_float4;
#endif

// One optimizer group (a learnable tensor): 64 bytes, written on the device by adam_describe whenever the tensors
// are (re)allocated, read by every adam_fused launch. Chunks are ADAM_VECTOR values of one group; the groups' chunks
// are numbered one after the other (firstChunk), so one grid covers every group.
typedef struct {
    float* values;
    float* grad;
    float* m;
    float* v;
    const float* columnScale; // per-column rate factor (width floats) or null
    long long count;          // values in the tensor
    long long firstChunk;     // chunks of the groups before this one
    int width;                // values per row (for the column scale)
    int pad;
} AdamGroup;

// The per-iteration constants: the bias-corrected rate of each group (computed on the host in double exactly as the
// twin) and Adam's constants rounded to float as the twin rounds them.
typedef struct {
    float stepSize[ADAM_MAX_GROUPS];
    float invBc2[ADAM_MAX_GROUPS];
    float b1, b2, oneMinusB1, oneMinusB2, eps;
} AdamRates;

// The group that holds chunk c (groups ordered by firstChunk, at most ADAM_MAX_GROUPS).
ADAM_FN int adam_group_of(const AdamGroup* g, int groups, long long c)
{
    int k = 0;
    while (k + 1 < groups && g[k + 1].firstChunk <= c) {
        k++;
    }
    return k;
}

ADAM_FN float adam_one(float* value, float gi, float* m, float* v, float rate, float invBc2, const AdamRates* r)
{
    float mi = ADAM_FADD(ADAM_FMUL(r->b1, *m), ADAM_FMUL(r->oneMinusB1, gi));
    float vi = ADAM_FADD(ADAM_FMUL(r->b2, *v), ADAM_FMUL(ADAM_FMUL(r->oneMinusB2, gi), gi));
    *m = mi;
    *v = vi;
    float den = ADAM_FADD(ADAM_FMUL(ADAM_FSQRT(vi), invBc2), r->eps);
    return ADAM_FSUB(*value, ADAM_FDIV(ADAM_FMUL(rate, mi), den));
}

// Chunk c of group k: one Adam step of its values with the gradient zeroed (takeStep != 0), or only the zeroed
// gradient. Whole aligned chunks move as 16-byte vectors (the tensors start on allocation boundaries); a group's
// last, partial chunk goes value by value.
ADAM_FN void adam_chunk(const AdamGroup* g, int k, long long c, const AdamRates* r, int takeStep)
{
    long long e0 = (c - g[k].firstChunk) * ADAM_VECTOR;
    long long count = g[k].count;
    float* grad = g[k].grad;
    int whole = e0 + ADAM_VECTOR <= count
            && ((ADAM_ADDRESS(g[k].values) | ADAM_ADDRESS(grad) | ADAM_ADDRESS(g[k].m) | ADAM_ADDRESS(g[k].v)) & 15) == 0;
    if (!takeStep) {
        if (whole) {
            adam_float4 z = {0.0f, 0.0f, 0.0f, 0.0f};
            *(adam_float4*)(grad + e0) = z;
        } else {
            for (long long e = e0; e < count; e++) {
                grad[e] = 0.0f;
            }
        }
        return;
    }
    float* values = g[k].values;
    float* m = g[k].m;
    float* v = g[k].v;
    const float* scale = g[k].columnScale;
    float stepSize = r->stepSize[k];
    float invBc2 = r->invBc2[k];
    int width = g[k].width;
    int col = scale ? (int)(e0 % width) : 0;
    if (whole) {
        adam_float4 p4 = *(const adam_float4*)(values + e0);
        adam_float4 g4 = *(const adam_float4*)(grad + e0);
        adam_float4 m4 = *(const adam_float4*)(m + e0);
        adam_float4 v4 = *(const adam_float4*)(v + e0);
        float pv[4] = {p4.x, p4.y, p4.z, p4.w};
        float gv[4] = {g4.x, g4.y, g4.z, g4.w};
        float mv[4] = {m4.x, m4.y, m4.z, m4.w};
        float vv[4] = {v4.x, v4.y, v4.z, v4.w};
        for (int j = 0; j < ADAM_VECTOR; j++) {
            float rate = stepSize;
            if (scale) {
                rate = ADAM_FMUL(stepSize, scale[col]);
                col = col + 1 == width ? 0 : col + 1;
            }
            pv[j] = adam_one(&pv[j], gv[j], &mv[j], &vv[j], rate, invBc2, r);
        }
        adam_float4 po = {pv[0], pv[1], pv[2], pv[3]};
        adam_float4 mo = {mv[0], mv[1], mv[2], mv[3]};
        adam_float4 vo = {vv[0], vv[1], vv[2], vv[3]};
        *(adam_float4*)(values + e0) = po;
        *(adam_float4*)(m + e0) = mo;
        *(adam_float4*)(v + e0) = vo;
        // most gradients of a step are +0 (surfels out of view, time bases far from t): no store for those
        if ((ADAM_BITS(g4.x) | ADAM_BITS(g4.y) | ADAM_BITS(g4.z) | ADAM_BITS(g4.w)) != 0u) {
            adam_float4 z = {0.0f, 0.0f, 0.0f, 0.0f};
            *(adam_float4*)(grad + e0) = z;
        }
        return;
    }
    for (long long e = e0; e < count; e++) {
        float rate = stepSize;
        if (scale) {
            rate = ADAM_FMUL(stepSize, scale[col]);
            col = col + 1 == width ? 0 : col + 1;
        }
        float gi = grad[e];
        grad[e] = 0.0f;
        values[e] = adam_one(&values[e], gi, &m[e], &v[e], rate, invBc2, r);
    }
}

#endif
