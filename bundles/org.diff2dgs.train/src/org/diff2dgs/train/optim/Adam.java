package org.diff2dgs.train.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.Parameter;

/**
 * Adam (Kingma and Ba 2015) with the update of {@code torch.optim.Adam} (no weight decay, no AMSGrad): m = b1 m + (1 -
 * b1) g, v = b2 v + (1 - b2) g^2, p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps), with t the step count
 * of that parameter. Every {@link Parameter} is its own group with its own learning rate, as the 3DGS family
 * registers one tensor per group. eps defaults to 1e-15, the value of the public 3DGS / Diff2DGS code: so small that
 * the update size no longer depends on the gradient's magnitude, which is what lets surfels with tiny gradients (for
 * instance Gaussian time bases far from the current time) still move.
 *
 * <p>Densification changes the number of rows of per-surfel parameters: {@link #reindex(Parameter, int[])} keeps the
 * moments of surviving rows and gives new rows zero moments (like 3DGS's cat/prune of the optimizer state), and the
 * step count survives, as in PyTorch. Updates run in parallel over elements; the result is deterministic.
 */
public final class Adam {

    public static final double DEFAULT_EPS = 1e-15;

    private static final int CHUNK = 1 << 15;

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    private static final class Group {
        Parameter parameter;
        double lr;
        float[] m;
        float[] v;
        long step;
        /** Per-column factors of the rate (null = 1 everywhere), e.g. the SH DC term against the higher orders. */
        float[] columnScale;
    }

    /** beta1 0.9, beta2 0.999, eps 1e-15. */
    public Adam() {
        this(0.9, 0.999, DEFAULT_EPS);
    }

