package org.diff2dgs.pipeline.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.StageOutOfMemoryError;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.io.FileTrees;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.RunLock;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.pipeline.api.RunReport;
import org.diff2dgs.pipeline.api.RunRequest;
import org.diff2dgs.pipeline.api.Stages;
import org.diff2dgs.train.api.EffectiveConfig;
import org.diff2dgs.train.api.Reconstructor;
import org.diff2dgs.train.api.TrainRequest;
import org.diff2dgs.train.api.TrainResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import com.google.gson.JsonObject;

/**
 * The staged run behind `d2dgs run`: like the published pipeline (prepare, train, render, evaluate with a state file
 * and --from-stage/--to-stage/--force), and beyond it: training resumes inside its stage from the last checkpoint,
 * and the dataset's fingerprint is recorded so changed data is detected instead of silently reused.
 */
@Component(service = Pipeline.class)
public class DefaultPipeline implements Pipeline {

    private final ServiceCatalog catalog;
    private final Reconstructor reconstructor;

    /** 3D snapshots through the viewer; absent in a product without the viewer bundle. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SurfelSnapshots snapshots;

    @Activate
    public DefaultPipeline(@Reference ServiceCatalog catalog, @Reference Reconstructor reconstructor) {
        this.catalog = catalog;
        this.reconstructor = reconstructor;
    }

    @Override
    public RunReport run(RunRequest req, Progress progress) {
        try (RunLock lock = RunLock.acquire(req.runFolder(), RunLock.commandLine("d2dgs run"), progress::note)) {
            return runStages(req, progress);
        } catch (OutOfMemoryError e) {
            throw StageOutOfMemoryError.during(StageNames.current(), e);
        } finally {
            StageNames.leave();
        }
    }

    private RunReport runStages(RunRequest req, Progress progress) {
        checkStage(req.fromStage(), "--from-stage");
        checkStage(req.toStage(), "--to-stage");
        req.force().forEach(s -> checkStage(s, "--force"));
        RunFolder folder = new RunFolder(req.runFolder());
        createFolder(req.runFolder());
        RunState state = RunState.loadOrNew(folder.state());
        ComputeBackend backend = backend(req.backend());
        // the command line says this choice (BackendChoice); run.json keeps it
        String passedOver = passedOver(req.backend(), backend);
        applyRequestedInvalidation(req, state);
        checkInputsUnchanged(req, state, folder);
        CheckpointFiles.reopenTrainingIfNewestIsBroken(state, folder, reconstructor, progress);

        List<String> ran = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        String table = "";
        Sequence sequence = null;
        // the inpainted clip as stage 1 read it back (compactly) in this process: train expands it instead of
        // decoding the files again
        Sequence inpaintedClip = null;
        int last = req.toStage() == null ? Stages.ORDER.size() - 1 : Stages.ORDER.indexOf(req.toStage());
        for (int i = 0; i <= last; i++) {
            String stage = Stages.ORDER.get(i);
            if (state.done(stage)) {
                skipped.add(stage);
                if (stage.equals(Stages.TRAIN)) {
                    // only training takes stage 1's clip: not held through rendering and evaluation
                    inpaintedClip = null;
                }
                continue;
            }
            progress.checkCancelled();
            StageNames.enter(stage);
            long t0 = System.nanoTime();
            RunState.StageRecord record = state.stages.get(stage);
            record.status = "running";
            state.save(folder.state());
            // the source as floats only where a stage visits whole frames many times: training (on the source
            // frames), rendering and evaluation; prepare checks it and stage 1 reads it compactly itself
            if (sequence == null && (stage.equals(Stages.RENDER) || stage.equals(Stages.EVALUATE))) {
                sequence = load(state, req, progress);
            }
            switch (stage) {
                case Stages.PREPARE -> prepare(req, state, folder, record, progress);
                case Stages.INPAINT -> inpaintedClip = new InpaintStage(catalog).run(req.inpaint(),
                        req.inpaintOptions(), sourceClip(state, req), req.read(), folder,
                        record.detail, progress);
                case Stages.TRAIN -> {
                    boolean inpainted = !InpaintStage.NONE.equals(InpaintStage.method(state));
                    long read = System.nanoTime();
                    boolean handedOver = inpainted && inpaintedClip != null;
                    Sequence training;
                    if (inpainted) {
                        // the source is read again for rendering and evaluation: never two clips in memory at once
                        sequence = null;
                        training = handedOver ? InpaintedClips.floats(inpaintedClip)
                                : InpaintedClips.read(catalog, folder.inpainted(), req.read(), progress);
                    } else {
                        // timed as readClip: the source is read here, not handed over by prepare
                        training = load(state, req, progress);
                        sequence = training;
                    }
                    inpaintedClip = null;
                    double readSeconds = (System.nanoTime() - read) / 1e9;
                    TrainResult r = train(req, state, folder, training, inpainted, backend, passedOver, progress);
                    record.detail.put("trainedOn", inpainted ? "inpainted/ (" + InpaintStage.method(state) + ")"
                            : "the source frames (instrument pixels excluded)");
                    record.detail.put("backend", r.trainedOn());
                    if (state.backendReason != null) {
                        record.detail.put("backendReason", state.backendReason);
                    } else {
                        record.detail.remove("backendReason");
                    }
                    record.detail.put("iterations", r.iterations());
                    record.detail.put("resumedFrom", r.resumedFrom());
                    record.detail.put("surfels", r.surfels());
                    record.detail.put("trainingSeconds", r.seconds());
                    record.detail.put("trainPsnr", r.trainPsnr());
                    record.detail.put("secondsPerIterationByStage", r.stageSeconds());
                    Map<String, Double> outside = new LinkedHashMap<>();
                    outside.put("readClip", readSeconds);
                    if (handedOver) {
                        // said, so that a readClip near zero is not taken for a fast read
                        record.detail.put("clipReadBy", "the inpaint stage of this process (read back compactly "
                                + "for its quality table; readClip: expanding it to floats)");
                    } else {
                        record.detail.remove("clipReadBy");
                    }
                    outside.putAll(r.setupSeconds());
                    if (r.resumedFrom() == 0) {
                        // the rest of the stage so far: state saves, the backend's description (on a GPU the first
                        // context), the trainer's loss masks, the memory check
                        double parts = r.seconds();
                        for (double v : outside.values()) {
                            parts += v;
                        }
                        outside.put("rest", (System.nanoTime() - t0) / 1e9 - parts);
                    }
                    record.detail.put("secondsOutsideTheLoop", outside);
                    if (!r.initializeSeconds().isEmpty()) {
                        // where "initialize" went, and how many processors its parallel parts had
                        record.detail.put("initializeSeconds", r.initializeSeconds());
                        record.detail.put("processors", r.processors());
                    } else {
                        record.detail.remove("initializeSeconds");
                        record.detail.remove("processors");
                    }
                    record.detail.put("checkpointBytes", CheckpointFiles.newestBytes(folder.checkpoints()));
                }
                case Stages.RENDER -> new RenderStage(reconstructor, backend, snapshots).run(sequence, folder,
                        req.exportPly(), req.snapshots(), record.detail, progress);
                case Stages.EVALUATE -> table = new EvaluateStage(reconstructor, backend, catalog).run(sequence, folder,
                        req.protocols(), req.metrics(), state, record.detail, progress);
                default -> throw new IllegalStateException(stage);
            }
            record.status = "done";
            record.seconds = (System.nanoTime() - t0) / 1e9;
            record.finishedAt = Instant.now().toString();
            state.save(folder.state());
            ran.add(stage);
        }
        if (table.isEmpty() && state.done(Stages.EVALUATE) && Files.isRegularFile(folder.metrics())) {
            table = EvaluateStage.tableOf(folder.metrics());
        }
        summary.put("runFolder", folder.root().toString());
        // what trained (an automatic choice may have fallen back to the CPU), else what this call renders on
        summary.put("backend", state.backend != null ? state.backend : backend.name());
        summary.put("device", state.environment.getOrDefault("device", backend.device()));
        summary.putAll(state.stages.get(Stages.TRAIN).detail);
        return new RunReport(folder.root(), ran, skipped, table, summary);
    }

    @Override
    public List<Path> render(Path runFolder, double time, int cameraFrame, Path outPrefix, String backendName) {
        try {
            return renderView(runFolder, time, cameraFrame, outPrefix, backendName);
        } catch (OutOfMemoryError e) {
            throw StageOutOfMemoryError.during(StageNames.of(Stages.RENDER), e);
        }
    }

    private List<Path> renderView(Path runFolder, double time, int cameraFrame, Path outPrefix, String backendName) {
        if (!(time >= 0 && time <= 1)) {
            throw new UserInputException("--time must be in [0, 1], got " + time);
        }
        RunFolder folder = existingRun(runFolder);
        try (RunLock lock = RunLock.acquire(runFolder, RunLock.commandLine("d2dgs render"), n -> { })) {
            return renderLocked(folder, time, cameraFrame, outPrefix, backendName);
        }
    }

    private List<Path> renderLocked(RunFolder folder, double time, int cameraFrame, Path outPrefix,
            String backendName) {
        RunState state = RunState.loadOrNew(folder.state());
        Sequence seq = load(state, null, Progress.NONE);
        int frame = cameraFrame >= 0 ? cameraFrame
                : (int) Math.min(seq.size() - 1, Math.max(0, Math.round(time * seq.size())));
        if (frame >= seq.size()) {
            throw new UserInputException("--camera " + cameraFrame + " is past the last frame (" + (seq.size() - 1)
                    + ")");
        }
        var scene = reconstructor.load(folder.checkpoints());
        ComputeBackend backend = backend(backendName);
        try (var r = backend.createRasterizer()) {
            RenderedFrame out = RenderedFrame.of(reconstructor.render(scene, seq.frame(frame).camera(), time, r));
            String base = outPrefix.getFileName().toString();
            Path color = outPrefix.resolveSibling(base + ".color.png");
            Path normal = outPrefix.resolveSibling(base + ".normal.png");
            org.diff2dgs.core.io.Images.writeColor(color, out.color());
            org.diff2dgs.core.io.Images.writeColor(normal, out.normal());
            List<Path> depth = DepthFiles.writeView(outPrefix, out.depth());
            List<Path> files = new ArrayList<>(List.of(color, normal));
            files.addAll(depth);
            return files;
        }
    }

    @Override
    public Path snapshot(Path runFolder, double time, String mode, int width, int height, Path out) {
        if (!(time >= 0 && time <= 1)) {
            throw new UserInputException("--time must be in [0, 1], got " + time);
        }
        SnapshotModes.check(mode);
        if ((width != 0 || height != 0) && (width <= 0 || height <= 0 || width > 16384 || height > 16384)) {
            throw new UserInputException("snapshot size must be 1..16384 pixels a side, got " + width + "x" + height);
        }
        SurfelSnapshots viewer = snapshots;
        String unavailable = viewer == null ? RenderStage.NO_VIEWER : viewer.unavailableReason();
        if (unavailable != null) {
            throw new UserInputException("no 3D snapshot: " + unavailable);
        }
        RunFolder folder = existingRun(runFolder);
        if (!Files.isDirectory(folder.checkpoints())) {
            throw new UserInputException(runFolder, "no trained model in this run (train/checkpoints/ is missing)");
        }
        try (RunLock lock = RunLock.acquire(runFolder, RunLock.commandLine("d2dgs snapshot"), n -> { })) {
            RunState state = RunState.loadOrNew(folder.state());
            var scene = reconstructor.load(folder.checkpoints());
            var cameras = load(state, null, Progress.NONE).frames().stream().map(f -> f.camera())
                    .filter(c -> c != null).toList();
            return viewer.writeOne(scene, cameras, time, mode, new int[] {width, height}, out);
        } catch (OutOfMemoryError e) {
            throw StageOutOfMemoryError.during("taking a 3D snapshot", e);
        }
    }

    @Override
    public String unfinishedTraining(Path runFolder) {
        RunFolder folder = new RunFolder(runFolder);
        RunState state;
        try {
            state = Files.isRegularFile(folder.state()) ? RunState.loadOrNew(folder.state()) : null;
        } catch (UserInputException e) {
            state = null;
        }
        if (state == null) {
            // not a run, or a damaged one: render and snapshot say what is wrong, in their own order of checks
            return null;
        }
        return state.done(Stages.TRAIN) ? null
                : "training of this run has not finished (" + folder.state() + "): showing its newest checkpoint,"
                        + " not the result";
    }

    @Override
    public String snapshotsUnavailableReason() {
        SurfelSnapshots viewer = snapshots;
        return viewer == null ? RenderStage.NO_VIEWER : viewer.unavailableReason();
    }

    @Override
    public String evaluate(Path runFolder, List<String> protocols, List<String> metrics, String backendName,
            Progress progress) {
        try {
            return evaluateRun(runFolder, protocols, metrics, backendName, progress);
        } catch (OutOfMemoryError e) {
            throw StageOutOfMemoryError.during(StageNames.of(Stages.EVALUATE), e);
        }
    }

    private String evaluateRun(Path runFolder, List<String> protocols, List<String> metrics, String backendName,
            Progress progress) {
        RunFolder folder = existingRun(runFolder);
        try (RunLock lock = RunLock.acquire(runFolder, RunLock.commandLine("d2dgs eval"), progress::note)) {
            return evaluateLocked(folder, protocols, metrics, backendName, progress);
        }
    }

    private String evaluateLocked(RunFolder folder, List<String> protocols, List<String> metrics, String backendName,
            Progress progress) {
        RunState state = RunState.loadOrNew(folder.state());
        if (!state.done(Stages.TRAIN)) {
            throw new UserInputException(folder.state(), "training has not finished in this run");
        }
        Sequence seq = load(state, null, progress);
        RunState.StageRecord record = state.stages.get(Stages.EVALUATE);
        long t0 = System.nanoTime();
        String table = new EvaluateStage(reconstructor, backend(backendName), catalog).run(seq, folder, protocols,
                metrics, state, record.detail, progress);
        record.status = "done";
        record.seconds = (System.nanoTime() - t0) / 1e9;
        record.finishedAt = Instant.now().toString();
        state.save(folder.state());
        return table;
    }

    private static RunFolder existingRun(Path runFolder) {
        RunFolder folder = new RunFolder(runFolder);
        if (!Files.isRegularFile(folder.state())) {
            throw new UserInputException(runFolder, "not a run folder (no run.json)");
        }
        return folder;
    }

    private static void checkStage(String stage, String option) {
        if (stage != null && !Stages.ORDER.contains(stage)) {
            throw new UserInputException("unknown stage '" + stage + "' for " + option + " (stages: "
                    + String.join(", ", Stages.ORDER) + ")");
        }
    }

    private static void createFolder(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UserInputException(p, "cannot create the run folder: " + e.getMessage());
        }
    }

    /** null or "auto": the best available backend; a name: that backend, which must be available here. */
    private ComputeBackend backend(String name) {
        return catalog.chooseComputeBackend(name);
    }

