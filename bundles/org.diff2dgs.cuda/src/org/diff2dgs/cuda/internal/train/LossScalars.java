package org.diff2dgs.cuda.internal.train;

/**
 * The scalars loss_finalize writes (slots of the device double array, as cuda/losses.cu numbers them): first the
 * sums reduced over pixels, then the values derived from them.
 */
public record LossScalars(double[] values) {

    public static final int L1_SUM = 0;
    public static final int PSNR_SQUARED_ERROR = 1;
    public static final int PSNR_COUNT = 2;
    public static final int DEPTH_WEIGHT_SUM = 3;
    public static final int DEPTH_VALID_PIXELS = 4;
    public static final int DEPTH_ABS_SUM = 5;
    public static final int SSIM_SUM = 6;
    public static final int NORMAL_SUM = 7;
    public static final int DISTORTION_SUM = 8;
    /** Quantities reduced over pixels (rows of the partials array). */
    public static final int QUANTITIES = 9;
    public static final int L1 = 9;
    public static final int PSNR = 10;
    public static final int DEPTH = 11;
    /** Depth weight / sum of the mask over valid pixels: the gradient's factor (0 when the loss is off). */
    public static final int DEPTH_GRADIENT_SCALE = 12;
    public static final int DEPTH_WEIGHT = 13;
    public static final int SSIM = 14;
    public static final int NORMAL = 15;
    public static final int DISTORTION = 16;
    public static final int COUNT = 17;

    public LossScalars {
        if (values.length != COUNT) {
            throw new IllegalArgumentException("loss scalars need " + COUNT + " values, got " + values.length);
        }
        values = values.clone();
    }

    public double get(int slot) {
        return values[slot];
    }

    /** Doubles from the int pairs of a download (little-endian words, as the device stores them). */
    public static double[] fromWords(int[] words) {
        double[] d = new double[words.length / 2];
        for (int i = 0; i < d.length; i++) {
            long lo = words[2 * i] & 0xffffffffL;
            long hi = words[2 * i + 1] & 0xffffffffL;
            d[i] = Double.longBitsToDouble((hi << 32) | lo);
        }
        return d;
    }
}
