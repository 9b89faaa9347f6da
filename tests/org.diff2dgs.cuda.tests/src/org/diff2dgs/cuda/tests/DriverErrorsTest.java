package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diff2dgs.cuda.internal.driver.DriverErrors;
import org.junit.jupiter.api.Test;

import jcuda.driver.CUresult;

/** The messages users see when the driver or the kernels cannot be used. */
class DriverErrorsTest {

    @Test
    void missingDriverLibraryIsNamed() {
        UnsatisfiedLinkError inner = new UnsatisfiedLinkError(
                "/tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file");
        UnsatisfiedLinkError outer = new UnsatisfiedLinkError("Error while loading native library \"JCudaDriver\"");
        outer.initCause(inner);
        assertEquals(DriverErrors.NO_DRIVER, DriverErrors.forNativeLoad(outer));
        String other = DriverErrors.forNativeLoad(new UnsatisfiedLinkError("no JCudaDriver in java.library.path\nmore"));
        assertEquals("JCuda's native driver library did not load (no JCudaDriver in java.library.path)", other);
    }

    @Test
    void kernelsNewerThanTheDriverAskForAnUpdate() {
        String m = DriverErrors.forModuleLoad(CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION, "project", 90, 12020);
        assertEquals("driver too old for the kernels (built with CUDA 13.0 for sm_80..sm_90): update the NVIDIA"
                + " driver to 580 or newer (this driver supports CUDA 12.2) (module project:"
                + " CUDA_ERROR_UNSUPPORTED_PTX_VERSION)", m);
        assertTrue(DriverErrors.forModuleLoad(CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU, "util", 120, 12080)
                .startsWith("driver too old for the kernels"));
    }

    @Test
    void gpuOlderThanTheKernelsIsNotCalledADriverProblem() {
        String m = DriverErrors.forModuleLoad(CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU, "util", 70, 13000);
        assertTrue(m.startsWith("this GPU (compute capability 7.0) is older than the kernels support"), m);
        assertFalse(m.contains("update"), m);
    }

    @Test
    void initFailuresAreNamed() {
        assertEquals("no CUDA device found (cuInit: CUDA_ERROR_NO_DEVICE)",
                DriverErrors.forInit(CUresult.CUDA_ERROR_NO_DEVICE, 13000));
        assertTrue(DriverErrors.forInit(CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH, 13000).contains("compat"));
        assertTrue(DriverErrors.forInit(CUresult.CUDA_ERROR_UNKNOWN, 0).endsWith("(cuInit: CUDA_ERROR_UNKNOWN)"));
    }

    @Test
    void resultNamesRoundTrip() {
        assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, DriverErrors.code("CUDA_ERROR_ILLEGAL_ADDRESS"));
        assertEquals(-1, DriverErrors.code("NOT_A_RESULT"));
        assertTrue(DriverErrors.isSticky(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS));
        assertFalse(DriverErrors.isSticky(CUresult.CUDA_ERROR_OUT_OF_MEMORY));
    }
}
