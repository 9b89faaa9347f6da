package org.diff2dgs.cuda.internal.parity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table of named tensor comparisons (GPU against its CPU reference) for a long parity check, so one device run
 * shows which tensors diverge and how: the elementwise relative error of {@link RelativeError} with the floor it
 * used, the normwise relative error ({@link RelativeError#norm}), how many
 * values are not bit-equal and how many changed sign. Sign changes are what Adam with a tiny epsilon turns into
 * full-size steps in opposite directions (its update is about lr * sign(m) when |g| is far above eps).
 */
public final class TensorComparison {

    /** One compared tensor. */
    public record Row(String name, double maxRelError, double floor, double normRelError, long notBitEqual,
            long signChanged, long count, long outside) {
    }

    private final List<Row> rows = new ArrayList<>();

    /** Compares with the default floor (1e-3 of the reference's largest magnitude). */
    public Row add(String name, float[] gpu, float[] cpu) {
        Row r = compare(name, gpu, cpu);
        rows.add(r);
        return r;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The row with the largest elementwise error (NaN and infinity count as largest), or null when empty. */
    public Row worst() {
        Row w = null;
        for (Row r : rows) {
            if (w == null || !(r.maxRelError() <= w.maxRelError())) {
                w = r;
            }
        }
        return w;
    }

    /** The row with the largest normwise error (NaN and infinity count as largest), or null when empty. */
    public Row worstNorm() {
        Row w = null;
        for (Row r : rows) {
            if (w == null || !(r.normRelError() <= w.normRelError())) {
                w = r;
            }
        }
        return w;
    }

    public static Row compare(String name, float[] gpu, float[] cpu) {
        double maxAbs = 0;
        for (float c : cpu) {
            maxAbs = Math.max(maxAbs, Math.abs((double) c));
        }
        double floor = Math.max(maxAbs * RelativeError.DEFAULT_FLOOR, Double.MIN_NORMAL);
        double error = RelativeError.max(gpu, cpu);
        long differ = 0;
        long sign = 0;
        if (gpu.length == cpu.length) {
            for (int i = 0; i < cpu.length; i++) {
                if (Float.floatToIntBits(gpu[i]) != Float.floatToIntBits(cpu[i])) {
                    differ++;
                }
                if (gpu[i] * cpu[i] < 0) {
                    sign++;
                }
            }
        } else {
            differ = Math.max(gpu.length, cpu.length);
        }
        // values off by more than 1e-3 relative (with the floor): how local a difference is
        long out = 0;
        if (gpu.length == cpu.length) {
            for (int i = 0; i < cpu.length; i++) {
                if (!(Math.abs((double) gpu[i] - cpu[i]) <= 1e-3 * Math.max(Math.abs((double) cpu[i]), floor))) {
                    out++;
                }
            }
        }
        return new Row(name, error, floor, RelativeError.norm(gpu, cpu), differ, sign, cpu.length, out);
    }

    /** One line per tensor, each starting with {@code indent}, after a header line. */
    public String format(String indent) {
        StringBuilder s = new StringBuilder();
        s.append(indent).append(String.format(Locale.ROOT, "%-34s %10s %10s %10s %12s %10s %10s %10s", "tensor",
                "norm rel", "max rel", "floor", "not bit-eq", "over 1e-3", "sign chg", "values"));
        for (Row r : rows) {
            s.append('\n').append(indent).append(String.format(Locale.ROOT,
                    "%-34s %10.3e %10.3e %10.3e %12d %10d %10d %10d", r.name(), r.normRelError(), r.maxRelError(),
                    r.floor(), r.notBitEqual(), r.outside(), r.signChanged(), r.count()));
        }
        return s.toString();
    }
}
