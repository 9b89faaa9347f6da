// Training losses on the device: values as deterministic reductions and gradients into the rasterizer's upstream
// gradient planes. Twins in org.diff2dgs.train.loss: L1ColorLoss, PhotometricLoss (D-SSIM through
// org.diff2dgs.core.image.Ssim), InverseDepthLoss with RenderedDepth, NormalConsistencyLoss, DepthDistortionLoss,
// DepthWeightSchedule (fixed and adaptive ratio), and Trainer.maskedPsnr.
//
// Images are planar (c * W * H + y * W + x); the auxiliary planes are those of core.api.RenderOutput (depth sum 0,
// alpha 1, normal 2..4, median depth 5, distortion 6). Masks have one channel (shared) or one per colour channel.
//
// Reductions: every kernel that contributes to a loss value runs on a fixed grid of LOSS_BLOCKS blocks of
// LOSS_THREADS threads with grid-stride loops, reduces its per-thread double sums with a fixed shared-memory tree and
// writes one partial per block to partials[q * LOSS_BLOCKS + block]. loss_finalize (one block) adds the partials of
// every quantity in a fixed order and derives the values. Same inputs, same bits, on every run.
//
// Per-pixel float arithmetic that the Java twins do in float is rounded operation by operation here (__fmul_rn,
// __fadd_rn: no FMA contraction), so the SSIM filters and the gradients match them to the last bit where the order of
// operations is the same; sums over pixels are in double like the twins (their order differs, so values agree to
// about 1e-15 relative).

#define LOSS_THREADS 256
#define LOSS_BLOCKS 512

#define AUX_DEPTH 0
#define AUX_ALPHA 1
#define AUX_NORMAL 2
#define AUX_MEDIAN_DEPTH 5
#define AUX_DISTORTION 6

// quantities reduced over pixels (partials rows, and the first scalars)
#define Q_L1 0
#define Q_PSNR_SE 1
#define Q_PSNR_COUNT 2
#define Q_DEPTH_WEIGHT 3
#define Q_DEPTH_COUNT 4
#define Q_DEPTH_ABS 5
#define Q_SSIM 6
#define Q_NORMAL 7
#define Q_DISTORTION 8
#define LOSS_QUANTITIES 9
// derived scalars
#define S_L1_VALUE 9
#define S_PSNR 10
#define S_DEPTH_VALUE 11
#define S_DEPTH_SCALE 12
#define S_DEPTH_WEIGHT 13
#define S_SSIM_VALUE 14
#define S_NORMAL_VALUE 15
#define S_DISTORTION_VALUE 16
#define LOSS_SCALARS 17

#define SSIM_RADIUS 5
#define SSIM_C1 (0.01 * 0.01)
#define SSIM_C2 (0.03 * 0.03)
#define NORMALIZE_EPS 1e-12

