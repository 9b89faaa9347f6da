package org.diff2dgs.cuda.internal.driver;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;

import java.util.Locale;

import jcuda.Pointer;
import jcuda.driver.CUfunction;

/** One {@code extern "C" __global__} function of a loaded module, launched on its context's stream. */
public final class Kernel {

    private final CudaContext context;
    private final CUfunction function;
    private final String name;
    private final String module;

    Kernel(CudaContext context, CUfunction function, String name, String module) {
        this.context = context;
        this.function = function;
        this.name = name;
        this.module = module;
    }

    public String name() {
        return name;
    }

    /** The fatbin module (stem) the kernel came from. */
    public String module() {
        return module;
    }

    public CUfunction function() {
        return function;
    }

    /**
     * Queues the kernel on the context stream and returns at once. Launch-configuration errors (too many threads,
     * too much shared memory) come back here; errors while the kernel runs come back from
     * {@link CudaContext#synchronize()} or the next download.
     *
     * @param args DeviceBuffer, Integer, Long, Float, Double (boxed, in the kernel's parameter order); null passes a
     *             null device pointer
     */
    public void launch(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes,
            Object... args) {
        if (gridX < 1 || gridY < 1 || gridZ < 1 || blockX < 1 || blockY < 1 || blockZ < 1 || sharedBytes < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "kernel %s: grid %d,%d,%d block %d,%d,%d shared %d: sizes must be positive", name, gridX, gridY,
                    gridZ, blockX, blockY, blockZ, sharedBytes));
        }
        Pointer params = KernelArguments.pack(args);
        context.ensureOpen();
        context.bind();
        int r = Cu.result(() -> cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes,
                context.stream(), params, null));
        if (r != 0) {
            throw new CudaException(String.format(Locale.ROOT, "launch of kernel %s (grid %d,%d,%d block %d,%d,%d"
                    + " shared %d bytes, %d arguments) failed: %s", name, gridX, gridY, gridZ, blockX, blockY, blockZ,
                    sharedBytes, args.length, DriverErrors.name(r)), DriverErrors.name(r), null);
        }
    }

    /** One-dimensional launch: enough blocks of {@code block} threads to cover {@code n} items. */
    public void launch1d(long n, int block, Object... args) {
        long grid = Math.max(1, (n + block - 1) / block);
        if (grid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("kernel " + name + ": " + n + " items need more than 2^31 blocks");
        }
        launch((int) grid, 1, 1, block, 1, 1, 0, args);
    }

    @Override
    public String toString() {
        return name + " (" + module + ")";
    }
}
