package org.diff2dgs.dataset.synthetic.internal;

/**
 * Counter-based randomness: a value is a pure function of (seed, stream, indices), so per-pixel noise is the same
 * whatever thread renders the pixel and in whatever order, which keeps the output byte-identical for a seed.
 */
final class Hash {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Hash() {
    }

    /** SplitMix64 finaliser: a bijective mix with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long key(long seed, long a, long b, long c) {
        return mix(mix(mix(seed * GOLDEN + a) + b * GOLDEN) + c);
    }

    /** Uniform in [0, 1) from 53 bits of {@code h}. */
    static double uniform(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    /**
     * Approximately standard normal: the sum of four 16-bit uniforms of one hash, centred and scaled (Irwin-Hall).
     * Cheaper than Box-Muller and close enough for sensor noise; its tails end at about 3.5 sigma.
     */
    static double roughGaussian(long key) {
        long h = mix(key);
        double sum = (h & 0xFFFF) + ((h >>> 16) & 0xFFFF) + ((h >>> 32) & 0xFFFF) + (h >>> 48);
        return (sum / 65536.0 - 2) * 1.7320508075688772;
    }
}
