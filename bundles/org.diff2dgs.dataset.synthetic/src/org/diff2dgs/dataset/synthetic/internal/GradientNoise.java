package org.diff2dgs.dataset.synthetic.internal;

import java.util.SplittableRandom;

/**
 * Seeded 2D gradient noise (Perlin's improved noise with random unit gradients and a quintic fade) and its fractal
 * sum. Output is roughly in [-1, 1] with a standard deviation near 0.3; every call is a pure function of the seed.
 */
final class GradientNoise {

    private static final int SIZE = 256;
    private final int[] perm = new int[2 * SIZE];
    private final double[] gradX = new double[SIZE];
    private final double[] gradY = new double[SIZE];

    GradientNoise(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] p = new int[SIZE];
        for (int i = 0; i < SIZE; i++) {
            p[i] = i;
            double angle = random.nextDouble() * 2 * Math.PI;
            gradX[i] = StrictMath.cos(angle);
            gradY[i] = StrictMath.sin(angle);
        }
        for (int i = SIZE - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        for (int i = 0; i < 2 * SIZE; i++) {
            perm[i] = p[i & (SIZE - 1)];
        }
    }

    double noise(double x, double y) {
        // floor by truncation (coordinates stay far inside the int range); Math.floor is not always an intrinsic
        int cx = (int) x;
        int cy = (int) y;
        if (x < cx) {
            cx--;
        }
        if (y < cy) {
            cy--;
        }
        double fx = cx;
        double fy = cy;
        int ix = cx & (SIZE - 1);
        int iy = cy & (SIZE - 1);
        double dx = x - fx;
        double dy = y - fy;
        int a = perm[ix] + iy;
        int b = perm[ix + 1] + iy;
        double n00 = dot(perm[a], dx, dy);
        double n10 = dot(perm[b], dx - 1, dy);
        double n01 = dot(perm[a + 1], dx, dy - 1);
        double n11 = dot(perm[b + 1], dx - 1, dy - 1);
        double u = fade(dx);
        double v = fade(dy);
        double nx0 = n00 + u * (n10 - n00);
        double nx1 = n01 + u * (n11 - n01);
        // the corner dot products reach at most sqrt(2)/2 in magnitude: scale to about [-1, 1]
        return 1.41 * (nx0 + v * (nx1 - nx0));
    }

    /** Fractal sum of {@code octaves} octaves, each twice the frequency and {@code gain} times the amplitude. */
    double fbm(double x, double y, int octaves, double gain) {
        double sum = 0;
        double amplitude = 1;
        double norm = 0;
        for (int o = 0; o < octaves; o++) {
            // an irrational shift per octave keeps lattice points of the octaves from lining up
            sum += amplitude * noise(x + 17.31 * o, y - 9.73 * o);
            norm += amplitude;
            amplitude *= gain;
            x *= 2.03;
            y *= 2.03;
        }
        return sum / norm;
    }

    private double dot(int hash, double dx, double dy) {
        int g = hash & (SIZE - 1);
        return gradX[g] * dx + gradY[g] * dy;
    }

    private static double fade(double t) {
        return t * t * t * (t * (t * 6 - 15) + 10);
    }
}
