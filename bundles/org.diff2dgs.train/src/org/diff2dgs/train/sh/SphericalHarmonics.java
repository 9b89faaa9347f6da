package org.diff2dgs.train.sh;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.diff2dgs.core.model.GaussianModel;

/**
 * View-dependent colour from real spherical-harmonic coefficients, in the 3DGS convention (3DGS paper, Sec. 4 and
 * its rasterizer): colour = max(0, sum_k SH_k(d) c_k + 0.5) per RGB channel, with d the unit direction from the camera
 * centre to the (deformed) surfel centre and the real SH basis of degree 0..3 with the usual sign convention
 * (SH_0 = C0 = 0.2820948, SH_1..3 = -C1 y, C1 z, -C1 x, ...). The backward pass honours the clamp (no gradient where
 * the sum fell below 0) and reaches both the coefficients and the surfel position through the direction.
 *
 * <p>Coefficients are stored as {@link GaussianModel#sh()}: {@code sh[(i * K + k) * 3 + rgb]} with K = (degree + 1)^2
 * per surfel; an active degree below the stored one uses only the first (active + 1)^2 coefficients (the 3DGS
 * schedule raises it every 500 or 1000 iterations). Surfels are processed in parallel; outputs are per surfel, so the
 * result does not depend on scheduling.
 */
public final class SphericalHarmonics {

    static final double C0 = 0.28209479177387814;
    static final double C1 = 0.4886025119029199;
    static final double C2_0 = 1.0925484305920792;
    static final double C2_1 = -1.0925484305920792;
    static final double C2_2 = 0.31539156525252005;
    static final double C2_3 = -1.0925484305920792;
    static final double C2_4 = 0.5462742152960396;
    static final double C3_0 = -0.5900435899266435;
    static final double C3_1 = 2.890611442640554;
    static final double C3_2 = -0.4570457994644658;
    static final double C3_3 = 0.3731763325901154;
    static final double C3_4 = -0.4570457994644658;
    static final double C3_5 = 1.445305721320277;
    static final double C3_6 = -0.5900435899266435;

    private static final int CHUNK = 4096;

    private SphericalHarmonics() {
    }

    /** The DC coefficient that makes a surfel show {@code rgb} from every direction (3DGS's RGB2SH). */
    public static float dcFromRgb(double rgb) {
        return (float) ((rgb - 0.5) / C0);
    }

    /** Colours of all surfels of {@code model} seen from {@code cameraCentre}, at their {@code positions}. */
    public static void evaluate(GaussianModel model, int activeDegree, float[] positions, double[] cameraCentre,
            float[] colors) {
        evaluate(model.count(), model.shCoefficients(), activeDegree, model.sh(), positions, cameraCentre, colors);
    }

