// Shared definitions of the 2DGS rasterizer kernels (project.cu, binning.cu, rasterize_forward.cu,
// rasterize_backward.cu). Java twin: org.diff2dgs.splat.internal (SurfelGeometry, SurfelPreprocess, TileGather,
// TileForward, TileBackward, GradientReduction); docs/rasterizer.md has the equations.
//
// Exactness: the per-pixel decisions (rho cut, near test, alpha < 1/255, T < 1e-4, median T > 0.5) must come out
// exactly as in the Java twin, or a pixel gains or loses a whole contribution. The per-pixel arithmetic that feeds
// them is therefore written with non-contracting intrinsics (__fmul_rn, __fadd_rn, ...) in the Java evaluation order,
// and G = exp(-rho/2) is taken in double and rounded to float, as Java's (float) Math.exp does. Forward and backward
// share that code, so the backward re-derives the forward's decisions bit for bit.
#pragma once

#include "footprint.cuh"

#define RASTER_TILE 16
#define RASTER_BLOCK (RASTER_TILE * RASTER_TILE)

// Per-surfel record, 32 floats (8 x float4). Positions are relative to an integer anchor pixel near the surfel
// (Workspace.REC_* in the Java twin): adj(H) columns A, B and C~ = C + anchor_x A + anchor_y B, Tw, box centre,
// opacity, rho cut-off, camera-facing normal, colour, pixel box, anchor, and the tile rectangle (ints).
#define REC_A 0
#define REC_B 3
#define REC_C 6
#define REC_TW 9
#define REC_CENTRE 12
#define REC_OPACITY 14
#define REC_RHO_CUT 15
#define REC_NORMAL 16
#define REC_COLOR 19
#define REC_BOX 22
#define REC_ANCHOR 26
#define REC_RECT 28
#define REC_FLOATS 32

// Per-(tile, surfel) pair partial gradients (Workspace.PG_* in the Java twin), tile-relative pixel coordinates.
#define PG_A 0
#define PG_B 3
#define PG_C 6
#define PG_TW 9
#define PG_CENTRE 12
#define PG_OPACITY 14
#define PG_COLOR 15
#define PG_NORMAL 18
#define PG_STRIDE 21
// An entry's slot in the global pairGrad buffer: the 21 partials padded to 24 floats (96 bytes), so that
// project_backward reads a slot as six aligned float4 loads instead of 21 scalar ones.
#define PG_SLOT 24

// AUX planes of core.api.RenderOutput.
#define AUX_DEPTH 0
#define AUX_ALPHA 1
#define AUX_NORMAL 2
#define AUX_MEDIAN_DEPTH 5
#define AUX_DISTORTION 6
#define AUX_CHANNELS 7

// SplatConstants, as the Java twin rounds them to float.
#define SPLAT_ALPHA_MAX 0.99f
#define SPLAT_ALPHA_MIN ((float) (1.0 / 255.0))
#define SPLAT_T_MIN 1e-4f
#define SPLAT_MEDIAN_T 0.5f
#define SPLAT_FILTER 2.0f
#define SPLAT_CUTOFF 3.0
#define SPLAT_FILTER_INV_SQUARE 2.0
#define SPLAT_MIN_EXTENT (3.0 * 0.7071067811865476)
#define SPLAT_MIN_HALF_EXTENT_SQUARED 1e-4

// The camera, in double (CameraModel): pinhole K, world-to-camera rotation (row-major) and translation.
struct RasterCamera {
    double fx, fy, cx, cy;
    double r[9];
    double t[3];
    int width, height, tilesX, tilesY;
};

// Kernel parameter list of a camera (JCuda passes scalars only) and its assembly.
#define CAMERA_PARAMS                                                                                             \
    double cam_fx, double cam_fy, double cam_cx, double cam_cy, double cam_r0, double cam_r1, double cam_r2,      \
        double cam_r3, double cam_r4, double cam_r5, double cam_r6, double cam_r7, double cam_r8, double cam_t0,  \
        double cam_t1, double cam_t2, int cam_width, int cam_height