// Tree sum of one double per thread; thread 0 writes the block's partial. Every thread of the block must call it.
__device__ void loss_block_partial(double v, double* __restrict__ partials, int q)
{
    __shared__ double buffer[LOSS_THREADS];
    buffer[threadIdx.x] = v;
    __syncthreads();
    for (int half = LOSS_THREADS / 2; half > 0; half >>= 1) {
        if (threadIdx.x < half) {
            buffer[threadIdx.x] += buffer[threadIdx.x + half];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        partials[q * LOSS_BLOCKS + blockIdx.x] = buffer[0];
    }
    __syncthreads(); // the buffer is reused by the next call
}

__device__ __forceinline__ float loss_mask(const float* mask, int maskChannels, int channel, int n, int i)
{
    if (mask == nullptr) {
        return 1.0f;
    }
    return mask[(maskChannels == 1 ? 0 : channel * n) + i];
}

// RenderedDepth.at: (1 - r) depthSum / alpha (0 where alpha is 0) + r median (where finite)
__device__ __forceinline__ double loss_depth_at(const float* others, int n, int i, double medianRatio)
{
    double d = 0.0;
    if (medianRatio < 1.0) {
        float alpha = others[AUX_ALPHA * n + i];
        if (alpha != 0.0f) {
            d = (1.0 - medianRatio) * ((double)others[AUX_DEPTH * n + i] / (double)alpha);
        }
    }
    if (medianRatio > 0.0) {
        float m = others[AUX_MEDIAN_DEPTH * n + i];
        if (isfinite(m)) {
            d += medianRatio * (double)m;
        }
    }
    return d;
}

// RenderedDepth.backward: dL/dD at pixel i to the depth-sum, alpha and median planes
__device__ __forceinline__ void loss_depth_backward(const float* others, int n, int i, double dDepth,
                                                    double medianRatio, float* dOthers)
{
    if (dDepth == 0.0) {
        return;
    }
    if (medianRatio < 1.0) {
        float alpha = others[AUX_ALPHA * n + i];
        if (alpha != 0.0f) {
            double inv = 1.0 / (double)alpha;
            double g = (1.0 - medianRatio) * dDepth;
            float* dDepthSum = dOthers + AUX_DEPTH * n + i;
            float* dAlpha = dOthers + AUX_ALPHA * n + i;
            *dDepthSum = __fadd_rn(*dDepthSum, (float)(g * inv));
            *dAlpha = __fsub_rn(*dAlpha, (float)(g * (double)others[AUX_DEPTH * n + i] * inv * inv));
        }
    }
    if (medianRatio > 0.0 && isfinite(others[AUX_MEDIAN_DEPTH * n + i])) {
        float* dMedian = dOthers + AUX_MEDIAN_DEPTH * n + i;
        *dMedian = __fadd_rn(*dMedian, (float)(medianRatio * dDepth));
    }
}

// Masked L1 colour loss (sum of m |c - c*|; the mean's denominator is known on the host from the mask) with its
// gradient gradScale * m * sign(c - c*) added into dColor (null: value only), and the masked PSNR sums of
// Trainer.maskedPsnr (pixels whose first mask channel is below 0.5 left out, colour clamped to [0, 1]).
extern "C" __global__ void loss_color(int width, int height,
                                      const float* __restrict__ color,
                                      const float* __restrict__ target,
                                      const float* __restrict__ mask, int maskChannels,
                                      float gradScale,
                                      float* __restrict__ dColor,
                                      double* __restrict__ partials)
{
    int n = width * height;
    double l1 = 0.0, se = 0.0, count = 0.0;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        for (int ch = 0; ch < 3; ch++) {
            float mv = loss_mask(mask, maskChannels, ch, n, i);
            if (mv == 0.0f) {
                continue;
            }
            int k = ch * n + i;
            float d = __fsub_rn(color[k], target[k]);
            l1 += (double)__fmul_rn(mv, fabsf(d));
            if (dColor != nullptr && d != 0.0f) {
                float g = __fmul_rn(gradScale, mv);
                dColor[k] = __fadd_rn(dColor[k], d > 0.0f ? g : -g);
            }
        }
        if (mask == nullptr || !(mask[i] < 0.5f)) {
            for (int ch = 0; ch < 3; ch++) {
                int k = ch * n + i;
                double e = (double)__fsub_rn(fminf(1.0f, fmaxf(0.0f, color[k])), target[k]);
                se += e * e;
            }
            count += 3.0;
        }
    }
    loss_block_partial(l1, partials, Q_L1);
    loss_block_partial(se, partials, Q_PSNR_SE);
    loss_block_partial(count, partials, Q_PSNR_COUNT);
}

// Inverse-depth L1, first pass: over pixels with m != 0, data depth > 0 and rendered depth > 0, the sums of m, of the
// pixel count and of m |1/D - 1/D*|.
extern "C" __global__ void loss_depth(int width, int height,
                                      const float* __restrict__ others,
                                      const float* __restrict__ targetDepth,
                                      const float* __restrict__ mask,
                                      double medianRatio,
                                      double* __restrict__ partials)
{
    int n = width * height;
    double weight = 0.0, count = 0.0, abs = 0.0;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        float mv = mask == nullptr ? 1.0f : mask[i];
        float t = targetDepth[i];
        if (mv == 0.0f || !(t > 0.0f)) {
            continue;
        }
        double d = loss_depth_at(others, n, i, medianRatio);
        if (!(d > 0.0)) {
            continue;
        }
        weight += mv;
        count += 1.0;
        abs += (double)mv * fabs(1.0 / d - 1.0 / (double)t);
    }
    loss_block_partial(weight, partials, Q_DEPTH_WEIGHT);
    loss_block_partial(count, partials, Q_DEPTH_COUNT);
    loss_block_partial(abs, partials, Q_DEPTH_ABS);
}

