package org.diff2dgs.deform.internal;

import java.util.List;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.model.GaussianModel;

/**
 * The flexible deformation model of Deform3DGS with the 9 channels of Diff2DGS: per surfel i and channel c (0..2
 * position, 3..6 quaternion w, x, y, z, 7..8 log-scale) an offset delta_ic(t) = sum_b w_icb G(t; mu_icb, sigma_icb),
 * added to the raw canonical attribute. All of w, mu, sigma are learnable and per surfel.
 *
 * <p>One per-surfel tensor {@value #PARAMETER} of width 9 * 3 * B, laid out as the public code's
 * {@code reshape(N, 9, 3, B)}: for channel c the B weights, then the B centres, then the B widths.
 *
 * <p>A basis whose exponent exceeds {@value #CUTOFF} (value below 1e-30) is skipped. Its contribution to an offset is
 * far below float resolution, and its gradients would land in the float denormal range, where x86 arithmetic (here
 * and in Adam's moments) is about a hundred times slower; with Adam's eps of 1e-15 such gradients move a parameter by
 * less than 1e-15 of the learning rate. With the narrow initial widths only one or two of the 17 bases per channel are
 * active at any t, which makes both passes cheap.
 *
 * <p>Surfels are processed in parallel chunks; every output and gradient row belongs to one surfel, so results do not
 * depend on scheduling. Not for concurrent use by several threads.
 */
public final class GaussianBasisField implements DeformationField {

    public static final String PARAMETER = "deformation.coefs";
    public static final int CHANNELS = 9;
    /** Added to sigma^2 in the public code, so a basis never becomes a spike. */
    public static final double WIDTH_FLOOR = 1e-4;
    static final double CUTOFF = 69;
    private static final double SQRT_CUTOFF = Math.sqrt(CUTOFF);

    private static final int CHUNK = 1024;

    private final String modelName;
    private final BasisShape shape;
    private final int count;
    private final int rowWidth;
    private final Parameter coefs;

    GaussianBasisField(String modelName, BasisShape shape, int count, float[] values) {
        this.modelName = modelName;
        this.shape = shape;
        this.count = count;
        this.rowWidth = CHANNELS * 3 * shape.basisCount();
        if (values.length != count * rowWidth) {
            throw new IllegalArgumentException("deformation coefficients for " + count + " surfels need "
                    + count * rowWidth + " values, got " + values.length);
        }
        this.coefs = new Parameter(PARAMETER, count, rowWidth, values, new float[values.length]);
    }

    /** Identity at every t: zero weights, centres on linspace(0, 1, B), the shape's initial width. */
    static GaussianBasisField identity(String modelName, BasisShape shape, int count) {
        int width = CHANNELS * 3 * shape.basisCount();
        float[] v = new float[count * width];
        for (int i = 0; i < count; i++) {
            initRow(shape, v, i * width);
        }
        return new GaussianBasisField(modelName, shape, count, v);
    }

    private static void initRow(BasisShape shape, float[] v, int rowBase) {
        int b = shape.basisCount();
        for (int c = 0; c < CHANNELS; c++) {
            int base = rowBase + c * 3 * b;
            for (int k = 0; k < b; k++) {
                v[base + k] = 0f;
                v[base + b + k] = (float) shape.initialCentre(k);
                v[base + 2 * b + k] = (float) shape.initialSigma();
            }
        }
    }

    public BasisShape shape() {
        return shape;
    }

    @Override
    public String modelName() {
        return modelName;
    }

    @Override
    public int surfelCount() {
        return count;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(coefs);
    }

    @Override
    public void deform(double t, GaussianModel canonical, float[] positions, float[] rotations, float[] logScales) {
        checkArrays(canonical, positions, rotations, logScales);
        float[] v = coefs.value();
        float[] p0 = canonical.positions();
        float[] q0 = canonical.rotations();
        float[] s0 = canonical.logScales();
        int b = shape.basisCount();
        boolean squared = shape.squaredExponent();
        forChunks(chunk -> {
            int end = Math.min(count, (chunk + 1) * CHUNK);
            for (int i = chunk * CHUNK; i < end; i++) {
                int row = i * rowWidth;
                for (int c = 0; c < CHANNELS; c++) {
                    double delta = offset(v, row + c * 3 * b, b, t, squared);
                    if (c < 3) {
                        positions[3 * i + c] = (float) (p0[3 * i + c] + delta);
                    } else if (c < 7) {
                        rotations[4 * i + c - 3] = (float) (q0[4 * i + c - 3] + delta);
                    } else {
                        logScales[2 * i + c - 7] = (float) (s0[2 * i + c - 7] + delta);
                    }
                }
            }
        });
    }

