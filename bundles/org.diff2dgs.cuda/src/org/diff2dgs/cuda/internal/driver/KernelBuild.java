package org.diff2dgs.cuda.internal.driver;

/**
 * What the shipped fatbin was built with (cuda/nvcc-flags.txt and fatbin/SOURCES.sha256 say the same; a test keeps
 * them in step). Used in the messages that tell a user why the kernels do not load.
 */
public final class KernelBuild {

    /** The toolkit of releng/scripts/build-fatbin.sh. */
    public static final String CUDA_VERSION = "13.0";

    /** Machine code in the fatbin; compute_90 PTX rides along for newer GPUs (JIT by the driver). */
    public static final String ARCHITECTURES = "sm_80..sm_90";

    /** Lowest compute capability (major * 10 + minor) the kernels run on. */
    public static final int MIN_COMPUTE_CAPABILITY = 80;

    /** CUDA 13.0 needs a driver of the R580 branch or newer (NVIDIA's CUDA toolkit release notes, table 3). */
    public static final String MIN_DRIVER = "580";

    private KernelBuild() {
    }
}
