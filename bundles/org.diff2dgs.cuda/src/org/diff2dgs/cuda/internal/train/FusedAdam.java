package org.diff2dgs.cuda.internal.train;

import static org.diff2dgs.cuda.internal.train.KernelSpec.F;
import static org.diff2dgs.cuda.internal.train.KernelSpec.I;
import static org.diff2dgs.cuda.internal.train.KernelSpec.L;
import static org.diff2dgs.cuda.internal.train.KernelSpec.P;

import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * cuda/adam.cu's adam_fused: one Adam step of every optimizer group of a session in a single launch (the twin,
 * org.diff2dgs.train.optim.Adam, steps its groups one after the other with the same arithmetic). The groups' tensors
 * are described once in a small device table ({@link #describe}, again after every reallocation); the per-iteration
 * numbers (each group's bias-corrected rate) travel as launch arguments, so a step allocates nothing, copies nothing
 * and never waits for the device. Iterations without a step zero every gradient in one launch ({@link #zeroGradients}).
 */
public final class FusedAdam implements AutoCloseable {

    /** ADAM_MAX_GROUPS of adam_fused.cuh. */
    public static final int MAX_GROUPS = 8;
    /** ADAM_VECTOR of adam_fused.cuh: values per chunk (one thread's 16-byte vector). */
    public static final int VECTOR = 4;
    /** sizeof(AdamGroup) in adam_fused.cuh. */
    public static final int GROUP_BYTES = 64;

    static final KernelSpec DESCRIBE = KernelSpec.of("adam_describe", P, I, P, P, P, P, P, L, L, I);
    static final KernelSpec FUSED = KernelSpec.of("adam_fused", P, I, L, I,
            F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F, F);

    /** One learnable tensor with its gradient and moments ({@code columnScale} may be null). */
    public record Group(String name, DeviceBuffer values, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v,
            DeviceBuffer columnScale, long count, int width) {

        public Group {
            if (width < 1 || count < 0 || count % width != 0) {
                throw new IllegalArgumentException(name + ": " + count + " values are not rows of width " + width);
            }
            Launch.require(values, count, name + " values");
            Launch.require(grad, count, name + " gradient");
            Launch.require(m, count, name + " first moment");
            Launch.require(v, count, name + " second moment");
            Launch.requireOptional(columnScale, width, name + " column scale");
        }
    }

    private final CudaContext cuda;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final DeviceBuffer table;
    private final float[] stepSizes = new float[MAX_GROUPS];
    private final float[] invBc2 = new float[MAX_GROUPS];
    private final Object[] args = new Object[4 + 2 * MAX_GROUPS + 5];
    private List<Group> groups = List.of();
    private long chunks;

    public FusedAdam(CudaContext cuda, double beta1, double beta2, double eps) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0)) {
            throw new IllegalArgumentException("Adam needs 0 <= beta < 1 and eps >= 0, got " + beta1 + ", " + beta2
                    + ", " + eps);
        }
        this.cuda = cuda;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        table = cuda.allocate((long) MAX_GROUPS * GROUP_BYTES, "Adam group table");
    }

    public static List<KernelSpec> specs() {
        return List.of(DESCRIBE, FUSED);
    }

    /** First chunk of each group and, last, the total: the groups' chunks numbered one after the other. */
    public static long[] chunkStarts(long[] counts) {
        long[] first = new long[counts.length + 1];
        for (int k = 0; k < counts.length; k++) {
            first[k + 1] = first[k] + (counts[k] + VECTOR - 1) / VECTOR;
        }
        return first;
    }

    /**
     * (Re)writes the device table: call after the tensors were allocated or replaced (session open, density
     * control). Queued on the stream, so a step queued after it sees the new table.
     */
    public void describe(List<Group> newGroups) {
        if (newGroups.isEmpty() || newGroups.size() > MAX_GROUPS) {
            throw new IllegalArgumentException("fused Adam takes 1 to " + MAX_GROUPS + " groups, got "
                    + newGroups.size());
        }
        long[] counts = new long[newGroups.size()];
        for (int k = 0; k < counts.length; k++) {
            counts[k] = newGroups.get(k).count();
        }
        long[] first = chunkStarts(counts);
        for (int k = 0; k < counts.length; k++) {
            Group g = newGroups.get(k);
            DESCRIBE.launch(cuda, 1, 32, table, k, g.values(), g.grad(), g.m(), g.v(), g.columnScale(), g.count(),
                    first[k], g.width());
        }
        groups = List.copyOf(newGroups);
        chunks = first[counts.length];
    }

    public List<Group> groups() {
        return new ArrayList<>(groups);
    }

    /**
     * One step of every group, each gradient zeroed in the same pass.
     *
     * @param learningRates the rate of each group, in {@link #describe}'s order
     * @param steps         each group's step count after this step (1 for the first), as Adam.update counts
     */
    public void step(double[] learningRates, long[] steps) {
        if (learningRates.length != groups.size() || steps.length != groups.size()) {
            throw new IllegalArgumentException("fused Adam has " + groups.size() + " groups, got "
                    + learningRates.length + " rates and " + steps.length + " step counts");
        }
        for (int k = 0; k < groups.size(); k++) {
            if (steps[k] < 1) {
                throw new IllegalArgumentException("Adam step count starts at 1, got " + steps[k] + " for "
                        + groups.get(k).name());
            }
            stepSizes[k] = AdamKernels.stepSize(learningRates[k], beta1, steps[k]);
            invBc2[k] = AdamKernels.inverseBiasCorrection2(beta2, steps[k]);
        }
        launch(1);
    }

    /** Sets every group's gradient to 0 (an iteration without a step). */
    public void zeroGradients() {
        launch(0);
    }

    private void launch(int takeStep) {
        if (groups.isEmpty()) {
            throw new IllegalStateException("fused Adam: describe the groups first");
        }
        if (chunks == 0) {
            return;
        }
        int a = 0;
        args[a++] = table;
        args[a++] = groups.size();
        args[a++] = chunks;
        args[a++] = takeStep;
        for (int k = 0; k < MAX_GROUPS; k++) {
            args[a++] = stepSizes[k];
        }
        for (int k = 0; k < MAX_GROUPS; k++) {
            args[a++] = invBc2[k];
        }
        args[a++] = (float) beta1;
        args[a++] = (float) beta2;
        args[a++] = (float) (1 - beta1);
        args[a++] = (float) (1 - beta2);
        args[a] = (float) eps;
        FUSED.launch(cuda, Launch.strideBlocks(chunks, Launch.BLOCK), Launch.BLOCK, args);
    }

    /** Values one step reads and writes in all (value, gradient, two moments: 32 bytes each), for the benchmark. */
    public long bytesPerStep() {
        long values = 0;
        for (Group g : groups) {
            values += g.count();
        }
        return 32 * values;
    }

    @Override
    public void close() {
        table.close();
    }
}
