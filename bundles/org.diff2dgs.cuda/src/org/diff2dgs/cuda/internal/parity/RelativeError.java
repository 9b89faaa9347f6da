package org.diff2dgs.cuda.internal.parity;

/**
 * The parity measure of GPU.md: max over elements of |gpu - cpu| / max(|cpu|, floor), where floor is a fraction of
 * the reference tensor's largest magnitude, so that entries near zero do not turn rounding noise into huge ratios.
 */
public final class RelativeError {

    /** Default floor: 1e-3 of the reference's largest magnitude. */
    public static final double DEFAULT_FLOOR = 1e-3;

    private RelativeError() {
    }

    public static double max(float[] gpu, float[] cpu) {
        return max(gpu, cpu, DEFAULT_FLOOR);
    }

    /** NaN or infinity on either side, or different lengths, give +infinity (a failure, never a pass). */
    public static double max(float[] gpu, float[] cpu, double floorFraction) {
        if (gpu.length != cpu.length) {
            return Double.POSITIVE_INFINITY;
        }
        double maxAbs = 0;
        for (float c : cpu) {
            maxAbs = Math.max(maxAbs, Math.abs((double) c));
        }
        double floor = Math.max(maxAbs * floorFraction, Double.MIN_NORMAL);
        double worst = 0;
        for (int i = 0; i < cpu.length; i++) {
            double g = gpu[i];
            double c = cpu[i];
            if (!Double.isFinite(g) || !Double.isFinite(c)) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, Math.abs(g - c) / Math.max(Math.abs(c), floor));
        }
        return worst;
    }

    /**
     * The normwise relative error ||gpu - cpu||_2 / ||cpu||_2 of a whole tensor (sums in double). It weighs each
     * value by its size, so a handful of values that a last-bit difference pushed across a threshold (an alpha cut,
     * a sign of a gradient that nearly cancels) count for what they are worth in the tensor, not for the whole
     * verdict. NaN or infinity on either side, or different lengths, give +infinity.
     */
    public static double norm(float[] gpu, float[] cpu) {
        if (gpu.length != cpu.length) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < cpu.length; i++) {
            double g = gpu[i];
            double c = cpu[i];
            if (!Double.isFinite(g) || !Double.isFinite(c)) {
                return Double.POSITIVE_INFINITY;
            }
            diff += (g - c) * (g - c);
            ref += c * c;
        }
        if (diff == 0) {
            return 0;
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(ref), Double.MIN_NORMAL);
    }

    /** One scalar against its reference (the floor is the scalar's own magnitude, or a given scale if larger). */
    public static double scalar(double gpu, double cpu, double scale) {
        if (!Double.isFinite(gpu) || !Double.isFinite(cpu)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.abs(gpu - cpu) / Math.max(Math.max(Math.abs(cpu), scale), Double.MIN_NORMAL);
    }
}
