// Per-surfel preprocessing of 2DGS (Huang et al. 2024, Sec. 4.1) and its backward, in double: one thread per surfel.
// Java twins: SurfelGeometry (project, tileRect, pixelBox, backward), SurfelPreprocess, GradientReduction,
// Quaternions. Per-surfel work is O(N), so double costs little and keeps radii and tile rectangles identical to the
// Java path.
#include "raster_common.cuh"

struct Geometry {
    double pcx, pcy, pcz;
    double qw, qx, qy, qz, qNorm;
    double rot[9];
    double su, sv;
    double h[9];
    double nx, ny, nz, flip;
    double centreX, centreY;
    int radius;
};

// SurfelGeometry.project: the homography H = K [W s_u t_u | W s_v t_v | W p + t] (Eq. 5-7), the camera-facing
// normal and the 3-sigma bounding box (its centre is the low-pass filter's centre). False when culled.
__device__ bool geometry_project(const RasterCamera& cam, double x, double y, double z, double w0, double x0,
        double y0, double z0, double scaleU, double scaleV, double near, Geometry& g) {
    const double* wr = cam.r;
    g.radius = 0;
    g.pcx = wr[0] * x + wr[1] * y + wr[2] * z + cam.t[0];
    g.pcy = wr[3] * x + wr[4] * y + wr[5] * z + cam.t[1];
    g.pcz = wr[6] * x + wr[7] * y + wr[8] * z + cam.t[2];
    if (!(g.pcz > near)) {
        return false;
    }
    g.qNorm = sqrt(w0 * w0 + x0 * x0 + y0 * y0 + z0 * z0);
    if (!(g.qNorm > 0)) {
        return false;
    }
    double qw = w0 / g.qNorm, qx = x0 / g.qNorm, qy = y0 / g.qNorm, qz = z0 / g.qNorm;
    g.qw = qw; g.qx = qx; g.qy = qy; g.qz = qz;
    double* rot = g.rot;
    rot[0] = 1 - 2 * (qy * qy + qz * qz);
    rot[1] = 2 * (qx * qy - qw * qz);
    rot[2] = 2 * (qx * qz + qw * qy);
    rot[3] = 2 * (qx * qy + qw * qz);
    rot[4] = 1 - 2 * (qx * qx + qz * qz);
    rot[5] = 2 * (qy * qz - qw * qx);
    rot[6] = 2 * (qx * qz - qw * qy);
    rot[7] = 2 * (qy * qz + qw * qx);
    rot[8] = 1 - 2 * (qx * qx + qy * qy);
    g.su = scaleU;
    g.sv = scaleV;
    double ux = scaleU * (wr[0] * rot[0] + wr[1] * rot[3] + wr[2] * rot[6]);
    double uy = scaleU * (wr[3] * rot[0] + wr[4] * rot[3] + wr[5] * rot[6]);
    double uz = scaleU * (wr[6] * rot[0] + wr[7] * rot[3] + wr[8] * rot[6]);
    double vx = scaleV * (wr[0] * rot[1] + wr[1] * rot[4] + wr[2] * rot[7]);
    double vy = scaleV * (wr[3] * rot[1] + wr[4] * rot[4] + wr[5] * rot[7]);
    double vz = scaleV * (wr[6] * rot[1] + wr[7] * rot[4] + wr[8] * rot[7]);
    double* h = g.h;
    h[0] = cam.fx * ux + cam.cx * uz;
    h[1] = cam.fx * vx + cam.cx * vz;
    h[2] = cam.fx * g.pcx + cam.cx * g.pcz;
    h[3] = cam.fy * uy + cam.cy * uz;
    h[4] = cam.fy * vy + cam.cy * vz;
    h[5] = cam.fy * g.pcy + cam.cy * g.pcz;
    h[6] = uz;
    h[7] = vz;
    h[8] = g.pcz;
    double ncx = wr[0] * rot[2] + wr[1] * rot[5] + wr[2] * rot[8];
    double ncy = wr[3] * rot[2] + wr[4] * rot[5] + wr[5] * rot[8];
    double ncz = wr[6] * rot[2] + wr[7] * rot[5] + wr[8] * rot[8];
    // Two-sided surfels: the normal faces the camera; exactly edge-on from the centre is dropped.
    double cosv = -(g.pcx * ncx + g.pcy * ncy + g.pcz * ncz);
    if (cosv == 0) {
        return false;
    }
    g.flip = cosv > 0 ? 1 : -1;
    g.nx = g.flip * ncx;
    g.ny = g.flip * ncy;
    g.nz = g.flip * ncz;
    // Box of the ellipse u^2 + v^2 = 9 through the dual conic (2DGS supplementary): t = (9, 9, -1).
    double c2 = SPLAT_CUTOFF * SPLAT_CUTOFF;
    double d = c2 * (h[6] * h[6] + h[7] * h[7]) - h[8] * h[8];
    if (d == 0) {
        return false;
    }
    g.centreX = (c2 * (h[0] * h[6] + h[1] * h[7]) - h[2] * h[8]) / d;
    g.centreY = (c2 * (h[3] * h[6] + h[4] * h[7]) - h[5] * h[8]) / d;
    double fuu = (c2 * (h[0] * h[0] + h[1] * h[1]) - h[2] * h[2]) / d;
    double fvv = (c2 * (h[3] * h[3] + h[4] * h[4]) - h[5] * h[5]) / d;
    double extX = sqrt(fmax(SPLAT_MIN_HALF_EXTENT_SQUARED, g.centreX * g.centreX - fuu));
    double extY = sqrt(fmax(SPLAT_MIN_HALF_EXTENT_SQUARED, g.centreY * g.centreY - fvv));
    double r = ceil(fmax(fmax(extX, extY), SPLAT_MIN_EXTENT));
    if (!(r < 1e9)) {
        return false;
    }
    g.radius = (int) r;
    return true;
}