    /**
     * For an automatic choice, why the installed backends that rank above the chosen one were passed over (e.g. the
     * cuda backend without a GPU); null when none was or the user named the backend.
     */
    private String passedOver(String name, ComputeBackend chosen) {
        if (!ComputeBackend.isAuto(name)) {
            return null;
        }
        List<String> why = catalog.computeBackends().stream()
                .filter(b -> b.priority() > chosen.priority() && !b.isAvailable())
                .map(b -> "'" + b.name() + "' is not available here: " + b.unavailableReason()).toList();
        return why.isEmpty() ? null : String.join("; ", why);
    }

    private static void applyRequestedInvalidation(RunRequest req, RunState state) {
        if (req.fromStage() != null) {
            state.invalidateFrom(req.fromStage());
        }
        for (String s : Stages.ORDER) {
            if (req.force().contains(s)) {
                state.invalidateFrom(s);
            }
        }
        if (state.stages.get(Stages.TRAIN).status.equals("stale")) {
            // a forced or re-prepared training starts from scratch, not from old checkpoints
            state.stages.get(Stages.TRAIN).detail.put("restart", true);
        }
    }

    /** Refuses to continue a run whose dataset or training options changed since the stages were done. */
    private static void checkInputsUnchanged(RunRequest req, RunState state, RunFolder folder) {
        if (state.done(Stages.PREPARE)) {
            Path data = req.dataset() == null ? folder.dataset() : req.dataset();
            String now = null;
            if (state.datasetPath != null && !Path.of(state.datasetPath).toAbsolutePath().normalize()
                    .equals(data.toAbsolutePath().normalize())) {
                // the same files somewhere else (a clip copied to scratch, a renamed folder) are the same dataset
                now = Files.isDirectory(data) ? DatasetFingerprint.of(data) : null;
                if (now == null || !now.equals(state.datasetFingerprint)) {
                    throw new UserInputException(folder.state(), "this run was prepared from " + state.datasetPath
                            + ", not " + data + (now == null ? " (not found)" : " (other files)") + "; use another "
                            + "--out folder or --force prepare");
                }
                state.datasetPath = data.toAbsolutePath().normalize().toString();
                // recorded at once: render and eval read the clip from here even when no stage runs now
                state.save(folder.state());
            }
            now = now != null ? now : DatasetFingerprint.of(data);
            if (!now.equals(state.datasetFingerprint)) {
                throw new UserInputException(data, "dataset changed since this run was prepared (fingerprint "
                        + abbreviate(state.datasetFingerprint) + " is now " + abbreviate(now)
                        + "); rerun with --force prepare to start again from the new data");
            }
        }
        checkInpaintingUnchanged(req, state, folder);
        Map<String, Object> opts = optionsMap(req);
        if (state.trainingOptions != null && !opts.equals(state.trainingOptions)
                && (state.done(Stages.TRAIN) || "running".equals(state.stages.get(Stages.TRAIN).status))) {
            throw new UserInputException(folder.state(), "training options differ from those this run was trained "
                    + "with (" + changes(state.trainingOptions, opts) + "); rerun with --force train (or use another "
                    + "--out folder)");
        }
    }

