package org.diff2dgs.cuda.internal.raster;

import java.util.Locale;

/**
 * How the render kernels map pixels to warps, visit a batch's surfels and reduce the backward's partials (the
 * {@code options} argument of fwd_render* and bwd_render*, raster_common.cuh RENDER_*), and which register budget
 * the forward kernel is built for. None of them changes a pixel's arithmetic: the forward's images are the same bit
 * for bit in every setting; the backward's sums over a tile's pixels only change order.
 *
 * @param warpBlocks    each warp shades an 8x4 block of its tile (true, default) or a 16x2 strip (false): a
 *                      surfel costs a warp the whole per-pixel path once one of its pixels lies in the surfel's
 *                      pixel box; blocks measured 10% (forward) and 16% (backward) faster at 100k surfels on the
 *                      H100 (run 6), although counting boxes against warp rectangles predicted no gain
 * @param warpCull      forward: a warp visits only the surfels whose pixel box meets its pixels (ballot lists;
 *                      default on), instead of stepping through every surfel of the batch
 * @param sparseLanes   backward: when at most this many lanes of a warp contribute to a surfel (0..32; 0 = always
 *                      the warp transpose), they skip the transpose: up to 4 lanes write their 21 partials to the
 *                      warp's scratch rows and 21 lanes sum the columns (rasterize_backward.cu BWD_SCRATCH_ROWS);
 *                      5 to 32 lanes add them with shared atomics, each its own (run 3's path, slower on the H100)
 * @param forwardBlocks forward kernel built for 4 blocks per SM (at most 64 registers, default since run 6: a few
 *                      long-lived values spilled, 60 bytes for the fast kernel on sm_90, yet 4-11% faster on the
 *                      H100 with 8x4 warps) or 3 (at most 80 registers, no spills)
 * @param backwardBlocks backward kernel built for 3 blocks per SM (at most 80 registers; default, 24 bytes spilled
 *                      on sm_90), 2 (at most 128: 114 registers, no spills) or 0 (no minimum: ptxas chooses, as
 *                      for run 2's backward); docs/rasterizer-cuda.md lists what ptxas gives each kernel. Which is
 *                      fastest is a device measurement (bench variant bwdBlocks)
 * @param backwardWarpTools backward kernel with the warp lists and the sparse reduction compiled in (default); off:
 *                      the _plain build without them (double exp only), which ignores warpCull and sparseLanes, as
 *                      run 2's backward (fewer registers: 79 and no spills with no minimum, sm_90)
 * @param tileOrderHeavy forward and backward blocks take their tile from a per-frame order with the tiles of most
 *                      entries first (binning_tile_order, tile_order.cuh: longest-first scheduling against the tail
 *                      of the last wave; default since run 6: both render kernels 5-9% faster on the H100 at 100k
 *                      surfels); off: block b renders tile b. Outputs do not depend on it
 * @param footprintCull the list vote also leaves out surfels whose footprint provably misses every pixel of the
 *                      warp (footprint.cuh); forward: a run-time option of the same kernels, backward: the _fp
 *                      kernels (ignored without the warp tools). Default off until a device run measures it
 */
