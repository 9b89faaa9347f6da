// Stage 3 of a render (Java twin: TileForward): front-to-back blending of one 16x16 tile per block, one pixel per
// thread (2DGS Sec. 4; 3DGS Eq. 3). The tile's surfels come through shared memory in batches of 256, made
// tile-relative on load (TileGather). A pixel evaluates a surfel only inside the surfel's pixel box (outside it
// alpha < 1/255 is guaranteed); the block stops when every pixel is saturated (T would drop below 1e-4).
//
// Outputs: colour (3 planes, with background), the 7 AUX planes of core.api.RenderOutput, and per pixel what the
// backward needs: final T, the distortion sums M1 and M2, the last contributor (list position + 1) and the median
// contributor (list position, -1 if none). The running sums use the Java evaluation order without contraction, so
// images agree with the Java twin to a few float roundings. EXP_MODE (template argument): how G is evaluated
// (raster_common.cuh, EXP_*). CUTS (template argument, the _cuts kernels of the parity checks only): nearCutFlags gets
// per pixel 1 when a decision came within NEAR_CUT_RELATIVE of its cut. Compiled out of the render kernels, the flag
// bookkeeping costs them nothing (it was about 10 instructions per pixel and surfel as a run-time switch); the
// flagged kernels compute the same values, which a parity row checks bit for bit.
#include "raster_common.cuh"

