package org.diff2dgs.metrics.eval;

import org.diff2dgs.core.model.FloatImage;

/**
 * The 8-bit round trips the published evaluation scripts put their images through: they save renders and references
 * as PNG files and compute the metrics on what they read back. Reproducing those numbers needs the same rounding.
 */
public final class PngQuantization {

    private PngQuantization() {
    }

    /**
     * Colour in [0,1] saved as an 8-bit PNG and read back: v -> floor(clamp(255 v + 0.5, 0, 255)) / 255, the rounding
     * of torchvision's save_image followed by to_tensor.
     */
    public static FloatImage colour8Bit(FloatImage image) {
        float[] in = image.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            double scaled = Math.min(255.0, Math.max(0.0, 255.0 * in[i] + 0.5));
            out[i] = (float) (Math.floor(scaled) / 255.0);
        }
        return new FloatImage(image.width(), image.height(), image.channels(), out);
    }

    /**
     * Depth cast to an 8-bit PNG value as numpy's {@code astype(np.uint8)} does on x86-64: truncate toward zero and
     * keep the low 8 bits, so 300.7 becomes 44 and -1.5 becomes 255 (NaN becomes 0). The unit stays the scene's; the
     * fraction is lost, which is why depth errors under this protocol come in whole units.
     */
    public static FloatImage depthUint8Cast(FloatImage depth) {
        float[] in = depth.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = uint8Cast(in[i]);
        }
        return new FloatImage(depth.width(), depth.height(), depth.channels(), out);
    }

    static float uint8Cast(float v) {
        if (Float.isNaN(v)) {
            return 0f;
        }
        // (long) truncates toward zero; the low byte is what a C cast to an unsigned 8-bit integer keeps
        return (float) (((long) v) & 0xFF);
    }

    /** Colour clamped to [0,1], what any saved or displayed render holds. */
    public static FloatImage clampUnit(FloatImage image) {
        float[] in = image.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, in[i]));
        }
        return new FloatImage(image.width(), image.height(), image.channels(), out);
    }
}
