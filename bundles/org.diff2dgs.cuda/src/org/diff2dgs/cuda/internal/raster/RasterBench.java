package org.diff2dgs.cuda.internal.raster;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * The rasterizer benchmark of issue 10: forward and forward+backward GPU time at given surfel counts on a W x H
 * tissue scene (colours precomputed, as SH degree 3 colours are before rasterization), measured with CUDA events on
 * the device-resident path (no host copies inside the timed region), median over repeats after warm-up; and the
 * time per stage from a separate, event-marked run. {@code d2dgs bench} calls {@link #run} and prints
 * {@link #table}.
 */
public final class RasterBench {

    /** The surfel counts of the issue. */
    public static final int[] ISSUE_SIZES = {50_000, 100_000, 300_000, 1_000_000};

    /** System property: extra configurations measured after the default one, e.g. "exp=float,entryCount=sync". */
    public static final String VARIANTS_PROPERTY = "d2dgs.bench.rasterVariants";
    /** The variants measured when the property is absent ("none" measures the default configuration only). */
    public static final String DEFAULT_VARIANTS = "sparse=0,bwdBlocks=0,bwdBlocks=2,bwdTools=off+exp=double,blocks=3,"
            + "graph=off,warp=16x2,exp=double,exp=float,exp=double+blocks=3,tileOrder=raster,fpcull=on,"
            + "depthOrder=global";

    /**
     * One rasterizer configuration of the benchmark.
     *
     * @param label "default" or the property's text for this variant, e.g. "exp=float"
     */
    public record Variant(String label, ExpMode exp, DeviceRasterizer.EntryCount entryCount, boolean graphs,
            RenderTuning tuning, DeviceRasterizer.DepthOrder depthOrder) {

        /** The configuration new rasterizers get from the system properties. */
        public static Variant standard() {
            return new Variant("default", ExpMode.fromSystem(), DeviceRasterizer.EntryCount.fromSystem(),
                    DeviceRasterizer.graphsFromSystem(), RenderTuning.fromSystem(),
                    DeviceRasterizer.DepthOrder.fromSystem());
        }

        /** The default plus the variants the system property names (or {@link #DEFAULT_VARIANTS}). */
        public static List<Variant> fromSystem() {
            return parse(System.getProperty(VARIANTS_PROPERTY, DEFAULT_VARIANTS));
        }

        /**
         * Variants separated by commas, each one or more key=value changes of the default joined by '+': exp
         * (double, float, fast), entryCount (deferred, sync), graph (on, off), warp (8x4, 16x2), cull (on,
         * off), sparse (0..32), blocks (forward: 3, 4), bwdBlocks (backward: 3, 2, 0 = no minimum), bwdTools (on,
         * off: the backward built without warp lists and sparse reduction, double exp only), tileOrder (heavy,
         * raster: the render blocks' tile order), fpcull (on, off: the warp-level footprint test), depthOrder
         * (tiles, global: where the depth order inside a tile's list comes from);
         * e.g. "exp=float,graph=on+exp=float".
         */
        public static List<Variant> parse(String text) {
            Variant base = standard();
            List<Variant> out = new ArrayList<>();
            out.add(base);
            if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("none")) {
                return out;
            }
            for (String item : text.split(",")) {
                Variant v = base;
                for (String part : item.split("\\+")) {
                    v = apply(v, part.trim());
                }
                try {
                    v.tuning().backwardKernel(v.exp());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("-D" + VARIANTS_PROPERTY + ": " + item.trim() + ": "
                            + e.getMessage(), e);
                }
                out.add(new Variant(item.trim(), v.exp(), v.entryCount(), v.graphs(), v.tuning(), v.depthOrder()));
            }
            return out;
        }

        private static final String KEYS = "exp, entryCount, graph, warp, cull, sparse, blocks, bwdBlocks, bwdTools,"
                + " tileOrder, fpcull, depthOrder";

        /** {@code v} with one key=value changed. */
        private static Variant apply(Variant v, String t) {
            int eq = t.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("-D" + VARIANTS_PROPERTY + ": '" + t
                        + "' is not key=value (keys: " + KEYS + ")");
            }
            String key = t.substring(0, eq).trim();
            String value = t.substring(eq + 1).trim();
            return switch (key) {
                case "exp" -> new Variant(t, expMode(value), v.entryCount(), v.graphs(), v.tuning(), v.depthOrder());
                case "entryCount" -> new Variant(t, v.exp(), switch (value.toLowerCase(Locale.ROOT)) {
                    case "deferred" -> DeviceRasterizer.EntryCount.DEFERRED;
                    case "sync" -> DeviceRasterizer.EntryCount.SYNC;
                    default -> throw new IllegalArgumentException("-D" + VARIANTS_PROPERTY + ": entryCount="
                            + value + ": expected deferred or sync");
                }, v.graphs(), v.tuning(), v.depthOrder());
                case "graph" -> new Variant(t, v.exp(), v.entryCount(),
                        DeviceRasterizer.parseOnOff(value, "-D" + VARIANTS_PROPERTY + ": graph"), v.tuning(),
                        v.depthOrder());
                case "warp" -> new Variant(t, v.exp(), v.entryCount(), v.graphs(), v.tuning().withWarpBlocks(
                        RenderTuning.parseWarp(value, "-D" + VARIANTS_PROPERTY + ": warp")), v.depthOrder());
                case "sparse" -> new Variant(t, v.exp(), v.entryCount(), v.graphs(), v.tuning().withSparseLanes(
                        RenderTuning.parseSparse(value, "-D" + VARIANTS_PROPERTY + ": sparse")), v.depthOrder());
                case "cull" -> new Variant(t, v.exp(), v.entryCount(), v.graphs(), v.tuning().withWarpCull(
                        DeviceRasterizer.parseOnOff(value, "-D" + VARIANTS_PROPERTY + ": cull")), v.depthOrder());
                case "blocks" -> new Variant(t, v.exp(), v.entryCount(), v.graphs(), v.tuning().withForwardBlocks(
                        RenderTuning.parseBlocks(value, "-D" + VARIANTS_PROPERTY + ": blocks")), v.depthOrder());
                case "bwdBlocks" -> new Variant(t, v.exp(), v.entryCount(), v.graphs(), v.tuning()
                        .withBackwardBlocks(RenderTuning.parseBackwardBlocks(value,
                                "-D" + VARIANTS_PROPERTY + ": bwdBlocks")), v.depthOrder());
                case "bwdTools" -> new Variant(t, v.exp(), v.entryCount(), v.graphs(), v.tuning()
                        .withBackwardWarpTools(DeviceRasterizer.parseOnOff(value,
                                "-D" + VARIANTS_PROPERTY + ": bwdTools")), v.depthOrder());
                case "tileOrder" -> new Variant(t, v.exp(), v.entryCount(), v.graphs(), v.tuning()
                        .withTileOrderHeavy(RenderTuning.parseTileOrder(value,
                                "-D" + VARIANTS_PROPERTY + ": tileOrder")), v.depthOrder());
                case "fpcull" -> new Variant(t, v.exp(), v.entryCount(), v.graphs(), v.tuning()
                        .withFootprintCull(DeviceRasterizer.parseOnOff(value, "-D" + VARIANTS_PROPERTY + ": fpcull")),
                        v.depthOrder());
                case "depthOrder" -> new Variant(t, v.exp(), v.entryCount(), v.graphs(), v.tuning(),
                        DeviceRasterizer.DepthOrder.parse(value, "-D" + VARIANTS_PROPERTY + ": depthOrder"));
                default -> throw new IllegalArgumentException("-D" + VARIANTS_PROPERTY + ": unknown key '" + key
                        + "' (keys: " + KEYS + ")");
            };
        }

        private static ExpMode expMode(String value) {
            try {
                return ExpMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-D" + VARIANTS_PROPERTY + ": exp=" + value
                        + ": expected double, float or fast", e);
            }
        }
    }

    /**
     * @param variant           the configuration measured
     * @param forwardMs         median GPU time of one forward
     * @param forwardBackwardMs median GPU time of forward then backward
     * @param hostForwardMs     median host time of the forward call (queuing the launches and, with a deferred
     *                          entry count, waiting for it); near forwardMs means the host, not the GPU, sets the pace
     * @param stageMs           per stage (forward and backward) of one marked run, in launch order, as launched;
     *                          then the same stages with "(GPU only)" from a run queued behind a spin
     * @param workBytes         device bytes of the rasterizer's work buffers after the run
     * @param overflowRedos     forwards that redid the binning because the entries outgrew the buffers
     * @param graphCaptures     CUDA graph captures (2 in a steady state with graphs on, 0 without)
     * @param graphFailure      why graphs were turned off, or null
     */
    public record Result(Variant variant, int surfels, int width, int height, int pairs, double forwardMs,
            double forwardBackwardMs, double hostForwardMs, Map<String, Double> stageMs, long workBytes,
            int overflowRedos, int graphCaptures, String graphFailure) {

        /**
         * The forward's GPU work alone: the sum of its "(GPU only)" stages (NaN when none was timed). What
         * {@link #forwardMs} adds to it is the time the GPU waited for the host's launches.
         */
        public double forwardGpuOnlyMs() {
            double sum = 0;
            boolean any = false;
            for (Map.Entry<String, Double> e : stageMs.entrySet()) {
                String key = e.getKey();
                if (!key.endsWith(GPU_ONLY)) {
                    continue;
                }
                String stage = key.substring(0, key.length() - GPU_ONLY.length());
                if (!stage.equals(DeviceRasterizer.BACKWARD_RENDER_STAGE)
                        && !stage.equals(DeviceRasterizer.BACKWARD_PROJECT_STAGE)) {
                    sum += e.getValue();
                    any = true;
                }
            }
            return any ? sum : Double.NaN;
        }
    }

    /** Shortest warm-up of each configuration, besides the count the caller asks for. */
    static final double MIN_WARMUP_SECONDS = 0.5;

    /** Suffix of the stage times measured with the host queued ahead (GPU work alone). */
    public static final String GPU_ONLY = " (GPU only)";

    private RasterBench() {
    }

    public static List<Result> run(CudaContext cuda, int width, int height, int[] surfelCounts, int warmup,
            int repeats, long seed) {
        return run(cuda, width, height, surfelCounts, warmup, repeats, seed, Variant.standard());
    }

    public static List<Result> run(CudaContext cuda, int width, int height, int[] surfelCounts, int warmup,
            int repeats, long seed, Variant variant) {
        List<Result> results = new ArrayList<>();
        for (int n : surfelCounts) {
            results.add(runOne(cuda, width, height, n, warmup, repeats, seed, variant));
        }
        return results;
    }

    static Result runOne(CudaContext cuda, int width, int height, int n, int warmup, int repeats, long seed,
            Variant variant) {
        SplittableRandom random = new SplittableRandom(seed + n);
        SurfelBatch s = TissueScene.surfels(n, width, height, 1.0, random);
        Camera camera = TissueScene.frontCamera(width, height);
        RenderSettings settings = TissueScene.settings();
        int hw = width * height;
        List<DeviceBuffer> held = new ArrayList<>();
        CUevent start = new CUevent();
        CUevent end = new CUevent();
        try (DeviceRasterizer r = new DeviceRasterizer(cuda)) {
            r.expMode(variant.exp());
            r.entryCount(variant.entryCount());
            r.graphs(variant.graphs());
            r.tuning(variant.tuning());
            r.depthOrder(variant.depthOrder());
            DeviceBuffer p = keep(held, cuda.upload(s.positions(), "bench positions"));
            DeviceBuffer q = keep(held, cuda.upload(s.rotations(), "bench rotations"));
            DeviceBuffer sc = keep(held, cuda.upload(s.scales(), "bench scales"));
            DeviceBuffer o = keep(held, cuda.upload(s.opacities(), "bench opacities"));
            DeviceBuffer c = keep(held, cuda.upload(s.colors(), "bench colours"));
            DeviceBuffer color = keep(held, cuda.allocate(3L * hw * 4, "bench colour image"));
            DeviceBuffer others = keep(held, cuda.allocate((long) RenderOutput.AUX_CHANNELS * hw * 4,
                    "bench aux images"));
            DeviceBuffer radii = keep(held, cuda.allocate(4L * n, "bench radii"));
            DeviceBuffer dColor = keep(held, cuda.upload(TissueScene.upstream(3, width, height, random),
                    "bench colour upstream"));
            DeviceBuffer dOthers = keep(held, cuda.upload(TissueScene.upstream(RenderOutput.AUX_CHANNELS, width,
                    height, random), "bench aux upstream"));
            DeviceBuffer[] g = new DeviceBuffer[6];
            int[] per = {3, 4, 2, 1, 3, 1};
            for (int k = 0; k < 6; k++) {
                g[k] = keep(held, cuda.allocate(4L * per[k] * n, "bench gradients"));
            }
            Runnable forward = () -> r.forward(n, p, q, sc, o, c, camera, settings, color, others, radii);
            Runnable backward = () -> r.backward(dColor, dOthers, g[0], g[1], g[2], g[3], g[4], g[5]);
            cuda.synchronize();  // makes the context current on this thread for the events
            check(cuEventCreate(start, CUevent_flags.CU_EVENT_DEFAULT));
            check(cuEventCreate(end, CUevent_flags.CU_EVENT_DEFAULT));
            // At least `warmup` runs and MIN_WARMUP_SECONDS: after a fixed count of 3 the host code of a process's
            // first configurations may still be interpreted or half compiled (run 9: the host's forward call took
            // 0.25 ms at 100k in the second configuration of the process, 0.07 ms in a later one), while training
            // runs thousands of iterations at the compiled pace.
            long warmEnd = System.nanoTime() + (long) (MIN_WARMUP_SECONDS * 1e9);
            for (int i = 0; i < warmup || System.nanoTime() < warmEnd; i++) {
                forward.run();
                backward.run();
                if (i % 16 == 15) {
                    cuda.synchronize();  // keeps the queue short, so the wall clock measures work done
                }
            }
            cuda.synchronize();
            double[] fwd = new double[repeats];
            double[] both = new double[repeats];
            double[] host = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                int k = i;
                fwd[i] = time(start, end, cuda, () -> {
                    long h0 = System.nanoTime();
                    forward.run();
                    host[k] = (System.nanoTime() - h0) * 1e-6;
                });
                both[i] = time(start, end, cuda, () -> {
                    forward.run();
                    backward.run();
                });
            }
            r.timeStages(true);
            forward.run();
            backward.run();
            Map<String, Double> stages = new LinkedHashMap<>(r.stageTimes());
            // Again with the host ahead of the GPU: the same stages, GPU work alone (see queueAheadWhenTiming).
            cuda.synchronize();
            r.queueAheadWhenTiming(true);
            forward.run();
            backward.run();
            r.stageTimes().forEach((stage, ms) -> {
                if (!stage.equals(DeviceRasterizer.QUEUE_FILL_STAGE)) {
                    stages.put(stage + GPU_ONLY, ms);
                }
            });
            r.queueAheadWhenTiming(false);
            r.timeStages(false);
            return new Result(variant, n, width, height, r.pairs(), median(fwd), median(both), median(host), stages,
                    r.workBytes(), r.overflowRedos(), r.graphCaptures(), r.graphFailure());
        } finally {
            cuEventDestroy(start);
            cuEventDestroy(end);
            for (DeviceBuffer b : held) {
                b.close();
            }
        }
    }

    private static double time(CUevent start, CUevent end, CudaContext cuda, Runnable work) {
        check(cuEventRecord(start, cuda.stream()));
        work.run();
        check(cuEventRecord(end, cuda.stream()));
        check(cuEventSynchronize(end));
        float[] ms = new float[1];
        check(cuEventElapsedTime(ms, start, end));
        return ms[0];
    }

    private static DeviceBuffer keep(List<DeviceBuffer> held, DeviceBuffer b) {
        held.add(b);
        return b;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    private static void check(int result) {
        if (result != 0) {
            throw new IllegalStateException("CUDA event call failed: " + jcuda.driver.CUresult.stringFor(result));
        }
    }

    /** One row per size and variant: entries, forward, forward+backward and host ms, then the stages. */
    public static String table(List<Result> results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-22s %-10s %-9s %10s %12s %14s %12s %10s %7s%n", "variant", "surfels",
                "image", "entries", "forward ms", "fwd+bwd ms", "host fwd ms", "work MiB", "redos"));
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "%-22s %-10d %-9s %10d %12.3f %14.3f %12.3f %10.1f %7d%n",
                    r.variant().label(), r.surfels(), r.width() + "x" + r.height(), r.pairs(), r.forwardMs(),
                    r.forwardBackwardMs(), r.hostForwardMs(), r.workBytes() / 1048576.0, r.overflowRedos()));
        }
        for (Result r : results) {
            b.append(String.format(Locale.ROOT, "stages at %d surfels, %s (ms):", r.surfels(), r.variant().label()));
            r.stageMs().forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.3f;", k, v)));
            b.append(System.lineSeparator());
        }
        return b.toString();
    }
}
