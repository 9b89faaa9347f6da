package org.diff2dgs.deform.internal;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.model.GaussianModel;

/**
 * A deformation field shared by all surfels: one small MLP maps (encoded canonical position, encoded t) to the 9
 * offsets (3 position, 4 quaternion, 2 log-scale) that are added to the raw canonical attributes, in the spirit of the
 * deformation networks of D-3DGS / 4DGS but without their feature grids. About 6.5k weights instead of 459 per surfel.
 *
 * <p>Tensors (all shared, rows = 0): {@code mlp.w1} [inputs x hidden] (position inputs first, then time inputs),
 * {@code mlp.b1}, {@code mlp.w2} [hidden x hidden], {@code mlp.b2}, {@code mlp.w3} [hidden x 9], {@code mlp.b3}, and
 * {@code mlp.normalization} (centre x, y, z and inverse half extent of the canonical bounding box at creation). The
 * last one is part of the function, not learned: it never receives a gradient, so Adam leaves it unchanged, and it
 * travels with the checkpoint. The output layer starts at zero, so the field is the identity at creation.
 *
 * <p>The gradient is not propagated to the canonical positions through the network input (they are treated as
 * constants here; {@link DeformationField#backward} has no output for it): a deliberate simplification, positions
 * still get the direct gradient of "canonical + offset" from the trainer.
 *
 * <p>Surfels are split into a fixed number of chunks that depends only on the surfel count; per-chunk weight gradients
 * are summed in chunk order, so results are deterministic. Work buffers are kept between calls; not for concurrent
 * use by several threads.
 */
public final class MlpField implements DeformationField {

    public static final String W1 = "mlp.w1";
    public static final String B1 = "mlp.b1";
    public static final String W2 = "mlp.w2";
    public static final String B2 = "mlp.b2";
    public static final String W3 = "mlp.w3";
    public static final String B3 = "mlp.b3";
    public static final String NORMALIZATION = "mlp.normalization";
    static final int OUT = 9;

    private static final int TILE = 32;
    private static final int MAX_CHUNKS = 64;
    private static final int MIN_CHUNK = 512;

    private final String modelName;
    private final MlpArchitecture arch;
    private final int count;
    private final Parameter w1;
    private final Parameter b1;
    private final Parameter w2;
    private final Parameter b2;
    private final Parameter w3;
    private final Parameter b3;
    private final Parameter normalization;

    private final int inP;
    private final int inT;
    private final int hid;
    private final float[] timeEncoding;
    private final float[] bias1;
    private final float[][] w1Rows;
    private final float[][] w2Rows;
    private final float[][] w3Rows;
    private final float[][] w2tRows;
    private final float[][] w3tRows;
    private final float[] db1;
    private Scratch[] scratch = new Scratch[0];

    MlpField(String modelName, MlpArchitecture arch, int count, float[] w1v, float[] b1v, float[] w2v, float[] b2v,
            float[] w3v, float[] b3v, float[] norm) {
        this.modelName = modelName;
        this.arch = arch;
        this.count = count;
        this.inP = arch.positionInputs();
        this.inT = arch.timeInputs();
        this.hid = arch.hidden();
        this.w1 = shared(W1, w1v, arch.inputs() * hid);
        this.b1 = shared(B1, b1v, hid);
        this.w2 = shared(W2, w2v, hid * hid);
        this.b2 = shared(B2, b2v, hid);
        this.w3 = shared(W3, w3v, hid * OUT);
        this.b3 = shared(B3, b3v, OUT);
        this.normalization = shared(NORMALIZATION, norm, 4);
        this.timeEncoding = new float[inT];
        this.bias1 = new float[hid];
        this.w1Rows = new float[inP][hid];
        this.w2Rows = new float[hid][hid];
        this.w3Rows = new float[hid][OUT];
        this.w2tRows = new float[hid][hid];
        this.w3tRows = new float[OUT][hid];
        this.db1 = new float[hid];
    }

