package org.diff2dgs.deform.internal;

/**
 * exp(-x) for 0 &lt;= x &lt; 700 with relative error below 1e-8 (far below float precision, so results match a float
 * computation of the public code), about twice as fast as Math.exp in the time-basis loops: 2^(-x log2 e) split into
 * an integer power of two, set directly in the exponent bits, and a degree-7 Taylor polynomial of 2^f on
 * |f| &lt;= 1/2.
 */
public final class FastExp {

    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2 = 0.6931471805599453;

    private FastExp() {
    }

    public static double negExp(double x) {
        double y = -x * LOG2E;
        double n = Math.rint(y);
        double f = (y - n) * LN2;
        double p = 1 + f * (1 + f * (1.0 / 2 + f * (1.0 / 6 + f * (1.0 / 24 + f * (1.0 / 120 + f * (1.0 / 720
                + f * (1.0 / 5040)))))));
        return p * Double.longBitsToDouble(((long) n + 1023) << 52);
    }
}
