package org.diff2dgs.cuda.internal.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.image.Ssim;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.cuda.internal.raster.Capacity;
import org.diff2dgs.cuda.internal.raster.DeviceRasterizer;
import org.diff2dgs.cuda.internal.raster.LaunchGeometry;
import org.diff2dgs.cuda.internal.raster.RadixPlan;
import org.diff2dgs.cuda.internal.raster.RenderTuning;
import org.diff2dgs.cuda.internal.train.DensifyKernels;
import org.diff2dgs.cuda.internal.train.FusedAdam;
import org.diff2dgs.cuda.internal.train.LossScalars;
import org.diff2dgs.cuda.internal.train.Losses;
import org.diff2dgs.train.api.SessionSize;
import org.diff2dgs.train.api.SessionSpec;

/**
 * Where a {@link CudaTrainingSession}'s device memory goes, buffer by buffer, from the sizes the code asks for, and
 * the peaks of an iteration and of a density control, in the measure of
 * {@link org.diff2dgs.cuda.internal.driver.CudaContext#peakAllocatedBytes} (our own allocations: the driver's context
 * and the kernel modules are not in it). The one memory model of the CUDA backend: the check before training
 * ({@link CudaTrainingBackend#memoryNeeds}) states {@link #peakAtCap}, a session refuses to open when that exceeds the
 * device's free memory, and the capacity bench row prints its prediction beside the measured peak.
 * docs/training-kernels-cuda.md, "Memory", holds the table at the capacity size.
 *
 * <p>The rasterizer's buffers follow its first forwards: per-surfel buffers grow to exactly the surfel count; the
 * (tile, surfel) entry buffers are sized once at a quarter above the first frame's entries (later frames fit unless
 * they have a quarter more), the partial gradients with them; the radix histogram after the tile sort of the first
 * frame's entries (after a depth sort of its surfels before that, with the global depth order) and the deferred
 * sorts of the buffers' capacity (each growth by half again).
 *
 * @param framePlanes   width x height float planes of the training frames on the device: 3 per image, 1 per depth
 *                      map, a loss mask's channels (FrameSet)
 * @param width         image width
 * @param height        image height
 * @param widths        floats per surfel of each learnable tensor, in the session's order
 * @param columnScale   floats of the SH rate scale (0: none)
 * @param entries       (tile, surfel) entries of the first frame rendered
 */
public record SessionMemory(long framePlanes, int width, int height, int[] widths, int columnScale, long entries) {

    /** Floats per surfel of the session's per-iteration buffers and statistics (allocateSurfelBuffers). */
    public static final int SURFEL_BUFFER_FLOATS = 35;
    /** 4-byte elements per surfel of the rasterizer's per-surfel work buffers (the record and six int arrays). */
    public static final int RASTER_SURFEL_ELEMENTS = LaunchGeometry.RECORD_FLOATS + 6;
    /** 4-byte elements per entry of the rasterizer: keys and values twice (sort buffers) and the entry's surfel. */
    public static final int RASTER_ENTRY_ELEMENTS = 5;
    /**
     * (tile, surfel) entries per surfel of a frame where none was rendered yet (the check before a session opens):
     * the only input of the prediction that is not a size the code asks for. 1,709,693 entries at 1,000,000 surfels
     * of the rasterizer bench's tissue-like cover at 640x512 (device run 2026-12-06, H100), rounded up; at 130 bytes
     * an entry (with the buffers' quarter of headroom) each entry more per surfel adds 1.5 % to a surfel's 8.7 kB.
     */
    public static final int ASSUMED_ENTRIES_PER_SURFEL = 2;

    /** One line of the accounting. */
    public record Buffer(String what, long bytes) {
    }

    public SessionMemory {
        widths = widths.clone();
    }

    /**
     * A session of {@code spec} as {@link CudaTrainingSession} opens it: its training frames, each once, with their
     * depth maps and loss masks; positions, rotations, log-scales, opacity logits, SH and the deformation tensor of
     * {@code deformationWidth} floats per surfel; {@link #ASSUMED_ENTRIES_PER_SURFEL} at {@link #capOf}.
     */
    public static SessionMemory of(SessionSpec spec, int deformationWidth) {
        Sequence seq = spec.sequence();
        long planes = 0;
        for (int i : distinct(spec.trainFrames())) {
            Frame f = seq.frame(i);
            FloatImage mask = spec.lossMasks()[i];
            planes += 3 + (f.depth() != null ? 1 : 0) + (mask != null ? mask.channels() : 0);
        }
        int sh = 3 * spec.start().model().shCoefficients();
        return new SessionMemory(planes, seq.width(), seq.height(), new int[] {3, 4, 2, 1, sh, deformationWidth}, sh,
                assumedEntries(capOf(spec)));
    }

    /**
     * A session of {@code size} before anything is loaded or initialized: the same frames, masks (the trainer's rule,
     * {@link SessionSize#hasLossMask}) and tensors as {@link #of(SessionSpec, int)}, the deformation tensor being
     * whatever the size has per surfel beyond position, rotation, log-scale, opacity and SH.
     */
    public static SessionMemory of(SessionSize size) {
        Sequence seq = size.sequence();
        long planes = 0;
        for (int i : size.trainFrames()) {
            Frame f = seq.frame(i);
            planes += 3 + (f.depth() != null ? 1 : 0) + (size.hasLossMask(f) ? 1 : 0);
        }
        int sh = 3 * GaussianModel.shCoefficients(size.options().shDegree());
        int deformation = Math.toIntExact(size.floatsPerSurfel() - 10 - sh);
        return new SessionMemory(planes, seq.width(), seq.height(), new int[] {3, 4, 2, 1, sh, deformation}, sh,
                assumedEntries(size.surfelCap()));
    }

