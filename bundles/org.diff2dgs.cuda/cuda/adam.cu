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
