// Activations and view-dependent colour, forward and backward.
// Twins: org.diff2dgs.train.internal.SceneRenderer (exp of log-scales, sigmoid of logits), org.diff2dgs.train.sh
// .SphericalHarmonics (3DGS convention: colour = max(0, sum_k SH_k(d) c_k + 0.5), d the unit direction from the
// camera centre to the deformed centre), Trainer.chainToParameters (dLogScale = dScale * scale,
// dLogit += dOpacity * s (1 - s)).
//
// One thread per surfel. SH coefficients are sh[(i * K + k) * 3 + rgb]; an active degree below the stored one uses
// the first (degree + 1)^2 of the K. The SH and activation arithmetic is in double like the Java twin (a few hundred
// operations per surfel, far below the memory traffic of the 48 coefficients).

#define SH_C0 0.28209479177387814
#define SH_C1 0.4886025119029199
#define SH_C2_0 1.0925484305920792
#define SH_C2_1 -1.0925484305920792
#define SH_C2_2 0.31539156525252005
#define SH_C2_3 -1.0925484305920792
#define SH_C2_4 0.5462742152960396
#define SH_C3_0 -0.5900435899266435
#define SH_C3_1 2.890611442640554
#define SH_C3_2 -0.4570457994644658
#define SH_C3_3 0.3731763325901154
#define SH_C3_4 -0.4570457994644658
#define SH_C3_5 1.445305721320277
#define SH_C3_6 -0.5900435899266435

// Fills b[0 .. used) for the degree; returns how many.
__device__ __forceinline__ int sh_basis(int degree, double x, double y, double z, double* b)
{
    b[0] = SH_C0;
    if (degree == 0) {
        return 1;
    }
    b[1] = -SH_C1 * y;
    b[2] = SH_C1 * z;
    b[3] = -SH_C1 * x;
    if (degree == 1) {
        return 4;
    }
    double xx = x * x, yy = y * y, zz = z * z;
    b[4] = SH_C2_0 * x * y;
    b[5] = SH_C2_1 * y * z;
    b[6] = SH_C2_2 * (2 * zz - xx - yy);
    b[7] = SH_C2_3 * x * z;
    b[8] = SH_C2_4 * (xx - yy);
    if (degree == 2) {
        return 9;
    }
    b[9] = SH_C3_0 * y * (3 * xx - yy);
    b[10] = SH_C3_1 * x * y * z;
    b[11] = SH_C3_2 * y * (4 * zz - xx - yy);
    b[12] = SH_C3_3 * z * (2 * zz - 3 * xx - 3 * yy);
    b[13] = SH_C3_4 * x * (4 * zz - xx - yy);
    b[14] = SH_C3_5 * z * (xx - yy);
    b[15] = SH_C3_6 * x * (xx - 3 * yy);
    return 16;
}

// g += sum_k db[k] dSH_k / d(x, y, z)
__device__ __forceinline__ void sh_basis_backward(int degree, double x, double y, double z, const double* db,
                                                  double* g)
{
    g[0] += -SH_C1 * db[3];
    g[1] += -SH_C1 * db[1];
    g[2] += SH_C1 * db[2];
    if (degree == 1) {
        return;
    }
    double xx = x * x, yy = y * y, zz = z * z;
    g[0] += SH_C2_0 * y * db[4] + SH_C2_2 * (-2 * x) * db[6] + SH_C2_3 * z * db[7] + SH_C2_4 * 2 * x * db[8];
    g[1] += SH_C2_0 * x * db[4] + SH_C2_1 * z * db[5] + SH_C2_2 * (-2 * y) * db[6] + SH_C2_4 * (-2 * y) * db[8];
    g[2] += SH_C2_1 * y * db[5] + SH_C2_2 * 4 * z * db[6] + SH_C2_3 * x * db[7];
    if (degree == 2) {
        return;
    }
    g[0] += SH_C3_0 * 6 * x * y * db[9] + SH_C3_1 * y * z * db[10] + SH_C3_2 * (-2 * x * y) * db[11]
            + SH_C3_3 * (-6 * x * z) * db[12] + SH_C3_4 * (4 * zz - 3 * xx - yy) * db[13]
            + SH_C3_5 * 2 * x * z * db[14] + SH_C3_6 * (3 * xx - 3 * yy) * db[15];
    g[1] += SH_C3_0 * (3 * xx - 3 * yy) * db[9] + SH_C3_1 * x * z * db[10]
            + SH_C3_2 * (4 * zz - xx - 3 * yy) * db[11] + SH_C3_3 * (-6 * y * z) * db[12]
            + SH_C3_4 * (-2 * x * y) * db[13] + SH_C3_5 * (-2 * y * z) * db[14] + SH_C3_6 * (-6 * x * y) * db[15];
    g[2] += SH_C3_1 * x * y * db[10] + SH_C3_2 * 8 * y * z * db[11] + SH_C3_3 * (6 * zz - 3 * xx - 3 * yy) * db[12]
            + SH_C3_4 * 8 * x * z * db[13] + SH_C3_5 * (xx - yy) * db[14];
}