__device__ __forceinline__ RasterCamera make_camera(double fx, double fy, double cx, double cy, double r0, double r1,
        double r2, double r3, double r4, double r5, double r6, double r7, double r8, double t0, double t1, double t2,
        int width, int height) {
    RasterCamera c;
    c.fx = fx; c.fy = fy; c.cx = cx; c.cy = cy;
    c.r[0] = r0; c.r[1] = r1; c.r[2] = r2; c.r[3] = r3; c.r[4] = r4; c.r[5] = r5; c.r[6] = r6; c.r[7] = r7;
    c.r[8] = r8;
    c.t[0] = t0; c.t[1] = t1; c.t[2] = t2;
    c.width = width; c.height = height;
    c.tilesX = (width + RASTER_TILE - 1) / RASTER_TILE;
    c.tilesY = (height + RASTER_TILE - 1) / RASTER_TILE;
    return c;
}

#define CAMERA_ARGS                                                                                               \
    make_camera(cam_fx, cam_fy, cam_cx, cam_cy, cam_r0, cam_r1, cam_r2, cam_r3, cam_r4, cam_r5, cam_r6, cam_r7,   \
            cam_r8, cam_t0, cam_t1, cam_t2, cam_width, cam_height)

// The same 18 values read from device memory (CameraArgs.doubles: width and height as doubles), for kernels that
// run inside a CUDA graph: the graph keeps the buffer's address, and the host changes the values in it per frame.
__device__ __forceinline__ RasterCamera camera_from(const double* __restrict__ c) {
    return make_camera(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13],
            c[14], c[15], (int) c[16], (int) c[17]);
}

// One surfel of a tile batch in shared memory, tile-relative (TileGather): 6 x float4.
//   v0: A.x A.y A.z B.x   v1: B.y B.z C'.x C'.y   v2: C'.z Tw.x Tw.y Tw.z
//   v3: centre.x centre.y opacity cut   v4: n.x n.y n.z r   v5: g b box(4 packed bytes) pair index (int bits)
struct TileSurfel {
    float4 v0, v1, v2, v3, v4, v5;
};

// Render options (last int argument of fwd_render* and bwd_render*, DeviceRasterizer.RenderTuning.flags()).
//   RENDER_WARP_BLOCKS  each warp shades an 8x4 block of its tile (the default since run 6) instead of a 16x2
//       strip. Per-pixel results are identical (the same pixel runs the same code); what changes is which pixels
//       share a warp. A surfel costs a warp the full per-pixel path as soon as one of its 32 pixels lies in the
//       surfel's pixel box. Counting only that (a box clipped to w x h pixels meets about 1 + (h-1)/2 strips and
//       about min(2, 1 + (w-1)/8) x min(4, 1 + (h-1)/4) blocks: 3.5 against 3.7 for 6 x 6) predicted no gain;
//       the H100 measured blocks 10% faster in the forward and 16% in the backward at 100k surfels (run 6,
//       docs/benchmarks/gpu.md), so the count misses what sets the time.
//   RENDER_WARP_CULL  the warp first lists, with one ballot per 32 surfels of a batch, the surfels whose pixel box
//       meets the warp's pixel rectangle, and loops over that list only; without it every warp steps through every
//       surfel of the batch and each lane tests the box (about 18 issue slots per surfel that meets none of the
//       warp's pixels). Exact: a pixel still tests its own box, and a box that misses the warp's rectangle misses
//       each of its pixels, so every pixel evaluates the same surfels in the same order.
//   RENDER_FOOTPRINT_CULL  the list vote also leaves out a surfel whose footprint provably misses every pixel centre
//       of the warp inside the surfel's box (footprint.cuh: a conservative bound over that rectangle, padded for the
//       kernel's float rounding). Exact for the same reason: such a surfel returns at the rho cut in every pixel of
//       the warp before it changes any state.
#define RENDER_WARP_BLOCKS 1
#define RENDER_WARP_CULL 2
#define RENDER_FOOTPRINT_CULL 4
#define RENDER_SPARSE_SHIFT 8