// Inverse-depth L1, gradient: scalars[S_DEPTH_SCALE] = weight / sum m (0 when too few pixels were valid) from
// loss_finalize, so the depth weight can be decided on the device without a round trip.
extern "C" __global__ void loss_depth_gradient(int width, int height,
                                               const float* __restrict__ others,
                                               const float* __restrict__ targetDepth,
                                               const float* __restrict__ mask,
                                               double medianRatio,
                                               const double* __restrict__ scalars,
                                               float* __restrict__ dOthers)
{
    int n = width * height;
    double scale = scalars[S_DEPTH_SCALE];
    if (scale == 0.0) {
        return;
    }
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        float mv = mask == nullptr ? 1.0f : mask[i];
        float t = targetDepth[i];
        if (mv == 0.0f || !(t > 0.0f)) {
            continue;
        }
        double d = loss_depth_at(others, n, i, medianRatio);
        if (!(d > 0.0)) {
            continue;
        }
        double diff = 1.0 / d - 1.0 / (double)t;
        if (diff != 0.0) {
            // d|1/D - 1/D*| / dD = -sign / D^2
            double dD = (double)(diff > 0.0 ? -1 : 1) * (double)mv * scale / (d * d);
            loss_depth_backward(others, n, i, dD, medianRatio, dOthers);
        }
    }
}

// SSIM, pass 1: the 11-tap Gaussian along x (zero padding) of x, y, x^2, y^2, x y for every channel, into five planes
// sets of channels * W * H each (out + p * channels * n).
extern "C" __global__ void loss_ssim_rows(int width, int height, int channels,
                                          const float* __restrict__ x,
                                          const float* __restrict__ y,
                                          const float* __restrict__ kernel,
                                          float* __restrict__ out)
{
    int n = width * height;
    int total = channels * n;
    for (int k = blockIdx.x * blockDim.x + threadIdx.x; k < total; k += gridDim.x * blockDim.x) {
        int col = k % width;
        float fx = 0.0f, fy = 0.0f, fxx = 0.0f, fyy = 0.0f, fxy = 0.0f;
        for (int tap = 0; tap < 2 * SSIM_RADIUS + 1; tap++) {
            int c = col + tap - SSIM_RADIUS;
            if (c < 0 || c >= width) {
                continue;
            }
            float g = kernel[tap];
            float xv = x[k + tap - SSIM_RADIUS];
            float yv = y[k + tap - SSIM_RADIUS];
            fx = __fadd_rn(fx, __fmul_rn(g, xv));
            fy = __fadd_rn(fy, __fmul_rn(g, yv));
            fxx = __fadd_rn(fxx, __fmul_rn(g, __fmul_rn(xv, xv)));
            fyy = __fadd_rn(fyy, __fmul_rn(g, __fmul_rn(yv, yv)));
            fxy = __fadd_rn(fxy, __fmul_rn(g, __fmul_rn(xv, yv)));
        }
        out[k] = fx;
        out[total + k] = fy;
        out[2 * total + k] = fxx;
        out[3 * total + k] = fyy;
        out[4 * total + k] = fxy;
    }
}

__device__ __forceinline__ float loss_ssim_column(const float* plane, int k, int row, int width, int height,
                                                  const float* kernel)
{
    float s = 0.0f;
    for (int tap = 0; tap < 2 * SSIM_RADIUS + 1; tap++) {
        int r = row + tap - SSIM_RADIUS;
        if (r < 0 || r >= height) {
            continue;
        }
        s = __fadd_rn(s, __fmul_rn(kernel[tap], plane[k + (tap - SSIM_RADIUS) * width]));
    }
    return s;
}