public record RenderTuning(boolean warpBlocks, boolean warpCull, int sparseLanes, int forwardBlocks,
        int backwardBlocks, boolean backwardWarpTools, boolean tileOrderHeavy, boolean footprintCull) {

    /** System property: warp shape, "8x4" (default) or "16x2". */
    public static final String WARP_PROPERTY = "d2dgs.raster.warp";
    /** System property: forward warp culling, on (default) or off. */
    public static final String CULL_PROPERTY = "d2dgs.raster.warpCull";
    /** System property: the backward's sparse-warp limit, 0..32 (default {@link #DEFAULT_SPARSE_LANES}). */
    public static final String SPARSE_PROPERTY = "d2dgs.raster.sparseLanes";
    /** System property: blocks per SM the forward kernel is built for, 3 (default) or 4. */
    public static final String BLOCKS_PROPERTY = "d2dgs.raster.forwardBlocks";
    /** System property: blocks per SM the backward kernel is built for, 3 (default), 2 or 0 (no minimum). */
    public static final String BACKWARD_BLOCKS_PROPERTY = "d2dgs.raster.backwardBlocks";
    /** System property: backward warp lists and sparse reduction compiled in, on (default) or off (_plain). */
    public static final String BACKWARD_TOOLS_PROPERTY = "d2dgs.raster.backwardWarpTools";
    /** System property: the render blocks' tile order, "heavy" (default: most entries first) or "raster". */
    public static final String TILE_ORDER_PROPERTY = "d2dgs.raster.tileOrder";
    /** System property: the warp-level footprint test in the list votes, off (default) or on. */
    public static final String FOOTPRINT_PROPERTY = "d2dgs.raster.footprintCull";
    /**
     * Up to 4 contributing lanes take the scratch rows, more the transpose. History on the H100
     * (docs/benchmarks/gpu.md): with per-lane shared atomics instead (runs 3 and 4) sparse warps made the backward
     * slower at every size (forward+backward at 100k 1.657 ms with 4 lanes, 1.402 with 0; at 1M 8.53 and 5.72 ms);
     * with the scratch rows (run 5) 4 lanes are faster at every size, by 2 to 5% (100k 1.353 against 1.424 ms, 1M
     * 5.29 against 5.41 ms, same call).
     */
    public static final int DEFAULT_SPARSE_LANES = 4;

    /** raster_common.cuh RENDER_WARP_BLOCKS, RENDER_WARP_CULL, RENDER_SPARSE_SHIFT. */
    public static final int WARP_BLOCKS_FLAG = 1;
    public static final int WARP_CULL_FLAG = 2;
    /** raster_common.cuh RENDER_FOOTPRINT_CULL (read by the forward; the backward compiles it into _fp kernels). */
    public static final int FOOTPRINT_CULL_FLAG = 4;
    public static final int SPARSE_SHIFT = 8;

    public RenderTuning {
        if (sparseLanes < 0 || sparseLanes > 32) {
            throw new IllegalArgumentException("sparse lanes " + sparseLanes + ": expected 0..32");
        }
        if (forwardBlocks != 3 && forwardBlocks != 4) {
            throw new IllegalArgumentException("forward blocks per SM " + forwardBlocks + ": expected 3 or 4");
        }
        if (backwardBlocks != 0 && backwardBlocks != 2 && backwardBlocks != 3) {
            throw new IllegalArgumentException("backward blocks per SM " + backwardBlocks + ": expected 3, 2 or 0");
        }
    }

    /** The settings before the two levers of 2026-12-07 ("tiles"): tile order raster, no footprint test. */
    public RenderTuning(boolean warpBlocks, boolean warpCull, int sparseLanes, int forwardBlocks, int backwardBlocks,
            boolean backwardWarpTools) {
        this(warpBlocks, warpCull, sparseLanes, forwardBlocks, backwardBlocks, backwardWarpTools, false, false);
    }

    /** The kernels' int argument. */
    public int flags() {
        return (warpBlocks ? WARP_BLOCKS_FLAG : 0) | (warpCull ? WARP_CULL_FLAG : 0)
                | (footprintCull ? FOOTPRINT_CULL_FLAG : 0) | (sparseLanes << SPARSE_SHIFT);
    }

    /** The forward kernel of {@code mode} built for {@link #forwardBlocks}. */
    public String forwardKernel(ExpMode mode) {
        return forwardBlocks == 4 ? mode.forwardKernel() + "_b4" : mode.forwardKernel();
    }

    /**
     * The backward kernel of {@code mode} built for {@link #backwardBlocks} and {@link #backwardWarpTools}
     * (rasterize_backward.cu); the _plain kernels exist for double exp only.
     */
    public String backwardKernel(ExpMode mode) {
        String base = mode.backwardKernel();
        if (!backwardWarpTools) {
            if (mode != ExpMode.DOUBLE) {
                throw new IllegalArgumentException("the backward without warp tools (-D" + BACKWARD_TOOLS_PROPERTY
                        + "=off, bench bwdTools=off) is built for exp=double only, not exp=" + mode.label());
            }
            base = base + "_plain";
        } else if (footprintCull) {
            base = base + "_fp";
        }
        return backwardBlocks == 3 ? base : base + "_b" + backwardBlocks;
    }

    public RenderTuning withWarpBlocks(boolean on) {
        return new RenderTuning(on, warpCull, sparseLanes, forwardBlocks, backwardBlocks, backwardWarpTools,
                tileOrderHeavy, footprintCull);
    }

    public RenderTuning withWarpCull(boolean on) {
        return new RenderTuning(warpBlocks, on, sparseLanes, forwardBlocks, backwardBlocks, backwardWarpTools,
                tileOrderHeavy, footprintCull);
    }

    public RenderTuning withSparseLanes(int lanes) {
        return new RenderTuning(warpBlocks, warpCull, lanes, forwardBlocks, backwardBlocks, backwardWarpTools,
                tileOrderHeavy, footprintCull);
    }

    public RenderTuning withForwardBlocks(int blocks) {
        return new RenderTuning(warpBlocks, warpCull, sparseLanes, blocks, backwardBlocks, backwardWarpTools,
                tileOrderHeavy, footprintCull);
    }

    public RenderTuning withBackwardBlocks(int blocks) {
        return new RenderTuning(warpBlocks, warpCull, sparseLanes, forwardBlocks, blocks, backwardWarpTools,
                tileOrderHeavy, footprintCull);
    }

    public RenderTuning withBackwardWarpTools(boolean on) {
        return new RenderTuning(warpBlocks, warpCull, sparseLanes, forwardBlocks, backwardBlocks, on,
                tileOrderHeavy, footprintCull);
    }

    public RenderTuning withTileOrderHeavy(boolean on) {
        return new RenderTuning(warpBlocks, warpCull, sparseLanes, forwardBlocks, backwardBlocks, backwardWarpTools,
                on, footprintCull);
    }

    public RenderTuning withFootprintCull(boolean on) {
        return new RenderTuning(warpBlocks, warpCull, sparseLanes, forwardBlocks, backwardBlocks, backwardWarpTools,
                tileOrderHeavy, on);
    }

    /**
     * "warp=16x2 cull=on sparse=4 blocks=3 bwdBlocks=3 bwdTools=on", then " tileOrder=heavy" and " fpcull=on" when
     * set, for benchmark notes and parity rows.
     */
    public String label() {
        return "warp=" + (warpBlocks ? "8x4" : "16x2") + " cull=" + (warpCull ? "on" : "off") + " sparse="
                + sparseLanes + " blocks=" + forwardBlocks + " bwdBlocks=" + backwardBlocks + " bwdTools="
                + (backwardWarpTools ? "on" : "off") + (tileOrderHeavy ? " tileOrder=heavy" : "")
                + (footprintCull ? " fpcull=on" : "");
    }

    /**
     * The settings of the system properties (defaults: 8x4 warps, culling on, sparse limit 4, forward built for 4
     * blocks per SM and backward for 3, heaviest tiles first, no footprint test).
     */
    public static RenderTuning fromSystem() {
        return new RenderTuning(parseWarp(System.getProperty(WARP_PROPERTY, "8x4"), "-D" + WARP_PROPERTY),
                DeviceRasterizer.parseOnOff(System.getProperty(CULL_PROPERTY, "on"), "-D" + CULL_PROPERTY),
                parseSparse(System.getProperty(SPARSE_PROPERTY, Integer.toString(DEFAULT_SPARSE_LANES)),
                        "-D" + SPARSE_PROPERTY),
                parseBlocks(System.getProperty(BLOCKS_PROPERTY, "4"), "-D" + BLOCKS_PROPERTY),
                parseBackwardBlocks(System.getProperty(BACKWARD_BLOCKS_PROPERTY, "3"),
                        "-D" + BACKWARD_BLOCKS_PROPERTY),
                DeviceRasterizer.parseOnOff(System.getProperty(BACKWARD_TOOLS_PROPERTY, "on"),
                        "-D" + BACKWARD_TOOLS_PROPERTY),
                parseTileOrder(System.getProperty(TILE_ORDER_PROPERTY, "heavy"), "-D" + TILE_ORDER_PROPERTY),
                DeviceRasterizer.parseOnOff(System.getProperty(FOOTPRINT_PROPERTY, "off"), "-D" + FOOTPRINT_PROPERTY));
    }

    /** "heavy" -> true, "raster" -> false; anything else is an error naming {@code what}. */
    public static boolean parseTileOrder(String value, String what) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "heavy" -> true;
            case "raster" -> false;
            default -> throw new IllegalArgumentException(what + "=" + value + ": expected heavy or raster");
        };
    }

    /** "8x4" -> true, "16x2" -> false; anything else is an error naming {@code what}. */
    public static boolean parseWarp(String value, String what) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "8x4" -> true;
            case "16x2" -> false;
            default -> throw new IllegalArgumentException(what + "=" + value + ": expected 8x4 or 16x2");
        };
    }

    /** An integer in 0..32; anything else is an error naming {@code what}. */
    public static int parseSparse(String value, String what) {
        int lanes = parseInt(value, what, "an integer 0..32");
        if (lanes < 0 || lanes > 32) {
            throw new IllegalArgumentException(what + "=" + value + ": expected an integer 0..32");
        }
        return lanes;
    }

    /** 3 or 4; anything else is an error naming {@code what}. */
    public static int parseBlocks(String value, String what) {
        int blocks = parseInt(value, what, "3 or 4");
        if (blocks != 3 && blocks != 4) {
            throw new IllegalArgumentException(what + "=" + value + ": expected 3 or 4");
        }
        return blocks;
    }

    /** 3, 2 or 0; anything else is an error naming {@code what}. */
    public static int parseBackwardBlocks(String value, String what) {
        int blocks = parseInt(value, what, "3, 2 or 0");
        if (blocks != 0 && blocks != 2 && blocks != 3) {
            throw new IllegalArgumentException(what + "=" + value + ": expected 3, 2 or 0");
        }
        return blocks;
    }

    private static int parseInt(String value, String what, String expected) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + "=" + value + ": expected " + expected, e);
        }
    }
}