// Pixel of thread tid (0..255) within its 16x16 tile.
__device__ __forceinline__ void tile_pixel(int tid, int options, int& lx, int& ly) {
    if (options & RENDER_WARP_BLOCKS) {
        int warp = tid >> 5;
        int lane = tid & 31;
        lx = ((warp & 1) << 3) | (lane & 7);
        ly = ((warp >> 1) << 2) | (lane >> 3);
    } else {
        lx = tid & (RASTER_TILE - 1);
        ly = tid >> 4;
    }
}

// Java's TileGather.firstPixel / lastPixel: (int) max(0, ceil(lo - 0.5)) in double, NaN -> 0 as Java's (int) cast.
__device__ __forceinline__ int first_pixel(float lo) {
    double v = ceil((double) lo - 0.5);
    if (v != v) {
        return 0;
    }
    v = v < 0.0 ? 0.0 : v;
    return v > (double) RASTER_TILE ? RASTER_TILE : (int) v;
}

__device__ __forceinline__ int last_pixel(float hi) {
    double v = floor((double) hi - 0.5);
    if (v != v) {
        return 0;
    }
    v = v > (double) (RASTER_TILE - 1) ? (double) (RASTER_TILE - 1) : v;
    return v < -1.0 ? -1 : (int) v;
}

// Packs the pixel box (ix0, iy0 in [0, 16], ix1, iy1 in [-1, 15]) into one int, each value + 1 in a byte.
__device__ __forceinline__ int pack_box(int ix0, int iy0, int ix1, int iy1) {
    return (ix0 + 1) | ((iy0 + 1) << 8) | ((ix1 + 1) << 16) | ((iy1 + 1) << 24);
}

// The pixel (lx, ly) as in_box's operand: lx + 1, ly + 1 in bytes 0, 1 (against the box's lower corner) and again in
// bytes 2, 3 (against its upper corner), the packing of pack_box.
__device__ __forceinline__ unsigned pixel_key(int lx, int ly) {
    unsigned p = (unsigned) (lx + 1) | ((unsigned) (ly + 1) << 8);
    return p | (p << 16);
}

// Whether the pixel of `key` (pixel_key) lies in the packed box: ix0 <= lx <= ix1 and iy0 <= ly <= iy1, as four
// byte compares in one subtraction. upper holds the bytes that must be the larger ones (the pixel's lx+1, ly+1, the
// box's ix1+1, iy1+1), lower the others; every byte is at most 17, so (upper_i + 128) - lower_i stays positive and no
// borrow crosses a byte: its top bit is set exactly when upper_i >= lower_i. Five instructions instead of fourteen
// for the byte extracts and compares (the test runs for every pixel of a warp and listed surfel); checked against
// the plain compares for every pixel and every box the packing can hold.
__device__ __forceinline__ bool in_box(int box, unsigned key) {
    unsigned upper = __byte_perm(key, (unsigned) box, 0x7610);
    unsigned lower = __byte_perm(key, (unsigned) box, 0x3254);
    unsigned d = (upper | 0x80808080u) - lower;
    return (~d & 0x80808080u) == 0u;
}

// The pixel rectangle (packed as pack_box) that warp `warp` shades under tile_pixel's layout.
__device__ __forceinline__ int warp_rect(int warp, int options) {
    if (options & RENDER_WARP_BLOCKS) {
        int x0 = (warp & 1) << 3;
        int y0 = (warp >> 1) << 2;
        return pack_box(x0, y0, x0 + 7, y0 + 3);
    }
    return pack_box(0, warp << 1, RASTER_TILE - 1, (warp << 1) + 1);
}