    private static Parameter shared(String name, float[] v, int size) {
        if (v.length != size) {
            throw new IllegalArgumentException("MLP tensor " + name + " needs " + size + " values, got " + v.length);
        }
        return new Parameter(name, 0, size, v, new float[size]);
    }

    /** PyTorch's default Linear init (uniform +-1/sqrt(fan_in)) for the hidden layers, a zero output layer. */
    public static MlpField create(String modelName, MlpArchitecture arch, GaussianModel canonical, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int in = arch.inputs();
        int h = arch.hidden();
        float[] w1v = uniform(rnd, in * h, 1 / Math.sqrt(in));
        float[] b1v = uniform(rnd, h, 1 / Math.sqrt(in));
        float[] w2v = uniform(rnd, h * h, 1 / Math.sqrt(h));
        float[] b2v = uniform(rnd, h, 1 / Math.sqrt(h));
        return new MlpField(modelName, arch, canonical.count(), w1v, b1v, w2v, b2v, new float[h * OUT],
                new float[OUT], boundingNormalization(canonical));
    }

    private static float[] uniform(SplittableRandom rnd, int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((2 * rnd.nextDouble() - 1) * bound);
        }
        return v;
    }

    /** Centre and inverse half extent (largest axis) of the canonical positions. */
    static float[] boundingNormalization(GaussianModel canonical) {
        float[] p = canonical.positions();
        if (canonical.count() == 0) {
            return new float[] {0, 0, 0, 1};
        }
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < canonical.count(); i++) {
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], p[3 * i + a]);
                hi[a] = Math.max(hi[a], p[3 * i + a]);
            }
        }
        double half = 0;
        for (int a = 0; a < 3; a++) {
            half = Math.max(half, (hi[a] - lo[a]) / 2);
        }
        double inv = half > 0 && Double.isFinite(half) ? 1 / half : 1;
        return new float[] {(float) ((lo[0] + hi[0]) / 2), (float) ((lo[1] + hi[1]) / 2),
                (float) ((lo[2] + hi[2]) / 2), (float) inv};
    }

    public MlpArchitecture architecture() {
        return arch;
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
        return List.of(w1, b1, w2, b2, w3, b3, normalization);
    }

    @Override
    public MlpField reindex(int[] source) {
        for (int s : source) {
            if (s < -1 || s >= count) {
                throw new IllegalArgumentException("reindex source row " + s + " outside 0.." + (count - 1));
            }
        }
        return new MlpField(modelName, arch, source.length, w1.value().clone(), b1.value().clone(),
                w2.value().clone(), b2.value().clone(), w3.value().clone(), b3.value().clone(),
                normalization.value().clone());
    }

    /**
     * Per-chunk work buffers and partial weight gradients. Rows are separate arrays on purpose: the JIT vectorizes
     * {@code a[j] += x * b[j]} only when both sides use the same index, which row arrays give us.
     */
    private final class Scratch {
        final float[][] enc = new float[TILE][inP];
        final float[][] h1 = new float[TILE][hid];
        final float[][] h2 = new float[TILE][hid];
        final float[][] out = new float[TILE][OUT];
        final float[][] d1 = new float[TILE][hid];
        final float[][] d2 = new float[TILE][hid];
        final float[][] gw1 = new float[inP][hid];
        final float[] gb1 = new float[hid];
        final float[][] gw2 = new float[hid][hid];
        final float[] gb2 = new float[hid];
        final float[][] gw3 = new float[hid][OUT];
        final float[] gb3 = new float[OUT];
        final int[] nz = new int[Math.max(TILE, Math.max(inP, hid))];
        final float[] column = new float[TILE];

        void clearGradients() {
            for (float[] r : gw1) {
                Arrays.fill(r, 0f);
            }
            for (float[] r : gw2) {
                Arrays.fill(r, 0f);
            }
            for (float[] r : gw3) {
                Arrays.fill(r, 0f);
            }
            Arrays.fill(gb1, 0f);
            Arrays.fill(gb2, 0f);
            Arrays.fill(gb3, 0f);
        }
    }

    private int chunks() {
        return Math.max(1, Math.min(MAX_CHUNKS, (count + MIN_CHUNK - 1) / MIN_CHUNK));
    }

    private void ensureScratch(int chunks) {
        if (scratch.length < chunks) {
            Scratch[] s = Arrays.copyOf(scratch, chunks);
            for (int i = scratch.length; i < chunks; i++) {
                s[i] = new Scratch();
            }
            scratch = s;
        }
    }

    /** Copies a flat [rows x cols] tensor into row arrays (and optionally its transpose). */
    private static void toRows(float[] flat, float[][] rows, float[][] transposed) {
        int cols = rows[0].length;
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(flat, r * cols, rows[r], 0, cols);
            if (transposed != null) {
                for (int c = 0; c < cols; c++) {
                    transposed[c][r] = flat[r * cols + c];
                }
            }
        }
    }

    /**
     * Time encoding, the time part of layer 1 folded into its bias (the same for every surfel), and the weights as
     * row arrays for this call.
     */
    private void prepare(double t, boolean transposes) {
        timeEncoding[0] = (float) t;
        for (int k = 0; k < arch.timeFrequencies(); k++) {
            double a = Math.scalb(Math.PI, k) * t;
            timeEncoding[1 + 2 * k] = (float) Math.sin(a);
            timeEncoding[2 + 2 * k] = (float) Math.cos(a);
        }
        float[] w = w1.value();
        System.arraycopy(b1.value(), 0, bias1, 0, hid);
        for (int i = 0; i < inT; i++) {
            float e = timeEncoding[i];
            int row = (inP + i) * hid;
            for (int j = 0; j < hid; j++) {
                bias1[j] += e * w[row + j];
            }
        }
        for (int r = 0; r < inP; r++) {
            System.arraycopy(w, r * hid, w1Rows[r], 0, hid);
        }
        toRows(w2.value(), w2Rows, transposes ? w2tRows : null);
        toRows(w3.value(), w3Rows, transposes ? w3tRows : null);
    }

    @Override
    public void deform(double t, GaussianModel canonical, float[] positions, float[] rotations, float[] logScales) {
        checkArrays(canonical, positions, rotations, logScales);
        prepare(t, false);
        int chunks = chunks();
        ensureScratch(chunks);
        float[] p0 = canonical.positions();
        float[] q0 = canonical.rotations();
        float[] s0 = canonical.logScales();
        IntStream.range(0, chunks).parallel().forEach(c -> {
            Scratch s = scratch[c];
            int start = (int) ((long) c * count / chunks);
            int end = (int) ((long) (c + 1) * count / chunks);
            for (int tile = start; tile < end; tile += TILE) {
                int m = Math.min(TILE, end - tile);
                forwardTile(s, p0, tile, m);
                for (int k = 0; k < m; k++) {
                    int i = tile + k;
                    float[] o = s.out[k];
                    positions[3 * i] = p0[3 * i] + o[0];
                    positions[3 * i + 1] = p0[3 * i + 1] + o[1];
                    positions[3 * i + 2] = p0[3 * i + 2] + o[2];
                    for (int r = 0; r < 4; r++) {
                        rotations[4 * i + r] = q0[4 * i + r] + o[3 + r];
                    }
                    logScales[2 * i] = s0[2 * i] + o[7];
                    logScales[2 * i + 1] = s0[2 * i + 1] + o[8];
                }
            }
        });
    }

    /** Encodes positions tile..tile+m and runs the three layers; leaves h1, h2 (after ReLU) and out in s. */
    private void forwardTile(Scratch s, float[] p0, int tile, int m) {
        float[] norm = normalization.value();
        int lp = arch.positionFrequencies();
        for (int k = 0; k < m; k++) {
            int i = tile + k;
            float[] enc = s.enc[k];
            for (int a = 0; a < 3; a++) {
                double u = (p0[3 * i + a] - norm[a]) * (double) norm[3];
                enc[a] = (float) u;
                double sn = Math.sin(Math.PI * u);
                double cs = Math.cos(Math.PI * u);
                int fb = 3 + a * 2 * lp;
                for (int f = 0; f < lp; f++) {
                    enc[fb + 2 * f] = (float) sn;
                    enc[fb + 2 * f + 1] = (float) cs;
                    double sn2 = 2 * sn * cs;
                    cs = cs * cs - sn * sn; // double-angle recurrence: one sin/cos pair per coordinate
                    sn = sn2;
                }
            }
        }
        dense(s.enc, m, w1Rows, bias1, s.h1, true, s.nz);
        dense(s.h1, m, w2Rows, b2.value(), s.h2, true, s.nz);
        dense(s.h2, m, w3Rows, b3.value(), s.out, false, s.nz);
    }

    /**
     * out[k] = bias + sum_i in[k][i] * w[i] for m rows, optionally followed by ReLU. The non-zero inputs are gathered
     * first (ReLU makes about half of them zero).
     */
    private static void dense(float[][] in, int m, float[][] w, float[] bias, float[][] out, boolean relu,
            int[] nz) {
        for (int k = 0; k < m; k++) {
            float[] acc = out[k];
            System.arraycopy(bias, 0, acc, 0, acc.length);
            float[] x = in[k];
            int c = 0;
            for (int i = 0; i < x.length; i++) {
                if (x[i] != 0) {
                    nz[c++] = i;
                }
            }
            axpyRows(x, nz, c, w, acc);
            if (relu) {
                for (int j = 0; j < acc.length; j++) {
                    acc[j] = Math.max(acc[j], 0f);
                }
            }
        }
    }

    /** acc += sum over the listed r of coef[r] * rows[r], four rows per pass over acc. */
    private static void axpyRows(float[] coef, int[] list, int count, float[][] rows, float[] acc) {
        int n = acc.length;
        int q = 0;
        for (; q + 3 < count; q += 4) {
            float x0 = coef[list[q]];
            float x1 = coef[list[q + 1]];
            float x2 = coef[list[q + 2]];
            float x3 = coef[list[q + 3]];
            float[] r0 = rows[list[q]];
            float[] r1 = rows[list[q + 1]];
            float[] r2 = rows[list[q + 2]];
            float[] r3 = rows[list[q + 3]];
            for (int j = 0; j < n; j++) {
                acc[j] += x0 * r0[j] + x1 * r1[j] + x2 * r2[j] + x3 * r3[j];
            }
        }
        for (; q < count; q++) {
            float x = coef[list[q]];
            float[] r = rows[list[q]];
            for (int j = 0; j < n; j++) {
                acc[j] += x * r[j];
            }
        }
    }

    @Override
    public void backward(double t, GaussianModel canonical, float[] dPositions, float[] dRotations,
            float[] dLogScales) {
        checkArrays(canonical, dPositions, dRotations, dLogScales);
        prepare(t, true);
        int chunks = chunks();
        ensureScratch(chunks);
        float[] p0 = canonical.positions();
        IntStream.range(0, chunks).parallel().forEach(c -> {
            Scratch s = scratch[c];
            s.clearGradients();
            int start = (int) ((long) c * count / chunks);
            int end = (int) ((long) (c + 1) * count / chunks);
            for (int tile = start; tile < end; tile += TILE) {
                int m = Math.min(TILE, end - tile);
                backwardTile(s, p0, tile, m, dPositions, dRotations, dLogScales);
            }
        });
        // sum the chunks in a fixed order: deterministic
        Arrays.fill(db1, 0f);
        for (int c = 0; c < chunks; c++) {
            Scratch s = scratch[c];
            addRows(s.gw1, w1.grad());
            addRows(s.gw2, w2.grad());
            addRows(s.gw3, w3.grad());
            add(s.gb1, db1, 0);
            add(s.gb2, b2.grad(), 0);
            add(s.gb3, b3.grad(), 0);
        }
        float[] gb1 = b1.grad();
        float[] gw1 = w1.grad();
        for (int j = 0; j < hid; j++) {
            gb1[j] += db1[j];
        }
        // the time inputs are the same for every surfel: their weight gradient is encoding x summed dL/dz1
        for (int i = 0; i < inT; i++) {
            float e = timeEncoding[i];
            int row = (inP + i) * hid;
            for (int j = 0; j < hid; j++) {
                gw1[row + j] += e * db1[j];
            }
        }
    }

    private static void addRows(float[][] rows, float[] flat) {
        int cols = rows[0].length;
        for (int r = 0; r < rows.length; r++) {
            add(rows[r], flat, r * cols);
        }
    }

    private static void add(float[] src, float[] dst, int offset) {
        for (int i = 0; i < src.length; i++) {
            dst[offset + i] += src[i];
        }
    }

    private void backwardTile(Scratch s, float[] p0, int tile, int m, float[] dPositions, float[] dRotations,
            float[] dLogScales) {
        boolean any = false;
        for (int k = 0; k < m && !any; k++) {
            int i = tile + k;
            any = dPositions[3 * i] != 0 || dPositions[3 * i + 1] != 0 || dPositions[3 * i + 2] != 0
                    || dRotations[4 * i] != 0 || dRotations[4 * i + 1] != 0 || dRotations[4 * i + 2] != 0
                    || dRotations[4 * i + 3] != 0 || dLogScales[2 * i] != 0 || dLogScales[2 * i + 1] != 0;
        }
        if (!any) {
            return;
        }
        forwardTile(s, p0, tile, m);
        float[][] dOut = s.out; // the outputs are not needed any more: reuse the rows for their gradient
        for (int k = 0; k < m; k++) {
            int i = tile + k;
            float[] o = dOut[k];
            o[0] = dPositions[3 * i];
            o[1] = dPositions[3 * i + 1];
            o[2] = dPositions[3 * i + 2];
            for (int r = 0; r < 4; r++) {
                o[3 + r] = dRotations[4 * i + r];
            }
            o[7] = dLogScales[2 * i];
            o[8] = dLogScales[2 * i + 1];
        }
        // layer 3
        outerAdd(s.h2, dOut, m, s.gw3, s.gb3, s.nz, s.column);
        backInput(dOut, m, w3tRows, s.h2, s.d2, s.nz);
        // layer 2
        outerAdd(s.h1, s.d2, m, s.gw2, s.gb2, s.nz, s.column);
        backInput(s.d2, m, w2tRows, s.h1, s.d1, s.nz);
        // layer 1 (position rows; the time rows are added once per call)
        outerAdd(s.enc, s.d1, m, s.gw1, s.gb1, s.nz, s.column);
    }

    /** gw[i] += sum_k in[k][i] * d[k], gb += sum_k d[k]. */
    private static void outerAdd(float[][] in, float[][] d, int m, float[][] gw, float[] gb, int[] nz,
            float[] column) {
        for (int k = 0; k < m; k++) {
            float[] dk = d[k];
            for (int j = 0; j < gb.length; j++) {
                gb[j] += dk[j];
            }
        }
        for (int i = 0; i < gw.length; i++) {
            // the surfels whose input i is not zero
            int c = 0;
            for (int k = 0; k < m; k++) {
                float x = in[k][i];
                if (x != 0) {
                    column[k] = x;
                    nz[c++] = k;
                }
            }
            axpyRows(column, nz, c, d, gw[i]);
        }
    }

    /**
     * dIn[k] = (sum_j d[k][j] * wT[j]) masked by ReLU (act[k] &gt; 0): the gradient at the previous layer's
     * pre-activation.
     */
    private static void backInput(float[][] d, int m, float[][] wT, float[][] act, float[][] dIn, int[] nz) {
        for (int k = 0; k < m; k++) {
            float[] acc = dIn[k];
            Arrays.fill(acc, 0f);
            float[] dk = d[k];
            int c = 0;
            for (int j = 0; j < dk.length; j++) {
                if (dk[j] != 0) {
                    nz[c++] = j;
                }
            }
            axpyRows(dk, nz, c, wT, acc);
            float[] a = act[k];
            for (int i = 0; i < acc.length; i++) {
                if (!(a[i] > 0)) {
                    acc[i] = 0;
                }
            }
        }
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
}
