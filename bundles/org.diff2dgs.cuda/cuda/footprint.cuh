// Warp-level footprint test (RENDER_FOOTPRINT_CULL, RenderTuning.footprintCull; docs/rasterizer-cuda.md "Warp-level
// footprint test"): a conservative proof that no pixel centre of a rectangle passes a surfel's rho cut, so that the
// warp's list vote can leave the surfel out. The pixel's own test (evaluate_pixel in raster_common.cuh, TileForward)
// is untouched: the bound only removes surfels for which every pixel of the warp would return at the rho cut before
// changing any state, so images stay bit-identical and the backward's partials the same.
//
// A pixel centre f = (fx, fy) (tile-relative) passes the rho cut when min(rho3, rho2) <= cut, with
//   rho3 = (Px^2 + Py^2) / Pz^2, P(f) = A fx + B fy + C'      (the ray-splat intersection, 2DGS Eq. 10)
//   rho2 = 2 |centre - f|^2                                   (the screen-space filter)
// P is affine, so over the rectangle R of pixel centres (centre (xc, yc), half extents hx, hy) each component lies in
// [P(c) - r, P(c) + r] with r = |a| hx + |b| hy, exactly. Hence for every f in R
//   Px^2 + Py^2 >= max(0, |Px(c)| - rx)^2 + max(0, |Py(c)| - ry)^2   and   Pz^2 <= (|Pz(c)| + rz)^2,
//   |centre - f|^2 >= max(0, |ux - xc| - hx)^2 + max(0, |uy - yc| - hy)^2,
// and the surfel misses R when both lower bounds exceed the cut. Rounding: the kernel's float P differs from the
// exact one by at most about 3 u S (u = 2^-24, S = 16 (|a| + |b|) + |c| for tile-relative fx, fy <= 16); every bound
// here is widened by FOOTPRINT_PAD S = 256 u S, and the cut by the relative FOOTPRINT_MARGIN (2^-10, against about
// 8 u of relative rounding in the kernel's rho3 and rho2), so the proof holds for the kernel's float values. The
// surfel is never left out when |Pz| can come within FOOTPRINT_NEAR_ZERO S of 0 over R (sign change included), nor
// for a cut below 2^-40 (rho3 that small may underflow), nor when (|Pz| + rz)^2 is below 2^-80 (FOOTPRINT_SQUARE_FLOOR:
// then cut Pz^2 could leave the normal range, where rounding is absolute, not relative, and the pads prove nothing),
// nor when any value is NaN (the max(0, .) below keeps NaN, and every comparison with NaN is false). With the floors
// the right-hand side cut Pz^2 is at least 2^-120, a normal float, and any squared term that went subnormal is
// smaller than it by 2^6 and off by at most 2^-149: far inside the margin.
//
// Plain C as well as CUDA, every operation rounded once in the same order (fmaf, IEEE float): the CPU stand-in
// driver (tests/org.diff2dgs.cuda.tests/mock/stand_in_driver.c) runs this very function, and the Java twin
// org.diff2dgs.cuda.internal.raster.FootprintBound gives the same decisions bit for bit.
#ifndef FOOTPRINT_CUH
#define FOOTPRINT_CUH

#ifdef __CUDACC__
#define FP_FN __device__ __forceinline__
#define FP_FMA(a, b, c) __fmaf_rn(a, b, c)
#define FP_MUL(a, b) __fmul_rn(a, b)
#define FP_ADD(a, b) __fadd_rn(a, b)
#define FP_SUB(a, b) __fsub_rn(a, b)
#else
#include <math.h>
#define FP_FN static inline
// x86-64 SSE float arithmetic, built with -ffp-contract=off: each operation rounded once, as Java's float
#define FP_FMA(a, b, c) fmaf(a, b, c)
#define FP_MUL(a, b) ((float) ((a) * (b)))
#define FP_ADD(a, b) ((float) ((a) + (b)))
#define FP_SUB(a, b) ((float) ((a) - (b)))
#endif

