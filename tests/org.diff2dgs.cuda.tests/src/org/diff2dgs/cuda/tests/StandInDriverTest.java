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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.KernelCheckResult;
import org.diff2dgs.core.api.Parameter;
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
import org.diff2dgs.cuda.internal.parity.AdamChecks;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.driver.FatbinSource;
import org.diff2dgs.cuda.internal.parity.CheckResult;
import org.diff2dgs.cuda.internal.parity.KernelCheck;
import org.diff2dgs.cuda.internal.parity.KernelCheckRunner;
import org.diff2dgs.cuda.internal.parity.KernelChecks;
import org.diff2dgs.cuda.internal.train.FusedAdam;
import org.diff2dgs.train.optim.Adam;
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
        // the stand-in runs the util kernels and adam_fused (from their sources); the rest need a device
        List<KernelCheckResult> runnable = results.stream()
                .filter(r -> r.name().startsWith("util_") || r.name().startsWith("adam_fused")).toList();
        assertTrue(runnable.size() >= 5 && runnable.stream().allMatch(KernelCheckResult::passed), results.toString());
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

    /**
     * adam_fused (its own source, adam_fused.cuh, built into the stand-in) through FusedAdam against the Java twin:
     * six groups shaped like a session's (widths 3, 4, 2, 1, 48 with the SH column scale, 51), rows that leave
     * partial chunks, restored moments with a different step count per group, a different rate per group and
     * iteration, an iteration without a step, and the tensors reallocated and described again in between. Every
     * value, moment and gradient must be bit-equal.
     */
    @Test
    void fusedAdamStepsEveryGroupBitForBitAsTheJavaAdam() {
        requireStandIn();
        SplittableRandom r = new SplittableRandom(23);
        int rows = 1001;
        int[] widths = {3, 4, 2, 1, 48, 51};
        String[] names = {"positions", "rotations", "logScales", "opacityLogits", "sh", "coefs"};
        float[] shScale = new float[48];
        java.util.Arrays.fill(shScale, 1f / 20);
        java.util.Arrays.fill(shScale, 0, 3, 1f);
        Adam twin = new Adam(0.9, 0.999, Adam.DEFAULT_EPS);
        Parameter[] params = new Parameter[widths.length];
        Map<String, float[]> restored = new HashMap<>();
        for (int k = 0; k < widths.length; k++) {
            int count = rows * widths[k];
            params[k] = new Parameter(names[k], rows, widths[k], uniform(r, count, -1, 1), new float[count]);
            twin.add(params[k], 1e-3 * (k + 1));
            restored.put(names[k] + ".exp_avg", uniform(r, count, -1e-3, 1e-3));
            restored.put(names[k] + ".exp_avg_sq", uniform(r, count, 0, 1e-5));
            restored.put(names[k] + ".step", new float[] {3 + k});
        }
        twin.setColumnScale("sh", shScale);
        twin.restore(restored);
        try (CudaContext cuda = CudaContext.open(kernels());
                FusedAdam fused = new FusedAdam(cuda, 0.9, 0.999, Adam.DEFAULT_EPS);
                DeviceBuffer scale = cuda.upload(shScale, "sh column scale")) {
            DeviceBuffer[][] t = new DeviceBuffer[widths.length][];
            for (int k = 0; k < widths.length; k++) {
                int count = rows * widths[k];
                t[k] = new DeviceBuffer[] {cuda.upload(params[k].value(), names[k]),
                    cuda.allocate((long) count * Float.BYTES, names[k] + " grad"),
                    cuda.upload(restored.get(names[k] + ".exp_avg"), names[k] + " m"),
                    cuda.upload(restored.get(names[k] + ".exp_avg_sq"), names[k] + " v")};
            }
            fused.describe(groups(names, widths, rows, t, scale));
            long[] steps = new long[widths.length];
            for (int k = 0; k < widths.length; k++) {
                steps[k] = 3 + k;
            }
            for (int it = 1; it <= 5; it++) {
                for (int k = 0; k < widths.length; k++) {
                    float[] g = AdamChecks.gradients(r, rows * widths[k]);
                    System.arraycopy(g, 0, params[k].grad(), 0, g.length);
                    t[k][1].copyFrom(g);
                }
                if (it == 3) {
                    twin.zeroGrad();
                    fused.zeroGradients();
                } else {
                    double[] rates = new double[widths.length];
                    for (int k = 0; k < widths.length; k++) {
                        rates[k] = 1e-3 * (k + 1) / it;
                        twin.setLearningRate(names[k], rates[k]);
                        steps[k]++;
                    }
                    twin.stepAndZeroGrad();
                    fused.step(rates, steps);
                }
                if (it == 2) {
                    // density control replaces every tensor: same contents, new buffers, a new table
                    for (int k = 0; k < widths.length; k++) {
                        for (int b = 0; b < 4; b++) {
                            float[] h = new float[rows * widths[k]];
                            t[k][b].copyTo(h);
                            t[k][b].close();
                            t[k][b] = cuda.upload(h, names[k] + " reallocated " + b);
                        }
                    }
                    fused.describe(groups(names, widths, rows, t, scale));
                }
            }
            Map<String, float[]> state = twin.state();
            for (int k = 0; k < widths.length; k++) {
                int count = rows * widths[k];
                assertArrayEquals(params[k].value(), download(t[k][0], count), names[k] + " values");
                assertArrayEquals(new float[count], download(t[k][1], count), names[k] + " gradient zeroed");
                assertArrayEquals(state.get(names[k] + ".exp_avg"), download(t[k][2], count), names[k] + " m");
                assertArrayEquals(state.get(names[k] + ".exp_avg_sq"), download(t[k][3], count), names[k] + " v");
                assertEquals(state.get(names[k] + ".step")[0], steps[k], names[k] + " step");
                for (DeviceBuffer b : t[k]) {
                    b.close();
                }
            }
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> fused.step(new double[3], new long[3]));
            assertTrue(wrong.getMessage().contains("6 groups"), wrong.getMessage());
        }
    }

    private static List<FusedAdam.Group> groups(String[] names, int[] widths, int rows, DeviceBuffer[][] t,
            DeviceBuffer shScale) {
        List<FusedAdam.Group> groups = new ArrayList<>();
        for (int k = 0; k < names.length; k++) {
            groups.add(new FusedAdam.Group(names[k], t[k][0], t[k][1], t[k][2], t[k][3],
                    names[k].equals("sh") ? shScale : null, (long) rows * widths[k], widths[k]));
        }
        return groups;
    }

    private static float[] uniform(SplittableRandom r, int count, double lo, double hi) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    private static float[] download(DeviceBuffer b, int count) {
        float[] h = new float[count];
        b.copyTo(h);
        return h;
    }

    @Test
    void aSecondContextReusesTheLoadedModules(@TempDir Path dir) throws IOException {
        requireStandIn();
        int loaded;
        try (CudaContext first = CudaContext.open(kernels())) {
            loaded = CudaContext.moduleImagesLoaded();
            assertTrue(loaded >= first.moduleNames().size(), "loads " + loaded);
        }
        // the probe closed its context; the session's context finds the modules loaded, and they still work
        try (CudaContext second = CudaContext.open(kernels()); DeviceBuffer b = second.allocate(64 * 4, "filled")) {
            assertEquals(loaded, CudaContext.moduleImagesLoaded());
            second.kernel("util_fill_f32").launch(1, 1, 1, 32, 1, 1, 0, b, 2.5f, 64);
            float[] back = new float[64];
            b.copyTo(back);
            float[] expected = new float[64];
            java.util.Arrays.fill(expected, 2.5f);
            assertArrayEquals(expected, back);
            // two contexts at once share them too
            try (CudaContext third = CudaContext.open(kernels())) {
                assertEquals(loaded, CudaContext.moduleImagesLoaded());
                assertEquals(second.moduleNames(), third.moduleNames());
            }
        }
        // other kernels (a -D folder) are loaded once more
        Path copy = dir.resolve("fatbin");
        Files.createDirectories(copy);
        Path source = CudaBundleFiles.bundle().resolve("fatbin");
        try (var files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        try (CudaContext other = CudaContext.open(FatbinSource.folder(copy))) {
            assertEquals(loaded + other.moduleNames().size(), CudaContext.moduleImagesLoaded());
        }
    }

    @Test
    void packedUploadPutsEveryArrayBackToBackAndSlicesAddressThem() {
        requireStandIn();
        SplittableRandom r = new SplittableRandom(23);
        List<float[]> arrays = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // lengths that straddle the 250-float staging halves in every way
            float[] a = new float[i == 3 ? 0 : 1 + r.nextInt(900)];
            for (int j = 0; j < a.length; j++) {
                a[j] = (float) r.nextDouble(-3, 3);
            }
            arrays.add(a);
        }
        try (CudaContext cuda = CudaContext.open(kernels());
                DeviceBuffer all = org.diff2dgs.cuda.internal.driver.PackedUpload.upload(cuda, arrays, "packed", 1000)) {
            long at = 0;
            List<DeviceBuffer> slices = new ArrayList<>();
            for (float[] a : arrays) {
                DeviceBuffer s = all.slice(at, (long) a.length * 4, "slice");
                slices.add(s);
                float[] back = new float[a.length];
                s.copyTo(back);
                assertArrayEquals(a, back);
                at += (long) a.length * 4;
            }
            assertEquals(at, all.bytes());
            // a slice as a kernel argument addresses its own range only
            float[] second = arrays.get(1);
            cuda.kernel("util_fill_f32").launch(1, 1, 1, 32, 1, 1, 0, slices.get(1), -7f, second.length);
            float[] back = new float[arrays.get(2).length];
            slices.get(2).copyTo(back);
            assertArrayEquals(arrays.get(2), back);
            back = new float[arrays.get(0).length];
            slices.get(0).copyTo(back);
            assertArrayEquals(arrays.get(0), back);
            back = new float[second.length];
            slices.get(1).copyTo(back);
            for (float v : back) {
                assertEquals(-7f, v);
            }
            long end = at;
            assertThrows(IllegalArgumentException.class, () -> all.slice(end - 4, 8, "past the end"));
            // closing a slice frees nothing; closing the whole makes its slices unusable
            long held = cuda.allocatedBytes();
            slices.get(0).close();
            assertEquals(held, cuda.allocatedBytes());
            all.close();
            assertThrows(IllegalStateException.class, () -> slices.get(2).copyTo(new float[arrays.get(2).length]));
            // frame-sized arrays through the default staging, filled by several threads
            List<float[]> large = List.of(random(r, 700_001), random(r, 1_300_000));
            try (DeviceBuffer big = org.diff2dgs.cuda.internal.driver.PackedUpload.upload(cuda, large, "large")) {
                float[] back0 = new float[700_001];
                big.slice(0, 700_001L * 4, "first").copyTo(back0);
                assertArrayEquals(large.get(0), back0);
                float[] back1 = new float[1_300_000];
                big.slice(700_001L * 4, 1_300_000L * 4, "second").copyTo(back1);
                assertArrayEquals(large.get(1), back1);
            }
        }
    }

    @Test
    void trainingFramesGoUpInThreeAllocationsAndEqualTheHostClip() {
        requireStandIn();
        int w = 40;
        int h = 24;
        SplittableRandom r = new SplittableRandom(31);
        List<org.diff2dgs.core.model.Frame> frames = new ArrayList<>();
        org.diff2dgs.core.model.FloatImage[] masks = new org.diff2dgs.core.model.FloatImage[6];
        for (int f = 0; f < 6; f++) {
            float[] rgb = random(r, 3 * w * h);
            // frame 2 has no depth, frame 4 no loss mask
            org.diff2dgs.core.model.FloatImage depth = f == 2 ? null
                    : new org.diff2dgs.core.model.FloatImage(w, h, 1, random(r, w * h));
            masks[f] = f == 4 ? null : new org.diff2dgs.core.model.FloatImage(w, h, 1, random(r, w * h));
            org.diff2dgs.core.model.Camera camera = new org.diff2dgs.core.model.Camera(
                    new org.diff2dgs.core.model.Intrinsics(30, 30, w / 2.0, h / 2.0, w, h),
                    org.diff2dgs.core.model.Pose.identity(), 0.03, 250);
            frames.add(new org.diff2dgs.core.model.Frame(f, f / 6.0, "f" + f, camera,
                    new org.diff2dgs.core.model.FloatImage(w, h, 3, rgb), depth, null, null, null));
        }
        // frame 5 is held out; frame 1 drawn twice is uploaded once
        int[] train = {0, 1, 2, 3, 4, 1};
        org.diff2dgs.core.model.Sequence seq = new org.diff2dgs.core.model.Sequence("clip", Path.of("clip"), frames,
                new org.diff2dgs.core.model.Split("test", new int[] {0, 1, 2, 3, 4}, new int[] {5}),
                new org.diff2dgs.core.model.DatasetInfo("test", "opencv", "none", 1, new double[] {1, 2}, Map.of(),
                        List.of(), false));
        try (CudaContext cuda = CudaContext.open(kernels())) {
            long before = cuda.allocatedBytes();
            try (org.diff2dgs.cuda.internal.session.FrameSet set = new org.diff2dgs.cuda.internal.session.FrameSet(
                    cuda, seq, train, masks)) {
                assertEquals(3, set.allocations());
                // 5 images, 4 depth maps, 4 masks
                assertEquals(before + (5L * 3 + 4 + 4) * w * h * 4, cuda.allocatedBytes());
                for (int f = 0; f < 5; f++) {
                    assertArrayEquals(seq.frame(f).image().data(), download(set.image(f)));
                    if (f == 2) {
                        assertEquals(null, set.depth(f));
                    } else {
                        assertArrayEquals(seq.frame(f).depth().data(), download(set.depth(f)));
                    }
                    if (f == 4) {
                        assertEquals(null, set.mask(f));
                        assertEquals(w * h, set.maskSum(f));
                    } else {
                        assertArrayEquals(masks[f].data(), download(set.mask(f)));
                        double sum = 0;
                        for (float v : masks[f].data()) {
                            sum += v;
                        }
                        assertEquals(sum, set.maskSum(f));
                    }
                }
                assertEquals(null, set.image(5));
            }
            assertEquals(before, cuda.allocatedBytes());
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble();
        }
        return v;
    }

    private static float[] download(DeviceBuffer b) {
        float[] v = new float[(int) b.floats()];
        b.copyTo(v);
        return v;
    }
}
