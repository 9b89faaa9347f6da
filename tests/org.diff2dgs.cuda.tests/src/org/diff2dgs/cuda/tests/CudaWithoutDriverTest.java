package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.CudaUnavailableException;
import org.diff2dgs.cuda.internal.driver.DriverErrors;
import org.junit.jupiter.api.Test;

/**
 * On a machine without an NVIDIA driver, opening CUDA is a clear CudaUnavailableException, every time: not an
 * UnsatisfiedLinkError (first touch of JCuda), not a NoClassDefFoundError (every later touch), not a crash.
 */
class CudaWithoutDriverTest {

    @Test
    void openWithoutDriverSaysSo() {
        if (driverLibraryPresent()) {
            // a GPU machine: open must either work or give a reason; nothing else may escape
            try (CudaContext cuda = CudaContext.open()) {
                assertFalse(cuda.deviceName().isEmpty());
            } catch (CudaUnavailableException e) {
                assertFalse(e.getMessage().isBlank());
            }
            return;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            CudaUnavailableException e = assertThrows(CudaUnavailableException.class, CudaContext::open);
            assertEquals(DriverErrors.NO_DRIVER, e.getMessage(), "attempt " + attempt);
        }
    }

    /** Where the dynamic loader would find libcuda.so.1 (LD_LIBRARY_PATH, the usual system folders). */
    static boolean driverLibraryPresent() {
        List<String> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            dirs.addAll(List.of(ld.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib/x86_64-linux-gnu", "/lib64", "/usr/lib",
                "/lib", "/usr/local/nvidia/lib64"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.exists(Path.of(d, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }
}
