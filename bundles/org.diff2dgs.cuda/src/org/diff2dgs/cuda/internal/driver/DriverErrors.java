package org.diff2dgs.cuda.internal.driver;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Locale;

import jcuda.driver.CUresult;

/**
 * Turns driver results and native-loading failures into messages a user can act on. Pure functions (CUresult's
 * names are plain Java), so every message is tested on machines without a GPU.
 */
public final class DriverErrors {

    public static final String NO_DRIVER = "no NVIDIA driver found (libcuda.so.1)";

    private DriverErrors() {
    }

    /** CUresult's name, e.g. "CUDA_ERROR_OUT_OF_MEMORY". */
    public static String name(int result) {
        return CUresult.stringFor(result);
    }

    /** The code of a CUresult name (JCuda's exceptions carry only the name), or -1 when unknown. */
    public static int code(String resultName) {
        if (resultName == null) {
            return -1;
        }
        for (Field f : CUresult.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && f.getName().equals(resultName)) {
                try {
                    return f.getInt(null);
                } catch (IllegalAccessException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** Why JCuda's native library did not load: the driver library missing, or JCuda's own library missing. */
    public static String forNativeLoad(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        String text = all.toString();
        if (text.contains("libcuda.so")) {
            return NO_DRIVER;
        }
        String first = String.valueOf(error.getMessage()).lines().findFirst().orElse("");
        return "JCuda's native driver library did not load (" + first.strip() + ")";
    }

    /** cuInit failed. */
    public static String forInit(int result, int driverVersion) {
        return switch (name(result)) {
            case "CUDA_ERROR_NO_DEVICE" -> "no CUDA device found (cuInit: CUDA_ERROR_NO_DEVICE)";
            case "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH" -> "the CUDA driver library does not match the kernel driver"
                    + " (cuInit: CUDA_ERROR_SYSTEM_DRIVER_MISMATCH): keep the CUDA compat folder off LD_LIBRARY_PATH";
            case "CUDA_ERROR_INSUFFICIENT_DRIVER", "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE" -> tooOld(driverVersion)
                    + " (cuInit: " + name(result) + ")";
            case "CUDA_ERROR_NOT_PERMITTED", "CUDA_ERROR_OPERATING_SYSTEM" -> "the NVIDIA driver refused to start"
                    + " (cuInit: " + name(result) + "): is /dev/nvidia* accessible to this user?";
            default -> "the NVIDIA driver did not start (cuInit: " + name(result) + ")";
        };
    }

    /**
     * A fatbin module did not load. No machine code for this GPU means an older GPU than the fatbin covers, or (on a
     * newer GPU, where the driver would JIT the PTX) a driver older than the toolkit that wrote the PTX.
     */
    public static String forModuleLoad(int result, String module, int computeCapability, int driverVersion) {
        String n = name(result);
        boolean noBinary = n.equals("CUDA_ERROR_NO_BINARY_FOR_GPU");
        if (noBinary && computeCapability > 0 && computeCapability < KernelBuild.MIN_COMPUTE_CAPABILITY) {
            return String.format(Locale.ROOT, "this GPU (compute capability %d.%d) is older than the kernels support"
                    + " (built for %s): module %s does not load (%s)", computeCapability / 10, computeCapability % 10,
                    KernelBuild.ARCHITECTURES, module, n);
        }
        if (noBinary || n.equals("CUDA_ERROR_UNSUPPORTED_PTX_VERSION") || n.equals("CUDA_ERROR_INVALID_PTX")) {
            return tooOld(driverVersion) + " (module " + module + ": " + n + ")";
        }
        return "CUDA module " + module + " did not load (" + n + ")";
    }

    /** "driver too old for the kernels (built with CUDA 13.0 for sm_80..sm_90): update the driver to ...". */
    public static String tooOld(int driverVersion) {
        String has = driverVersion > 0
                ? String.format(Locale.ROOT, " (this driver supports CUDA %d.%d)", driverVersion / 1000,
                        driverVersion % 1000 / 10)
                : "";
        return "driver too old for the kernels (built with CUDA " + KernelBuild.CUDA_VERSION + " for "
                + KernelBuild.ARCHITECTURES + "): update the NVIDIA driver to " + KernelBuild.MIN_DRIVER
                + " or newer" + has;
    }

    /** A failed call after start-up: names the call and the result. */
    public static String forCall(String call, int result) {
        return call + " failed: " + name(result);
    }

    /** Errors after which the context cannot be used any more (the driver keeps returning them). */
    public static boolean isSticky(int result) {
        return switch (name(result)) {
            case "CUDA_ERROR_ILLEGAL_ADDRESS", "CUDA_ERROR_ILLEGAL_INSTRUCTION", "CUDA_ERROR_MISALIGNED_ADDRESS",
                    "CUDA_ERROR_INVALID_ADDRESS_SPACE", "CUDA_ERROR_INVALID_PC", "CUDA_ERROR_LAUNCH_FAILED",
                    "CUDA_ERROR_HARDWARE_STACK_ERROR", "CUDA_ERROR_ASSERT", "CUDA_ERROR_ECC_UNCORRECTABLE",
                    "CUDA_ERROR_CONTEXT_IS_DESTROYED" -> true;
            default -> false;
        };
    }
}
