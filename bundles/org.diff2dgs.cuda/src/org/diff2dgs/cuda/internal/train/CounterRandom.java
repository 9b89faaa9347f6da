package org.diff2dgs.cuda.internal.train;

/**
 * The random numbers of {@code java.util.SplittableRandom(seed)} by index, as cuda/densify.cu computes them: the
 * generator adds a fixed odd gamma to its state before every draw and mixes the state (Stafford's variant 13 of the
 * MurmurHash3 finalizer), so draw k depends on k alone. The Densifier draws its split children from a sequential
 * SplittableRandom; the device draws the same numbers in parallel. CounterRandomTest holds this formula to the JDK's
 * generator.
 */
public final class CounterRandom {

    static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private CounterRandom() {
    }

    /** The k-th (0-based) nextLong() of new SplittableRandom(seed). */
    public static long nextLong(long seed, long k) {
        long z = seed + (k + 1) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The k-th (0-based) nextDouble() of new SplittableRandom(seed). */
    public static double nextDouble(long seed, long k) {
        return (nextLong(seed, k) >>> 11) * 0x1.0p-53;
    }
}