    public Adam(double beta1, double beta2, double eps) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0)) {
            throw new IllegalArgumentException("Adam needs 0 <= beta < 1 and eps >= 0, got " + beta1 + ", " + beta2
                    + ", " + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** Registers a parameter with zero moments and step 0. */
    public void add(Parameter parameter, double learningRate) {
        if (groups.containsKey(parameter.name())) {
            throw new IllegalArgumentException("parameter " + parameter.name() + " is already registered");
        }
        Group g = new Group();
        g.parameter = parameter;
        g.lr = learningRate;
        g.m = new float[parameter.value().length];
        g.v = new float[parameter.value().length];
        groups.put(parameter.name(), g);
    }

    public List<String> names() {
        return new ArrayList<>(groups.keySet());
    }

    public Parameter parameter(String name) {
        return group(name).parameter;
    }

    public void setLearningRate(String name, double learningRate) {
        group(name).lr = learningRate;
    }

    /**
     * Scales the rate of each column of a parameter (one factor per value of a row): 3DGS gives the SH DC
     * coefficients feature_lr and the higher orders feature_lr / 20 as two tensors; here one tensor with two rates.
     */
    public void setColumnScale(String name, float[] scale) {
        Group g = group(name);
        if (scale != null && scale.length != g.parameter.width()) {
            throw new IllegalArgumentException("column scale of " + name + " has " + scale.length
                    + " values but a row has " + g.parameter.width());
        }
        g.columnScale = scale == null ? null : scale.clone();
    }

    public double learningRate(String name) {
        return group(name).lr;
    }

    /** Number of updates applied to this parameter so far (the t of the bias correction). */
    public long stepCount(String name) {
        return group(name).step;
    }

    /** One update of every registered parameter from its accumulated gradient. */
    public void step() {
        for (Group g : groups.values()) {
            update(g, false);
        }
    }

    /**
     * {@link #step()} followed by {@link #zeroGrad()} in one pass over memory (the per-surfel deformation tensors are
     * hundreds of MB, so a separate zeroing pass is measurable).
     */
    public void stepAndZeroGrad() {
        for (Group g : groups.values()) {
            update(g, true);
        }
    }

    /** One update of one parameter (e.g. to skip frozen ones). */
    public void step(String name) {
        update(group(name), false);
    }

    /** Sets all gradients to 0. */
    public void zeroGrad() {
        for (Group g : groups.values()) {
            float[] grad = g.parameter.grad();
            int chunks = (grad.length + CHUNK - 1) / CHUNK;
            IntStream.range(0, chunks).parallel()
                    .forEach(c -> Arrays.fill(grad, c * CHUNK, Math.min(grad.length, (c + 1) * CHUNK), 0f));
        }
    }

    /**
     * Replaces a parameter by one of the same name and size (e.g. a deformation field's shared tensors after
     * {@code reindex}), keeping its moments and step count.
     */
    public void rebind(Parameter replacement) {
        Group g = group(replacement.name());
        if (replacement.value().length != g.m.length) {
            throw new IllegalArgumentException("parameter " + replacement.name() + " has " + replacement.value().length
                    + " values but its optimizer state has " + g.m.length + "; use reindex");
        }
        g.parameter = replacement;
    }

    /**
     * Rebuilds the moments of per-surfel parameter {@code name} for a new set of rows: new row j takes the moments of
     * old row {@code source[j]}, or zeros when it is -1. Call {@link #rebind} with the parameter of the new size
     * before the next step (or use {@link #reindex(Parameter, int[])}).
     */
    public void reindex(String name, int[] source) {
        Group g = group(name);
        Parameter p = g.parameter;
        if (!p.perSurfel()) {
            throw new IllegalArgumentException("parameter " + name + " is shared, not per surfel: it has no rows");
        }
        int width = p.width();
        int oldRows = g.m.length / width;
        float[] m = new float[source.length * width];
        float[] v = new float[source.length * width];
        for (int j = 0; j < source.length; j++) {
            int s = source[j];
            if (s < -1 || s >= oldRows) {
                throw new IllegalArgumentException("reindex of " + name + ": source row " + s + " outside 0.."
                        + (oldRows - 1));
            }
            if (s >= 0) {
                System.arraycopy(g.m, s * width, m, j * width, width);
                System.arraycopy(g.v, s * width, v, j * width, width);
            }
        }
        g.m = m;
        g.v = v;
    }

    /** {@link #reindex(String, int[])} and {@link #rebind} in one call. */
    public void reindex(Parameter replacement, int[] source) {
        if (replacement.rows() != source.length) {
            throw new IllegalArgumentException("parameter " + replacement.name() + " has " + replacement.rows()
                    + " rows but the reindex has " + source.length);
        }
        reindex(replacement.name(), source);
        rebind(replacement);
    }

    /**
     * The optimizer state for a checkpoint: per parameter {@code name + ".exp_avg"}, {@code ".exp_avg_sq"},
     * {@code ".step"} (one value) and {@code ".lr"} (two floats whose sum is the rate). Arrays are copies.
     */
    public Map<String, float[]> state() {
        return state(true);
    }

    /**
     * {@link #state()} without copying the moments: the arrays are the optimizer's own and change with the next
     * step or reindex (for writing a checkpoint at once without doubling the memory).
     */
    public Map<String, float[]> stateView() {
        return state(false);
    }

    private Map<String, float[]> state(boolean copy) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Group> e : groups.entrySet()) {
            Group g = e.getValue();
            out.put(e.getKey() + ".exp_avg", copy ? g.m.clone() : g.m);
            out.put(e.getKey() + ".exp_avg_sq", copy ? g.v.clone() : g.v);
            out.put(e.getKey() + ".step", new float[] {g.step});
            // the learning rate as a float pair (hi + lo) so that a resumed run continues with the same rate
            float hi = (float) g.lr;
            out.put(e.getKey() + ".lr", new float[] {hi, (float) (g.lr - hi)});
        }
        return out;
    }

    /**
     * Restores moments, step counts and learning rates saved by {@link #state()} for every registered parameter
     * (register them first, with their restored values). Missing or mis-sized entries are an error naming the entry.
     */
    public void restore(Map<String, float[]> state) {
        for (Map.Entry<String, Group> e : groups.entrySet()) {
            String name = e.getKey();
            Group g = e.getValue();
            float[] m = entry(state, name + ".exp_avg", g.m.length);
            float[] v = entry(state, name + ".exp_avg_sq", g.v.length);
            float[] step = entry(state, name + ".step", 1);
            float[] lr = state.get(name + ".lr");
            if (!(step[0] >= 0) || step[0] != Math.rint(step[0])) {
                throw new IllegalArgumentException("optimizer state " + name + ".step is not a step count: " + step[0]);
            }
            g.m = m.clone();
            g.v = v.clone();
            g.step = (long) step[0];
            if (lr != null && lr.length == 2) {
                g.lr = (double) lr[0] + lr[1];
            }
        }
    }

    private static float[] entry(Map<String, float[]> state, String key, int length) {
        float[] a = state.get(key);
        if (a == null) {
            throw new IllegalArgumentException("optimizer state has no entry " + key);
        }
        if (a.length != length) {
            throw new IllegalArgumentException("optimizer state " + key + " has " + a.length + " values, expected "
                    + length);
        }
        return a;
    }

    private Group group(String name) {
        Group g = groups.get(name);
        if (g == null) {
            throw new IllegalArgumentException("no parameter named " + name + " is registered with the optimizer");
        }
        return g;
    }

    private void update(Group g, boolean zeroGrad) {
        float[] p = g.parameter.value();
        float[] grad = g.parameter.grad();
        if (p.length != g.m.length) {
            throw new IllegalStateException("parameter " + g.parameter.name() + " has " + p.length
                    + " values but its optimizer state has " + g.m.length + " (reindex/rebind missing)");
        }
        g.step++;
        double bc1 = 1 - Math.pow(beta1, g.step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, g.step));
        float stepSize = (float) (g.lr / bc1);
        float invBc2 = (float) (1 / bc2Sqrt);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float omb1 = (float) (1 - beta1);
        float omb2 = (float) (1 - beta2);
        float e = (float) eps;
        float[] m = g.m;
        float[] v = g.v;
        float[] scale = g.columnScale;
        int width = g.parameter.width();
        int chunks = (p.length + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int end = Math.min(p.length, (c + 1) * CHUNK);
            for (int i = c * CHUNK; i < end; i++) {
                float gi = grad[i];
                if (zeroGrad) {
                    grad[i] = 0f;
                }
                float mi = b1 * m[i] + omb1 * gi;
                float vi = b2 * v[i] + omb2 * gi * gi;
                m[i] = mi;
                v[i] = vi;
                float rate = scale == null ? stepSize : stepSize * scale[i % width];
                p[i] -= rate * mi / ((float) Math.sqrt(vi) * invBc2 + e);
            }
        });
    }
}