// SSIM, pass 2: the filter along y gives mu_x, mu_y, E_xx, E_yy, E_xy; the map S (C1 = 0.01^2, C2 = 0.03^2), its
// weighted sum (weights: null, one shared channel, or one per channel) as a partial, and, when adjoint is not null,
// the per-pixel dS/d(mu_x, E_xx, E_xy) times weight * invTotal * gradScale into three planes sets.
extern "C" __global__ void loss_ssim_map(int width, int height, int channels,
                                         const float* __restrict__ rows,
                                         const float* __restrict__ kernel,
                                         const float* __restrict__ weights, int weightChannels,
                                         double invTotal, double gradScale,
                                         float* __restrict__ adjoint,
                                         double* __restrict__ partials)
{
    int n = width * height;
    int total = channels * n;
    double sum = 0.0;
    for (int k = blockIdx.x * blockDim.x + threadIdx.x; k < total; k += gridDim.x * blockDim.x) {
        int c = k / n;
        int p = k - c * n;
        int row = p / width;
        double mx = loss_ssim_column(rows, k, row, width, height, kernel);
        double my = loss_ssim_column(rows + total, k, row, width, height, kernel);
        double exx = loss_ssim_column(rows + 2 * total, k, row, width, height, kernel);
        double eyy = loss_ssim_column(rows + 3 * total, k, row, width, height, kernel);
        double exy = loss_ssim_column(rows + 4 * total, k, row, width, height, kernel);
        double a1 = 2 * mx * my + SSIM_C1;
        double a2 = 2 * (exy - mx * my) + SSIM_C2;
        double b1 = mx * mx + my * my + SSIM_C1;
        double b2 = (exx - mx * mx) + (eyy - my * my) + SSIM_C2;
        double den = b1 * b2;
        double s = a1 * a2 / den;
        double weight = weights == nullptr ? 1.0 : (double)weights[(weightChannels == 1 ? 0 : c * n) + p];
        sum += weight * s;
        if (adjoint != nullptr) {
            // written without dividing by A1 or A2 (they can be 0), as Ssim.compute
            double g = weight * invTotal * gradScale;
            double dMx = (2 * my * a2 - 2 * my * a1) / den - s * (2 * mx / b1 - 2 * mx / b2);
            double dExx = -s / b2;
            double dExy = 2 * a1 / den;
            adjoint[k] = (float)(g * dMx);
            adjoint[total + k] = (float)(g * dExx);
            adjoint[2 * total + k] = (float)(g * dExy);
        }
    }
    loss_block_partial(sum, partials, Q_SSIM);
}

// SSIM gradient, pass 3: the adjoint of the zero-padded filter is the same filter (symmetric kernel); along x for the
// three adjoint planes sets.
extern "C" __global__ void loss_ssim_adjoint_rows(int width, int height, int channels,
                                                  const float* __restrict__ adjoint,
                                                  const float* __restrict__ kernel,
                                                  float* __restrict__ out)
{
    int n = width * height;
    int total = channels * n;
    for (int k = blockIdx.x * blockDim.x + threadIdx.x; k < total; k += gridDim.x * blockDim.x) {
        int col = k % width;
        float f0 = 0.0f, f1 = 0.0f, f2 = 0.0f;
        for (int tap = 0; tap < 2 * SSIM_RADIUS + 1; tap++) {
            int c = col + tap - SSIM_RADIUS;
            if (c < 0 || c >= width) {
                continue;
            }
            float g = kernel[tap];
            int j = k + tap - SSIM_RADIUS;
            f0 = __fadd_rn(f0, __fmul_rn(g, adjoint[j]));
            f1 = __fadd_rn(f1, __fmul_rn(g, adjoint[total + j]));
            f2 = __fadd_rn(f2, __fmul_rn(g, adjoint[2 * total + j]));
        }
        out[k] = f0;
        out[total + k] = f1;
        out[2 * total + k] = f2;
    }
}

