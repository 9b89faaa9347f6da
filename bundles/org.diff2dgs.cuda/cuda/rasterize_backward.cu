// Backward of stage 3 (Java twin: TileBackward): one 16x16 tile per block, one pixel per thread, back to front from
// the saved final T (3DGS/2DGS backward, docs/rasterizer.md "Backward pass"). The tile's surfels come through
// shared memory in reverse batches; each pixel re-derives the forward's decisions with the same code
// (evaluate_pixel) and forms its 21 partial gradients for the surfel (PG_* layout, tile-relative coordinates).
//
// Reduction without global atomics: a warp sums its 32 pixels' partials with a halving transpose (31 shuffles for
// 21 values instead of 21 x 5), leaving lane L with the warp's sum of value L, or, when few of its pixels met the
// surfel (the options' sparse limit, at most BWD_SCRATCH_ROWS), through a few scratch rows in shared memory; lanes
// 0..20 add the sums to the batch slot in shared memory (at most 8 warps per surfel), and the block writes each
// (tile, surfel) entry's 21 sums once, to its own slot e of pairGrad. project_backward sums a surfel's slots in
// double. EXP_MODE must be the forward's (the backward re-derives the forward's decisions).
#include "raster_common.cuh"

#define BWD_VALUES 32
// Rows of the sparse reduction's per-warp scratch: 4 keeps the block's static shared memory (batch, accum, scratch)
// at 48,772 bytes, below the 48 KB a kernel may declare statically.
#define BWD_SCRATCH_ROWS 4

// One halving step: lanes with bit `HALF` set keep the upper half of v[0, 2 HALF), the others the lower half, and
// each adds its partner's copy of the half it keeps.
template <int HALF>
__device__ __forceinline__ void transpose_step(float (&v)[BWD_VALUES], int lane) {
    bool upper = (lane & HALF) != 0;
#pragma unroll
    for (int i = 0; i < HALF; i++) {
        float send = upper ? v[i] : v[i + HALF];
        float keep = upper ? v[i + HALF] : v[i];
        v[i] = keep + __shfl_xor_sync(0xffffffffu, send, HALF);
    }
}

// After the call, lane L's v[0] holds the warp's sum of v[L] (all lanes must call it).
__device__ __forceinline__ float warp_transpose_sum(float (&v)[BWD_VALUES], int lane) {
    transpose_step<16>(v, lane);
    transpose_step<8>(v, lane);
    transpose_step<4>(v, lane);
    transpose_step<2>(v, lane);
    transpose_step<1>(v, lane);
    return v[0];
}

