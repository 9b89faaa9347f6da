package org.diff2dgs.cuda.internal.session;

import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.image.Ssim;
import org.diff2dgs.cuda.internal.raster.Capacity;
import org.diff2dgs.cuda.internal.raster.LaunchGeometry;
import org.diff2dgs.cuda.internal.raster.RadixPlan;
import org.diff2dgs.cuda.internal.train.DensifyKernels;
import org.diff2dgs.cuda.internal.train.FusedAdam;
import org.diff2dgs.cuda.internal.train.LossScalars;
import org.diff2dgs.cuda.internal.train.Losses;

/**
 * Where a {@link CudaTrainingSession}'s device memory goes, buffer by buffer, from the sizes the code asks for, and
 * the peaks of an iteration and of a density control, in the measure of
 * {@link org.diff2dgs.cuda.internal.driver.CudaContext#peakAllocatedBytes} (our own allocations: the driver's context
 * and the kernel modules are not in it). docs/training-kernels-cuda.md, "Memory", holds the table at the issue's
 * capacity size.
 *
 * <p>The rasterizer's buffers follow its first forwards: per-surfel buffers grow to exactly the surfel count; the
 * (tile, surfel) entry buffers are sized once at a quarter above the first frame's entries (later frames fit unless
 * they have a quarter more), the partial gradients with them; the radix histogram after the depth sort of the first
 * frame, the tile sort of its entries and the deferred sorts of the buffers' capacity (each growth by half again).
 *
 * @param frames        training frames on the device
 * @param width         image width
 * @param height        image height
 * @param depth         whether the frames have depth maps
 * @param maskChannels  channels of the loss mask (0: none)
 * @param widths        floats per surfel of each learnable tensor, in the session's order
 * @param columnScale   floats of the SH rate scale (0: none)
 * @param entries       (tile, surfel) entries of the first frame rendered
 */
