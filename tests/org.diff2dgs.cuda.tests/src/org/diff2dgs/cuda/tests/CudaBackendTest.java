package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.cuda.internal.CudaBackend;
import org.diff2dgs.cuda.internal.CudaKernelParity;
import org.diff2dgs.cuda.internal.CudaRuntime;
import org.diff2dgs.cuda.internal.driver.CudaUnavailableException;
import org.diff2dgs.cuda.internal.driver.DriverErrors;
import org.junit.jupiter.api.Test;

/** Without a driver the cuda backend is listed, unavailable with the reason, and refuses to render. */
class CudaBackendTest {

    @Test
    void withoutDriverTheBackendIsUnavailableWithTheReason() {
        assumeFalse(CudaWithoutDriverTest.driverLibraryPresent(), "a machine with an NVIDIA driver");
        CudaRuntime runtime = new CudaRuntime();
        CudaBackend cuda = new CudaBackend(runtime);
        assertEquals("cuda", cuda.name());
        assertEquals(10, cuda.priority());
        assertEquals(DriverErrors.NO_DRIVER, cuda.unavailableReason());
        assertEquals("no GPU", cuda.device());
        IllegalStateException e = assertThrows(IllegalStateException.class, cuda::createRasterizer);
        assertTrue(e.getMessage().endsWith(DriverErrors.NO_DRIVER), e.getMessage());
        CudaKernelParity parity = new CudaKernelParity(runtime);
        assertEquals(DriverErrors.NO_DRIVER, parity.unavailableReason());
        assertThrows(CudaUnavailableException.class, () -> parity.check(1, Progress.NONE));
    }
}