__device__ __forceinline__ int clamp_tiles(double v, int max) {
    // Java's (int) Math.floor saturates; so does the PTX conversion. Clamp in double first to stay defined.
    v = v < -1e9 ? -1e9 : (v > 1e9 ? 1e9 : v);
    int i = (int) v;
    return min(max, ::max(0, i));
}

// SurfelGeometry.tileRect: [x0, x1) x [y0, y1) in tiles, the original's getRect in pixel-index coordinates.
__device__ int tile_rect(const RasterCamera& cam, const Geometry& g, int* rect) {
    double px = g.centreX - 0.5;
    double py = g.centreY - 0.5;
    double t = RASTER_TILE;
    rect[0] = clamp_tiles(floor((px - g.radius) / t), cam.tilesX);
    rect[1] = clamp_tiles(floor((py - g.radius) / t), cam.tilesY);
    rect[2] = clamp_tiles(floor((px + g.radius + t - 1) / t), cam.tilesX);
    rect[3] = clamp_tiles(floor((py + g.radius + t - 1) / t), cam.tilesY);
    return (rect[2] - rect[0]) * (rect[3] - rect[1]);
}

// SurfelGeometry.pixelBox: outside this box of pixel centres alpha < 1/255 (rho > rhoMax), see docs/rasterizer.md.
__device__ void pixel_box(const Geometry& g, double rhoMax, double* out) {
    const double inf = __longlong_as_double(0x7ff0000000000000LL);
    if (!(rhoMax >= 0)) {
        out[0] = out[1] = inf;
        out[2] = out[3] = -inf;
        return;
    }
    const double* h = g.h;
    double lowPass = sqrt(rhoMax / SPLAT_FILTER_INV_SQUARE);
    out[0] = g.centreX - lowPass;
    out[1] = g.centreY - lowPass;
    out[2] = g.centreX + lowPass;
    out[3] = g.centreY + lowPass;
    double d = rhoMax * (h[6] * h[6] + h[7] * h[7]) - h[8] * h[8];
    if (!(d < 0)) {
        out[0] = out[1] = -inf;
        out[2] = out[3] = inf;
        return;
    }
    double ex = (rhoMax * (h[0] * h[6] + h[1] * h[7]) - h[2] * h[8]) / d;
    double ey = (rhoMax * (h[3] * h[6] + h[4] * h[7]) - h[5] * h[8]) / d;
    double hx = sqrt(fmax(0.0, ex * ex - (rhoMax * (h[0] * h[0] + h[1] * h[1]) - h[2] * h[2]) / d));
    double hy = sqrt(fmax(0.0, ey * ey - (rhoMax * (h[3] * h[3] + h[4] * h[4]) - h[5] * h[5]) / d));
    out[0] = fmin(out[0], ex - hx);
    out[1] = fmin(out[1], ey - hy);
    out[2] = fmax(out[2], ex + hx);
    out[3] = fmax(out[3], ey + hy);
}

