package org.diff2dgs.train.internal.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.train.api.DensifyResult;
import org.diff2dgs.train.api.IterationPlan;
import org.diff2dgs.train.api.IterationResult;
import org.diff2dgs.train.api.MemoryNeeds;
import org.diff2dgs.train.api.Reconstructor;
import org.diff2dgs.train.api.SessionSize;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.SessionState;
import org.diff2dgs.train.api.TrainOptions;
import org.diff2dgs.train.api.TrainRequest;
import org.diff2dgs.train.api.TrainResult;
import org.diff2dgs.train.api.TrainingBackend;
import org.diff2dgs.train.api.TrainingSession;
import org.diff2dgs.train.internal.CpuTrainingBackend;
import org.diff2dgs.train.optim.ExponentialLr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

/**
 * The Trainer keeps the schedule and hands the tensor work to the training backend named like the request's compute
 * backend: which plans it sends (1-based iterations, SH degree, decayed rates, loss terms, no step on density control
 * and at the end, statistics inside the window), when it densifies and resets, that a backend's refusal is a clear
 * user error, and that training through a delegating backend ends exactly like training on "cpu".
 */
class TrainerScheduleTest {

    static Sequence clip;
    static ServiceCatalog catalog;

    @BeforeAll
    static void scene(@TempDir Path dir) {
        // the services come from DS: inside OSGi (./mvnw verify), not in quick-test's plain class path
        assumeTrue(Osgi.context() != null, "needs the OSGi services");
        catalog = Osgi.service(ServiceCatalog.class);
        Osgi.named(() -> catalog.computeBackend("cpu"), "compute backend cpu");
        Osgi.named(() -> catalog.deformationModel("gaussian-basis"), "deformation gaussian-basis");
        clip = Osgi.tinyClip(dir.resolve("clip"), 31, 6, 48, 40);
    }

    static TrainOptions options() {
        return TrainOptions.published().with(Map.ofEntries(Map.entry("iterations", 24), Map.entry("densifyFrom", 5),
                Map.entry("densifyUntil", 20), Map.entry("densifyInterval", 5), Map.entry("opacityResetInterval", 10),
                Map.entry("shIncreaseInterval", 6), Map.entry("normalWeight", 0.05),
                Map.entry("normalFromIteration", 8), Map.entry("distortionWeight", 10.0),
                Map.entry("distortionFromIteration", 12), Map.entry("checkpointInterval", 0),
                Map.entry("densifyGradThreshold", 2e-5), Map.entry("maxSurfels", 4000), Map.entry("seed", 3)));
    }