    /** delta(t) of one channel whose coefficients start at {@code base}. */
    private static double offset(float[] v, int base, int b, double t, boolean squared) {
        double delta = 0;
        double reach = squared ? SQRT_CUTOFF : CUTOFF;
        for (int k = 0; k < b; k++) {
            double d = t - v[base + b + k];
            double sigma = v[base + 2 * b + k];
            double s = sigma * sigma + WIDTH_FLOOR;
            double dd = d * d;
            if (dd >= reach * s) {
                continue; // beyond the cut-off, decided without a division
            }
            double e = dd / s;
            delta += v[base + k] * FastExp.negExp(squared ? e * e : e);
        }
        return delta;
    }

    @Override
    public void backward(double t, GaussianModel canonical, float[] dPositions, float[] dRotations,
            float[] dLogScales) {
        checkArrays(canonical, dPositions, dRotations, dLogScales);
        float[] v = coefs.value();
        float[] grad = coefs.grad();
        int b = shape.basisCount();
        boolean squared = shape.squaredExponent();
        double reach = squared ? SQRT_CUTOFF : CUTOFF;
        forChunks(chunk -> {
            int end = Math.min(count, (chunk + 1) * CHUNK);
            for (int i = chunk * CHUNK; i < end; i++) {
                int row = i * rowWidth;
                for (int c = 0; c < CHANNELS; c++) {
                    double g = c < 3 ? dPositions[3 * i + c]
                            : c < 7 ? dRotations[4 * i + c - 3] : dLogScales[2 * i + c - 7];
                    if (g == 0) {
                        continue;
                    }
                    int base = row + c * 3 * b;
                    for (int k = 0; k < b; k++) {
                        double d = t - v[base + b + k];
                        double sigma = v[base + 2 * b + k];
                        double s = sigma * sigma + WIDTH_FLOOR;
                        double dd = d * d;
                        if (dd >= reach * s) {
                            continue;
                        }
                        double e = dd / s;
                        double basis = FastExp.negExp(squared ? e * e : e);
                        // dG/de = -2 e G (squared) or -G; de/dmu = -2 d / s; de/dsigma = -2 e sigma / s
                        double dGde = squared ? -2 * e * basis : -basis;
                        double gw = g * v[base + k] * dGde;
                        grad[base + k] += (float) (g * basis);
                        grad[base + b + k] += (float) (gw * (-2 * d / s));
                        grad[base + 2 * b + k] += (float) (gw * (-2 * e * sigma / s));
                    }
                }
            }
        });
    }

    @Override
    public GaussianBasisField reindex(int[] source) {
        float[] old = coefs.value();
        float[] v = new float[source.length * rowWidth];
        for (int j = 0; j < source.length; j++) {
            int s = source[j];
            if (s < -1 || s >= count) {
                throw new IllegalArgumentException("reindex source row " + s + " outside 0.." + (count - 1));
            }
            if (s >= 0) {
                System.arraycopy(old, s * rowWidth, v, j * rowWidth, rowWidth);
            } else {
                initRow(shape, v, j * rowWidth);
            }
        }
        return new GaussianBasisField(modelName, shape, source.length, v);
    }

    private void checkArrays(GaussianModel canonical, float[] positions, float[] rotations, float[] logScales) {
        if (canonical.count() != count) {
            throw new IllegalArgumentException("deformation field has " + count + " surfels, model has "
                    + canonical.count());
        }
        if (positions.length < 3 * count || rotations.length < 4 * count || logScales.length < 2 * count) {
            throw new IllegalArgumentException("deformation arrays shorter than " + count + " surfels");
        }
        if (positions == canonical.positions() || rotations == canonical.rotations()
                || logScales == canonical.logScales()) {
            throw new IllegalArgumentException("deformed arrays must not alias the canonical model");
        }
    }

    private void forChunks(java.util.function.IntConsumer body) {
        int chunks = (count + CHUNK - 1) / CHUNK;
        if (chunks <= 1) {
            for (int c = 0; c < chunks; c++) {
                body.accept(c);
            }
        } else {
            IntStream.range(0, chunks).parallel().forEach(body);
        }
    }
}