// WARP_TOOLS: the warp lists (RENDER_WARP_CULL) and the sparse shared-atomic reduction compiled in (the options
// select them at run time); without, the options' cull bit and sparse limit are ignored (every surfel with a box
// listed, the transpose always), the shape of the backward before 2026-12-07 (run 2), which needs fewer registers.
// FOOTPRINT (with WARP_TOOLS): the footprint test in the list vote compiled in (footprint.cuh; RenderTuning
// .footprintCull selects these _fp kernels). A compile-time switch rather than a run-time one as in the forward:
// compiled into the default kernels it costs bwd_render 4 more bytes of spills (28 instead of 24, sm_90), so the
// default kernels are left without it.
template <int EXP_MODE, bool WARP_TOOLS, bool FOOTPRINT>
__device__ __forceinline__ void bwd_render_body(int tilesX, int width, int height,
        const int2* __restrict__ ranges, const int* __restrict__ tileOrder, const int* __restrict__ sortedPairs,
        const int* __restrict__ entrySurfel, const float* __restrict__ records, float near, float far, float mapScale,
        float slopeScale, float bg0, float bg1, float bg2, const float* __restrict__ finalT,
        const float* __restrict__ finalM1, const float* __restrict__ finalM2, const int* __restrict__ lastContributor,
        const int* __restrict__ medianContributor, const float* __restrict__ dColor, const float* __restrict__ dOthers,
        float* __restrict__ pairGrad, int options) {
    __shared__ TileSurfel batch[RASTER_BLOCK];
    // [surfel of the batch][21]: the 21 lanes of an add hit 21 different banks.
    __shared__ float accum[PG_STRIDE * RASTER_BLOCK];
    // Per warp BWD_SCRATCH_ROWS rows of PG_STRIDE partials for the sparse reduction (rows written in a column
    // stride of 21 words: distinct banks).
    __shared__ float scratch[(RASTER_BLOCK / 32) * BWD_SCRATCH_ROWS * PG_STRIDE];
    __shared__ int maxLast;
    int tile = block_tile(tileOrder);
    int x0 = (tile % tilesX) * RASTER_TILE;
    int y0 = (tile / tilesX) * RASTER_TILE;
    int tid = threadIdx.y * RASTER_TILE + threadIdx.x;
    int lx, ly;
    tile_pixel(tid, options, lx, ly);
    unsigned key = pixel_key(lx, ly);
    if (!WARP_TOOLS) {
        options &= ~(RENDER_WARP_CULL | RENDER_FOOTPRINT_CULL);
    }
    bool footprint = WARP_TOOLS && FOOTPRINT;
    int sparseLanes = WARP_TOOLS ? (options >> RENDER_SPARSE_SHIFT) & 0xff : 0;
    int lane = tid & 31;
    int px = x0 + lx;
    int py = y0 + ly;
    bool inside = px < width && py < height;
    float fx = (float) lx + 0.5f;
    float fy = (float) ly + 0.5f;
    // mapScale = far/(far-near) and slopeScale = far near/(far-near) come from the host in float (parameters, so that
    // they stay in the constant bank: computed here, ptxas re-derived an IEEE division inside the pixel loop).
    bool aux = dOthers != nullptr;

    int2 range = ranges[tile];
    int count = range.y - range.x;
    const float4* rec = reinterpret_cast<const float4*>(records);

    int hw = width * height;
    int pix = py * width + px;
    float T = 1.0f, m1 = 0.0f, m2 = 0.0f, aTot = 0.0f, rest = 0.0f;
    float gc0 = 0.0f, gc1 = 0.0f, gc2 = 0.0f;
    float gDepth = 0.0f, gAlpha = 0.0f, gN0 = 0.0f, gN1 = 0.0f, gN2 = 0.0f, gMedian = 0.0f, gDist = 0.0f;
    int last = 0;
    int medianIdx = -1;
    if (tid == 0) {
        maxLast = 0;
    }
    __syncthreads();
    if (inside) {
        T = finalT[pix];
        last = lastContributor[pix];
        medianIdx = medianContributor[pix];
        m1 = finalM1[pix];
        m2 = finalM2[pix];
        aTot = __fsub_rn(1.0f, T);
        gc0 = dColor[pix];
        gc1 = dColor[hw + pix];
        gc2 = dColor[2 * hw + pix];
        rest = __fadd_rn(__fadd_rn(__fmul_rn(gc0, bg0), __fmul_rn(gc1, bg1)), __fmul_rn(gc2, bg2));
        if (aux) {
            gDepth = dOthers[AUX_DEPTH * hw + pix];
            gAlpha = dOthers[AUX_ALPHA * hw + pix];
            gN0 = dOthers[AUX_NORMAL * hw + pix];
            gN1 = dOthers[(AUX_NORMAL + 1) * hw + pix];
            gN2 = dOthers[(AUX_NORMAL + 2) * hw + pix];
            gMedian = dOthers[AUX_MEDIAN_DEPTH * hw + pix];
            gDist = dOthers[AUX_DISTORTION * hw + pix];
        }
        if (last > 0) {
            atomicMax(&maxLast, last);
        }
    }
    __syncthreads();
    int end = maxLast;
    // The warp's furthest contributor, and the pixels a surfel's box must meet to enter its lists (raster_common.cuh
    // RENDER_WARP_CULL; the whole tile without it).
    int warpLast = (options & RENDER_WARP_CULL) ? __reduce_max_sync(0xffffffffu, last) : end;
    int warpRect = (options & RENDER_WARP_CULL) ? warp_rect(tid >> 5, options) : pack_box(0, 0, RASTER_TILE - 1,
            RASTER_TILE - 1);
    // Entries no pixel reached still own a slot: zero it.
    for (int idx = tid; idx < (count - end) * PG_STRIDE; idx += RASTER_BLOCK) {
        int j = idx / PG_STRIDE;
        pairGrad[(size_t) sortedPairs[range.x + end + j] * PG_SLOT + (idx - j * PG_STRIDE)] = 0.0f;
    }

    for (int hi = end; hi > 0; hi -= RASTER_BLOCK) {
        int lo = max(0, hi - RASTER_BLOCK);
        int m = hi - lo;
        __syncthreads();  // the previous batch's sums are written out
        if (tid < m) {
            int e = sortedPairs[range.x + lo + tid];
            batch[tid] = load_tile_surfel(rec, entrySurfel[e], e, x0, y0);
        }
        for (int idx = tid; idx < m * PG_STRIDE; idx += RASTER_BLOCK) {
            accum[idx] = 0.0f;
        }
        __syncthreads();
        // Back to front through lists of up to 32 surfels (one ballot each), as the forward: with RENDER_WARP_CULL
        // only the surfels whose pixel box meets the warp's pixels and that some pixel of the warp reached
        // (j < last), with RENDER_FOOTPRINT_CULL (warp tools only) only those whose footprint may reach one of its
        // pixels; a pixel still tests its box, its last and its cut, so each evaluates the same surfels in the same
        // order (a surfel left out would have contributed nothing to any pixel of the warp).
        for (int k = (m - 1) >> 5; k >= 0; k--) {
            int bl = k * 32 + lane;
            unsigned list = __ballot_sync(0xffffffffu, bl < m && lo + bl < warpLast
                    && warp_lists(batch, bl, warpRect, footprint));
            while (list != 0u) {
            int bit = 31 - __clz(list);
            list ^= 1u << bit;
            int b = k * 32 + bit;
            int j = lo + b;
            const TileSurfel& s = batch[b];
            PixelHit h;
            bool contributes = j < last && in_box(__float_as_int(s.v5.z), key)
                    && evaluate_pixel(s, fx, fy, near, EXP_MODE, h);
            // Zeroed after the intersection, not before: live across its early exits, the 32 zeros were re-made by
            // ptxas before each exit (register pressure), about a fifth of the kernel's instructions at 1M surfels
            // (Nsight Compute, run 5).
            float v[BWD_VALUES];
#pragma unroll
            for (int c = 0; c < BWD_VALUES; c++) {
                v[c] = 0.0f;
            }
            if (contributes) {
                // Java's float operations in Java's order (TileBackward), so every partial is the twin's bit for bit
                // and only the order of the sums over pixels differs; EXP_FAST fuses and reorders (mul_add).
                float alpha = h.alpha;
                float t = pixel_div(T, __fsub_rn(1.0f, alpha), EXP_MODE);
                T = t;
                float w = __fmul_rn(alpha, t);
                float cr = s.v4.w, cg = s.v5.x, cb = s.v5.y;
                float f = mul_add(gc2, cb, mul_add(gc0, cr, __fmul_rn(gc1, cg), EXP_MODE), EXP_MODE);
                float dz = 0.0f;
                if (aux) {
                    float depth = h.depth;
                    // The distortion terms in the twin's order in every mode, as in the forward (cancellation).
                    float mm = __fmul_rn(mapScale, __fsub_rn(1.0f, pixel_div(near, depth, EXP_MODE)));
                    float distTerm = __fsub_rn(__fadd_rn(__fmul_rn(__fmul_rn(mm, mm), aTot), m2),
                            __fmul_rn(__fmul_rn(2.0f, mm), m1));
                    float mmTot = __fsub_rn(__fmul_rn(mm, aTot), m1);
                    float sum = mul_add(gN2, s.v4.z, mul_add(gN1, s.v4.y, mul_add(gN0, s.v4.x,
                            mul_add(gDepth, depth, gAlpha, EXP_MODE), EXP_MODE), EXP_MODE), EXP_MODE);
                    f = __fadd_rn(f, mul_add(gDist, distTerm, sum, EXP_MODE));
                    float slope = pixel_div(slopeScale, __fmul_rn(depth, depth), EXP_MODE);
                    dz = mul_add(gDepth, w, __fmul_rn(__fmul_rn(__fmul_rn(__fmul_rn(gDist, 2.0f), w), mmTot), slope),
                            EXP_MODE);
                    if (j == medianIdx) {
                        dz = __fadd_rn(dz, gMedian);
                    }
                    v[PG_NORMAL] = __fmul_rn(w, gN0);
                    v[PG_NORMAL + 1] = __fmul_rn(w, gN1);
                    v[PG_NORMAL + 2] = __fmul_rn(w, gN2);
                }
                v[PG_COLOR] = __fmul_rn(w, gc0);
                v[PG_COLOR + 1] = __fmul_rn(w, gc1);
                v[PG_COLOR + 2] = __fmul_rn(w, gc2);
                float fRest = __fsub_rn(f, rest);
                float dAlpha = __fmul_rn(t, fRest);
                // EXP_FAST: alpha f + (1 - alpha) rest as rest + alpha (f - rest), one FFMA on the difference above.
                rest = EXP_MODE == EXP_FAST ? __fmaf_rn(alpha, fRest, rest)
                        : __fadd_rn(__fmul_rn(alpha, f), __fmul_rn(__fsub_rn(1.0f, alpha), rest));
                // At the 0.99 clamp alpha depends on neither opacity nor G.
                float gRho = 0.0f;
                if (h.raw <= SPLAT_ALPHA_MAX) {
                    v[PG_OPACITY] = __fmul_rn(h.g, dAlpha);
                    gRho = __fmul_rn(__fmul_rn(__fmul_rn(-0.5f, h.g), s.v3.z), dAlpha);
                }
                float gsx = __fmul_rn(dz, s.v2.y);
                float gsy = __fmul_rn(dz, s.v2.z);
                if (h.splatBranch) {
                    gsx = mul_add(__fmul_rn(2.0f, h.sx), gRho, gsx, EXP_MODE);
                    gsy = mul_add(__fmul_rn(2.0f, h.sy), gRho, gsy, EXP_MODE);
                } else {
                    float k = __fmul_rn(2.0f * SPLAT_FILTER, gRho);
                    v[PG_CENTRE] = __fmul_rn(k, h.dx);
                    v[PG_CENTRE + 1] = __fmul_rn(k, h.dy);
                }
                v[PG_TW] = __fmul_rn(dz, h.sx);
                v[PG_TW + 1] = __fmul_rn(dz, h.sy);
                v[PG_TW + 2] = dz;
                float gpx = __fmul_rn(gsx, h.inv);
                float gpy = __fmul_rn(gsy, h.inv);
                float gpz = __fmul_rn(-mul_add(gsx, h.sx, __fmul_rn(gsy, h.sy), EXP_MODE), h.inv);
                v[PG_A] = __fmul_rn(fx, gpx);
                v[PG_A + 1] = __fmul_rn(fx, gpy);
                v[PG_A + 2] = __fmul_rn(fx, gpz);
                v[PG_B] = __fmul_rn(fy, gpx);
                v[PG_B + 1] = __fmul_rn(fy, gpy);
                v[PG_B + 2] = __fmul_rn(fy, gpz);
                v[PG_C] = gpx;
                v[PG_C + 1] = gpy;
                v[PG_C + 2] = gpz;
            }
            unsigned hits = __ballot_sync(0xffffffffu, contributes);
            if (hits != 0u) {
                int nh = __popc(hits);
                if (WARP_TOOLS && nh <= sparseLanes && nh <= BWD_SCRATCH_ROWS) {
                    // Few pixels of the warp met the surfel: each writes its partials to a row of the warp's scratch
                    // (row = its rank among them), then lane c sums column c over the rows and adds it once. About
                    // 21 + 2 nh instructions instead of the transpose's 124; no atomic per pixel.
                    float* rows = scratch + (tid >> 5) * (BWD_SCRATCH_ROWS * PG_STRIDE);
                    if (contributes) {
                        float* row = rows + __popc(hits & ((1u << lane) - 1u)) * PG_STRIDE;
#pragma unroll
                        for (int c = 0; c < PG_STRIDE; c++) {
                            row[c] = v[c];
                        }
                    }
                    __syncwarp();
                    if (lane < PG_STRIDE) {
                        float sum = rows[lane];
                        for (int r = 1; r < nh; r++) {
                            sum += rows[r * PG_STRIDE + lane];
                        }
                        atomicAdd(&accum[b * PG_STRIDE + lane], sum);
                    }
                    __syncwarp();  // the rows are read before the next surfel's pixels overwrite them
                } else if (WARP_TOOLS && nh <= sparseLanes) {
                    // Few pixels of the warp met the surfel (its edge): each adds its own partials.
                    if (contributes) {
#pragma unroll
                        for (int c = 0; c < PG_STRIDE; c++) {
                            atomicAdd(&accum[b * PG_STRIDE + c], v[c]);
                        }
                    }
                } else {
                    float sum = warp_transpose_sum(v, lane);
                    if (lane < PG_STRIDE) {
                        atomicAdd(&accum[b * PG_STRIDE + lane], sum);
                    }
                }
            }
            }
        }
        __syncthreads();
        // Consecutive threads write consecutive floats of a slot (the first 84 bytes of its 96).
        for (int idx = tid; idx < m * PG_STRIDE; idx += RASTER_BLOCK) {
            int b = idx / PG_STRIDE;
            pairGrad[(size_t) __float_as_int(batch[b].v5.w) * PG_SLOT + (idx - b * PG_STRIDE)] = accum[idx];
        }
    }
}

