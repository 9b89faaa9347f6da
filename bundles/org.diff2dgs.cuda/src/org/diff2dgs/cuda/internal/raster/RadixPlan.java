package org.diff2dgs.cuda.internal.raster;

import java.util.Arrays;

/**
 * How many bits a radix sort must look at and how they split into passes (binning.cu sorts at most 11 bits per pass:
 * 2048 bins still fit a block's shared memory). Depth keys are the 31 bits of a positive float (3 passes); tile keys
 * need ceil(log2 tiles) bits, one pass up to 2048 tiles (e.g. 40 x 32 tiles at 640x512).
 */
public final class RadixPlan {

    public static final int MAX_DIGIT_BITS = 11;
    /** Bits of a depth key: positive float bits, and 0x7fffffff for culled surfels. */
    public static final int DEPTH_KEY_BITS = 31;

    private RadixPlan() {
    }

    /** Bits needed to tell apart the key values 0 .. values - 1 (0 for one value or none). */
    public static int bitsFor(int values) {
        if (values <= 1) {
            return 0;
        }
        return 32 - Integer.numberOfLeadingZeros(values - 1);
    }

    /** The digit width of each pass, low bits first, as even as possible and at most {@link #MAX_DIGIT_BITS}. */
    public static int[] digitBits(int keyBits) {
        return digitBits(keyBits, MAX_DIGIT_BITS);
    }

    /**
     * The digit width of each pass, low bits first, as even as possible and at most {@code maxBits} (1 ..
     * {@link #MAX_DIGIT_BITS}): narrower digits take more passes over the keys but shorter histograms (2^bits rows
     * per block) and fewer rounds of the block sort inside each pass.
     */
    public static int[] digitBits(int keyBits, int maxBits) {
        if (keyBits < 0 || keyBits > 32) {
            throw new IllegalArgumentException("key bits must be in [0, 32], got " + keyBits);
        }
        if (maxBits < 1 || maxBits > MAX_DIGIT_BITS) {
            throw new IllegalArgumentException("digit bits must be in [1, " + MAX_DIGIT_BITS + "], got " + maxBits);
        }
        int passes = (keyBits + maxBits - 1) / maxBits;
        int[] bits = new int[passes];
        Arrays.fill(bits, keyBits / Math.max(1, passes));
        for (int i = 0; i < keyBits % Math.max(1, passes); i++) {
            bits[i]++;
        }
        return bits;
    }
}