// Whether two packed boxes share a pixel; false exactly when in_box(a, .) fails for every pixel of b (an empty box,
// ix0 > ix1 or iy0 > iy1, shares none). The +1 offsets of the packing cancel in the comparisons.
__device__ __forceinline__ bool boxes_meet(int a, int b) {
    return max(a & 0xff, b & 0xff) <= min((a >> 16) & 0xff, (b >> 16) & 0xff)
            && max((a >> 8) & 0xff, (b >> 8) & 0xff) <= min((a >> 24) & 0xff, (b >> 24) & 0xff);
}

// The tile's order of blocks (binning_tile_order, heavy tiles first) or, without one, block b renders tile b.
__device__ __forceinline__ int block_tile(const int* __restrict__ tileOrder) {
    return tileOrder != nullptr ? __ldg(tileOrder + blockIdx.x) : (int) blockIdx.x;
}

// Whether footprint.cuh proves that surfel s (packed pixel box `box`, which meets `warpRect`) reaches no pixel
// centre of the warp inside its box: the bound runs over the intersection of the two rectangles.
__device__ __forceinline__ bool warp_footprint_misses(const TileSurfel& s, int box, int warpRect) {
    int ix0 = max(box & 0xff, warpRect & 0xff) - 1;
    int iy0 = max((box >> 8) & 0xff, (warpRect >> 8) & 0xff) - 1;
    int ix1 = min((box >> 16) & 0xff, (warpRect >> 16) & 0xff) - 1;
    int iy1 = min((box >> 24) & 0xff, (warpRect >> 24) & 0xff) - 1;
    return footprint_misses(s.v0.x, s.v0.y, s.v0.z, s.v0.w, s.v1.x, s.v1.y, s.v1.z, s.v1.w, s.v2.x, s.v3.x, s.v3.y,
            s.v3.w, ix0, iy0, ix1, iy1) != 0;
}

// Whether surfel bl of a batch enters the warp's list: its box meets the warp's rectangle and, with
// RENDER_FOOTPRINT_CULL, its footprint is not proven to miss the warp's pixels (the list vote of both render kernels).
__device__ __forceinline__ bool warp_lists(const TileSurfel* batch, int bl, int warpRect, bool footprint) {
    int box = __float_as_int(batch[bl].v5.z);
    if (!boxes_meet(box, warpRect)) {
        return false;
    }
    return !footprint || !warp_footprint_misses(batch[bl], box, warpRect);
}

// TileGather.gather for one surfel: from anchor-relative to the tile origin (x0, y0). Both are integers, so dx, dy
// are exact; C' = C~ + dx A + dy B is folded in double as in Java.
__device__ __forceinline__ TileSurfel load_tile_surfel(const float4* __restrict__ records, int surfel, int pairIndex,
        int x0, int y0) {
    const float4* r = records + (size_t) surfel * (REC_FLOATS / 4);
    float4 q0 = __ldg(r + 0);  // A.x A.y A.z B.x
    float4 q1 = __ldg(r + 1);  // B.y B.z C.x C.y
    float4 q2 = __ldg(r + 2);  // C.z Tw.x Tw.y Tw.z
    float4 q3 = __ldg(r + 3);  // centre.x centre.y opacity cut
    float4 q4 = __ldg(r + 4);  // n.x n.y n.z r
    float4 q5 = __ldg(r + 5);  // g b box0 box1
    float4 q6 = __ldg(r + 6);  // box2 box3 anchor.x anchor.y
    float dx = (float) ((double) x0 - (double) q6.z);
    float dy = (float) ((double) y0 - (double) q6.w);
    double ddx = (double) dx;
    double ddy = (double) dy;
    float cx = (float) __dadd_rn(__dadd_rn((double) q1.z, __dmul_rn(ddx, (double) q0.x)), __dmul_rn(ddy, (double) q0.w));
    float cy = (float) __dadd_rn(__dadd_rn((double) q1.w, __dmul_rn(ddx, (double) q0.y)), __dmul_rn(ddy, (double) q1.x));
    float cz = (float) __dadd_rn(__dadd_rn((double) q2.x, __dmul_rn(ddx, (double) q0.z)), __dmul_rn(ddy, (double) q1.y));
    float bx0 = __fsub_rn(q5.z, dx);
    float by0 = __fsub_rn(q5.w, dy);
    float bx1 = __fsub_rn(q6.x, dx);
    float by1 = __fsub_rn(q6.y, dy);
    int box = pack_box(first_pixel(bx0), first_pixel(by0), last_pixel(bx1), last_pixel(by1));
    TileSurfel s;
    s.v0 = q0;
    s.v1 = make_float4(q1.x, q1.y, cx, cy);
    s.v2 = make_float4(cz, q2.y, q2.z, q2.w);
    s.v3 = make_float4(__fsub_rn(q3.x, dx), __fsub_rn(q3.y, dy), q3.z, q3.w);
    s.v4 = q4;
    s.v5 = make_float4(q5.x, q5.y, __int_as_float(box), __int_as_float(pairIndex));
    return s;
}