// The entry points' parameter list (RasterKernelArgs.renderBackward; RasterKernelSignatureTest reads it here) and
// the same names as arguments of bwd_render_body.
#define BWD_RENDER_PARAMS                                                                                         \
    int tilesX, int width, int height, const int2* __restrict__ ranges, const int* __restrict__ tileOrder,        \
        const int* __restrict__ sortedPairs, const int* __restrict__ entrySurfel, const float* __restrict__ records, \
        float near, float far, float mapScale, float slopeScale, float bg0, float bg1, float bg2,                 \
        const float* __restrict__ finalT, const float* __restrict__ finalM1, const float* __restrict__ finalM2,   \
        const int* __restrict__ lastContributor, const int* __restrict__ medianContributor,                       \
        const float* __restrict__ dColor, const float* __restrict__ dOthers, float* __restrict__ pairGrad,        \
        int options
#define BWD_RENDER_ARGS                                                                                           \
    tilesX, width, height, ranges, tileOrder, sortedPairs, entrySurfel, records, near, far, mapScale, slopeScale,    \
        bg0, bg1, bg2, finalT, finalM1, finalM2, lastContributor, medianContributor, dColor, dOthers, pairGrad,   \
        options

// One entry point NAME: bwd_render_body<MODE, TOOLS> with __launch_bounds__(__VA_ARGS__) (threads, minimum blocks
// per SM).
#define BWD_RENDER_KERNEL(NAME, MODE, TOOLS, FOOTPRINT, ...)                                                      \
    extern "C" __global__ void __launch_bounds__(__VA_ARGS__) NAME(BWD_RENDER_PARAMS) {                           \
        bwd_render_body<MODE, TOOLS, FOOTPRINT>(BWD_RENDER_ARGS);                                                 \
    }