// SSIM gradient, pass 4: along y, then dS/dx = G*a_mu + 2 x G*a_xx + y G*a_xy ADDED into grad.
extern "C" __global__ void loss_ssim_gradient(int width, int height, int channels,
                                              const float* __restrict__ adjointRows,
                                              const float* __restrict__ kernel,
                                              const float* __restrict__ x,
                                              const float* __restrict__ y,
                                              float* __restrict__ grad)
{
    int n = width * height;
    int total = channels * n;
    for (int k = blockIdx.x * blockDim.x + threadIdx.x; k < total; k += gridDim.x * blockDim.x) {
        int row = (k % n) / width;
        float ga = loss_ssim_column(adjointRows, k, row, width, height, kernel);
        float gxx = loss_ssim_column(adjointRows + total, k, row, width, height, kernel);
        float gxy = loss_ssim_column(adjointRows + 2 * total, k, row, width, height, kernel);
        float v = __fadd_rn(__fadd_rn(ga, __fmul_rn(__fmul_rn(2.0f, x[k]), gxx)), __fmul_rn(y[k], gxy));
        grad[k] = __fadd_rn(grad[k], v);
    }
}

// Normal consistency, pass 1: the rendered depth map as float (NormalConsistencyLoss.fillDepth).
extern "C" __global__ void loss_normal_depth(int width, int height,
                                             const float* __restrict__ others,
                                             double medianRatio,
                                             float* __restrict__ depth)
{
    int n = width * height;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        depth[i] = (float)loss_depth_at(others, n, i, medianRatio);
    }
}

struct NormalRays {
    double fx, fy, cx, cy;
    __device__ double x(int px) const { return (px + 0.5 - cx) / fx; }
    __device__ double y(int py) const { return (py + 0.5 - cy) / fy; }
};

// Normal consistency, pass 2: per pixel 1 - alpha <N_r, N_s> with N_s the normalized cross product of the central
// differences of the back-projected depth (0 on the border, where the term is 1). With a gradient (scale = weight /
// sum m not 0): dL/dN_r into dOthers, and dL/da, dL/db of the two difference vectors into aBar, bBar (3 per pixel,
// zero where there is none) for pass 3.
extern "C" __global__ void loss_normal(int width, int height,
                                       const float* __restrict__ others,
                                       const float* __restrict__ depth,
                                       const float* __restrict__ mask,
                                       double fx, double fy, double cx, double cy,
                                       double scale,
                                       float* __restrict__ aBar,
                                       float* __restrict__ bBar,
                                       float* __restrict__ dOthers,
                                       double* __restrict__ partials)
{
    int n = width * height;
    NormalRays ray = {fx, fy, cx, cy};
    bool grad = dOthers != nullptr;
    double sum = 0.0;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        int y = i / width;
        int x = i - y * width;
        if (grad) {
            for (int j = 0; j < 3; j++) {
                aBar[3 * i + j] = 0.0f;
                bBar[3 * i + j] = 0.0f;
            }
        }
        float mv = mask == nullptr ? 1.0f : mask[i];
        if (mv == 0.0f) {
            continue;
        }
        if (y == 0 || y == height - 1 || x == 0 || x == width - 1) {
            sum += mv;
            continue;
        }
        double dDown = depth[i + width];
        double dUp = depth[i - width];
        double rx = ray.x(x);
        double a0 = (dDown - dUp) * rx;
        double a1 = dDown * ray.y(y + 1) - dUp * ray.y(y - 1);
        double a2 = dDown - dUp;
        double dRight = depth[i + 1];
        double dLeft = depth[i - 1];
        double ry = ray.y(y);
        double b0 = dRight * ray.x(x + 1) - dLeft * ray.x(x - 1);
        double b1 = (dRight - dLeft) * ry;
        double b2 = dRight - dLeft;
        double c0 = a1 * b2 - a2 * b1;
        double c1 = a2 * b0 - a0 * b2;
        double c2 = a0 * b1 - a1 * b0;
        double len = sqrt(c0 * c0 + c1 * c1 + c2 * c2);
        double inv = 1.0 / fmax(len, NORMALIZE_EPS);
        double s0 = c0 * inv, s1 = c1 * inv, s2 = c2 * inv;
        double alpha = others[AUX_ALPHA * n + i];
        double r0 = others[AUX_NORMAL * n + i];
        double r1 = others[(AUX_NORMAL + 1) * n + i];
        double r2 = others[(AUX_NORMAL + 2) * n + i];
        sum += (double)mv * (1.0 - alpha * (r0 * s0 + r1 * s1 + r2 * s2));
        if (!grad) {
            continue;
        }
        double g = (double)(-mv) * alpha * scale;
        float* dn = dOthers + AUX_NORMAL * n + i;
        dn[0] = __fadd_rn(dn[0], (float)(g * s0));
        dn[n] = __fadd_rn(dn[n], (float)(g * s1));
        dn[2 * n] = __fadd_rn(dn[2 * n], (float)(g * s2));
        // dL/dN_s = g N_r, through the normalization (plain division when clamped, as F.normalize)
        double gs0 = g * r0, gs1 = g * r1, gs2 = g * r2;
        double dn0, dn1, dn2;
        if (len > NORMALIZE_EPS) {
            double proj = s0 * gs0 + s1 * gs1 + s2 * gs2;
            dn0 = (gs0 - s0 * proj) * inv;
            dn1 = (gs1 - s1 * proj) * inv;
            dn2 = (gs2 - s2 * proj) * inv;
        } else {
            dn0 = gs0 * inv;
            dn1 = gs1 * inv;
            dn2 = gs2 * inv;
        }
        // n = a x b: dL/da = b x dn, dL/db = dn x a
        aBar[3 * i] = (float)(b1 * dn2 - b2 * dn1);
        aBar[3 * i + 1] = (float)(b2 * dn0 - b0 * dn2);
        aBar[3 * i + 2] = (float)(b0 * dn1 - b1 * dn0);
        bBar[3 * i] = (float)(dn1 * a2 - dn2 * a1);
        bBar[3 * i + 1] = (float)(dn2 * a0 - dn0 * a2);
        bBar[3 * i + 2] = (float)(dn0 * a1 - dn1 * a0);
    }
    loss_block_partial(sum, partials, Q_NORMAL);
}