// The ray-splat intersection of one pixel with one surfel and the forward's decisions (TileForward, in Java's
// evaluation order, no contraction, except in EXP_FAST). Returns false when the pixel skips the surfel.
struct PixelHit {
    float sx, sy, inv, dx, dy, depth, g, raw, alpha;
    bool splatBranch;
    // alpha within NEAR_CUT_RELATIVE of 1/255, or (EXP_FAST) depth of near; set also when the pixel skips there
    bool nearAlphaCut;
};

// How G = exp(-rho/2) is evaluated (one render kernel per mode, DeviceRasterizer.ExpMode):
//   EXP_DOUBLE  in double, rounded to float: Java's (float) Math.exp, so the decisions match the twin bit for bit;
//   EXP_FLOAT   expf (float, at most 2 ulp): a few-ulp G can move a pixel whose alpha or T sits within ulps of a
//               cut (1/255, 1e-4, 0.5) to the other side; the parity rows count such pixels (near-cut flags);
//   EXP_FAST    the "all fast math" variant: G from ex2.approx (a few ulp over rho in [0, 11]), the per-pixel
//               divisions (1/pz, near/z, the backward's T/(1-alpha) and slope) from rcp.approx (about 1 ulp), and
//               products fused into their sums (mul_add) where the terms cannot cancel (the forward's depth and
//               normal sums, the backward's partials); the intersection, T and the colour and distortion sums keep
//               the twin's order (fused, one colour value of the parity scene moved by 8.2e-5). Its decisions
//               move by ulps as with EXP_FLOAT and are flagged the same way; forward and backward share the code, so
//               the backward still re-derives the forward's decisions bit for bit.
// The mode is a template argument, so each kernel holds one path only; double exp costs about 40 issue slots per
// pixel and surfel (FP64 at half rate plus two F2F conversions), float about 8, fast 2.
#define EXP_DOUBLE 0
#define EXP_FLOAT 1
#define EXP_FAST 2

// -log2(e) / 2: EXP_FAST takes G = 2^(rho * NEG_HALF_LOG2E) from one multiply and MUFU.EX2.
#define NEG_HALF_LOG2E (-0.72134752044448170368f)

// G = exp(-rho / 2).
__device__ __forceinline__ float gaussian_falloff(float rho, int expMode) {
    if (expMode == EXP_FAST) {
        // rho <= its cut (at most about 11 for opacity 1), so the power is a normal float: no range handling.
        float g;
        asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(g) : "f"(__fmul_rn(rho, NEG_HALF_LOG2E)));
        return g;
    }
    float halfRhoNeg = __fmul_rn(-0.5f, rho);
    if (expMode == EXP_FLOAT) {
        return expf(halfRhoNeg);
    }
    return (float) exp((double) halfRhoNeg);
}

// 1/b from the special-function unit alone (MUFU.RCP, about 1 ulp, denormals flushed): __fdividef adds a range check
// and a rescale around it that a pixel's depth and pz never need.
__device__ __forceinline__ float approx_rcp(float b) {
    float r;
    asm("rcp.approx.ftz.f32 %0, %1;" : "=f"(r) : "f"(b));
    return r;
}

