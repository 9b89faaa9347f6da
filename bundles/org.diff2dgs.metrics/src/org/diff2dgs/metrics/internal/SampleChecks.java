package org.diff2dgs.metrics.internal;

import org.diff2dgs.core.api.MetricSample;
import org.diff2dgs.core.model.FloatImage;

/** The shape checks every metric does first, with messages that say which image is wrong. */
final class SampleChecks {

    /** A region pixel counts when its mask value is above this; masks are 0/1, the margin absorbs resampling. */
    static final float INSIDE = 0.5f;

    private SampleChecks() {
    }

    static void colour(String metric, MetricSample s) {
        require(metric, "rendered image", s.rendered());
        require(metric, "reference image", s.target());
        if (!s.rendered().sameSize(s.target()) || s.rendered().channels() != s.target().channels()) {
            throw new IllegalArgumentException(metric + ": rendered image " + s.rendered()
                    + " and reference image " + s.target() + " differ in size or channels");
        }
        region(metric, s.region(), s.rendered());
    }

    static void depth(String metric, MetricSample s) {
        require(metric, "rendered depth", s.renderedDepth());
        require(metric, "reference depth", s.targetDepth());
        if (s.renderedDepth().channels() != 1 || s.targetDepth().channels() != 1) {
            throw new IllegalArgumentException(metric + ": depth maps must have 1 channel, got "
                    + s.renderedDepth() + " and " + s.targetDepth());
        }
        if (!s.renderedDepth().sameSize(s.targetDepth())) {
            throw new IllegalArgumentException(metric + ": rendered depth " + s.renderedDepth()
                    + " and reference depth " + s.targetDepth() + " differ in size");
        }
        region(metric, s.region(), s.renderedDepth());
    }

    static boolean inside(float[] region, int pixel) {
        return region == null || region[pixel] > INSIDE;
    }

    private static void require(String metric, String what, FloatImage image) {
        if (image == null) {
            throw new IllegalArgumentException(metric + ": the sample has no " + what);
        }
    }

    private static void region(String metric, FloatImage region, FloatImage image) {
        if (region != null && (region.channels() != 1 || !region.sameSize(image))) {
            throw new IllegalArgumentException(metric + ": region mask " + region + " must be 1 channel of the size of "
                    + image);
        }
    }
}
