package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.KernelCheckResult;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchReport;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.cuda.internal.CudaBackend;
import org.diff2dgs.cuda.internal.CudaBenchmark;
import org.diff2dgs.cuda.internal.bench.KernelTimings;
import org.diff2dgs.cuda.internal.CudaKernelParity;
import org.diff2dgs.cuda.internal.CudaRuntime;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.CudaException;
import org.diff2dgs.cuda.internal.driver.CudaOutOfMemoryException;
import org.diff2dgs.cuda.internal.driver.CudaUnavailableException;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.driver.FatbinSource;
import org.diff2dgs.cuda.internal.parity.CheckResult;
import org.diff2dgs.cuda.internal.parity.KernelCheck;
import org.diff2dgs.cuda.internal.parity.KernelCheckRunner;
import org.diff2dgs.cuda.internal.parity.KernelChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host layer against a CPU stand-in for libcuda.so.1 (mock/stand_in_driver.c, 256 MB of "device" memory, host
 * versions of the util_ kernels): context, module loading from the bundle, kernel lookup, argument passing, copies,
 * allocation tracking and the out-of-memory path. Runs in its own test JVM whose LD_LIBRARY_PATH holds the stand-in
 * (pom.xml, execution stand-in-driver, which sets D2DGS_CUDA_STAND_IN).
 */
class StandInDriverTest {

    private static void requireStandIn() {
        assumeTrue(System.getenv("D2DGS_CUDA_STAND_IN") != null, "runs in the stand-in driver's test JVM only");
    }

    /** The bundle's own fatbin inside OSGi; the working tree's under quick-test.sh (plain class path). */
    private static FatbinSource kernels() {
        return CudaContext.class.getResource("/fatbin/modules.txt") != null ? FatbinSource.bundled()
                : FatbinSource.folder(CudaBundleFiles.bundle().resolve("fatbin"));
    }

    @Test
    void opensTheDeviceAndLoadsTheBundledModules() throws IOException {
        requireStandIn();
        try (CudaContext cuda = CudaContext.open(kernels())) {
            assertEquals("stand-in driver (CPU)", cuda.deviceName());
            assertArrayEquals(new int[] {9, 0}, cuda.computeCapability());
            assertEquals(256L << 20, cuda.totalBytes());
            // every module the fatbin lists, in its order (the stand-in accepts any image)
            List<String> listed = Files.readAllLines(CudaBundleFiles.bundle().resolve("fatbin/modules.txt")).stream()
                    .map(String::strip).filter(l -> !l.isEmpty()).toList();
            assertEquals(listed, cuda.moduleNames());
            // the stand-in answers a known name from whichever module is asked first, so only the lookup is checked
            assertEquals("util_axpy_f32", cuda.kernel("util_axpy_f32").name());
            CudaException e = assertThrows(CudaException.class, () -> cuda.kernel("no_such_kernel"));
            assertTrue(e.getMessage().contains("no_such_kernel") && e.getMessage().contains(listed.toString()),
                    e.getMessage());
        }
    }

    @Test
    void utilKernelChecksPassThroughTheWholeHostPath() {
        requireStandIn();
        try (CudaContext cuda = CudaContext.open(kernels())) {
            // the stand-in runs the util kernels only; the other stages' checks need a real device
            List<KernelCheck> util = KernelChecks.all().stream().filter(c -> c.name().startsWith("util_")).toList();
            List<CheckResult> results = KernelCheckRunner.runAll(cuda, util, 3);
            assertTrue(results.size() >= 4);
            for (CheckResult r : results) {
                assertTrue(r.passed(), r.toString());
            }
            assertEquals(0, cuda.allocatedBytes(), "every check frees what it allocated");
            assertTrue(cuda.peakAllocatedBytes() >= 2L * 1_000_003 * Float.BYTES, "peak " + cuda.peakAllocatedBytes());
        }
    }

    @Test
    void buffersCopyZeroAndCheckSizes() {
        requireStandIn();
        SplittableRandom r = new SplittableRandom(9);
        float[] host = new float[1000];
        for (int i = 0; i < host.length; i++) {
            host[i] = (float) r.nextDouble();
        }
        try (CudaContext cuda = CudaContext.open(kernels());
                DeviceBuffer b = cuda.upload(host, "test values")) {
            float[] back = new float[host.length];
            b.copyTo(back);
            assertArrayEquals(host, back);
            float[] head = new float[10];
            b.copyTo(head, 10);
            assertEquals(host[9], head[9]);
            assertThrows(IllegalArgumentException.class, () -> b.copyTo(new float[999]));
            assertThrows(IllegalArgumentException.class, () -> b.copyFrom(new float[1001], 1001));
            b.zero();
            b.copyTo(back);
            assertArrayEquals(new float[host.length], back);
            DeviceBuffer empty = cuda.allocate(0, "nothing");
            empty.copyFrom(new float[0]);
            empty.close();
            b.close();
            IllegalArgumentException freed = assertThrows(IllegalArgumentException.class,
                    () -> cuda.kernel("util_fill_f32").launch(1, 1, 1, 32, 1, 1, 0, b, 1f, 1));
            assertTrue(freed.getMessage().contains("test values"), freed.getMessage());
        }
    }

