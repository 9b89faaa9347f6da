package org.diff2dgs.cuda.internal.raster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.driver.Kernel;

/**
 * A stage's launches (and memsets, and the camera's upload) written down before they run, so that the same list can
 * be queued directly (with the stage timer's marks) or captured once into a CUDA graph ({@link StageGraph}) and
 * replayed with one driver call while it stays the same. Two plans are the same when they launch the same kernels with the same grids and the same
 * arguments: buffers by identity (a buffer that grew is a new object), scalars by value.
 */
final class LaunchPlan {

    sealed interface Step permits Launch, Zero, CameraCopy, Mark {
    }

    record Launch(Kernel kernel, int gridX, int blockX, int blockY, Object[] args) implements Step {
    }

    record Zero(DeviceBuffer buffer) implements Step {
    }

    /** The camera's host-to-device copy (its values are read when the copy runs, see {@link DeviceCamera}). */
    record CameraCopy(DeviceCamera camera) implements Step {
    }

    record Mark(String stage) implements Step {
    }

    private final List<Step> steps = new ArrayList<>();

    void launch(Kernel kernel, int gridX, int blockX, int blockY, Object... args) {
        steps.add(new Launch(kernel, gridX, blockX, blockY, args));
    }

    void zero(DeviceBuffer buffer) {
        steps.add(new Zero(buffer));
    }

    void copyCamera(DeviceCamera camera) {
        steps.add(new CameraCopy(camera));
    }

    void mark(String stage) {
        steps.add(new Mark(stage));
    }

    /** Queues the steps on the context stream, marking stages on {@code timer}. */
    void runDirect(StageTimer timer) {
        for (Step s : steps) {
            switch (s) {
                case Launch l -> l.kernel().launch(l.gridX(), 1, 1, l.blockX(), l.blockY(), 1, 0, l.args());
                case Zero z -> z.buffer().zero();
                case CameraCopy c -> c.camera().enqueueCopy();
                case Mark m -> timer.mark(m.stage());
            }
        }
    }

    /** Queues the launches and memsets only (inside a stream capture, where events would not time anything). */
    void enqueueWithoutMarks() {
        for (Step s : steps) {
            switch (s) {
                case Launch l -> l.kernel().launch(l.gridX(), 1, 1, l.blockX(), l.blockY(), 1, 0, l.args());
                case Zero z -> z.buffer().zero();
                case CameraCopy c -> c.camera().enqueueCopy();
                case Mark m -> {
                }
            }
        }
    }

    /** Same kernels, grids and arguments in the same order (marks ignored). */
    boolean sameAs(LaunchPlan other) {
        List<Step> a = work(steps);
        List<Step> b = work(other.steps);
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameStep(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<Step> work(List<Step> steps) {
        return steps.stream().filter(s -> !(s instanceof Mark)).toList();
    }

    private static boolean sameStep(Step x, Step y) {
        if (x instanceof Zero zx && y instanceof Zero zy) {
            return zx.buffer() == zy.buffer();
        }
        if (x instanceof CameraCopy cx && y instanceof CameraCopy cy) {
            return cx.camera() == cy.camera();
        }
        if (x instanceof Launch lx && y instanceof Launch ly) {
            if (lx.kernel() != ly.kernel() || lx.gridX() != ly.gridX() || lx.blockX() != ly.blockX()
                    || lx.blockY() != ly.blockY() || lx.args().length != ly.args().length) {
                return false;
            }
            for (int i = 0; i < lx.args().length; i++) {
                Object p = lx.args()[i];
                Object q = ly.args()[i];
                boolean same = p instanceof DeviceBuffer || q instanceof DeviceBuffer ? p == q : Objects.equals(p, q);
                if (!same) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
