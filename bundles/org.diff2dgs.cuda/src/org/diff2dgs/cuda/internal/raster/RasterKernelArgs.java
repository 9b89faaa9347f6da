package org.diff2dgs.cuda.internal.raster;

import org.diff2dgs.core.model.Camera;

/**
 * The argument list of every rasterizer kernel, in the order of its {@code extern "C"} signature in cuda/*.cu.
 * Buffers are passed as Object (a DeviceBuffer when launching, anything pointer-like in tests); scalars keep their
 * C types through the boxing (int, float, double). A test compares these lists with the signatures in the sources.
 */
public final class RasterKernelArgs {

    private RasterKernelArgs() {
    }

    /** {@code camera}: the device copy of {@link CameraArgs#doubles} ({@link DeviceCamera}). */
    public static Object[] projectForward(int n, Object positions, Object rotations, Object scales, Object opacities,
            Object colors, Object camera, float near, Object records, Object depthKeys, Object radii) {
        return new Object[] {n, positions, rotations, scales, opacities, colors, camera, near, records, depthKeys,
            radii};
    }

    public static Object[] projectBackward(int n, Object positions, Object rotations, Object scales, Camera camera,
            float near, Object records, Object firstEntry, Object pairGradients, Object gPositions,
            Object gRotations, Object gScales, Object gOpacities, Object gColors, Object gScreen) {
        return CameraArgs.flatten(n, positions, rotations, scales, CameraArgs.of(camera), near, records, firstEntry,
                pairGradients, gPositions, gRotations, gScales, gOpacities, gColors, gScreen);
    }

    public static Object[] countScan(int n, Object sortedIndex, Object records, Object localOffsets,
            Object blockSums) {
        return new Object[] {n, sortedIndex, records, localOffsets, blockSums};
    }

    public static Object[] scanSpine(int blocks, Object blockSums, Object total) {
        return new Object[] {blocks, blockSums, total};
    }

    /** Entries at or beyond {@code capacity} are not written (the host checks the total afterwards). */
    public static Object[] pairs(int n, Object localOffsets, Object blockOffsets, Object sortedIndex, Object records,
            int tilesX, Object pairKeys, Object entrySurfel, Object firstEntry, int capacity) {
        return new Object[] {n, localOffsets, blockOffsets, sortedIndex, records, tilesX, pairKeys, entrySurfel,
            firstEntry, capacity};
    }

    /**
     * {@code count} non-null: sort min(n, *count) keys (a grid sized for the capacity n). {@code bins}: the digits
     * counted, {@code 1 << bits} unless every digit is known to be smaller.
     */
    public static Object[] radixUpsweep(int n, Object keys, int shift, int bits, int bins, Object histogram,
            int blocks, Object count) {
        return new Object[] {n, keys, shift, bits, bins, histogram, blocks, count};
    }

    public static Object[] radixSpine(Object histogram, int blocks, int bins, Object rowTotals) {
        return new Object[] {histogram, blocks, bins, rowTotals};
    }

    /**
     * {@code ranges} non-null only for a one-pass sort by tile: block 0 then writes every tile's range.
     * {@code valuesIn} null: the values are the keys' positions 0, 1, 2, ...
     */
    public static Object[] radixDownsweep(int n, Object keysIn, Object valuesIn, Object keysOut, Object valuesOut,
            int shift, int bits, int bins, Object histogram, Object rowTotals, int blocks, Object ranges,
            int rangeCount, Object count) {
        return new Object[] {n, keysIn, valuesIn, keysOut, valuesOut, shift, bits, bins, histogram, rowTotals,
            blocks, ranges, rangeCount, count};
    }

    /** binning_spin (benchmark only): clock cycles to spin. */
    public static Object[] spin(long cycles) {
        return new Object[] {cycles};
    }

    public static Object[] ranges(int pairs, Object keys, Object ranges, Object count) {
        return new Object[] {pairs, keys, ranges, count};
    }

    /**
     * binning_tile_depth_sort: one block per tile sorts its entries (values, in index order) into depth order in
     * place; long lists pass through spareValues and the two key buffers (all entry-sized); lists of at most
     * {@code skipUpTo} entries are left alone (the warp kernel's).
     */
    public static Object[] tileDepthSort(Object ranges, Object values, Object spareValues, Object keysA, Object keysB,
            Object entrySurfel, Object depthKeys, int skipUpTo) {
        return new Object[] {ranges, values, spareValues, keysA, keysB, entrySurfel, depthKeys, skipUpTo};
    }

    /** binning_tile_depth_sort_warp: one warp per tile orders the lists of 2 to 256 entries in place. */
    public static Object[] tileDepthSortWarp(int tiles, Object ranges, Object values, Object entrySurfel,
            Object depthKeys) {
        return new Object[] {tiles, ranges, values, entrySurfel, depthKeys};
    }

    /** binning_tile_order: one block writes the heavy-first permutation of the tiles into {@code order}. */
    public static Object[] tileOrder(int tiles, Object ranges, Object order) {
        return new Object[] {tiles, ranges, order};
    }

    /** fwd_footprint_probe: 12 floats per surfel, 4 ints per rectangle, one int per pair out. */
    public static Object[] footprintProbe(int n, Object surfels, Object rects, Object misses) {
        return new Object[] {n, surfels, rects, misses};
    }

    /**
     * far / (far - near) in float, the scale of the distortion loss's depth map m = scale (1 - near / z) (2DGS Sec.
     * 4.1), as TileForward and the kernels' IEEE float operations compute it.
     */
    static float distortionScale(float near, float far) {
        return far / (far - near);
    }

    /**
     * far near / (far - near) in float: dm/dz = scale / z^2 for the distortion map (TileBackward's slope), as the
     * kernels' IEEE float operations compute it.
     */
    static float distortionSlopeScale(float near, float far) {
        return far * near / (far - near);
    }

    /** {@code tileOrder} null: block b renders tile b. */
    public static Object[] render(int tilesX, int width, int height, Object ranges, Object tileOrder,
            Object tileEntries, Object entrySurfel, Object records, float near, float far, float[] background,
            Object color, Object others, Object finalT, Object finalM1, Object finalM2, Object lastContributor,
            Object medianContributor, Object nearCutFlags, int options) {
        return new Object[] {tilesX, width, height, ranges, tileOrder, tileEntries, entrySurfel, records, near,
            far, distortionScale(near, far), background[0], background[1], background[2], color, others, finalT,
            finalM1, finalM2, lastContributor, medianContributor, nearCutFlags, options};
    }

    /** {@code tileOrder} null: block b renders tile b. */
    public static Object[] renderBackward(int tilesX, int width, int height, Object ranges, Object tileOrder,
            Object tileEntries, Object entrySurfel, Object records, float near, float far, float[] background,
            Object finalT, Object finalM1, Object finalM2, Object lastContributor, Object medianContributor,
            Object dColor, Object dOthers, Object pairGradients, int options) {
        return new Object[] {tilesX, width, height, ranges, tileOrder, tileEntries, entrySurfel, records, near,
            far, distortionScale(near, far), distortionSlopeScale(near, far), background[0], background[1],
            background[2], finalT, finalM1, finalM2, lastContributor, medianContributor, dColor, dOthers,
            pairGradients, options};
    }
}