// Normal consistency, pass 3 (gradient): the point P(q) enters a at q + W (plus) and q - W (minus), b at q + 1 (plus)
// and q - 1 (minus); gathered, projected on the pixel's ray and pushed through the rendered depth.
extern "C" __global__ void loss_normal_gradient(int width, int height,
                                                const float* __restrict__ others,
                                                const float* __restrict__ aBar,
                                                const float* __restrict__ bBar,
                                                double medianRatio,
                                                double fx, double fy, double cx, double cy,
                                                float* __restrict__ dOthers)
{
    int n = width * height;
    NormalRays ray = {fx, fy, cx, cy};
    for (int q = blockIdx.x * blockDim.x + threadIdx.x; q < n; q += gridDim.x * blockDim.x) {
        int y = q / width;
        int x = q - y * width;
        double p0 = 0.0, p1 = 0.0, p2 = 0.0;
        if (y >= 1) {
            int k = 3 * (q - width);
            p0 += aBar[k];
            p1 += aBar[k + 1];
            p2 += aBar[k + 2];
        }
        if (y + 1 < height) {
            int k = 3 * (q + width);
            p0 -= aBar[k];
            p1 -= aBar[k + 1];
            p2 -= aBar[k + 2];
        }
        if (x >= 1) {
            int k = 3 * (q - 1);
            p0 += bBar[k];
            p1 += bBar[k + 1];
            p2 += bBar[k + 2];
        }
        if (x + 1 < width) {
            int k = 3 * (q + 1);
            p0 -= bBar[k];
            p1 -= bBar[k + 1];
            p2 -= bBar[k + 2];
        }
        double dD = p0 * ray.x(x) + p1 * ray.y(y) + p2;
        loss_depth_backward(others, n, q, dD, medianRatio, dOthers);
    }
}

