package org.diff2dgs.dataset.synthetic.internal;

/**
 * The two transcendental functions of the per-pixel code, from plain IEEE arithmetic only. Java's floating point is
 * strict, so these give the same bits on every JVM and CPU (Math.exp and Math.pow may differ by an ulp between
 * intrinsics, which can flip an 8-bit pixel and break byte-identical output across machines), and they are several
 * times faster than StrictMath, which dominated the frame time.
 */
public final class PortableMath {

    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    private static final double INV_LN2 = 1.44269504088896338700e+00;

    private PortableMath() {
    }

    /**
     * e^x with a relative error below 1e-14: x = k ln 2 + r with |r| <= ln2 / 2, e^r by its Taylor series to the 12th
     * term (the remainder is under 0.35^13 / 13!), then an exact scaling by 2^k. Values below e^-700 (1e-304) are
     * flushed to 0, which keeps 2^k a normal number.
     */
    public static double exp(double x) {
        if (x < -700) {
            return 0;
        }
        if (x > 709) {
            return Double.POSITIVE_INFINITY;
        }
        double t = x * INV_LN2;
        int k = (int) (t < 0 ? t - 0.5 : t + 0.5);
        double r = x - k * LN2_HI - k * LN2_LO;
        double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
                + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880 + r * (1.0 / 3628800 + r * (1.0 / 39916800
                + r / 479001600.0)))))))))));
        // 2^k built from its exponent bits: exact, and much cheaper than Math.scalb
        return p * Double.longBitsToDouble((long) (k + 1023) << 52);
    }

    /** x^n for a non-negative integer n by repeated squaring (Blinn-Phong exponents are integers here). */
    public static double pow(double x, int n) {
        double result = 1;
        double square = x;
        for (int e = n; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                result *= square;
            }
            square *= square;
        }
        return result;
    }
}
