// Gaussian-basis deformation (Deform3DGS flexible model with the 9 channels of Diff2DGS), forward and backward.
// Twin: org.diff2dgs.deform.internal.GaussianBasisField (docs/reconstruction.md, "The Gaussian time bases").
//
// Per surfel i and channel c (0..2 position, 3..6 quaternion w x y z, 7..8 log-scale) the offset is
// delta_ic(t) = sum_b w_icb G(t; mu_icb, sigma_icb), e = (t - mu)^2 / (sigma^2 + 1e-4), G = exp(-e^2) (squared
// exponent, the public code) or exp(-e). The coefficient row of one surfel holds, per channel, B weights, B centres,
// B widths, so channel (i, c) starts at (9 i + c) * 3 B. One warp per (surfel, channel) row, one lane per basis: the
// warp reads the row's weights, centres and widths as three coalesced segments. (One thread per row, as before,
// read 32 rows 3 B floats apart per load: with B = 17 a resident SM's rows outgrew L1 and the rows came from L2
// several times; deform_backward took 0.47 ms at 50k surfels on the H100, several times its bytes.) Every output and
// gradient entry has one writer, so there are no atomics and results do not depend on scheduling.
//
// The basis arithmetic is in double like the Java twin: only one or two of the 17 bases per channel are inside the
// cut-off at any t, so the cost is the memory traffic of the coefficient rows, not the arithmetic. The forward adds
// the active bases' terms in ascending basis order, as the twin's loop does (inactive ones add nothing there). The
// terms are not the twin's bit for bit: the twin takes G from FastExp (relative error below 1e-8) where this takes
// exp, and nvcc contracts sigma^2 + 1e-4 into one fused multiply-add (fma.rn.f64); both stay below a float's
// rounding of a term, inside the parity rows' tolerances (DeformationChecks).

#define DEFORM_CHANNELS 9
// a basis whose exponent reaches 69 (value below 1e-30) is skipped, as GaussianBasisField.CUTOFF
#define DEFORM_CUTOFF 69.0
#define DEFORM_SQRT_CUTOFF 8.306623862918075
#define DEFORM_WIDTH_FLOOR 1e-4

// Lane k's basis term of row `row` (weights, centres, widths of B bases), or false when the basis is cut off.
__device__ __forceinline__ bool deform_basis(const float* __restrict__ row, int bases, int k, double t, double reach,
        int squared, double& d, double& s, double& e, double& basis) {
    d = t - (double)row[bases + k];
    double sigma = row[2 * bases + k];
    s = sigma * sigma + DEFORM_WIDTH_FLOOR;
    double dd = d * d;
    if (dd >= reach * s) {
        return false;
    }
    e = dd / s;
    basis = exp(-(squared ? e * e : e));
    return true;
}

// canonical value + offset at time t for every (surfel, channel); one warp per row (block of whole warps).
extern "C" __global__ void deform_forward(int n, int bases, int squared, double t,
                                          const float* __restrict__ coefs,
                                          const float* __restrict__ positions0,
                                          const float* __restrict__ rotations0,
                                          const float* __restrict__ logScales0,
                                          float* __restrict__ positions,
                                          float* __restrict__ rotations,
                                          float* __restrict__ logScales)
{
    long long idx = ((long long)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (idx >= (long long)n * DEFORM_CHANNELS) {
        return;  // whole warps leave together (blockDim is a multiple of 32)
    }
    int i = (int)(idx / DEFORM_CHANNELS);
    int c = (int)(idx - (long long)i * DEFORM_CHANNELS);
    const float* row = coefs + idx * 3 * bases;
    double reach = squared ? DEFORM_SQRT_CUTOFF : DEFORM_CUTOFF;
    double delta = 0.0;
    for (int k0 = 0; k0 < bases; k0 += 32) {
        int k = k0 + lane;
        double d, s, e, basis, term = 0.0;
        bool active = k < bases && deform_basis(row, bases, k, t, reach, squared, d, s, e, basis);
        if (active) {
            term = (double)row[k] * basis;
        }
        unsigned hits = __ballot_sync(0xffffffffu, active);
        while (hits != 0u) {
            int b = __ffs(hits) - 1;
            hits &= hits - 1u;
            delta += __shfl_sync(0xffffffffu, term, b);
        }
    }
    if (lane != 0) {
        return;
    }
    if (c < 3) {
        positions[3 * i + c] = (float)((double)positions0[3 * i + c] + delta);
    } else if (c < 7) {
        rotations[4 * i + c - 3] = (float)((double)rotations0[4 * i + c - 3] + delta);
    } else {
        logScales[2 * i + c - 7] = (float)((double)logScales0[2 * i + c - 7] + delta);
    }
}

// Adds dL/d(weights, centres, widths) into coefGrad and, when passThrough is set, the incoming gradient into the
// canonical tensors' gradients (offsets add to canonical values). dLogScales is dL/d(log-scale), i.e. already
// multiplied by the activated scale (shading_backward does that). One warp per row, one lane per basis.
extern "C" __global__ void deform_backward(int n, int bases, int squared, double t,
                                           const float* __restrict__ coefs,
                                           const float* __restrict__ dPositions,
                                           const float* __restrict__ dRotations,
                                           const float* __restrict__ dLogScales,
                                           float* __restrict__ coefGrad,
                                           int passThrough,
                                           float* __restrict__ positionsGrad,
                                           float* __restrict__ rotationsGrad,
                                           float* __restrict__ logScalesGrad)
{
    long long idx = ((long long)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (idx >= (long long)n * DEFORM_CHANNELS) {
        return;
    }
    int i = (int)(idx / DEFORM_CHANNELS);
    int c = (int)(idx - (long long)i * DEFORM_CHANNELS);
    float gf;
    float* canonicalGrad;
    if (c < 3) {
        gf = dPositions[3 * i + c];
        canonicalGrad = positionsGrad + 3 * i + c;
    } else if (c < 7) {
        gf = dRotations[4 * i + c - 3];
        canonicalGrad = rotationsGrad + 4 * i + c - 3;
    } else {
        gf = dLogScales[2 * i + c - 7];
        canonicalGrad = logScalesGrad + 2 * i + c - 7;
    }
    if (passThrough && lane == 0) {
        *canonicalGrad = __fadd_rn(*canonicalGrad, gf);
    }
    if (gf == 0.0f) {
        return;
    }
    double g = gf;
    const float* row = coefs + idx * 3 * bases;
    float* grad = coefGrad + idx * 3 * bases;
    double reach = squared ? DEFORM_SQRT_CUTOFF : DEFORM_CUTOFF;
    for (int k = lane; k < bases; k += 32) {
        double d, s, e, basis;
        if (!deform_basis(row, bases, k, t, reach, squared, d, s, e, basis)) {
            continue;
        }
        // dG/de = -2 e G (squared) or -G; de/dmu = -2 d / s; de/dsigma = -2 e sigma / s
        double sigma = row[2 * bases + k];
        double dGde = squared ? -2.0 * e * basis : -basis;
        double gw = g * (double)row[k] * dGde;
        grad[k] = __fadd_rn(grad[k], (float)(g * basis));
        grad[bases + k] = __fadd_rn(grad[bases + k], (float)(gw * (-2.0 * d / s)));
        grad[2 * bases + k] = __fadd_rn(grad[2 * bases + k], (float)(gw * (-2.0 * e * sigma / s)));
    }
}