// Depth distortion: sum of m times the distortion plane, and gradScale * m added to its gradient (null: value only).
extern "C" __global__ void loss_distortion(int width, int height,
                                           const float* __restrict__ others,
                                           const float* __restrict__ mask,
                                           float gradScale,
                                           float* __restrict__ dOthers,
                                           double* __restrict__ partials)
{
    int n = width * height;
    double sum = 0.0;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        float mv = mask == nullptr ? 1.0f : mask[i];
        sum += (double)__fmul_rn(mv, others[AUX_DISTORTION * n + i]);
        if (dOthers != nullptr) {
            float* d = dOthers + AUX_DISTORTION * n + i;
            *d = __fadd_rn(*d, __fmul_rn(gradScale, mv));
        }
    }
    loss_block_partial(sum, partials, Q_DISTORTION);
}

// One block: the partials of every quantity in activeMask (bit q) added in a fixed order into scalars[q] (inactive
// ones 0), then the derived values. Depth weight: rule 0 fixed (fixedWeight), 1 the adaptive ratio of
// DepthWeightSchedule: clip(w0 (1 - alpha progress) (1 + beta tanh(L1 / (L_depth + 1e-8) - 1)), wMin, wMax), gain 1
// when the depth loss is 0. The totals of the colour, SSIM and regularizer means come from the masks (host).
extern "C" __global__ void loss_finalize(const double* __restrict__ partials, int activeMask,
                                         double* __restrict__ scalars,
                                         double colorTotal, double ssimTotal, double regularizerTotal,
                                         int minValidDepth, int depthRule, double fixedWeight,
                                         double w0, double alpha, double beta, double wMin, double wMax,
                                         double progress)
{
    __shared__ double buffer[LOSS_THREADS];
    __shared__ double sums[LOSS_QUANTITIES];
    for (int q = 0; q < LOSS_QUANTITIES; q++) {
        double v = 0.0;
        if (activeMask & (1 << q)) {
            for (int b = threadIdx.x; b < LOSS_BLOCKS; b += LOSS_THREADS) {
                v += partials[q * LOSS_BLOCKS + b];
            }
        }
        buffer[threadIdx.x] = v;
        __syncthreads();
        for (int half = LOSS_THREADS / 2; half > 0; half >>= 1) {
            if (threadIdx.x < half) {
                buffer[threadIdx.x] += buffer[threadIdx.x + half];
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) {
            sums[q] = buffer[0];
        }
        __syncthreads();
    }
    if (threadIdx.x != 0) {
        return;
    }
    for (int q = 0; q < LOSS_QUANTITIES; q++) {
        scalars[q] = sums[q];
    }
    double l1 = colorTotal > 0.0 ? sums[Q_L1] / colorTotal : 0.0;
    scalars[S_L1_VALUE] = l1;
    double mse = sums[Q_PSNR_SE] / fmax(1.0, sums[Q_PSNR_COUNT]);
    scalars[S_PSNR] = mse <= 0.0 ? 100.0 : -10.0 * log10(mse);
    double depthTotal = sums[Q_DEPTH_WEIGHT];
    bool depthValid = sums[Q_DEPTH_COUNT] >= (double)minValidDepth && depthTotal > 0.0;
    double depthValue = depthValid ? sums[Q_DEPTH_ABS] / depthTotal : 0.0;
    double weight = fixedWeight;
    if (depthRule == 1) {
        double base = w0 * (1.0 - alpha * progress);
        double gain = 1.0;
        if (depthValue > 0.0) {
            double ratio = l1 / (depthValue + 1e-8);
            gain = 1.0 + beta * tanh(ratio - 1.0);
        }
        weight = fmax(wMin, fmin(wMax, base * gain));
    }
    scalars[S_DEPTH_VALUE] = depthValue;
    scalars[S_DEPTH_WEIGHT] = weight;
    scalars[S_DEPTH_SCALE] = depthValid ? weight / depthTotal : 0.0;
    scalars[S_SSIM_VALUE] = ssimTotal > 0.0 ? sums[Q_SSIM] * (1.0 / ssimTotal) : 0.0;
    scalars[S_NORMAL_VALUE] = regularizerTotal > 0.0 ? sums[Q_NORMAL] / regularizerTotal : 0.0;
    scalars[S_DISTORTION_VALUE] = regularizerTotal > 0.0 ? sums[Q_DISTORTION] / regularizerTotal : 0.0;
}