    @Test
    void allocationBeyondTheDeviceSaysWhatAndHowMuch() {
        requireStandIn();
        try (CudaContext cuda = CudaContext.open(kernels());
                DeviceBuffer held = cuda.allocate(100L << 20, "held")) {
            CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class,
                    () -> cuda.allocate(200L << 20, "surfel positions"));
            assertEquals("out of GPU memory allocating surfel positions: asked 200 MB (209715200 bytes), free 156 MB"
                    + " of 256 MB", e.getMessage());
            assertEquals(100L << 20, cuda.allocatedBytes());
        }
    }

    @Test
    void backendServicesOnTheStandIn() {
        requireStandIn();
        if (CudaContext.class.getResource("/fatbin/modules.txt") == null) {
            // quick-test.sh: no bundle resources on the class path; the runtime reads the working tree's fatbin
            System.setProperty(FatbinSource.DIR_PROPERTY, CudaBundleFiles.bundle().resolve("fatbin").toString());
        }
        CudaRuntime runtime = new CudaRuntime();
        CudaBackend backend = new CudaBackend(runtime);
        assertEquals("stand-in driver (CPU), 256 MB, compute 9.0, driver CUDA 13.0", backend.device());
        assertNull(backend.unavailableReason());
        CudaKernelParity parity = new CudaKernelParity(runtime);
        assertNull(parity.unavailableReason());
        List<KernelCheckResult> results = parity.check(11, Progress.NONE);
        assertEquals(KernelChecks.all().size(), results.size());
        assertTrue(results.stream().filter(r -> r.name().startsWith("util_")).allMatch(KernelCheckResult::passed),
                results.toString());
    }

    @Test
    void benchmarkTimesKernelsAndSaysWhatIsMissing() {
        requireStandIn();
        if (CudaContext.class.getResource("/fatbin/modules.txt") == null) {
            System.setProperty(FatbinSource.DIR_PROPERTY, CudaBundleFiles.bundle().resolve("fatbin").toString());
        }
        CudaBenchmark bench = new CudaBenchmark(new CudaRuntime());
        assertNull(bench.unavailableReason());
        // training rows off: they train the full-size scene (the device check runs them)
        BenchReport report = bench.run(new BenchOptions(List.of(1000), 64, 48, 3, 1, 3, 5, false), Progress.NONE);
        assertEquals("cuda", report.backend());
        List<BenchRow> kernels = report.rows().stream().filter(r -> r.section().equals("kernels")).toList();
        assertEquals(KernelTimings.all().size(), kernels.size());
        for (BenchRow k : kernels) {
            assertTrue(k.measured() && k.value() >= 0 && k.note().startsWith("median of 3"), k.toString());
        }
        assertTrue(report.rows().stream().noneMatch(r -> r.section().equals("training")));
        BenchRow peak = report.rows().stream().filter(r -> r.name().equals("peak of our device allocations"))
                .findFirst().orElseThrow();
        // two 16M-float arrays of the util timings at once, at least
        assertTrue(peak.value() >= 128, peak.toString());
    }

    @Test
    void missingOrBrokenKernelFolderIsUnavailableNotACrash(@TempDir Path dir) throws IOException {
        requireStandIn();
        CudaUnavailableException missing = assertThrows(CudaUnavailableException.class,
                () -> CudaContext.open(FatbinSource.folder(dir)));
        assertTrue(missing.getMessage().startsWith("CUDA kernels missing: ") && missing.getMessage()
                .contains("modules.txt"), missing.getMessage());
        Files.writeString(dir.resolve("modules.txt"), "util\n");
        Files.writeString(dir.resolve("util.fatbin"), "not a fatbin");
        CudaUnavailableException broken = assertThrows(CudaUnavailableException.class,
                () -> CudaContext.open(FatbinSource.folder(dir)));
        assertEquals("CUDA module util did not load (CUDA_ERROR_INVALID_IMAGE)", broken.getMessage());
    }
}