// One kernel per way of evaluating G, as fwd_render: the backward must use the forward's (same decisions). Each
// comes three times (RenderTuning.backwardBlocks picks one): built for 3 blocks of 256 per SM (at most 80
// registers), with the suffix _b2 for 2 (at most 128) and with _b0 for no minimum (ptxas chooses: run 2's backward,
// before 2026-12-07, was built so). The 46 KB of shared memory would allow 4 blocks. docs/rasterizer-cuda.md lists
// what ptxas gives each (on sm_90 the 3-block double and expf kernels spill 24 bytes, the 2-block ones nothing).
// The _plain kernels (double exp only; RenderTuning.backwardWarpTools off) leave the warp tools out: with no
// minimum that is run 2's kernel (79 registers, no spills on sm_90).
BWD_RENDER_KERNEL(bwd_render, EXP_DOUBLE, true, false, RASTER_BLOCK, 3)
BWD_RENDER_KERNEL(bwd_render_expf, EXP_FLOAT, true, false, RASTER_BLOCK, 3)
BWD_RENDER_KERNEL(bwd_render_fastexp, EXP_FAST, true, false, RASTER_BLOCK, 3)
BWD_RENDER_KERNEL(bwd_render_b2, EXP_DOUBLE, true, false, RASTER_BLOCK, 2)
BWD_RENDER_KERNEL(bwd_render_expf_b2, EXP_FLOAT, true, false, RASTER_BLOCK, 2)
BWD_RENDER_KERNEL(bwd_render_fastexp_b2, EXP_FAST, true, false, RASTER_BLOCK, 2)
BWD_RENDER_KERNEL(bwd_render_b0, EXP_DOUBLE, true, false, RASTER_BLOCK)
BWD_RENDER_KERNEL(bwd_render_expf_b0, EXP_FLOAT, true, false, RASTER_BLOCK)
BWD_RENDER_KERNEL(bwd_render_fastexp_b0, EXP_FAST, true, false, RASTER_BLOCK)
BWD_RENDER_KERNEL(bwd_render_plain, EXP_DOUBLE, false, false, RASTER_BLOCK, 3)
BWD_RENDER_KERNEL(bwd_render_plain_b2, EXP_DOUBLE, false, false, RASTER_BLOCK, 2)
BWD_RENDER_KERNEL(bwd_render_plain_b0, EXP_DOUBLE, false, false, RASTER_BLOCK)
// The footprint test in the list vote (RenderTuning.footprintCull, suffix _fp before the budget's), warp tools on.
BWD_RENDER_KERNEL(bwd_render_fp, EXP_DOUBLE, true, true, RASTER_BLOCK, 3)
BWD_RENDER_KERNEL(bwd_render_expf_fp, EXP_FLOAT, true, true, RASTER_BLOCK, 3)
BWD_RENDER_KERNEL(bwd_render_fastexp_fp, EXP_FAST, true, true, RASTER_BLOCK, 3)
BWD_RENDER_KERNEL(bwd_render_fp_b2, EXP_DOUBLE, true, true, RASTER_BLOCK, 2)
BWD_RENDER_KERNEL(bwd_render_expf_fp_b2, EXP_FLOAT, true, true, RASTER_BLOCK, 2)
BWD_RENDER_KERNEL(bwd_render_fastexp_fp_b2, EXP_FAST, true, true, RASTER_BLOCK, 2)
BWD_RENDER_KERNEL(bwd_render_fp_b0, EXP_DOUBLE, true, true, RASTER_BLOCK)
BWD_RENDER_KERNEL(bwd_render_expf_fp_b0, EXP_FLOAT, true, true, RASTER_BLOCK)
BWD_RENDER_KERNEL(bwd_render_fastexp_fp_b0, EXP_FAST, true, true, RASTER_BLOCK)
