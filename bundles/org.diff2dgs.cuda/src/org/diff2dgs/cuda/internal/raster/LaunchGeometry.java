package org.diff2dgs.cuda.internal.raster;

/**
 * Sizes shared by the host and the rasterizer kernels (cuda/raster_common.cuh, binning.cu): tiles, record strides,
 * items per block of the scan and the radix sort, and the grid sizes that follow from them. Any change here must be
 * made in the .cu files too.
 */
public final class LaunchGeometry {

    /** Tile edge in pixels (RASTER_TILE); one block of TILE x TILE threads renders a tile. */
    public static final int TILE = 16;
    /** Floats per surfel record (REC_FLOATS). */
    public static final int RECORD_FLOATS = 32;
    /** Floats per (tile, surfel) entry of partial gradients (PG_STRIDE). */
    public static final int PAIR_GRADIENT_FLOATS = 21;
    /** Floats per entry's slot in the partial-gradient buffer (PG_SLOT): the partials padded to whole float4s. */
    public static final int PAIR_GRADIENT_SLOT = 24;
    /** Per-pixel AUX planes (AUX_CHANNELS, core.api.RenderOutput.AUX_CHANNELS). */
    public static final int AUX_CHANNELS = 7;
    /** Depth ranks per block of binning_count_scan (SCAN_TILE). */
    public static final int SCAN_TILE = 1024;
    public static final int SCAN_THREADS = 256;
    /** Threads of binning_scan_spine (one block). */
    public static final int SCAN_SPINE_THREADS = 1024;
    /** Keys per block of the radix passes (RADIX_TILE) and threads per block (RADIX_THREADS). */
    public static final int RADIX_TILE = 2048;
    public static final int RADIX_THREADS = 256;
    /** Digit rows scanned per block of binning_radix_spine (one warp each). */
    public static final int SPINE_ROWS_PER_BLOCK = 8;
    /** Threads of each (per-tile) block of binning_tile_depth_sort (TILE_DEPTH_THREADS). */
    public static final int TILE_DEPTH_THREADS = 256;
    /** Tiles (one warp each) per block of binning_tile_depth_sort_warp, and its longest list (TILE_DEPTH_WARPS,
     * TILE_DEPTH_WARP_MAX). */
    public static final int TILE_DEPTH_WARPS = 4;
    public static final int TILE_DEPTH_WARP_MAX = 256;
    /** Threads of the one block of binning_tile_order (TILE_ORDER_THREADS). */
    public static final int TILE_ORDER_THREADS = 256;
    /** Threads per block of the one-thread-per-item kernels. */
    public static final int ITEM_THREADS = 256;
    /** Threads per block of project_forward/backward (many double registers each). */
    public static final int PROJECT_THREADS = 128;

    private LaunchGeometry() {
    }

    public static int tilesX(int width) {
        return ceilDiv(width, TILE);
    }

    public static int tilesY(int height) {
        return ceilDiv(height, TILE);
    }

    /** Blocks of {@code perBlock} items that cover {@code n} items (at least one, so a launch is always valid). */
    public static int blocks(long n, int perBlock) {
        if (n < 0 || perBlock < 1) {
            throw new IllegalArgumentException("blocks(" + n + ", " + perBlock + ")");
        }
        long b = Math.max(1, (n + perBlock - 1) / perBlock);
        if (b > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(n + " items need more than 2^31 blocks");
        }
        return (int) b;
    }

    /** Entries of the digit-major radix histogram for {@code n} keys: one counter per digit and block. */
    public static long radixHistogramEntries(long n) {
        return (long) (1 << RadixPlan.MAX_DIGIT_BITS) * blocks(n, RADIX_TILE);
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
