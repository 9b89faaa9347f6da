package org.diff2dgs.metrics.eval;

import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;

/**
 * The pixel sets metrics are restricted to, as 1-channel 0/1 images: the whole frame, the tissue (not covered by an
 * instrument) and the occluded part (covered by an instrument, where only synthetic scenes know the truth). A mask
 * value above 0.5 counts as inside, the same rule the metrics use.
 */
public final class Regions {

    private static final float INSIDE = 0.5f;

    private Regions() {
    }

    public static FloatImage whole(Frame frame) {
        FloatImage ones = FloatImage.zeros(frame.image().width(), frame.image().height(), 1);
        java.util.Arrays.fill(ones.data(), 1f);
        return ones;
    }

    /** 1 where no instrument is; the whole frame when the frame has no instrument mask. */
    public static FloatImage tissue(Frame frame) {
        FloatImage instruments = frame.instrumentMask();
        if (instruments == null) {
            return whole(frame);
        }
        return threshold(instruments, false);
    }

    /** 1 where an instrument hides the tissue; empty when the frame has no instrument mask. */
    public static FloatImage occluded(Frame frame) {
        FloatImage instruments = frame.instrumentMask();
        if (instruments == null) {
            return FloatImage.zeros(frame.image().width(), frame.image().height(), 1);
        }
        return threshold(instruments, true);
    }

    /** A copy of {@code image} with every channel set to 0 outside the region. */
    public static FloatImage masked(FloatImage image, FloatImage region) {
        if (region.channels() != 1 || !region.sameSize(image)) {
            throw new IllegalArgumentException("region " + region + " does not fit image " + image);
        }
        float[] in = image.data();
        float[] mask = region.data();
        float[] out = new float[in.length];
        int plane = image.pixels();
        for (int c = 0; c < image.channels(); c++) {
            for (int p = 0, i = c * plane; p < plane; p++, i++) {
                out[i] = mask[p] > INSIDE ? in[i] : 0f;
            }
        }
        return new FloatImage(image.width(), image.height(), image.channels(), out);
    }

    public static int pixelCount(FloatImage region) {
        int n = 0;
        for (float v : region.data()) {
            if (v > INSIDE) {
                n++;
            }
        }
        return n;
    }

    private static FloatImage threshold(FloatImage mask, boolean keepInside) {
        if (mask.channels() != 1) {
            throw new IllegalArgumentException("an instrument mask must have 1 channel, got " + mask);
        }
        float[] in = mask.data();
        float[] out = new float[in.length];
        for (int p = 0; p < in.length; p++) {
            out[p] = (in[p] > INSIDE) == keepInside ? 1f : 0f;
        }
        return new FloatImage(mask.width(), mask.height(), 1, out);
    }
}
