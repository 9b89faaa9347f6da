package org.diff2dgs.cuda.internal.session;

import java.util.Map;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.train.DensifyKernels;
import org.diff2dgs.cuda.internal.train.FusedAdam;

/**
 * One learnable per-surfel tensor on the device with its gradient and Adam state (an optimizer group of
 * org.diff2dgs.train.optim.Adam: moments, step count, rate, optional per-column rate scale). Public for the host-layer
 * tests on the stand-in driver (a density control's memory and results); the session is its only user.
 */
public final class DeviceParameter implements AutoCloseable {

    final String name;
    final int width;
    private final CudaContext cuda;
    private final DeviceBuffer columnScale;
    int rows;
    DeviceBuffer values;
    DeviceBuffer grad;
    DeviceBuffer m;
    DeviceBuffer v;
    double lr;
    long step;

    /** Uploads the values; zero gradient; moments, step and rate from {@code optimizer} when it has them. */
    public DeviceParameter(CudaContext cuda, String name, int rows, int width, float[] host, double lr,
            float[] columnScale, Map<String, float[]> optimizer) {
        if (host.length != (long) rows * width) {
            throw new IllegalArgumentException(name + " has " + host.length + " values, expected " + rows + " x "
                    + width);
        }
        this.cuda = cuda;
        this.name = name;
        this.width = width;
        this.rows = rows;
        this.lr = lr;
        this.columnScale = columnScale == null ? null : cuda.upload(columnScale, name + " column rate scale");
        values = upload(host, name);
        grad = zeros((long) rows * width, name + " gradient");
        if (optimizer.isEmpty()) {
            m = zeros((long) rows * width, name + " Adam exp_avg");
            v = zeros((long) rows * width, name + " Adam exp_avg_sq");
        } else {
            m = upload(entry(optimizer, name + ".exp_avg", host.length), name + " Adam exp_avg");
            v = upload(entry(optimizer, name + ".exp_avg_sq", host.length), name + " Adam exp_avg_sq");
            float[] s = entry(optimizer, name + ".step", 1);
            if (!(s[0] >= 0) || s[0] != Math.rint(s[0])) {
                throw new IllegalArgumentException("optimizer state " + name + ".step is not a step count: " + s[0]);
            }
            step = (long) s[0];
            float[] rate = optimizer.get(name + ".lr");
            if (rate != null && rate.length == 2) {
                this.lr = (double) rate[0] + rate[1];
            }
        }
    }

    private DeviceBuffer upload(float[] host, String what) {
        return cuda.upload(host, what);
    }

    private DeviceBuffer zeros(long count, String what) {
        DeviceBuffer b = cuda.allocate(count * Float.BYTES, what);
        b.zero();
        return b;
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

    public long count() {
        return (long) rows * width;
    }

    public int rows() {
        return rows;
    }

    public DeviceBuffer values() {
        return values;
    }

    public DeviceBuffer gradient() {
        return grad;
    }

    public DeviceBuffer firstMoment() {
        return m;
    }

    public DeviceBuffer secondMoment() {
        return v;
    }

    /** This tensor as a group of the session's fused Adam (describe again after {@link #reindex}). */
    FusedAdam.Group group() {
        return new FusedAdam.Group(name, values, grad, m, v, columnScale, count(), width);
    }

    /**
     * The tensors for the new rows of a densification: values copied, fresh rows with zero moments, zero gradient.
     * One tensor at a time, each old buffer freed as soon as its copy exists; the old gradient goes first (nothing
     * reads it: the new one is zero). So this parameter never holds more than 4 x max(old, new rows) x width floats
     * and a density control needs no memory beyond the larger of the two surfel sets (SessionMemory; the old order,
     * all four new tensors beside the four old ones, added 4 x width floats per row at the widest parameter).
     */
    public void reindex(DensifyKernels densify, DensifyKernels.Plan plan) {
        grad.close();
        values = swap(densify, plan, values, false, name);
        m = swap(densify, plan, m, true, name + " Adam exp_avg");
        v = swap(densify, plan, v, true, name + " Adam exp_avg_sq");
        grad = zeros((long) plan.rows() * width, name + " gradient");
        rows = plan.rows();
    }

    private DeviceBuffer swap(DensifyKernels densify, DensifyKernels.Plan plan, DeviceBuffer old, boolean zeroFresh,
            String what) {
        DeviceBuffer gathered = densify.gather(plan, old, width, zeroFresh, what);
        old.close();
        return gathered;
    }

    public float[] download(DeviceBuffer b) {
        float[] h = new float[Math.toIntExact(count())];
        b.copyTo(h);
        return h;
    }

    /** Adam.state()'s entries for this tensor. */
    void putState(Map<String, float[]> out) {
        out.put(name + ".exp_avg", download(m));
        out.put(name + ".exp_avg_sq", download(v));
        out.put(name + ".step", new float[] {step});
        float hi = (float) lr;
        out.put(name + ".lr", new float[] {hi, (float) (lr - hi)});
    }

    @Override
    public void close() {
        for (DeviceBuffer b : new DeviceBuffer[] {values, grad, m, v, columnScale}) {
            if (b != null) {
                b.close();
            }
        }
    }
}
