// Fused Adam over one parameter tensor (one optimizer group). Twin: org.diff2dgs.train.optim.Adam (torch.optim.Adam
// without weight decay or AMSGrad, eps 1e-15 as the public 3DGS / Diff2DGS code):
//   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2,  p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// The host computes stepSize = (float)(lr / (1 - b1^t)) and invBc2 = (float)(1 / sqrt(1 - b2^t)) in double exactly as
// the twin, and every float operation here is rounded separately (no FMA contraction, IEEE sqrt and division), so a
// step is the Java one bit for bit. The gradient is zeroed in the same pass when asked (one pass over memory: the
// deformation tensors are the largest of the model).

extern "C" __global__ void adam_step(long long count, int width,
                                     float* __restrict__ values,
                                     float* __restrict__ grad,
                                     float* __restrict__ m,
                                     float* __restrict__ v,
                                     const float* __restrict__ columnScale,
                                     float stepSize, float invBc2,
                                     float b1, float b2, float oneMinusB1, float oneMinusB2, float eps,
                                     int zeroGrad)
{
    long long stride = (long long)gridDim.x * blockDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < count; i += stride) {
        float gi = grad[i];
        if (zeroGrad) {
            grad[i] = 0.0f;
        }
        float mi = __fadd_rn(__fmul_rn(b1, m[i]), __fmul_rn(oneMinusB1, gi));
        float vi = __fadd_rn(__fmul_rn(b2, v[i]), __fmul_rn(__fmul_rn(oneMinusB2, gi), gi));
        m[i] = mi;
        v[i] = vi;
        float rate = columnScale == nullptr ? stepSize : __fmul_rn(stepSize, columnScale[i % width]);
        float den = __fadd_rn(__fmul_rn(__fsqrt_rn(vi), invBc2), eps);
        values[i] = __fsub_rn(values[i], __fdiv_rn(__fmul_rn(rate, mi), den));
    }
}

#include "adam_fused.cuh"

// Writes group `group` of the table adam_fused reads (one thread). Launched for every group when a session's tensors
// are allocated or reallocated (open, density control); the pointers never cross to the host as numbers.
extern "C" __global__ void adam_describe(AdamGroup* table, int group,
                                         float* values, float* grad, float* m, float* v,
                                         const float* columnScale,
                                         long long count, long long firstChunk, int width)
{
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        AdamGroup g;
        g.values = values;
        g.grad = grad;
        g.m = m;
        g.v = v;
        g.columnScale = columnScale;
        g.count = count;
        g.firstChunk = firstChunk;
        g.width = width;
        g.pad = 0;
        table[group] = g;
    }
}

// One Adam step of every group of the table in one launch (takeStep != 0), each gradient zeroed in the same pass;
// or, on iterations without a step, only the gradients zeroed. `chunks` = sum over groups of ceil(count / 4). The
// rates change every iteration (decayed learning rates, bias corrections), so they come as arguments: no copy, no
// table rewrite, nothing for the host to wait on.
extern "C" __global__ void adam_fused(const AdamGroup* __restrict__ table, int groups, long long chunks,
                                      int takeStep,
                                      float s0, float s1, float s2, float s3, float s4, float s5, float s6, float s7,
                                      float c0, float c1, float c2, float c3, float c4, float c5, float c6, float c7,
                                      float b1, float b2, float oneMinusB1, float oneMinusB2, float eps)
{
    __shared__ AdamGroup g[ADAM_MAX_GROUPS];
    __shared__ AdamRates r;
    if ((int)threadIdx.x < groups) {
        g[threadIdx.x] = table[threadIdx.x];
    }
    if (threadIdx.x == 0) {
        float s[ADAM_MAX_GROUPS] = {s0, s1, s2, s3, s4, s5, s6, s7};
        float c[ADAM_MAX_GROUPS] = {c0, c1, c2, c3, c4, c5, c6, c7};
        for (int k = 0; k < ADAM_MAX_GROUPS; k++) {
            r.stepSize[k] = s[k];
            r.invBc2[k] = c[k];
        }
        r.b1 = b1;
        r.b2 = b2;
        r.oneMinusB1 = oneMinusB1;
        r.oneMinusB2 = oneMinusB2;
        r.eps = eps;
    }
    __syncthreads();
    long long stride = (long long)gridDim.x * blockDim.x;
    for (long long c = (long long)blockIdx.x * blockDim.x + threadIdx.x; c < chunks; c += stride) {
        adam_chunk(g, adam_group_of(g, groups, c), c, &r, takeStep);
    }
}