template <int EXP_MODE, bool CUTS>
__device__ __forceinline__ void fwd_render_body(int tilesX, int width, int height,
        const int2* __restrict__ ranges, const int* __restrict__ tileOrder, const int* __restrict__ sortedPairs,
        const int* __restrict__ entrySurfel, const float* __restrict__ records, float near, float far, float mapScale,
        float bg0, float bg1, float bg2, float* __restrict__ color, float* __restrict__ others,
        float* __restrict__ finalT,
        float* __restrict__ finalM1, float* __restrict__ finalM2, int* __restrict__ lastContributor,
        int* __restrict__ medianContributor, int* __restrict__ nearCutFlags, int options) {
    __shared__ TileSurfel batch[RASTER_BLOCK];
    int tile = block_tile(tileOrder);
    int x0 = (tile % tilesX) * RASTER_TILE;
    int y0 = (tile / tilesX) * RASTER_TILE;
    int tid = threadIdx.y * RASTER_TILE + threadIdx.x;
    int lx, ly;
    tile_pixel(tid, options, lx, ly);
    unsigned key = pixel_key(lx, ly);
    // The pixels a surfel's box must meet to enter the warp's lists (packed as a box): the warp's own rectangle
    // with RENDER_WARP_CULL, else the whole tile (then only empty boxes are left out: they meet no pixel).
    int warpRect = (options & RENDER_WARP_CULL) ? warp_rect(tid >> 5, options) : pack_box(0, 0, RASTER_TILE - 1,
            RASTER_TILE - 1);
    bool footprint = (options & RENDER_FOOTPRINT_CULL) != 0;
    int px = x0 + lx;
    int py = y0 + ly;
    bool inside = px < width && py < height;
    int done = inside ? 0 : 1;  // an int, not a bool: a bool is kept as a byte and repacked (PRMT) at every step
    float fx = (float) lx + 0.5f;
    float fy = (float) ly + 0.5f;
    // Distortion maps depth to [0, 1] between near and far (2DGS Sec. 4.1): m = mapScale (1 - near/z), mapScale =
    // far/(far-near) in float from the host (a parameter, so that it stays in the constant bank: computed here, ptxas
    // re-derived the IEEE division inside the pixel loop to save a register).

    int2 range = ranges[tile];
    int count = range.y - range.x;
    const float4* rec = reinterpret_cast<const float4*>(records);

    float T = 1.0f;
    float c0 = 0.0f, c1 = 0.0f, c2 = 0.0f;
    float dSum = 0.0f, n0 = 0.0f, n1 = 0.0f, n2 = 0.0f;
    float m1 = 0.0f, m2 = 0.0f, dist = 0.0f, median = 0.0f;
    int medianIdx = -1;
    int last = 0;
    // CUTS only: the pixel met a decision within NEAR_CUT_RELATIVE of its cut.
    bool nearCut = false;

    for (int start = 0; start < count; start += RASTER_BLOCK) {
        // Also the barrier before the batch is overwritten.
        if (__syncthreads_count(done) == RASTER_BLOCK) {
            break;
        }
        int j = start + tid;
        if (j < count) {
            int e = sortedPairs[range.x + j];
            batch[tid] = load_tile_surfel(rec, entrySurfel[e], e, x0, y0);
        }
        __syncthreads();
        int m = min(RASTER_BLOCK, count - start);
        // One surfel b of the batch for this pixel (TileForward's inner loop body).
        auto blend = [&](int b) {
            const TileSurfel& s = batch[b];
            if (!in_box(__float_as_int(s.v5.z), key)) {
                return;
            }
            PixelHit h;
            h.nearAlphaCut = false;
            bool hit = evaluate_pixel(s, fx, fy, near, EXP_MODE, h);
            if (CUTS) {
                nearCut |= h.nearAlphaCut;
            }
            if (!hit) {
                return;
            }
            float t = T;
            float nextT = __fmul_rn(t, __fsub_rn(1.0f, h.alpha));
            if (CUTS) {
                nearCut |= near_cut(nextT, SPLAT_T_MIN) || near_cut(t, SPLAT_MEDIAN_T);
            }
            if (nextT < SPLAT_T_MIN) {
                done = 1;
                return;
            }
            float w = __fmul_rn(h.alpha, t);
            // The distortion sums stay in the twin's order in every mode (no fusing): on a surface each term is a
            // difference of nearly equal quantities (2DGS Sec. 4.1), so a reordered rounding shows in it directly.
            float mm = __fmul_rn(mapScale, __fsub_rn(1.0f, pixel_div(near, h.depth, EXP_MODE)));
            float mm2 = __fmul_rn(mm, mm);
            float term = __fsub_rn(__fadd_rn(__fmul_rn(mm2, __fsub_rn(1.0f, t)), m2), __fmul_rn(__fmul_rn(2.0f, mm), m1));
            dist = __fadd_rn(dist, __fmul_rn(term, w));
            m1 = __fadd_rn(m1, __fmul_rn(mm, w));
            m2 = __fadd_rn(m2, __fmul_rn(mm2, w));
            dSum = mul_add(h.depth, w, dSum, EXP_MODE);
            if (t > SPLAT_MEDIAN_T) {
                median = h.depth;
                medianIdx = start + b;
            }
            n0 = mul_add(s.v4.x, w, n0, EXP_MODE);
            n1 = mul_add(s.v4.y, w, n1, EXP_MODE);
            n2 = mul_add(s.v4.z, w, n2, EXP_MODE);
            // Colours (SH, either sign) may cancel too: unfused in every mode, as the distortion.
            c0 = __fadd_rn(c0, __fmul_rn(s.v4.w, w));
            c1 = __fadd_rn(c1, __fmul_rn(s.v5.x, w));
            c2 = __fadd_rn(c2, __fmul_rn(s.v5.y, w));
            T = nextT;
            last = start + b + 1;
        };
        // The warp visits the batch's surfels as lists of up to 32 (one ballot each), in order. With
        // RENDER_WARP_CULL a list holds only the surfels whose pixel box meets the warp's pixel rectangle, with
        // RENDER_FOOTPRINT_CULL only those whose footprint may reach one of its pixels; a pixel still tests its own
        // box and cut, so every pixel evaluates the same surfels in the same order either way.
        for (int k = 0; k * 32 < m; k++) {
            if (__all_sync(0xffffffffu, done)) {
                break;
            }
            int bl = k * 32 + (tid & 31);
            unsigned list = __ballot_sync(0xffffffffu, bl < m && warp_lists(batch, bl, warpRect, footprint));
            while (list != 0u) {
                int b = k * 32 + __ffs(list) - 1;
                list &= list - 1u;
                if (!done) {
                    blend(b);
                }
            }
        }
    }
    if (!inside) {
        return;
    }
    int hw = width * height;
    int pix = py * width + px;
    color[pix] = __fadd_rn(c0, __fmul_rn(T, bg0));
    color[hw + pix] = __fadd_rn(c1, __fmul_rn(T, bg1));
    color[2 * hw + pix] = __fadd_rn(c2, __fmul_rn(T, bg2));
    others[AUX_DEPTH * hw + pix] = dSum;
    others[AUX_ALPHA * hw + pix] = __fsub_rn(1.0f, T);
    others[AUX_NORMAL * hw + pix] = n0;
    others[(AUX_NORMAL + 1) * hw + pix] = n1;
    others[(AUX_NORMAL + 2) * hw + pix] = n2;
    others[AUX_MEDIAN_DEPTH * hw + pix] = median;
    others[AUX_DISTORTION * hw + pix] = dist;
    finalT[pix] = T;
    finalM1[pix] = m1;
    finalM2[pix] = m2;
    lastContributor[pix] = last;
    medianContributor[pix] = medianIdx;
    if (CUTS) {
        nearCutFlags[pix] = nearCut ? 1 : 0;
    }
}

