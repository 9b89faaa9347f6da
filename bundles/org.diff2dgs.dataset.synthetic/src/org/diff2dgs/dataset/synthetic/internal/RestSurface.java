package org.diff2dgs.dataset.synthetic.internal;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The tissue at rest as a height field z = h(x, y) in the scene frame, tabulated on a fine grid with its gradient so
 * that ray casting needs only bilinear look-ups. The gradient is tabulated (not differentiated after interpolation)
 * so normals, and with them the specular highlights, vary smoothly across grid cells.
 */
final class RestSurface {

    private final Bounds bounds;
    private final double spacing;
    private final int nx;
    private final int ny;
    private final float[] height;
    private final float[] slopeX;
    private final float[] slopeY;

    RestSurface(Bounds bounds, TissueParameters.Surface p, long seed) {
        this.bounds = bounds;
        this.spacing = p.gridSpacing();
        this.nx = (int) Math.ceil(bounds.width() / spacing) + 1;
        this.ny = (int) Math.ceil(bounds.height() / spacing) + 1;
        GradientNoise folds = new GradientNoise(Hash.key(seed, 11, 0, 0));
        GradientNoise bumps = new GradientNoise(Hash.key(seed, 12, 0, 0));
        SplittableRandom random = new SplittableRandom(Hash.key(seed, 13, 0, 0));
        // the crease between two lobes: a gently curved line through the central part of the view
        double creaseAngle = random.nextDouble(0, Math.PI);
        double creaseX = random.nextDouble(-20, 20);
        double creaseY = random.nextDouble(-15, 15);
        double creaseBend = random.nextDouble(-0.012, 0.012);
        double normalX = -StrictMath.sin(creaseAngle);
        double normalY = StrictMath.cos(creaseAngle);
        height = new float[nx * ny];
        IntStream.range(0, ny).parallel().forEach(j -> {
            double y = bounds.yMin() + j * spacing;
            for (int i = 0; i < nx; i++) {
                double x = bounds.xMin() + i * spacing;
                double z = p.baseDepth() + p.tiltY() * y + (x * x + y * y) / (2 * p.curvatureRadius());
                z += p.foldAmplitude() * folds.fbm(x / p.foldScale(), y / p.foldScale(), 3, 0.45);
                z += p.bumpAmplitude() * bumps.fbm(x / p.bumpScale(), y / p.bumpScale(), 2, 0.5);
                double along = (x - creaseX) * normalY - (y - creaseY) * normalX;
                double across = (x - creaseX) * normalX + (y - creaseY) * normalY + creaseBend * along * along;
                z += p.creaseDepth() * PortableMath.exp(-across * across / (2 * p.creaseWidth() * p.creaseWidth()));
                height[j * nx + i] = (float) z;
            }
        });
        slopeX = new float[nx * ny];
        slopeY = new float[nx * ny];
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                int k = j * nx + i;
                int il = Math.max(i - 1, 0);
                int ir = Math.min(i + 1, nx - 1);
                int jd = Math.max(j - 1, 0);
                int ju = Math.min(j + 1, ny - 1);
                slopeX[k] = (float) ((height[j * nx + ir] - height[j * nx + il]) / ((ir - il) * spacing));
                slopeY[k] = (float) ((height[ju * nx + i] - height[jd * nx + i]) / ((ju - jd) * spacing));
            }
        }
    }

    Bounds bounds() {
        return bounds;
    }

    /** Height and slope at (x, y), clamped to the tabulated area: out[0] = h, out[1] = dh/dx, out[2] = dh/dy. */
    void sample(double x, double y, double[] out) {
        double gx = Math.min(Math.max((x - bounds.xMin()) / spacing, 0), nx - 1.000001);
        double gy = Math.min(Math.max((y - bounds.yMin()) / spacing, 0), ny - 1.000001);
        int i = (int) gx;
        int j = (int) gy;
        double fx = gx - i;
        double fy = gy - j;
        int k = j * nx + i;
        out[0] = bilinear(height, k, fx, fy);
        out[1] = bilinear(slopeX, k, fx, fy);
        out[2] = bilinear(slopeY, k, fx, fy);
    }

    private double bilinear(float[] a, int k, double fx, double fy) {
        double top = a[k] + fx * (a[k + 1] - a[k]);
        double bottom = a[k + nx] + fx * (a[k + nx + 1] - a[k + nx]);
        return top + fy * (bottom - top);
    }
}