// A per-pixel division: IEEE (Java's) except in EXP_FAST.
__device__ __forceinline__ float pixel_div(float a, float b, int expMode) {
    return expMode == EXP_FAST ? __fmul_rn(a, approx_rcp(b)) : __fdiv_rn(a, b);
}

// a * b + c: Java's two roundings (product, then sum) except in EXP_FAST, which fuses them (one FFMA instead of an
// FMUL and an FADD). Wherever the exact modes evaluate x + a * b, this gives them the same bits (IEEE addition is
// commutative).
__device__ __forceinline__ float mul_add(float a, float b, float c, int expMode) {
    return expMode == EXP_FAST ? __fmaf_rn(a, b, c) : __fadd_rn(__fmul_rn(a, b), c);
}

// How close (relative) a value must come to a cut for the pixel to count as 'near a cut' in the parity flags.
#define NEAR_CUT_RELATIVE 1e-5f

__device__ __forceinline__ bool near_cut(float v, float cut) {
    return fabsf(v - cut) <= NEAR_CUT_RELATIVE * cut;
}

__device__ __forceinline__ bool evaluate_pixel(const TileSurfel& s, float fx, float fy, float near, int expMode,
        PixelHit& h) {
    // In the twin's order in every mode: fusing here (EXP_FAST) moved one colour value of the 100k parity scene by
    // 8.2e-5 relative (H100, run 5), close to the 1e-4 tolerance; the intersection is where a rounding reaches G.
    float rowZ = __fadd_rn(__fmul_rn(s.v1.y, fy), s.v2.x);
    float rowX = __fadd_rn(__fmul_rn(s.v0.w, fy), s.v1.z);
    float rowY = __fadd_rn(__fmul_rn(s.v1.x, fy), s.v1.w);
    float pz = __fadd_rn(__fmul_rn(s.v0.z, fx), rowZ);
    if (pz == 0.0f) {
        return false;
    }
    float inv = expMode == EXP_FAST ? approx_rcp(pz) : __fdiv_rn(1.0f, pz);
    float sx = __fmul_rn(__fadd_rn(__fmul_rn(s.v0.x, fx), rowX), inv);
    float sy = __fmul_rn(__fadd_rn(__fmul_rn(s.v0.y, fx), rowY), inv);
    float rho3 = __fadd_rn(__fmul_rn(sx, sx), __fmul_rn(sy, sy));
    float dx = __fsub_rn(s.v3.x, fx);
    float dy = __fsub_rn(s.v3.y, fy);
    float rho2 = __fmul_rn(SPLAT_FILTER, __fadd_rn(__fmul_rn(dx, dx), __fmul_rn(dy, dy)));
    bool splatBranch = rho3 <= rho2;
    float rho = splatBranch ? rho3 : rho2;
    if (rho > s.v3.w) {
        return false;
    }
    float depth = __fadd_rn(__fadd_rn(__fmul_rn(sx, s.v2.y), __fmul_rn(sy, s.v2.z)), s.v2.w);
    // EXP_FAST's approximate 1/pz moves depth by ulps: the near test is a cut too.
    h.nearAlphaCut = expMode == EXP_FAST && near_cut(depth, near);
    if (depth < near) {
        return false;
    }
    float g = gaussian_falloff(rho, expMode);
    float raw = __fmul_rn(s.v3.z, g);
    float alpha = fminf(SPLAT_ALPHA_MAX, raw);
    h.nearAlphaCut = h.nearAlphaCut || near_cut(alpha, SPLAT_ALPHA_MIN);
    if (alpha < SPLAT_ALPHA_MIN) {
        return false;
    }
    h.sx = sx;
    h.sy = sy;
    h.inv = inv;
    h.dx = dx;
    h.dy = dy;
    h.depth = depth;
    h.g = g;
    h.raw = raw;
    h.alpha = alpha;
    h.splatBranch = splatBranch;
    return true;
}