#define FOOTPRINT_PAD 1.52587890625e-5f        // 2^-16
#define FOOTPRINT_NEAR_ZERO 2.44140625e-4f     // 2^-12
#define FOOTPRINT_MARGIN 1.0009765625f         // 1 + 2^-10
#define FOOTPRINT_CUT_FLOOR 9.094947017729282e-13f  // 2^-40
#define FOOTPRINT_SQUARE_FLOOR 8.271806125530277e-25f  // 2^-80
#define FOOTPRINT_TILE_SPAN 16.0f

// max(0, v) that keeps NaN (the comparisons that use it are then false).
FP_FN float fp_clamp_low(float v)
{
    return v < 0.0f ? 0.0f : v;
}

// Lower bound of |p| over R for one component p(f) = a fx + b fy + c, padded by FOOTPRINT_PAD S for rounding.
FP_FN float fp_component_low(float a, float b, float c, float xc, float yc, float hx, float hy)
{
    float aa = fabsf(a);
    float bb = fabsf(b);
    float pc = fabsf(FP_FMA(a, xc, FP_FMA(b, yc, c)));
    float r = FP_FMA(aa, hx, FP_MUL(bb, hy));
    float s = FP_FMA(FP_ADD(aa, bb), FOOTPRINT_TILE_SPAN, fabsf(c));
    return fp_clamp_low(FP_FMA(s, -FOOTPRINT_PAD, FP_SUB(pc, r)));
}

// 1 when no pixel centre (lx + 0.5, ly + 0.5), lx in [ix0, ix1], ly in [iy0, iy1], passes the rho cut of the
// tile-relative surfel (A, B, C', centre (ux, uy), cut); 0 when one may. The rectangle must not be empty.
FP_FN int footprint_misses(float ax, float ay, float az, float bx, float by, float bz, float cx, float cy, float cz,
        float ux, float uy, float cut, int ix0, int iy0, int ix1, int iy1)
{
    // pixel-centre rectangle: centre and half extents (exact: small integers and halves)
    float xc = (float) (ix0 + ix1 + 1) * 0.5f;
    float yc = (float) (iy0 + iy1 + 1) * 0.5f;
    float hx = (float) (ix1 - ix0) * 0.5f;
    float hy = (float) (iy1 - iy0) * 0.5f;
    float cutM = FP_MUL(cut < FOOTPRINT_CUT_FLOOR ? FOOTPRINT_CUT_FLOOR : cut, FOOTPRINT_MARGIN);
    // the filter branch: 2 |centre - f|^2 > cut for every f in R
    float tx = fabsf(FP_SUB(ux, xc));
    float ty = fabsf(FP_SUB(uy, yc));
    float dx = fp_clamp_low(FP_FMA(tx, -FOOTPRINT_PAD, FP_SUB(tx, hx)));
    float dy = fp_clamp_low(FP_FMA(ty, -FOOTPRINT_PAD, FP_SUB(ty, hy)));
    float d2 = FP_FMA(dx, dx, FP_MUL(dy, dy));
    if (!(FP_ADD(d2, d2) > cutM)) {
        return 0;
    }
    // the splat branch: Px^2 + Py^2 > cut Pz^2 for every f in R, Pz away from 0
    float lx = fp_component_low(ax, bx, cx, xc, yc, hx, hy);
    float ly = fp_component_low(ay, by, cy, xc, yc, hx, hy);
    float aa = fabsf(az);
    float bb = fabsf(bz);
    float pz = fabsf(FP_FMA(az, xc, FP_FMA(bz, yc, cz)));
    float rz = FP_FMA(aa, hx, FP_MUL(bb, hy));
    float sz = FP_FMA(FP_ADD(aa, bb), FOOTPRINT_TILE_SPAN, fabsf(cz));
    float zLow = FP_FMA(sz, -FOOTPRINT_NEAR_ZERO, FP_SUB(pz, rz));
    float zHigh = FP_FMA(sz, FOOTPRINT_PAD, FP_ADD(pz, rz));
    float z2 = FP_MUL(zHigh, zHigh);
    float l2 = FP_FMA(lx, lx, FP_MUL(ly, ly));
    return zLow > 0.0f && z2 >= FOOTPRINT_SQUARE_FLOOR && l2 > FP_MUL(cutM, z2);
}

#endif