    /** "name: then -> now" for each option that differs, sorted, at most five (the user must see which). */
    static String changes(Map<String, Object> then, Map<String, Object> now) {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(then.keySet());
        keys.addAll(now.keySet());
        List<String> out = new java.util.ArrayList<>();
        for (String k : keys) {
            if (!java.util.Objects.equals(then.get(k), now.get(k))) {
                out.add(k + ": " + plain(then.get(k)) + " then, " + plain(now.get(k)) + " now");
            }
        }
        return out.size() <= 5 ? String.join("; ", out)
                : String.join("; ", out.subList(0, 5)) + " and " + (out.size() - 5) + " more";
    }

    /** JSON numbers come back as doubles: 40.0 is shown as 40. */
    private static String plain(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return v == null ? "unset" : v.toString();
    }

    /**
     * Refuses to continue a run whose stage-1 request (method, options) differs from the one it was inpainted with, or
     * whose inpainted clip changed on disk since.
     */
    private static void checkInpaintingUnchanged(RunRequest req, RunState state, RunFolder folder) {
        RunState.StageRecord record = state.stages.get(Stages.INPAINT);
        if (!"done".equals(record.status) || Boolean.TRUE.equals(record.detail.get("legacy"))) {
            return;
        }
        Map<String, Object> now = InpaintStage.requestOf(req.inpaint(), req.inpaintOptions());
        Map<String, Object> then = new LinkedHashMap<>();
        then.put("requested", record.detail.get("requested"));
        then.put("options", record.detail.get("options"));
        if (!now.equals(then)) {
            throw new UserInputException(folder.state(), "inpainting (" + then.get("requested") + ", " + then.get(
                    "options") + ") differs from the request (" + now.get("requested") + ", " + now.get("options")
                    + "); rerun with --force inpaint (or use another --out folder)");
        }
        if (!InpaintStage.NONE.equals(InpaintStage.method(state))) {
            Path clip = folder.inpainted();
            if (!Files.isDirectory(clip)) {
                throw new UserInputException(clip, "the inpainted clip of this run is missing; rerun with --force "
                        + "inpaint");
            }
            Object recorded = record.detail.get("fingerprint");
            String current = DatasetFingerprint.of(clip);
            if (recorded != null && !recorded.equals(current)) {
                throw new UserInputException(clip, "the inpainted clip changed since stage 1 wrote it (fingerprint "
                        + abbreviate(recorded.toString()) + " is now " + abbreviate(current) + "); rerun with "
                        + "--force inpaint");
            }
        }
    }