public record SessionMemory(int frames, int width, int height, boolean depth, int maskChannels, int[] widths,
        int columnScale, long entries) {

    /** Floats per surfel of the session's per-iteration buffers and statistics (allocateSurfelBuffers). */
    public static final int SURFEL_BUFFER_FLOATS = 35;
    /** 4-byte elements per surfel of the rasterizer's per-surfel work buffers (two records and seven int arrays). */
    public static final int RASTER_SURFEL_ELEMENTS = 2 * LaunchGeometry.RECORD_FLOATS + 7;
    /** 4-byte elements per entry of the rasterizer: keys and values twice (sort buffers) and the depth rank. */
    public static final int RASTER_ENTRY_ELEMENTS = 5;

    /** One line of the accounting. */
    public record Buffer(String what, long bytes) {
    }

    public SessionMemory {
        widths = widths.clone();
    }

    private long pixels() {
        return (long) width * height;
    }

    private long floatsPerSurfel() {
        long s = 0;
        for (int w : widths) {
            s += w;
        }
        return s;
    }

    /** Image, depth and loss mask of every training frame (FrameBuffers). */
    public long frameBytes() {
        return 4L * frames * pixels() * (3 + (depth ? 1 : 0) + maskChannels);
    }

    /** Values, gradient and two Adam moments of every learnable tensor (DeviceParameter), and the SH rate scale. */
    public long learnableBytes(long surfels) {
        return 16 * surfels * floatsPerSurfel() + 4L * columnScale;
    }

    /** The session's per-surfel buffers: deformed tensors, activations, gradients, radii, density statistics. */
    public static long surfelBufferBytes(long surfels) {
        return 4L * SURFEL_BUFFER_FLOATS * Math.max(1, surfels);
    }

    /** Rendered colour and auxiliary planes and their gradients. */
    public long planeBytes() {
        return 4L * 2 * (3 + RenderOutput.AUX_CHANNELS) * pixels();
    }

    /** The losses' partial sums, scalars and SSIM window (allocated when the session opens). */
    public static long lossSumBytes() {
        return 8L * LossScalars.QUANTITIES * Losses.BLOCKS + 8L * LossScalars.COUNT + 4L * Ssim.WINDOW;
    }

    /**
     * The losses' sums and their work planes, allocated at the first iteration that uses them: SSIM's filtered rows,
     * adjoint and filtered adjoint (5 + 3 + 3 per colour plane), the normal term's depth and two adjoints (7 planes).
     */
    public long lossBytes() {
        return lossSumBytes() + 4L * 11 * 3 * pixels() + 4L * 7 * pixels();
    }

    /** What a session holds right after it opened at {@code surfels} (no iteration yet: no loss planes, no raster). */
    public long openBytes(long surfels) {
        return frameBytes() + learnableBytes(surfels) + surfelBufferBytes(surfels) + planeBytes() + lossSumBytes()
                + adamBytes();
    }

    /** The fused Adam's group table. */
    public static long adamBytes() {
        return (long) FusedAdam.MAX_GROUPS * FusedAdam.GROUP_BYTES;
    }

    /** The rasterizer's per-surfel buffers for a capacity of {@code surfels}. */
    public static long rasterSurfelBytes(long surfels) {
        long c = Math.max(1, surfels);
        return 4L * RASTER_SURFEL_ELEMENTS * c + 4L * LaunchGeometry.blocks(c, LaunchGeometry.SCAN_TILE) + 4;
    }

    /** Capacity of the entry buffers after the first frame (ensurePairs: a quarter of headroom). */
    public long entryCapacity() {
        return Math.max(1, entries + entries / 4);
    }

    /** Entry buffers, partial gradients (sized with them) and the radix histogram and digit totals. */
    public long rasterEntryBytes(long surfels) {
        long cap = entryCapacity();
        long histogram = Capacity.grow(0, LaunchGeometry.radixHistogramEntries(Math.max(1, surfels)));
        histogram = Capacity.grow(histogram, LaunchGeometry.radixHistogramEntries(Math.max(1, entries)));
        histogram = Capacity.grow(histogram, LaunchGeometry.radixHistogramEntries(cap));
        return 4L * RASTER_ENTRY_ELEMENTS * cap + 4L * LaunchGeometry.PAIR_GRADIENT_FLOATS * cap + 4L * histogram
                + 4L * (1 << RadixPlan.MAX_DIGIT_BITS);
    }

    /** Per-pixel buffers of the rasterizer (transmittance, distortion sums, contributors) and the tile ranges. */
    public long rasterPixelBytes() {
        long tiles = (long) LaunchGeometry.tilesX(width) * LaunchGeometry.tilesY(height);
        return 4L * 5 * pixels() + 4L * 2 * tiles;
    }

    /** Every buffer that does not depend on the surfel count. */
    public long fixedBytes() {
        return frameBytes() + planeBytes() + lossBytes() + adamBytes() + rasterPixelBytes();
    }

    /** What an iteration holds at {@code surfels} (the rasterizer's per-surfel buffers at {@code rasterSurfels}). */
    public long iterationBytes(long surfels, long rasterSurfels) {
        return fixedBytes() + learnableBytes(surfels) + surfelBufferBytes(surfels) + rasterSurfelBytes(rasterSurfels)
                + rasterEntryBytes(rasterSurfels);
    }

    /** The density control's scratch while it plans: mean gradients, candidates, row counts, tile sums, totals. */
    public static long planScratchBytes(long surfels) {
        long n = Math.max(1, surfels);
        return 4L * n + 4L * n + 16L * n + 16L * DensifyKernels.tiles((int) surfels) + 4L * 5;
    }

    /** The row map (source and kind of every new row), held through the whole swap. */
    public static long rowMapBytes(long rows) {
        return 8L * Math.max(1, rows);
    }

    /**
     * Peak of the learnable tensors while a density control swaps them from {@code surfels} to {@code rows} rows,
     * one parameter after the other in the session's order: per parameter the old gradient freed, then values and
     * moments gathered one at a time, each old buffer freed after its copy, then the new zero gradient
     * ({@link DeviceParameter#reindex}). With {@code beside}: the order before, all four new tensors of a parameter
     * allocated before its four old ones were freed.
     */
    public long learnableSwapPeak(long surfels, long rows, boolean beside) {
        long held = learnableBytes(surfels);
        long peak = held;
        for (int w : widths) {
            long before = 4L * surfels * w;
            long after = 4L * rows * w;
            if (beside) {
                held += 4 * after;
                peak = Math.max(peak, held);
                held -= 4 * before;
            } else {
                held -= before;
                for (int k = 0; k < 3; k++) {
                    held += after;
                    peak = Math.max(peak, held);
                    held -= before;
                }
                held += after;
                peak = Math.max(peak, held);
            }
        }
        return peak;
    }

    /**
     * Peak of one density control from {@code surfels} to {@code rows} after iterations at {@code surfels} (the
     * rasterizer's buffers at that count held throughout).
     */
    public long densityControlPeak(long surfels, long rows, boolean beside) {
        return densityControlPeak(fixedBytes() + rasterSurfelBytes(surfels) + rasterEntryBytes(surfels), surfels,
                rows, beside);
    }

    /**
     * Peak of one density control from {@code surfels} to {@code rows} while {@code held} bytes of other buffers
     * stay (frames, planes, losses, rasterizer): while it plans (the learnable tensors and per-surfel buffers, the
     * plan's scratch and row map), while it swaps the learnable tensors (the per-surfel buffers freed first; with
     * {@code beside}, the order before: still held, and four new tensors beside the four old), and when the per-surfel
     * buffers come back at the new count.
     */
    public long densityControlPeak(long held, long surfels, long rows, boolean beside) {
        long map = rowMapBytes(rows);
        long planning = held + learnableBytes(surfels) + surfelBufferBytes(surfels) + planScratchBytes(surfels) + map;
        long swapping = held + map + learnableSwapPeak(surfels, rows, beside)
                + (beside ? surfelBufferBytes(surfels) : 0);
        long after = held + map + learnableBytes(rows) + surfelBufferBytes(rows);
        return Math.max(planning, Math.max(swapping, after));
    }

    /** The accounting table at {@code surfels} during an iteration. */
    public List<Buffer> iterationTable(long surfels) {
        List<Buffer> t = new ArrayList<>();
        t.add(new Buffer("frames (image, depth, mask) x " + frames, frameBytes()));
        String[] names = {"positions", "rotations", "log-scales", "opacity logits", "SH", "deformation coefficients"};
        for (int i = 0; i < widths.length; i++) {
            String name = i < names.length ? names[i] : "tensor " + i;
            t.add(new Buffer(name + " (" + widths[i] + " floats): values, gradient, 2 Adam moments",
                    16L * surfels * widths[i] + (i == 4 ? 4L * columnScale : 0)));
        }
        t.add(new Buffer("per-surfel buffers (" + SURFEL_BUFFER_FLOATS + " floats: deformed, activations, gradients,"
                + " radii, statistics)", surfelBufferBytes(surfels)));
        t.add(new Buffer("rendered and gradient planes", planeBytes()));
        t.add(new Buffer("loss scratch (SSIM, normal) and sums", lossBytes()));
        t.add(new Buffer("rasterizer per surfel (records, sort, ranks)", rasterSurfelBytes(surfels)));
        t.add(new Buffer("rasterizer per entry (keys, values, ranks, partial gradients, histogram)",
                rasterEntryBytes(surfels)));
        t.add(new Buffer("rasterizer per pixel and tile ranges, Adam table", rasterPixelBytes() + adamBytes()));
        return t;
    }
}