// Java's Math.max(lo, Math.min(hi, v)), which keeps NaN (fmin/fmax would drop it).
__device__ __forceinline__ double clamp_keep_nan(double v, double lo, double hi) {
    v = v > hi ? hi : v;
    return v < lo ? lo : v;
}

// SurfelPreprocess.rhoCut: beyond this rho, opacity * exp(-rho/2) < 1/255 (with a margin).
__device__ __forceinline__ float rho_cut(float opacity) {
    if (!((double) opacity * 255.0 > 1.0)) {
        return -1.0f;
    }
    return (float) (2.0 * log(255.0 * (double) opacity) + 1e-2);
}

__device__ __forceinline__ void cross3(const double* a, const double* b, double* out) {
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

// Whether tile column (or row) t, origin t * RASTER_TILE, keeps a pixel centre of the box [lo, hi] of a record whose
// anchor is `anchor`: the test load_tile_surfel makes when it packs the tile-relative box, with the same float values.
__device__ __forceinline__ bool tile_keeps_box(int t, float lo, float hi, float anchor) {
    float d = (float) ((double) (t * RASTER_TILE) - (double) anchor);
    return first_pixel(__fsub_rn(lo, d)) <= last_pixel(__fsub_rn(hi, d));
}

// SurfelPreprocess.narrowRect: the binning rectangle. The 3-sigma rectangle (which sets radius and visibility, as in
// the original) narrowed to the tiles where the record's pixel box keeps a pixel centre: in any other tile the box
// test fails for every pixel, so the surfel's entry there would change no output. Empty: (x0, y0, x0, y0).
__device__ void narrow_rect(const float* rec, int* rect) {
    int x0 = rect[2], x1 = rect[0], y0 = rect[3], y1 = rect[1];
    for (int t = rect[0]; t < rect[2]; t++) {
        if (tile_keeps_box(t, rec[REC_BOX], rec[REC_BOX + 2], rec[REC_ANCHOR])) {
            x0 = min(x0, t);
            x1 = t + 1;
        }
    }
    for (int t = rect[1]; t < rect[3]; t++) {
        if (tile_keeps_box(t, rec[REC_BOX + 1], rec[REC_BOX + 3], rec[REC_ANCHOR + 1])) {
            y0 = min(y0, t);
            y1 = t + 1;
        }
    }
    if (x0 >= x1 || y0 >= y1) {
        rect[2] = rect[0];
        rect[3] = rect[1];
        return;
    }
    rect[0] = x0;
    rect[1] = y0;
    rect[2] = x1;
    rect[3] = y1;
}

// Stage 1 (SurfelPreprocess.run): the record every tile kernel reads, radius, depth sort key. Invisible surfels get
// radius 0, a record of zeros (an empty rectangle) and the largest key (0x7fffffff, above every finite positive
// float), so they sort last. The depth sort's values are the surfel indices, generated by its first pass. The camera
// comes from device memory (DeviceCamera), so the launch can belong to the forward's first graph on every frame.
//
// The records leave through shared memory: a thread storing its own 128-byte record touches 32 records per warp
// store, each a quarter-filled line; staged, every warp store writes 512 contiguous bytes.
#define PROJECT_THREADS 128
#define PROJECT_ROW (REC_FLOATS + 4)  // padded: a quarter-warp's float4 row stores hit distinct banks

__device__ void project_record(int i, const float* __restrict__ positions, const float* __restrict__ rotations,
        const float* __restrict__ scales, const float* __restrict__ opacities, const float* __restrict__ colors,
        const RasterCamera& cam, float near, float* out, unsigned* __restrict__ depthKeys, int* __restrict__ radii) {
    Geometry g;
    bool visible = geometry_project(cam, positions[3 * i], positions[3 * i + 1], positions[3 * i + 2],
            rotations[4 * i], rotations[4 * i + 1], rotations[4 * i + 2], rotations[4 * i + 3], scales[2 * i],
            scales[2 * i + 1], (double) near, g);
    int rect[4] = {0, 0, 0, 0};
    int tiles = visible ? tile_rect(cam, g, rect) : 0;
    if (tiles <= 0) {
        radii[i] = 0;
        depthKeys[i] = 0x7fffffffu;
        for (int k = 0; k < REC_FLOATS; k++) {
            out[k] = 0.0f;
        }
        return;
    }
    radii[i] = g.radius;
    // (float) pcz > near > 0: the float bits order like the values.
    depthKeys[i] = __float_as_uint((float) g.pcz);
    const double* h = g.h;
    double adj[9];
    cross3(h + 3, h + 6, adj);      // A = Tv x Tw
    cross3(h + 6, h, adj + 3);      // B = Tw x Tu
    cross3(h, h + 3, adj + 6);      // C = Tu x Tv
    double anchorX = rint(clamp_keep_nan(g.centreX, -1e6, 1e6));
    double anchorY = rint(clamp_keep_nan(g.centreY, -1e6, 1e6));
    for (int k = 0; k < 3; k++) {
        out[REC_A + k] = (float) adj[k];
        out[REC_B + k] = (float) adj[3 + k];
        out[REC_C + k] = (float) (adj[6 + k] + anchorX * adj[k] + anchorY * adj[3 + k]);
        out[REC_TW + k] = (float) h[6 + k];
        out[REC_COLOR + k] = colors[3 * i + k];
    }
    out[REC_NORMAL] = (float) g.nx;
    out[REC_NORMAL + 1] = (float) g.ny;
    out[REC_NORMAL + 2] = (float) g.nz;
    out[REC_CENTRE] = (float) (g.centreX - anchorX);
    out[REC_CENTRE + 1] = (float) (g.centreY - anchorY);
    float opacity = opacities[i];
    out[REC_OPACITY] = opacity;
    float cut = rho_cut(opacity);
    out[REC_RHO_CUT] = cut;
    double box[4];
    // Slightly beyond the cut so that float rounding of rho at the boundary cannot lose a pixel.
    pixel_box(g, (double) cut + 1e-2, box);
    for (int k = 0; k < 4; k++) {
        double margin = k < 2 ? -1e-2 : 1e-2;
        double anchor = k % 2 == 0 ? anchorX : anchorY;
        out[REC_BOX + k] = (float) (clamp_keep_nan(box[k] + margin, -1e30, 1e30) - anchor);
    }
    out[REC_ANCHOR] = (float) anchorX;
    out[REC_ANCHOR + 1] = (float) anchorY;
    narrow_rect(out, rect);
    for (int k = 0; k < 4; k++) {
        out[REC_RECT + k] = __int_as_float(rect[k]);
    }
}

extern "C" __global__ void __launch_bounds__(PROJECT_THREADS) project_forward(int n,
        const float* __restrict__ positions, const float* __restrict__ rotations, const float* __restrict__ scales,
        const float* __restrict__ opacities, const float* __restrict__ colors, const double* __restrict__ camera,
        float near, float* __restrict__ records, unsigned* __restrict__ depthKeys, int* __restrict__ radii) {
    __shared__ float4 staged[PROJECT_THREADS * PROJECT_ROW / 4];
    int first = blockIdx.x * PROJECT_THREADS;
    int i = first + threadIdx.x;
    if (i < n) {
        RasterCamera cam = camera_from(camera);
        float out[REC_FLOATS];
        project_record(i, positions, rotations, scales, opacities, colors, cam, near, out, depthKeys, radii);
        float4* row = staged + threadIdx.x * (PROJECT_ROW / 4);
#pragma unroll
        for (int k = 0; k < REC_FLOATS / 4; k++) {
            row[k] = make_float4(out[4 * k], out[4 * k + 1], out[4 * k + 2], out[4 * k + 3]);
        }
    }
    __syncthreads();
    const int perRecord = REC_FLOATS / 4;
    int count = min(PROJECT_THREADS, n - first);
    float4* dst = reinterpret_cast<float4*>(records) + (size_t) first * perRecord;
#pragma unroll 4
    for (int idx = threadIdx.x; idx < count * perRecord; idx += PROJECT_THREADS) {
        dst[idx] = staged[(idx / perRecord) * (PROJECT_ROW / 4) + idx % perRecord];
    }
}

// Quaternions.matrixGradient: dL/dq from dL/dR (row-major) for the unit-quaternion formula.
__device__ void matrix_gradient(double w, double x, double y, double z, const double* g, double* out) {
    out[0] = 2 * (-z * g[1] + y * g[2] + z * g[3] - x * g[5] - y * g[6] + x * g[7]);
    out[1] = 2 * (y * g[1] + z * g[2] + y * g[3] - 2 * x * g[4] - w * g[5] + z * g[6] + w * g[7] - 2 * x * g[8]);
    out[2] = 2 * (-2 * y * g[0] + x * g[1] + w * g[2] + x * g[3] + z * g[5] - w * g[6] + z * g[7] - 2 * y * g[8]);
    out[3] = 2 * (-2 * z * g[0] - w * g[1] + x * g[2] + w * g[3] - 2 * z * g[4] + y * g[5] + x * g[6] + y * g[7]);
}

__device__ __forceinline__ void cross_add(const double* a, const double* b, double* out) {
    out[0] += a[1] * b[2] - a[2] * b[1];
    out[1] += a[2] * b[0] - a[0] * b[2];
    out[2] += a[0] * b[1] - a[1] * b[0];
}

// Backward of stage 1 (GradientReduction.run + SurfelGeometry.backward), one thread per surfel: sums the surfel's
// per-tile partial gradients in double in a fixed order (its tiles row by row), undoes the tile-relative
// coordinates, turns dL/d adj(H) into dL/dH, and chains to position, quaternion (through q/|q|), scales; colour and
// opacity are direct; screenGradient is |dL/d(projected centre)| in NDC units (docs/rasterizer.md).
extern "C" __global__ void project_backward(int n, const float* __restrict__ positions,
        const float* __restrict__ rotations, const float* __restrict__ scales, CAMERA_PARAMS, float near,
        const float* __restrict__ records, const int* __restrict__ firstEntry,
        const float* __restrict__ pairGrad, float* __restrict__ gPositions, float* __restrict__ gRotations,
        float* __restrict__ gScales, float* __restrict__ gOpacities, float* __restrict__ gColors,
        float* __restrict__ gScreen) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    int4 rect = reinterpret_cast<const int4*>(records + (size_t) i * REC_FLOATS)[REC_RECT / 4];
    int tiles = (rect.z - rect.x) * (rect.w - rect.y);
    if (tiles <= 0) {
        for (int k = 0; k < 3; k++) {
            gPositions[3 * i + k] = 0.0f;
            gColors[3 * i + k] = 0.0f;
        }
        for (int k = 0; k < 4; k++) {
            gRotations[4 * i + k] = 0.0f;
        }
        gScales[2 * i] = 0.0f;
        gScales[2 * i + 1] = 0.0f;
        gOpacities[i] = 0.0f;
        gScreen[i] = 0.0f;
        return;
    }
    double sum[PG_STRIDE];
    for (int k = 0; k < PG_STRIDE; k++) {
        sum[k] = 0;
    }
    // Six aligned float4 loads per slot (PG_SLOT) instead of 21 scalar ones, each of which touched a separate line
    // per warp: 0.207 -> 0.188 ms at 1M surfels on the H100 (run 6). Less than predicted: the loads were not what
    // set this kernel's time (128 registers, one thread per surfel in double).
    const float4* pg = reinterpret_cast<const float4*>(pairGrad + (size_t) firstEntry[i] * PG_SLOT);
    for (int ty = rect.y; ty < rect.w; ty++) {
        for (int tx = rect.x; tx < rect.z; tx++) {
            float v[PG_SLOT];
#pragma unroll
            for (int q = 0; q < PG_SLOT / 4; q++) {
                float4 f = __ldg(pg + q);
                v[4 * q] = f.x;
                v[4 * q + 1] = f.y;
                v[4 * q + 2] = f.z;
                v[4 * q + 3] = f.w;
            }
#pragma unroll
            for (int k = 0; k < PG_STRIDE; k++) {
                sum[k] += v[k];
            }
            // p = x A + y B + C with x = x0 + local x.
            double x0 = (double) tx * RASTER_TILE;
            double y0 = (double) ty * RASTER_TILE;
            for (int k = 0; k < 3; k++) {
                double c = v[PG_C + k];
                sum[PG_A + k] += x0 * c;
                sum[PG_B + k] += y0 * c;
            }
            pg += PG_SLOT / 4;
        }
    }
    RasterCamera cam = CAMERA_ARGS;
    Geometry g;
    geometry_project(cam, positions[3 * i], positions[3 * i + 1], positions[3 * i + 2], rotations[4 * i],
            rotations[4 * i + 1], rotations[4 * i + 2], rotations[4 * i + 3], scales[2 * i], scales[2 * i + 1],
            (double) near, g);
    const double* h = g.h;
    // adj(H) to H: A = Tv x Tw, B = Tw x Tu, C = Tu x Tv; for c = a x b, dL/da = b x gc and dL/db = gc x a.
    double gh[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    cross_add(sum + PG_B, h + 6, gh);
    cross_add(h + 3, sum + PG_C, gh);
    cross_add(h + 6, sum + PG_A, gh + 3);
    cross_add(sum + PG_C, h, gh + 3);
    cross_add(sum + PG_A, h + 3, gh + 6);
    cross_add(h, sum + PG_B, gh + 6);
    for (int k = 0; k < 3; k++) {
        gh[6 + k] += sum[PG_TW + k];
    }
    // Box centre: c_x = t.(Tu o Tw) / d, c_y = t.(Tv o Tw) / d, d = t.(Tw o Tw), t = (9, 9, -1).
    double gCentreX = sum[PG_CENTRE];
    double gCentreY = sum[PG_CENTRE + 1];
    if (gCentreX != 0 || gCentreY != 0) {
        double c2 = SPLAT_CUTOFF * SPLAT_CUTOFF;
        double d = c2 * (h[6] * h[6] + h[7] * h[7]) - h[8] * h[8];
        double tw[3] = {c2 * h[6], c2 * h[7], -h[8]};
        for (int k = 0; k < 3; k++) {
            gh[k] += gCentreX * tw[k] / d;
            gh[3 + k] += gCentreY * tw[k] / d;
            double tk = k < 2 ? c2 : -1;
            gh[6 + k] += gCentreX * (tk * h[k] - 2 * g.centreX * tw[k]) / d
                    + gCentreY * (tk * h[3 + k] - 2 * g.centreY * tw[k]) / d;
        }
    }
    const double* wr = cam.r;
    // Columns of H are K W a_u, K W a_v, K p_c; K^T g = (fx g0, fy g1, cx g0 + cy g1 + g2).
    double cux = cam.fx * gh[0];
    double cuy = cam.fy * gh[3];
    double cuz = cam.cx * gh[0] + cam.cy * gh[3] + gh[6];
    double cvx = cam.fx * gh[1];
    double cvy = cam.fy * gh[4];
    double cvz = cam.cx * gh[1] + cam.cy * gh[4] + gh[7];
    double gcx = cam.fx * gh[2];
    double gcy = cam.fy * gh[5];
    double gcz = cam.cx * gh[2] + cam.cy * gh[5] + gh[8];
    double aux = wr[0] * cux + wr[3] * cuy + wr[6] * cuz;
    double auy = wr[1] * cux + wr[4] * cuy + wr[7] * cuz;
    double auz = wr[2] * cux + wr[5] * cuy + wr[8] * cuz;
    double avx = wr[0] * cvx + wr[3] * cvy + wr[6] * cvz;
    double avy = wr[1] * cvx + wr[4] * cvy + wr[7] * cvz;
    double avz = wr[2] * cvx + wr[5] * cvy + wr[8] * cvz;
    gPositions[3 * i] = (float) (wr[0] * gcx + wr[3] * gcy + wr[6] * gcz);
    gPositions[3 * i + 1] = (float) (wr[1] * gcx + wr[4] * gcy + wr[7] * gcz);
    gPositions[3 * i + 2] = (float) (wr[2] * gcx + wr[5] * gcy + wr[8] * gcz);
    const double* rot = g.rot;
    gScales[2 * i] = (float) (aux * rot[0] + auy * rot[3] + auz * rot[6]);
    gScales[2 * i + 1] = (float) (avx * rot[1] + avy * rot[4] + avz * rot[7]);
    double gnx = sum[PG_NORMAL], gny = sum[PG_NORMAL + 1], gnz = sum[PG_NORMAL + 2];
    double gR[9];
    gR[0] = g.su * aux;
    gR[3] = g.su * auy;
    gR[6] = g.su * auz;
    gR[1] = g.sv * avx;
    gR[4] = g.sv * avy;
    gR[7] = g.sv * avz;
    // The normal n_c = flip * W t_w.
    gR[2] = g.flip * (wr[0] * gnx + wr[3] * gny + wr[6] * gnz);
    gR[5] = g.flip * (wr[1] * gnx + wr[4] * gny + wr[7] * gnz);
    gR[8] = g.flip * (wr[2] * gnx + wr[5] * gny + wr[8] * gnz);
    double gq[4];
    matrix_gradient(g.qw, g.qx, g.qy, g.qz, gR, gq);
    // q_hat = q / |q|: dL/dq = (g - q_hat (q_hat . g)) / |q|.
    double dot = g.qw * gq[0] + g.qx * gq[1] + g.qy * gq[2] + g.qz * gq[3];
    gRotations[4 * i] = (float) ((gq[0] - g.qw * dot) / g.qNorm);
    gRotations[4 * i + 1] = (float) ((gq[1] - g.qx * dot) / g.qNorm);
    gRotations[4 * i + 2] = (float) ((gq[2] - g.qy * dot) / g.qNorm);
    gRotations[4 * i + 3] = (float) ((gq[3] - g.qz * dot) / g.qNorm);
    gOpacities[i] = (float) sum[PG_OPACITY];
    for (int k = 0; k < 3; k++) {
        gColors[3 * i + k] = (float) sum[PG_COLOR + k];
    }
    double gu = gcx * g.pcz / cam.fx * (0.5 * cam.width);
    double gv = gcy * g.pcz / cam.fy * (0.5 * cam.height);
    gScreen[i] = (float) sqrt(gu * gu + gv * gv);
}
