package org.diff2dgs.train.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.train.api.MemoryNeeds;
import org.diff2dgs.train.api.SessionSize;

/**
 * The Java heap a CPU training session needs at its largest, so a run that cannot fit is refused before it starts
 * instead of failing hours in. The terms:
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

    static MemoryEstimate of(SessionSize size) {
        long perSurfel = 4 * (8 * size.floatsPerSurfel() + 3 + RENDER_FLOATS_PER_SURFEL);
        long shared = 4 * 8 * size.sharedFloats();
        return new MemoryEstimate((long) BASE_MB << 20, size.frameBytes(), perSurfel, size.surfelCap(), shared,
                4L * FLOATS_PER_PIXEL * size.pixels());
    }

    long surfelBytes() {
        return surfelBytesEach * surfelCap + sharedBytes;
    }

    long total() {
        return baseBytes + frameBytes + surfelBytes() + pixelBytes;
    }

    /** Everything on the Java heap, nothing on a device. */
    MemoryNeeds needs() {
        Map<String, Long> parts = new LinkedHashMap<>();
        parts.put("frames", frameBytes);
        parts.put("surfels with deformation and optimizer state", surfelBytes());
        parts.put("render buffers", pixelBytes);
        parts.put("runtime", baseBytes);
        return new MemoryNeeds(new MemoryNeeds.Pool("Java heap", -1, baseBytes + frameBytes + pixelBytes
                + sharedBytes, surfelBytesEach, surfelCap, parts), null);
    }
}