// The entry points' parameter list (RasterKernelArgs.render; RasterKernelSignatureTest reads it here) and the same
// names as arguments of fwd_render_body.
#define FWD_RENDER_PARAMS                                                                                         \
    int tilesX, int width, int height, const int2* __restrict__ ranges, const int* __restrict__ tileOrder,        \
        const int* __restrict__ sortedPairs, const int* __restrict__ entrySurfel, const float* __restrict__ records, \
        float near, float far, float mapScale, float bg0, float bg1, float bg2, float* __restrict__ color,        \
        float* __restrict__ others, float* __restrict__ finalT, float* __restrict__ finalM1,                      \
        float* __restrict__ finalM2, int* __restrict__ lastContributor, int* __restrict__ medianContributor,      \
        int* __restrict__ nearCutFlags, int options
#define FWD_RENDER_ARGS                                                                                           \
    tilesX, width, height, ranges, tileOrder, sortedPairs, entrySurfel, records, near, far, mapScale, bg0, bg1, bg2, \
        color, others, finalT, finalM1, finalM2, lastContributor, medianContributor, nearCutFlags, options

// One entry point NAME: fwd_render_body<MODE, CUTS> with __launch_bounds__(__VA_ARGS__) (threads, minimum blocks per
// SM).
#define FWD_RENDER_KERNEL(NAME, MODE, CUTS, ...)                                                                  \
    extern "C" __global__ void __launch_bounds__(__VA_ARGS__) NAME(FWD_RENDER_PARAMS) {                           \
        fwd_render_body<MODE, CUTS>(FWD_RENDER_ARGS);                                                             \
    }

// One kernel per way of evaluating G (raster_common.cuh, EXP_*): fwd_render is the parity default (double),
// fwd_render_expf and fwd_render_fastexp the float variants that DeviceRasterizer.ExpMode selects. Each comes twice:
// at most 80 registers (3 blocks of 256 per SM, no spills) and, with the suffix _b4, at most 64 (4 blocks per SM,
// about 18 long-lived values spilled to local memory); RenderTuning.forwardBlocks picks one. The _cuts kernels (3
// blocks per SM, whatever forwardBlocks says) also write the near-cut flags: DeviceRasterizer takes them when the
// parity checks ask for flags (flagNearCuts), never on the render path.
FWD_RENDER_KERNEL(fwd_render, EXP_DOUBLE, false, RASTER_BLOCK, 3)
FWD_RENDER_KERNEL(fwd_render_expf, EXP_FLOAT, false, RASTER_BLOCK, 3)
FWD_RENDER_KERNEL(fwd_render_fastexp, EXP_FAST, false, RASTER_BLOCK, 3)
FWD_RENDER_KERNEL(fwd_render_b4, EXP_DOUBLE, false, RASTER_BLOCK, 4)
FWD_RENDER_KERNEL(fwd_render_expf_b4, EXP_FLOAT, false, RASTER_BLOCK, 4)
FWD_RENDER_KERNEL(fwd_render_fastexp_b4, EXP_FAST, false, RASTER_BLOCK, 4)
FWD_RENDER_KERNEL(fwd_render_cuts, EXP_DOUBLE, true, RASTER_BLOCK, 3)
FWD_RENDER_KERNEL(fwd_render_expf_cuts, EXP_FLOAT, true, RASTER_BLOCK, 3)
FWD_RENDER_KERNEL(fwd_render_fastexp_cuts, EXP_FAST, true, RASTER_BLOCK, 3)

// Diagnostic (parity rows and the host-layer tests, not the render path): footprint.cuh's decision for n (surfel,
// rectangle) pairs: surfel i is 12 floats (A, B, C' tile-relative, centre x, y, cut), rectangle i 4 ints (ix0, iy0,
// ix1, iy1); misses[i] = footprint_misses. Java twin: FootprintBound.
extern "C" __global__ void fwd_footprint_probe(int n, const float* __restrict__ surfels, const int* __restrict__ rects,
        int* __restrict__ misses) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    const float* s = surfels + (size_t) i * 12;
    const int* r = rects + (size_t) i * 4;
    misses[i] = footprint_misses(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], r[0], r[1],
            r[2], r[3]);
}