    /** The surfels a session is sized for: its cap, or its start when a resumed state holds more. */
    public static long capOf(SessionSpec spec) {
        return Math.max(spec.options().maxSurfels(), spec.start().model().count());
    }

    /** {@link #ASSUMED_ENTRIES_PER_SURFEL} entries per surfel. */
    public static long assumedEntries(long surfels) {
        return ASSUMED_ENTRIES_PER_SURFEL * surfels;
    }

    /** The same session with {@code firstFrameEntries} entries in its first frame (known once it rendered). */
    public SessionMemory withEntries(long firstFrameEntries) {
        return new SessionMemory(framePlanes, width, height, widths, columnScale, firstFrameEntries);
    }

    private static int[] distinct(int[] frames) {
        return java.util.Arrays.stream(frames).distinct().toArray();
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

    /** Image, depth and loss mask of every training frame (FrameSet). */
    public long frameBytes() {
        return 4L * framePlanes * pixels();
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
        // the global depth sort (-Dd2dgs.raster.depthOrder=global) sizes the histogram for the surfels first
        boolean global = DeviceRasterizer.DepthOrder.fromSystem() == DeviceRasterizer.DepthOrder.GLOBAL;
        long histogram = global ? Capacity.grow(0, LaunchGeometry.radixHistogramEntries(Math.max(1, surfels))) : 0;
        histogram = Capacity.grow(histogram, LaunchGeometry.radixHistogramEntries(Math.max(1, entries)));
        histogram = Capacity.grow(histogram, LaunchGeometry.radixHistogramEntries(cap));
        return 4L * RASTER_ENTRY_ELEMENTS * cap + 4L * LaunchGeometry.PAIR_GRADIENT_SLOT * cap + 4L * histogram
                + 4L * (1 << RadixPlan.MAX_DIGIT_BITS);
    }

    /**
     * Per-pixel buffers of the rasterizer (transmittance, distortion sums, contributors), the tile ranges and, where
     * the session's rasterizer renders heavy tiles first ({@link RenderTuning#TILE_ORDER_PROPERTY}, read as the
     * rasterizer reads it), the tile order.
     */
    public long rasterPixelBytes() {
        long tiles = (long) LaunchGeometry.tilesX(width) * LaunchGeometry.tilesY(height);
        long order = RenderTuning.fromSystem().tileOrderHeavy() ? 4L * tiles : 0;
        return 4L * 5 * pixels() + 4L * 2 * tiles + order;
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

    /**
     * What the first iteration allocates beyond what the session opened with: the rasterizer's buffers (per surfel,
     * per entry, per pixel) and the losses' work planes. A session that has not iterated (the stand-in driver runs no
     * rasterizer) holds {@link #peakAtCap} less this at its density control at the cap.
     */
    public long firstIterationBytes(long surfels) {
        return rasterSurfelBytes(surfels) + rasterEntryBytes(surfels) + rasterPixelBytes() + lossBytes()
                - lossSumBytes();
    }

    /**
     * Peak of iterations at {@code surfels}, one density control to {@code rows} and iterations at {@code rows} (the
     * rasterizer's per-surfel buffers never shrink).
     */
    public long peak(long surfels, long rows) {
        long iterating = iterationBytes(surfels, surfels);
        long control = densityControlPeak(surfels, rows, false);
        long after = iterationBytes(rows, Math.max(surfels, rows));
        return Math.max(iterating, Math.max(control, after));
    }

    /**
     * The session's peak at its surfel cap: the figure the check before training states and the session checks
     * against the device's free memory when it opens. A density control at the cap that keeps every row is the
     * largest moment (an iteration's buffers, the plan's scratch and the row map at the cap): a growing one plans at
     * fewer surfels and its swap never holds more than the larger set (learnableSwapPeak), a shrinking one maps fewer
     * rows.
     */
    public long peakAtCap(long cap) {
        return peak(cap, cap);
    }

    /** {@link #peakAtCap} by part, in bytes; the parts add up to it. */
    public List<Buffer> partsAtCap(long cap) {
        List<Buffer> t = new ArrayList<>();
        t.add(new Buffer("frames (" + framePlanes + " planes " + width + "x" + height + ": images, depths, masks)",
                frameBytes()));
        t.add(new Buffer("surfels (" + sum(widths) + " learnable floats each, with gradient and 2 Adam moments)",
                learnableBytes(cap)));
        t.add(new Buffer("per-surfel buffers and density statistics", surfelBufferBytes(cap)));
        t.add(new Buffer("rasterizer per surfel", rasterSurfelBytes(cap)));
        t.add(new Buffer(String.format(Locale.ROOT, "rasterizer per entry (%,d entries in a frame)", entries),
                rasterEntryBytes(cap)));
        t.add(new Buffer("image, gradient and loss planes", planeBytes() + lossBytes() + adamBytes()
                + rasterPixelBytes()));
        t.add(new Buffer("density control scratch and row map", planScratchBytes(cap) + rowMapBytes(cap)));
        long listed = t.stream().mapToLong(Buffer::bytes).sum();
        long peak = peakAtCap(cap);
        if (peak > listed) {
            // not reached by the formulas above (the planning moment is the largest); said rather than hidden
            t.add(new Buffer("density control swap beyond its planning", peak - listed));
        }
        return t;
    }

    private static long sum(int[] v) {
        long s = 0;
        for (int x : v) {
            s += x;
        }
        return s;
    }
}