    /**
     * Colours (3 per surfel) of {@code count} surfels.
     *
     * @param coefficients K, coefficients per surfel and channel in {@code sh}
     * @param activeDegree degree used, 0..3, with (activeDegree + 1)^2 &lt;= K
     */
    public static void evaluate(int count, int coefficients, int activeDegree, float[] sh, float[] positions,
            double[] cameraCentre, float[] colors) {
        check(count, coefficients, activeDegree, sh, positions, cameraCentre);
        if (colors.length < 3 * count) {
            throw new IllegalArgumentException("colour array shorter than 3 * " + count);
        }
        int chunks = (count + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            double[] basis = new double[16];
            double[] dir = new double[4];
            int end = Math.min(count, (ch + 1) * CHUNK);
            for (int i = ch * CHUNK; i < end; i++) {
                direction(positions, i, cameraCentre, dir);
                int used = basis(activeDegree, dir[0], dir[1], dir[2], basis);
                int base = i * coefficients * 3;
                for (int c = 0; c < 3; c++) {
                    double v = 0.5;
                    for (int k = 0; k < used; k++) {
                        v += basis[k] * sh[base + 3 * k + c];
                    }
                    colors[3 * i + c] = (float) Math.max(v, 0.0);
                }
            }
        });
    }

    /** Backward of {@link #evaluate(GaussianModel, int, float[], double[], float[])}. */
    public static void backward(GaussianModel model, int activeDegree, float[] positions, double[] cameraCentre,
            float[] dColors, float[] dSh, float[] dPositions) {
        backward(model.count(), model.shCoefficients(), activeDegree, model.sh(), positions, cameraCentre, dColors,
                dSh, dPositions);
    }

    /**
     * Given dL/d(colour), ADDS dL/d(coefficients) into {@code dSh} (same layout as sh) and, unless null,
     * dL/d(position) into {@code dPositions}. The clamp is re-evaluated here, so no forward state is needed.
     */
    public static void backward(int count, int coefficients, int activeDegree, float[] sh, float[] positions,
            double[] cameraCentre, float[] dColors, float[] dSh, float[] dPositions) {
        check(count, coefficients, activeDegree, sh, positions, cameraCentre);
        if (dColors.length < 3 * count || dSh.length < sh.length
                || (dPositions != null && dPositions.length < 3 * count)) {
            throw new IllegalArgumentException("gradient arrays too short for " + count + " surfels");
        }
        int chunks = (count + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            double[] basis = new double[16];
            double[] dBasis = new double[16];
            double[] dir = new double[4];
            double[] gd = new double[3];
            int end = Math.min(count, (ch + 1) * CHUNK);
            for (int i = ch * CHUNK; i < end; i++) {
                direction(positions, i, cameraCentre, dir);
                int used = basis(activeDegree, dir[0], dir[1], dir[2], basis);
                int base = i * coefficients * 3;
                Arrays.fill(dBasis, 0, used, 0.0);
                boolean any = false;
                for (int c = 0; c < 3; c++) {
                    double v = 0.5;
                    for (int k = 0; k < used; k++) {
                        v += basis[k] * sh[base + 3 * k + c];
                    }
                    double g = dColors[3 * i + c];
                    if (v < 0 || g == 0) {
                        continue; // clamped: 3DGS passes no gradient where the colour was below 0
                    }
                    any = true;
                    for (int k = 0; k < used; k++) {
                        dSh[base + 3 * k + c] += (float) (g * basis[k]);
                        dBasis[k] += g * sh[base + 3 * k + c];
                    }
                }
                if (!any || dPositions == null || used == 1 || dir[3] == 0) {
                    continue;
                }
                Arrays.fill(gd, 0.0);
                basisBackward(activeDegree, dir[0], dir[1], dir[2], dBasis, gd);
                double gx = gd[0];
                double gy = gd[1];
                double gz = gd[2];
                // d = v / |v|: dL/dv = (g - d (d . g)) / |v|
                double proj = dir[0] * gx + dir[1] * gy + dir[2] * gz;
                double inv = 1 / dir[3];
                dPositions[3 * i] += (float) ((gx - dir[0] * proj) * inv);
                dPositions[3 * i + 1] += (float) ((gy - dir[1] * proj) * inv);
                dPositions[3 * i + 2] += (float) ((gz - dir[2] * proj) * inv);
            }
        });
    }

    private static void check(int count, int coefficients, int activeDegree, float[] sh, float[] positions,
            double[] cameraCentre) {
        if (activeDegree < 0 || activeDegree > 3 || (activeDegree + 1) * (activeDegree + 1) > coefficients) {
            throw new IllegalArgumentException("active SH degree " + activeDegree + " does not fit " + coefficients
                    + " coefficients per channel");
        }
        if (sh.length < 3 * coefficients * count || positions.length < 3 * count || cameraCentre.length != 3) {
            throw new IllegalArgumentException("SH inputs too short for " + count + " surfels");
        }
    }

    /**
     * Unit direction camera -> surfel into dir[0..2], its length before normalization into dir[3]. A surfel at the
     * camera centre (length 0) gets +z and no position gradient.
     */
    private static void direction(float[] positions, int i, double[] cam, double[] dir) {
        double x = positions[3 * i] - cam[0];
        double y = positions[3 * i + 1] - cam[1];
        double z = positions[3 * i + 2] - cam[2];
        double len = Math.sqrt(x * x + y * y + z * z);
        if (len == 0) {
            dir[0] = 0;
            dir[1] = 0;
            dir[2] = 1;
            dir[3] = 0;
            return;
        }
        dir[0] = x / len;
        dir[1] = y / len;
        dir[2] = z / len;
        dir[3] = len;
    }

    /** Fills the basis values for the degree, returns how many there are. */
    static int basis(int degree, double x, double y, double z, double[] b) {
        b[0] = C0;
        if (degree == 0) {
            return 1;
        }
        b[1] = -C1 * y;
        b[2] = C1 * z;
        b[3] = -C1 * x;
        if (degree == 1) {
            return 4;
        }
        double xx = x * x;
        double yy = y * y;
        double zz = z * z;
        b[4] = C2_0 * x * y;
        b[5] = C2_1 * y * z;
        b[6] = C2_2 * (2 * zz - xx - yy);
        b[7] = C2_3 * x * z;
        b[8] = C2_4 * (xx - yy);
        if (degree == 2) {
            return 9;
        }
        b[9] = C3_0 * y * (3 * xx - yy);
        b[10] = C3_1 * x * y * z;
        b[11] = C3_2 * y * (4 * zz - xx - yy);
        b[12] = C3_3 * z * (2 * zz - 3 * xx - 3 * yy);
        b[13] = C3_4 * x * (4 * zz - xx - yy);
        b[14] = C3_5 * z * (xx - yy);
        b[15] = C3_6 * x * (xx - 3 * yy);
        return 16;
    }

    /** Adds sum_k db[k] * dSH_k/d(x, y, z) into g. */
    private static void basisBackward(int degree, double x, double y, double z, double[] db, double[] g) {
        g[0] += -C1 * db[3];
        g[1] += -C1 * db[1];
        g[2] += C1 * db[2];
        if (degree == 1) {
            return;
        }
        double xx = x * x;
        double yy = y * y;
        double zz = z * z;
        g[0] += C2_0 * y * db[4] + C2_2 * (-2 * x) * db[6] + C2_3 * z * db[7] + C2_4 * 2 * x * db[8];
        g[1] += C2_0 * x * db[4] + C2_1 * z * db[5] + C2_2 * (-2 * y) * db[6] + C2_4 * (-2 * y) * db[8];
        g[2] += C2_1 * y * db[5] + C2_2 * 4 * z * db[6] + C2_3 * x * db[7];
        if (degree == 2) {
            return;
        }
        g[0] += C3_0 * 6 * x * y * db[9] + C3_1 * y * z * db[10] + C3_2 * (-2 * x * y) * db[11]
                + C3_3 * (-6 * x * z) * db[12] + C3_4 * (4 * zz - 3 * xx - yy) * db[13]
                + C3_5 * 2 * x * z * db[14] + C3_6 * (3 * xx - 3 * yy) * db[15];
        g[1] += C3_0 * (3 * xx - 3 * yy) * db[9] + C3_1 * x * z * db[10] + C3_2 * (4 * zz - xx - 3 * yy) * db[11]
                + C3_3 * (-6 * y * z) * db[12] + C3_4 * (-2 * x * y) * db[13] + C3_5 * (-2 * y * z) * db[14]
                + C3_6 * (-6 * x * y) * db[15];
        g[2] += C3_1 * x * y * db[10] + C3_2 * 8 * y * z * db[11] + C3_3 * (6 * zz - 3 * xx - 3 * yy) * db[12]
                + C3_4 * 8 * x * z * db[13] + C3_5 * (xx - yy) * db[14];
    }
}