    /** A compute backend that only carries a name (the training backend of that name does the work). */
    static ComputeBackend named(String name) {
        return new ComputeBackend() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String device() {
                return "test";
            }

            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public int priority() {
                return -1;
            }

            @Override
            public Rasterizer createRasterizer() {
                throw new AssertionError("training must not ask the compute backend for a rasterizer");
            }
        };
    }

    /** Delegates to the CPU backend and records what the Trainer asks. */
    static class Recording implements TrainingBackend {
        final List<IterationPlan> plans = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        final String name;
        final String refusal;
        /** Hand out copies as a GPU session does, so the Trainer writes checkpoints in the background. */
        boolean snapshot;
        /** From this 1-based iteration on the loss reads NaN, as a diverged device session reports it (0: never). */
        int nanFrom;
        int opened;

        Recording(String refusal) {
            this(refusal == null ? "recording" : "refusing", refusal);
        }

        Recording(String name, String refusal) {
            this.name = name;
            this.refusal = refusal;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String unavailableReason(SessionSpec spec) {
            return refusal;
        }

        @Override
        public TrainingSession open(SessionSpec spec) {
            opened++;
            TrainingSession s = new CpuTrainingBackend(catalog).open(spec);
            return new TrainingSession() {
                @Override
                public String device() {
                    return s.device();
                }

                @Override
                public int surfelCount() {
                    return s.surfelCount();
                }

                @Override
                public IterationResult iterate(IterationPlan plan) {
                    plans.add(plan);
                    IterationResult r = s.iterate(plan);
                    if (nanFrom > 0 && plan.iteration() >= nanFrom) {
                        return new IterationResult(Double.NaN, r.l1(), r.ssim(), r.depthLoss(), r.depthWeight(),
                                r.psnr());
                    }
                    return r;
                }

                @Override
                public DensifyResult densifyAndPrune(boolean pruneLarge, long seed) {
                    calls.add(plans.size() + ":densify:" + pruneLarge + ":" + seed);
                    return s.densifyAndPrune(pruneLarge, seed);
                }

                @Override
                public void resetOpacity() {
                    calls.add(plans.size() + ":reset");
                    s.resetOpacity();
                }

                @Override
                public SessionState state() {
                    calls.add(plans.size() + ":state");
                    return snapshot ? copy(s.state()) : s.state();
                }

                @Override
                public boolean stateIsSnapshot() {
                    return snapshot;
                }

                @Override
                public RenderOutput render(Camera camera, double time, int activeSh) {
                    return s.render(camera, time, activeSh);
                }

                @Override
                public Map<String, Double> stageSeconds() {
                    return s.stageSeconds();
                }

                @Override
                public void close() {
                    calls.add("close");
                    s.close();
                }
            };
        }
    }

    static SessionState copy(SessionState st) {
        GaussianModel m = st.model();
        return new SessionState(new GaussianModel(m.count(), m.shDegree(), m.positions().clone(),
                m.rotations().clone(), m.logScales().clone(), m.opacityLogits().clone(), m.sh().clone()),
                copy(st.deformation()), copy(st.optimizer()), copy(st.statistics()));
    }

    static Map<String, float[]> copy(Map<String, float[]> tensors) {
        Map<String, float[]> c = new LinkedHashMap<>();
        tensors.forEach((k, v) -> c.put(k, v.clone()));
        return c;
    }

    static TrainRequest request(Path dir, TrainOptions o, String backend) {
        return new TrainRequest(clip, false, o, named(backend), dir.resolve("checkpoints"), dir.resolve("log.csv"));
    }

    /** As {@code --backend auto} chose {@code backend}. */
    static TrainRequest automatic(Path dir, TrainOptions o, String backend) {
        return new TrainRequest(clip, false, o, named(backend), dir.resolve("checkpoints"), dir.resolve("log.csv"), 0,
                true);
    }

    /** Keeps the notes (the log lines a run prints). */
    static final class Notes implements Progress {
        final List<String> notes = new ArrayList<>();

        @Override
        public void begin(String task, long totalWork) {
        }

        @Override
        public void worked(long units, String status) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void done() {
        }

        @Override
        public void note(String message) {
            notes.add(message);
        }

        long containing(String text) {
            return notes.stream().filter(n -> n.contains(text)).count();
        }
    }

    @Test
    void theTrainerPlansTheScheduleAndTheSessionDoesTheWork(@TempDir Path dir) {
        TrainOptions o = options();
        Recording rec = new Recording(null);
        ServiceRegistration<TrainingBackend> reg = Osgi.context().registerService(TrainingBackend.class, rec,
                new Hashtable<>());
        TrainResult recorded;
        try {
            recorded = Osgi.service(Reconstructor.class).train(request(dir.resolve("a"), o, "recording"),
                    Progress.NONE);
        } finally {
            reg.unregister();
        }
        TrainResult cpu = Osgi.service(Reconstructor.class).train(request(dir.resolve("b"), o, "cpu"), Progress.NONE);

        ExponentialLr positionLr = ExponentialLr.of(o.positionLrInit() * o.spatialScale(),
                o.positionLrFinal() * o.spatialScale(), o.positionLrSteps());
        int[] train = clip.split().train();
        assertEquals(24, rec.plans.size());
        for (int i = 0; i < 24; i++) {
            IterationPlan p = rec.plans.get(i);
            int done = i + 1;
            assertEquals(done, p.iteration());
            assertTrue(Arrays.stream(train).anyMatch(f -> f == p.frame()), "frame " + p.frame() + " not in train");
            assertEquals(Math.min(3, done / 6), p.activeSh(), "SH degree at " + done);
            assertEquals(positionLr.at(done), p.positionLr(), "position rate at " + done);
            assertEquals(i >= 8, p.normalTerm(), "normal term at " + done);
            assertEquals(i >= 12, p.distortionTerm(), "distortion term at " + done);
            assertNotNull(p.depthWeight());
            assertEquals(done != 10 && done != 15 && done != 24, p.step(), "step at " + done);
            assertEquals(done < 20, p.accumulateStatistics(), "statistics at " + done);
        }
        // density control after iterations 10 and 15 (pruning large ones after the first reset), reset at 10,
        // the state once at the end (no checkpoints between), its checkpoint's state is also the result's
        assertEquals(List.of("10:densify:false:" + (3 * 31 + 10), "10:reset", "15:densify:true:" + (3 * 31 + 15),
                "24:state", "close"), rec.calls);

        assertEquals(cpu.finalLoss(), recorded.finalLoss());
        assertEquals(cpu.trainPsnr(), recorded.trainPsnr());
        assertEquals(cpu.surfels(), recorded.surfels());
        assertArrayEquals(cpu.state().surfels().positions(), recorded.state().surfels().positions());
        assertArrayEquals(cpu.state().surfels().sh(), recorded.state().surfels().sh());
        List<Parameter> a = cpu.state().deformation().parameters();
        List<Parameter> b = recorded.state().deformation().parameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value(), b.get(i).value(), a.get(i).name());
        }
        assertEquals(List.of("deform", "render", "loss", "backward", "step", "densify"),
                List.copyOf(cpu.stageSeconds().keySet()));
    }

    /**
     * A session whose state() is a snapshot (the GPU's) has its checkpoints written on a background thread while it
     * trains on: same training, same checkpoints on disk, their notes on the training thread's progress, and a run
     * resumed from one of them ends exactly as the uninterrupted one.
     */
    @Test
    void checkpointsOfASnapshotSessionAreWrittenWhileTrainingGoesOn(@TempDir Path dir) throws Exception {
        TrainOptions o = options().with(Map.of("checkpointInterval", 8));
        Recording rec = new Recording(null);
        rec.snapshot = true;
        Notes notes = new Notes();
        ServiceRegistration<TrainingBackend> reg = Osgi.context().registerService(TrainingBackend.class, rec,
                new Hashtable<>());
        TrainResult background;
        TrainResult resumed;
        try {
            background = Osgi.service(Reconstructor.class).train(request(dir.resolve("a"), o, "recording"), notes);
            // keep iteration 16's checkpoint only: the next run resumes there
            java.nio.file.Path cps = dir.resolve("a/checkpoints");
            java.nio.file.Files.createDirectories(dir.resolve("b"));
            copyTree(cps.resolve("iter-000016"), dir.resolve("b/checkpoints/iter-000016"));
            resumed = Osgi.service(Reconstructor.class).train(request(dir.resolve("b"), o, "recording"),
                    Progress.NONE);
        } finally {
            reg.unregister();
        }
        TrainResult cpu = Osgi.service(Reconstructor.class).train(request(dir.resolve("c"), o, "cpu"), Progress.NONE);
        for (String it : List.of("iter-000008", "iter-000016", "iter-000024")) {
            assertEquals(1, notes.containing("checkpoint " + it + ":"), notes.notes.toString());
        }
        // the store keeps the newest two: pruning ran on the writer thread in checkpoint order
        for (String it : List.of("iter-000016", "iter-000024")) {
            assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("a/checkpoints").resolve(it).resolve("meta.json")),
                    it);
        }
        assertFalse(java.nio.file.Files.exists(dir.resolve("a/checkpoints/iter-000008")));
        assertEquals(16, resumed.resumedFrom());
        for (TrainResult r : List.of(background, resumed)) {
            assertEquals(cpu.finalLoss(), r.finalLoss());
            assertEquals(cpu.surfels(), r.surfels());
            assertArrayEquals(cpu.state().surfels().positions(), r.state().surfels().positions());
            assertArrayEquals(cpu.state().surfels().sh(), r.state().surfels().sh());
        }
    }

    private static void copyTree(java.nio.file.Path from, java.nio.file.Path to) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> all = java.nio.file.Files.walk(from)) {
            for (java.nio.file.Path p : all.toList()) {
                java.nio.file.Path q = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(q);
                } else {
                    java.nio.file.Files.copy(p, q);
                }
            }
        }
    }

    @Test
    void aBackendThatRefusesTheRunIsAUserErrorWithItsReason(@TempDir Path dir) {
        ServiceRegistration<TrainingBackend> reg = Osgi.context().registerService(TrainingBackend.class,
                new Recording("no GPU in this test"), new Hashtable<>());
        try {
            UserInputException e = assertThrows(UserInputException.class, () -> Osgi.service(Reconstructor.class)
                    .train(request(dir, options(), "refusing"), Progress.NONE));
            assertTrue(e.getMessage().contains("'refusing'") && e.getMessage().contains("no GPU in this test")
                    && e.getMessage().contains("--backend cpu"), e.getMessage());
        } finally {
            reg.unregister();
        }
    }

    @Test
    void aComputeBackendWithoutATrainingBackendIsAUserError(@TempDir Path dir) {
        UserInputException e = assertThrows(UserInputException.class, () -> Osgi.service(Reconstructor.class)
                .train(request(dir, options(), "abacus"), Progress.NONE));
        assertTrue(e.getMessage().contains("'abacus'") && e.getMessage().contains("cpu"), e.getMessage());
    }

    @Test
    void anAutomaticChoiceThatTheGpuBackendRefusesTrainsOnTheCpuAndSaysWhyOnce(@TempDir Path dir) {
        TrainOptions o = options().with(Map.of("iterations", 12));
        Recording gpu = new Recording("gpu", "no kernels for this deformation model");
        ServiceRegistration<TrainingBackend> reg = Osgi.context().registerService(TrainingBackend.class, gpu,
                new Hashtable<>());
        Notes notes = new Notes();
        TrainResult fellBack;
        try {
            fellBack = Osgi.service(Reconstructor.class).train(automatic(dir.resolve("a"), o, "gpu"), notes);
        } finally {
            reg.unregister();
        }
        assertEquals(0, gpu.opened, "the refusing backend opens no session");
        assertEquals("cpu", fellBack.trainedOn());
        assertTrue(fellBack.fallbackReason().contains("'gpu'")
                && fellBack.fallbackReason().contains("no kernels for this deformation model"), fellBack.fallbackReason());
        assertEquals(1, notes.containing("training on 'cpu' instead"), notes.notes.toString());
        assertEquals(1, notes.containing("no kernels for this deformation model"), notes.notes.toString());
        // the CPU's memory needs are checked before it takes over
        assertEquals(1, notes.containing("memory on 'cpu'"), notes.notes.toString());

        TrainResult cpu = Osgi.service(Reconstructor.class).train(request(dir.resolve("b"), o, "cpu"), Progress.NONE);
        assertEquals("cpu", cpu.trainedOn());
        assertEquals(null, cpu.fallbackReason());
        assertEquals(cpu.finalLoss(), fellBack.finalLoss());
        assertArrayEquals(cpu.state().surfels().positions(), fellBack.state().surfels().positions());
    }

    @Test
    void anAutomaticChoiceWithoutATrainingBackendOfThatNameTrainsOnTheCpu(@TempDir Path dir) {
        Notes notes = new Notes();
        TrainResult r = Osgi.service(Reconstructor.class).train(automatic(dir, options().with(Map.of("iterations", 3)),
                "abacus"), notes);
        assertEquals("cpu", r.trainedOn());
        assertTrue(r.fallbackReason().contains("'abacus'") && r.fallbackReason().contains("no training backend"),
                r.fallbackReason());
        assertEquals(1, notes.containing("training on 'cpu' instead"), notes.notes.toString());
    }

    @Test
    void anAcceptingBackendTrainsAnAutomaticChoiceItself(@TempDir Path dir) {
        Recording gpu = new Recording("gpu", null);
        ServiceRegistration<TrainingBackend> reg = Osgi.context().registerService(TrainingBackend.class, gpu,
                new Hashtable<>());
        Notes notes = new Notes();
        TrainResult r;
        try {
            r = Osgi.service(Reconstructor.class).train(automatic(dir, options().with(Map.of("iterations", 3)),
                    "gpu"), notes);
        } finally {
            reg.unregister();
        }
        assertEquals(1, gpu.opened);
        assertEquals("gpu", r.trainedOn());
        assertEquals(null, r.fallbackReason());
        assertEquals(0, notes.containing("instead"), notes.notes.toString());
    }

    @Test
    void densityControlThatPrunesEverySurfelStopsWithTheIterationAndTheThresholds(@TempDir Path dir) {
        // every surfel starts far below an opacity of 0.99; the reset at 5 makes iteration 10 prune large ones too
        TrainOptions o = options().with(Map.of("pruneOpacity", 0.99, "opacityResetInterval", 5));
        UserInputException e = assertThrows(UserInputException.class,
                () -> Osgi.service(Reconstructor.class).train(request(dir, o, "cpu"), Progress.NONE));
        String m = e.getMessage();
        assertTrue(m.contains("density control at iteration 10 pruned every surfel"), m);
        assertTrue(m.contains("pruneOpacity=0.99") && m.contains("size limit") && m.contains("--set pruneOpacity"),
                m);
        assertFalse(m.contains("value/grad length"), m);
    }

    @Test
    void aLossThatTurnsNanStopsTrainingBeforeItsCheckpointAndSaysWhatToChange(@TempDir Path dir) throws Exception {
        Recording rec = new Recording(null);
        rec.snapshot = true;
        rec.nanFrom = 13;
        ServiceRegistration<TrainingBackend> reg = Osgi.context().registerService(TrainingBackend.class, rec,
                new Hashtable<>());
        TrainOptions o = options().with(Map.of("checkpointInterval", 6));
        UserInputException e;
        try {
            e = assertThrows(UserInputException.class,
                    () -> Osgi.service(Reconstructor.class).train(request(dir, o, "recording"), Progress.NONE));
        } finally {
            reg.unregister();
        }
        String m = e.getMessage();
        assertTrue(m.contains("training diverged at iteration 13: the loss is NaN"), m);
        assertTrue(m.contains("last checkpoint (iteration 12) is kept") && m.contains("--set positionLrInit="), m);
        // no step after the NaN: the session is closed and the checkpoints on disk are the good ones
        assertEquals(13, rec.plans.size());
        assertEquals("close", rec.calls.get(rec.calls.size() - 1));
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("checkpoints"))) {
            List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("iter-"))
                    .sorted().toList();
            assertEquals(List.of("iter-000006", "iter-000012"), names);
        }
    }

    /** A GPU-like backend: the surfels live in a device with {@code deviceFree} bytes; the heap holds the frames. */
    static Recording deviceBacked(long deviceFree, long deviceBytesPerSurfel) {
        return new Recording("gpu", null) {
            @Override
            public Optional<MemoryNeeds> memoryNeeds(SessionSize size) {
                int cap = size.surfelCap();
                MemoryNeeds.Pool host = new MemoryNeeds.Pool("Java heap", -1, size.frameBytes(), 0, cap,
                        Map.of("frames", size.frameBytes()));
                long frames = size.frameBytes();
                MemoryNeeds.Pool device = new MemoryNeeds.Pool("GPU memory of a test device", deviceFree, frames,
                        deviceBytesPerSurfel, cap, Map.of("frames", frames, "surfels", deviceBytesPerSurfel * cap));
                return Optional.of(new MemoryNeeds(host, device));
            }
        };
    }

    @Test
    void theHeapCheckFollowsTheBackendAndADeviceShortfallNamesTheDevice(@TempDir Path dir) {
        // a cap no Java heap holds on the CPU (every tensor, gradient and moment on the heap) ...
        TrainOptions huge = options().with(Map.of("iterations", 3, "maxSurfels", 200_000_000));
        UserInputException onCpu = assertThrows(UserInputException.class,
                () -> Osgi.service(Reconstructor.class).train(request(dir.resolve("cpu"), huge, "cpu"), Progress.NONE));
        assertTrue(onCpu.getMessage().contains("of Java heap at the surfel cap of 200000000")
                && onCpu.getMessage().contains("(host memory)"), onCpu.getMessage());

        // ... trains on a backend that keeps the surfels on its device and has room there
        Recording roomy = deviceBacked(10L << 30, 16);
        ServiceRegistration<TrainingBackend> reg = Osgi.context().registerService(TrainingBackend.class, roomy,
                new Hashtable<>());
        Notes notes = new Notes();
        try {
            TrainResult r = Osgi.service(Reconstructor.class).train(request(dir.resolve("roomy"), huge, "gpu"), notes);
            assertEquals("gpu", r.trainedOn());
        } finally {
            reg.unregister();
        }
        assertEquals(1, notes.containing("device needs about"), notes.notes.toString());

        // a device too small for the cap: refused before training, naming device memory and a cap that fits
        Recording small = deviceBacked(100L << 20, 1000);
        reg = Osgi.context().registerService(TrainingBackend.class, small, new Hashtable<>());
        TrainOptions million = options().with(Map.of("iterations", 3, "maxSurfels", 1_000_000));
        try {
            UserInputException e = assertThrows(UserInputException.class, () -> Osgi.service(Reconstructor.class)
                    .train(request(dir.resolve("small"), million, "gpu"), Progress.NONE));
            String m = e.getMessage();
            assertTrue(m.contains("of GPU memory of a test device at the surfel cap of 1000000")
                    && m.contains("device memory, not the Java heap") && m.contains("--set maxSurfels=")
                    && m.contains("--backend cpu"), m);
            assertEquals(0, small.opened);
        } finally {
            reg.unregister();
        }
    }
}