// Unit direction camera -> surfel; len 0 gives +z (and no position gradient in the backward pass).
__device__ __forceinline__ double sh_direction(const float* positions, int i, double cx, double cy, double cz,
                                               double* dir)
{
    double x = (double)positions[3 * i] - cx;
    double y = (double)positions[3 * i + 1] - cy;
    double z = (double)positions[3 * i + 2] - cz;
    double len = sqrt(x * x + y * y + z * z);
    if (len == 0.0) {
        dir[0] = 0.0;
        dir[1] = 0.0;
        dir[2] = 1.0;
        return 0.0;
    }
    dir[0] = x / len;
    dir[1] = y / len;
    dir[2] = z / len;
    return len;
}

// scales = exp(logScales), opacities = sigmoid(logits), colours from SH (degree `degree` of K stored coefficients).
extern "C" __global__ void shading_forward(int n, int coefficients, int degree,
                                           const float* __restrict__ positions,
                                           const float* __restrict__ logScales,
                                           const float* __restrict__ logits,
                                           const float* __restrict__ sh,
                                           double cx, double cy, double cz,
                                           float* __restrict__ scales,
                                           float* __restrict__ opacities,
                                           float* __restrict__ colors)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    scales[2 * i] = (float)exp((double)logScales[2 * i]);
    scales[2 * i + 1] = (float)exp((double)logScales[2 * i + 1]);
    opacities[i] = (float)(1.0 / (1.0 + exp(-(double)logits[i])));
    double dir[3];
    double basis[16];
    sh_direction(positions, i, cx, cy, cz, dir);
    int used = sh_basis(degree, dir[0], dir[1], dir[2], basis);
    const float* c = sh + (size_t)i * coefficients * 3;
    double v0 = 0.5, v1 = 0.5, v2 = 0.5;
    for (int k = 0; k < used; k++) {
        v0 += basis[k] * (double)c[3 * k];
        v1 += basis[k] * (double)c[3 * k + 1];
        v2 += basis[k] * (double)c[3 * k + 2];
    }
    colors[3 * i] = (float)fmax(v0, 0.0);
    colors[3 * i + 1] = (float)fmax(v1, 0.0);
    colors[3 * i + 2] = (float)fmax(v2, 0.0);
}

// From the rasterizer's dL/d(colour, scale, opacity): ADDS dL/d(SH) into dSh and the direction's share into
// dPositions (in place: it already holds the rasterizer's position gradient), WRITES dL/d(log-scale) into
// dLogScales, ADDS dL/d(logit) into dLogits. The colour clamp is re-evaluated, so no forward state is kept.
extern "C" __global__ void shading_backward(int n, int coefficients, int degree,
                                            const float* __restrict__ positions,
                                            const float* __restrict__ sh,
                                            double cx, double cy, double cz,
                                            const float* __restrict__ scales,
                                            const float* __restrict__ opacities,
                                            const float* __restrict__ dColors,
                                            const float* __restrict__ dScales,
                                            const float* __restrict__ dOpacities,
                                            float* __restrict__ dSh,
                                            float* __restrict__ dPositions,
                                            float* __restrict__ dLogScales,
                                            float* __restrict__ dLogits)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    // float products without contraction into FMA, so the result is the Java twin's bit for bit
    dLogScales[2 * i] = __fmul_rn(dScales[2 * i], scales[2 * i]);
    dLogScales[2 * i + 1] = __fmul_rn(dScales[2 * i + 1], scales[2 * i + 1]);
    float op = opacities[i];
    dLogits[i] = __fadd_rn(dLogits[i], __fmul_rn(__fmul_rn(dOpacities[i], op), __fsub_rn(1.0f, op)));

    double dir[3];
    double basis[16];
    double dBasis[16];
    double len = sh_direction(positions, i, cx, cy, cz, dir);
    int used = sh_basis(degree, dir[0], dir[1], dir[2], basis);
    for (int k = 0; k < used; k++) {
        dBasis[k] = 0.0;
    }
    const float* coef = sh + (size_t)i * coefficients * 3;
    float* dCoef = dSh + (size_t)i * coefficients * 3;
    bool any = false;
    for (int ch = 0; ch < 3; ch++) {
        double v = 0.5;
        for (int k = 0; k < used; k++) {
            v += basis[k] * (double)coef[3 * k + ch];
        }
        double g = dColors[3 * i + ch];
        if (v < 0.0 || g == 0.0) {
            continue; // clamped: no gradient where the colour was below 0
        }
        any = true;
        for (int k = 0; k < used; k++) {
            dCoef[3 * k + ch] = __fadd_rn(dCoef[3 * k + ch], (float)(g * basis[k]));
            dBasis[k] += g * (double)coef[3 * k + ch];
        }
    }
    if (!any || used == 1 || len == 0.0) {
        return;
    }
    double gd[3] = {0.0, 0.0, 0.0};
    sh_basis_backward(degree, dir[0], dir[1], dir[2], dBasis, gd);
    // d = v / |v|: dL/dv = (g - d (d . g)) / |v|
    double proj = dir[0] * gd[0] + dir[1] * gd[1] + dir[2] * gd[2];
    double inv = 1.0 / len;
    dPositions[3 * i] = __fadd_rn(dPositions[3 * i], (float)((gd[0] - dir[0] * proj) * inv));
    dPositions[3 * i + 1] = __fadd_rn(dPositions[3 * i + 1], (float)((gd[1] - dir[1] * proj) * inv));
    dPositions[3 * i + 2] = __fadd_rn(dPositions[3 * i + 2], (float)((gd[2] - dir[2] * proj) * inv));
}
