package org.diff2dgs.train.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.core.io.ByteSize;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;

/**
 * The Java heap a training run needs at its largest, so a run that cannot fit is refused before it starts instead of
 * failing hours in. The terms:
 * <ul>
 * <li>the loaded frames (measured: every image of the sequence) plus one loss mask per frame;</li>
 * <li>per surfel at the surfel cap: value, gradient and two Adam moments of every learnable float, and as much again
 * while densification rebuilds the tensors (old and new live together), plus {@value #RENDER_FLOATS_PER_SURFEL}
 * floats of deformed attributes, rasterizer records, tile pairs and gradients;</li>
 * <li>per pixel, {@value #FLOATS_PER_PIXEL} floats of render outputs, loss maps and their gradients;</li>
 * <li>{@value #BASE_MB} MB for the JVM, the OSGi framework and the services.</li>
 * </ul>
 * Checked against measured runs in docs/robustness.md.
 */
record MemoryEstimate(long baseBytes, long frameBytes, long surfelBytesEach, int surfelCap, long sharedBytes,
        long pixelBytes) {

    static final int BASE_MB = 64;
    static final int RENDER_FLOATS_PER_SURFEL = 128;
    static final int FLOATS_PER_PIXEL = 96;

    static MemoryEstimate of(Sequence seq, int surfelCap, ParameterSizes sizes) {
        long frames = 0;
        for (Frame f : seq.frames()) {
            frames += bytes(f.image()) + bytes(f.depth()) + bytes(f.instrumentMask()) + bytes(f.truthImage())
                    + bytes(f.truthDepth()) + 4L * f.image().pixels();
        }
        long perSurfel = 4 * (8 * sizes.perSurfel() + 3 + RENDER_FLOATS_PER_SURFEL);
        long shared = 4 * 8 * sizes.shared();
        long pixels = (long) seq.width() * seq.height();
        return new MemoryEstimate((long) BASE_MB << 20, frames, perSurfel, surfelCap, shared,
                4L * FLOATS_PER_PIXEL * pixels);
    }

    private static long bytes(FloatImage im) {
        return im == null ? 0 : 4L * im.data().length;
    }

    long surfelBytes() {
        return surfelBytesEach * surfelCap + sharedBytes;
    }

    long total() {
        return baseBytes + frameBytes + surfelBytes() + pixelBytes;
    }

    /** The largest surfel cap whose run fits in {@code heap} bytes (0 when not even the frames fit). */
    int surfelsThatFit(long heap) {
        long left = heap - baseBytes - frameBytes - pixelBytes - sharedBytes;
        return left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, left / surfelBytesEach);
    }

    String describe() {
        return "about " + ByteSize.format(total()) + " of Java heap at the surfel cap of " + surfelCap + " (frames "
                + ByteSize.format(frameBytes) + ", surfels with deformation and optimizer state "
                + ByteSize.format(surfelBytes()) + ", render buffers " + ByteSize.format(pixelBytes) + ", runtime "
                + ByteSize.format(baseBytes) + ")";
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totalBytes", total());
        m.put("frameBytes", frameBytes);
        m.put("surfelBytes", surfelBytes());
        m.put("bytesPerSurfel", surfelBytesEach);
        m.put("surfelCap", surfelCap);
        m.put("renderBufferBytes", pixelBytes);
        m.put("runtimeBytes", baseBytes);
        return m;
    }
}