    static Map<String, Object> optionsMap(RunRequest req) {
        JsonObject o = Json.gson().toJsonTree(req.training()).getAsJsonObject();
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.gson().fromJson(o, Map.class);
        return m;
    }

    private static String abbreviate(String s) {
        return s == null ? "none" : s.substring(0, Math.min(12, s.length()));
    }

    /**
     * Checks the dataset (synthesizing it first when none is given) and records it; reads nothing for later stages:
     * each reads the clip as it needs it (stage 1 compactly, training and evaluation as floats).
     */
    private void prepare(RunRequest req, RunState state, RunFolder folder, RunState.StageRecord record,
            Progress progress) {
        Path data = req.dataset();
        if (data == null) {
            data = folder.dataset();
            try {
                FileTrees.deleteRecursively(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            var generator = catalog.sceneGenerators().stream().findFirst()
                    .orElseThrow(() -> new UserInputException("no scene generator is installed"));
            generator.write(data, req.synthetic(), progress);
            record.detail.put("synthesized", Map.of("generator", generator.name(), "seed", req.synthetic().seed(),
                    "frames", req.synthetic().frames(), "width", req.synthetic().width(), "height",
                    req.synthetic().height()));
        }
        DatasetReader reader = reader(data, req.format());
        ValidationReport report = reader.validate(data, req.read(), progress);
        if (!report.ok()) {
            StringBuilder sb = new StringBuilder("dataset has " + report.problems().size() + " problem(s):");
            report.problems().forEach(p -> sb.append("\n  - ").append(p));
            throw new UserInputException(data, sb.toString());
        }
        state.datasetPath = data.toAbsolutePath().normalize().toString();
        state.datasetFormat = reader.format();
        state.datasetSynthesized = req.dataset() == null;
        state.datasetFingerprint = DatasetFingerprint.of(data);
        state.readOptions = req.read();
        record.detail.put("summary", report.summary());
        // a new dataset invalidates training checkpoints of an earlier one
        state.stages.get(Stages.TRAIN).detail.put("restart", true);
    }

    private Sequence load(RunState state, RunRequest req, Progress progress) {
        Path data = datasetOf(state);
        ReadOptions read = req != null ? req.read() : state.readOptions != null ? state.readOptions
                : ReadOptions.defaults();
        try {
            return reader(data, state.datasetFormat).read(data, read, progress);
        } catch (OutOfMemoryError e) {
            throw StageOutOfMemoryError.during(StageNames.READING, e);
        }
    }

    private static Path datasetOf(RunState state) {
        if (state.datasetPath == null) {
            throw new UserInputException("this run has not been prepared yet (no dataset recorded)");
        }
        return Path.of(state.datasetPath);
    }

    /** The run's source clip as stage 1 reads it. */
    private InpaintStage.SourceClip sourceClip(RunState state, RunRequest req) {
        return new InpaintStage.SourceClip() {
            @Override
            public Sequence readCompact(boolean groundTruth, Progress progress) {
                return loadCompact(state, req, groundTruth, progress);
            }

            @Override
            public boolean mayHaveGroundTruth() {
                Path data = datasetOf(state);
                return reader(data, state.datasetFormat).mayHaveGroundTruth(data);
            }
        };
    }

    /** The run's source clip coded as stored ({@link DatasetReader#readCompact}), for stage 1. */
    private Sequence loadCompact(RunState state, RunRequest req, boolean groundTruth, Progress progress) {
        Path data = datasetOf(state);
        try {
            return reader(data, state.datasetFormat).readCompact(data, req.read(), groundTruth, progress);
        } catch (OutOfMemoryError e) {
            throw StageOutOfMemoryError.during(StageNames.READING, e);
        }
    }

    private DatasetReader reader(Path data, String format) {
        if (format != null) {
            return catalog.datasetReader(format)
                    .orElseThrow(() -> new UserInputException("unknown dataset format '" + format + "'"));
        }
        if (!Files.isDirectory(data)) {
            throw new UserInputException(data, "dataset folder not found");
        }
        return catalog.recognize(data)
                .orElseThrow(() -> new UserInputException(data, "no dataset reader recognizes this folder"));
    }

    private TrainResult train(RunRequest req, RunState state, RunFolder folder, Sequence sequence, boolean inpainted,
            ComputeBackend backend, String passedOver, Progress progress) {
        RunState.StageRecord record = state.stages.get(Stages.TRAIN);
        if (Boolean.TRUE.equals(record.detail.get("restart"))) {
            try {
                FileTrees.deleteRecursively(folder.checkpoints());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            record.detail.remove("restart");
        }
        state.trainingOptions = optionsMap(req);
        state.trainingConfig = EffectiveConfig.of(req.training());
        state.backend = backend.name();
        state.backendReason = passedOver;
        state.environment = Environment.describe(backend, passedOver);
        state.save(folder.state());
        // the run's own stage 1, or a dataset that is itself an inpainted clip (the reader says so)
        TrainResult r = reconstructor.train(new TrainRequest(sequence, inpainted || sequence.info().inpainted(),
                req.training(), backend, folder.checkpoints(), folder.trainingLog(), req.keepCheckpoints(),
                ComputeBackend.isAuto(req.backend())), progress);
        if (r.fallbackReason() != null) {
            // the automatic choice's training backend refused the run: what trained is what the results describe
            ComputeBackend trained = catalog.computeBackend(r.trainedOn()).orElse(backend);
            state.backend = r.trainedOn();
            state.backendReason = r.fallbackReason();
            state.environment = Environment.describe(trained, r.fallbackReason());
            state.save(folder.state());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("backend", r.trainedOn());
        if (state.backendReason != null) {
            result.put("backendReason", state.backendReason);
        }
        result.put("iterations", r.iterations());
        result.put("resumedFrom", r.resumedFrom());
        result.put("surfels", r.surfels());
        result.put("seconds", r.seconds());
        result.put("finalLoss", r.finalLoss());
        result.put("trainPsnr", r.trainPsnr());
        result.put("secondsPerIterationByStage", r.stageSeconds());
        result.put("checkpoints", CheckpointFiles.sizes(folder.checkpoints()));
        result.put("inpainted", sequence.info().inpainted());
        result.put("config", EffectiveConfig.of(req.training()));
        Json.write(folder.trainingResult(), result);
        return r;
    }
}
