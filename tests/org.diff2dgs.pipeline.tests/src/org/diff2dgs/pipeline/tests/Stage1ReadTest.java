package org.diff2dgs.pipeline.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.io.FileTrees;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.CompactFrames;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.inpaint.quality.Stage1Quality;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.pipeline.api.RunRequest;
import org.diff2dgs.pipeline.api.Stages;
import org.diff2dgs.pipeline.internal.InpaintedClips;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

import com.google.gson.JsonObject;

/**
 * Stage 1 inside a run reads the clip as {@code d2dgs inpaint} does (docs/inpainting.md, "Memory"): compactly, never
 * as a float copy of the whole clip, gt/ only for the quality table; its files are those of {@code d2dgs inpaint},
 * its quality table that of the float clips, and training takes the read-back clip expanded to the very floats a
 * float read gives.
 */
class Stage1ReadTest {

    /** Sorts before "endonerf": among readers that score a folder equally, the catalog takes the first. */
    private static final String FORMAT = "counting-endonerf";

    /** 12 frames at 80x64 with two instruments, seed 4242: the tissue moves, so propagation has work to do. */
    private static final SceneSpec SCENE = new SceneSpec(4242, 12, 80, 64, Map.of());

    @TempDir
    Path dir;

    private CountingReader counting;
    private ServiceRegistration<DatasetReader> registration;

    /** Records each call (kind and folder name) and delegates to the EndoNeRF reader, for folders under the test's. */
    private static final class CountingReader implements DatasetReader {

        private final DatasetReader delegate;
        private final Path root;
        private final List<String> calls = new ArrayList<>();

        CountingReader(DatasetReader delegate, Path root) {
            this.delegate = delegate;
            this.root = root;
        }

        synchronized List<String> calls() {
            return List.copyOf(calls);
        }

        private synchronized void record(String call) {
            calls.add(call);
        }

        @Override
        public String format() {
            return FORMAT;
        }

        @Override
        public String description() {
            return "counts the reads of " + delegate.format();
        }

        @Override
        public double probe(Path folder) {
            return folder != null && folder.toAbsolutePath().startsWith(root) ? delegate.probe(folder) : 0;
        }

        @Override
        public Sequence read(Path folder, ReadOptions options, Progress progress) {
            record("floats " + folder.getFileName());
            return delegate.read(folder, options, progress);
        }

        @Override
        public Sequence readCompact(Path folder, ReadOptions options, boolean groundTruth, Progress progress) {
            record((groundTruth ? "compact+gt " : "compact ") + folder.getFileName());
            return delegate.readCompact(folder, options, groundTruth, progress);
        }

        @Override
        public boolean mayHaveGroundTruth(Path folder) {
            return delegate.mayHaveGroundTruth(folder);
        }

        @Override
        public ValidationReport validate(Path folder, ReadOptions options, Progress progress) {
            return delegate.validate(folder, options, progress);
        }
    }

    @BeforeEach
    void register() {
        DatasetReader endonerf = catalog().datasetReader("endonerf").orElseThrow();
        counting = new CountingReader(endonerf, dir.toAbsolutePath());
        registration = AutoBackendTest.context().registerService(DatasetReader.class, counting, new Hashtable<>());
        assertEquals(FORMAT, catalog().datasetReader(FORMAT).map(DatasetReader::format).orElse(null));
    }

    @AfterEach
    void unregister() {
        registration.unregister();
    }

    private static ServiceCatalog catalog() {
        return Osgi.service(ServiceCatalog.class);
    }

    private RunRequest request(Path run, String toStage) {
        return new RunRequest(null, FORMAT, SCENE, run, ReadOptions.defaults(), PipelineTest.quick(10), "cpu", null,
                toStage, Set.of(), false, List.of("occluded"), List.of("psnr"), 0, "propagate",
                InpaintOptions.defaults().withThreads(2));
    }

    private static JsonObject detail(Path run, String stage) {
        return Json.readTree(run.resolve("run.json")).getAsJsonObject().getAsJsonObject("stages")
                .getAsJsonObject(stage).getAsJsonObject("detail");
    }

    @Test
    void prepareInpaintAndTrainNeverReadAFloatCopyOfTheSourceOrTheInpaintedClip() {
        Path run = dir.resolve("run");
        Osgi.service(Pipeline.class).run(request(run, Stages.TRAIN), Progress.NONE);
        // the method's read without gt/, the quality table's with it, the read-back (handed to training)
        assertEquals(List.of("compact dataset", "compact+gt dataset", "compact+gt inpainted"), counting.calls());
        assertTrue(detail(run, Stages.TRAIN).get("clipReadBy").getAsString().contains("inpaint stage"));

        // a later process has no read-back to take: training reads the inpainted clip itself, as floats
        Osgi.service(Pipeline.class).run(new RunRequest(null, FORMAT, SCENE, run, ReadOptions.defaults(),
                PipelineTest.quick(10), "cpu", null, Stages.TRAIN, Set.of(Stages.TRAIN), false, List.of("occluded"),
                List.of("psnr"), 0, "propagate", InpaintOptions.defaults().withThreads(2)), Progress.NONE);
        assertEquals(List.of("compact dataset", "compact+gt dataset", "compact+gt inpainted", "floats inpainted"),
                counting.calls());
    }

    @Test
    void aClipWithoutGroundTruthIsReadOnceAndHasNoQualityTable() throws IOException {
        Path run = dir.resolve("run");
        Osgi.service(Pipeline.class).run(request(run, Stages.PREPARE), Progress.NONE);
        Path clip = dir.resolve("clip");
        copyTree(run.resolve("dataset"), clip);
        FileTrees.deleteRecursively(clip.resolve("gt"));
        DatasetReader endonerf = catalog().datasetReader("endonerf").orElseThrow();
        assertTrue(endonerf.mayHaveGroundTruth(run.resolve("dataset")));
        assertFalse(endonerf.mayHaveGroundTruth(clip));

        Path run2 = dir.resolve("run2");
        Osgi.service(Pipeline.class).run(new RunRequest(clip, FORMAT, null, run2, ReadOptions.defaults(),
                PipelineTest.quick(10), "cpu", null, Stages.INPAINT, Set.of(), false, List.of("masked-mean"),
                List.of("psnr"), 0, "propagate", InpaintOptions.defaults().withThreads(2)), Progress.NONE);
        // the method's read only: no second read looking for a gt/ the listing says is not there
        assertEquals(List.of("compact clip"), counting.calls().stream().filter(c -> c.endsWith(" clip")).toList());
        assertFalse(detail(run2, Stages.INPAINT).has("quality"));
        assertTrue(Files.isRegularFile(run2.resolve("inpainted").resolve("inpainting.json")));
    }

    @Test
    void filesEqualThoseOfInpaintAloneAndQualityThatOfTheFloatClips() throws IOException {
        Path run = dir.resolve("run");
        Osgi.service(Pipeline.class).run(request(run, Stages.INPAINT), Progress.NONE);
        Path data = run.resolve("dataset");
        Path stage1 = run.resolve("inpainted");

        // d2dgs inpaint <clip> --out <dir> (InpaintCommand): the compact clip without gt/, the method, nothing else
        DatasetReader endonerf = catalog().datasetReader("endonerf").orElseThrow();
        Inpainter propagate = catalog().inpainter("propagate").orElseThrow();
        Path alone = dir.resolve("alone");
        propagate.inpaint(endonerf.readCompact(data, ReadOptions.defaults(), propagate.needsGroundTruth(),
                Progress.NONE), InpaintOptions.defaults().withThreads(2), alone, Progress.NONE);

        List<Path> files = relativeFiles(stage1);
        assertEquals(relativeFiles(alone), files);
        assertTrue(files.size() > 5 * SCENE.frames(), "files: " + files.size());
        for (Path p : files) {
            if (!p.toString().equals("inpainting.json")) {
                assertEquals(-1L, Files.mismatch(stage1.resolve(p), alone.resolve(p)), p.toString());
            }
        }
        JsonObject runJson = Json.readTree(stage1.resolve("inpainting.json")).getAsJsonObject();
        JsonObject aloneJson = Json.readTree(alone.resolve("inpainting.json")).getAsJsonObject();
        for (String key : List.of("total", "perFrame", "options", "warnings")) {
            assertEquals(aloneJson.get(key), runJson.get(key), key);
        }

        // the quality table as the float clips give it (the pipeline's path before it read compactly)
        Map<String, Double> expected = Stage1Quality.measure(endonerf.read(data, ReadOptions.defaults(),
                Progress.NONE), endonerf.read(stage1, ReadOptions.defaults(), Progress.NONE));
        JsonObject quality = detail(run, Stages.INPAINT).getAsJsonObject("quality");
        assertEquals(expected.keySet(), quality.keySet());
        assertTrue(expected.get("psnr") > expected.get("psnr-raw") + 3, expected.toString());
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            double got = quality.get(e.getKey()).getAsDouble();
            assertEquals(0, Double.compare(e.getValue(), got), e.getKey() + ": " + e.getValue() + " vs " + got);
            assertEquals(0, Double.compare(e.getValue(), runJson.getAsJsonObject("quality").get(e.getKey())
                    .getAsDouble()), e.getKey());
        }
    }

    @Test
    void theReadBackExpandsToTheFloatsOfAFloatRead() {
        Path run = dir.resolve("run");
        Osgi.service(Pipeline.class).run(request(run, Stages.INPAINT), Progress.NONE);
        Path stage1 = run.resolve("inpainted");
        Sequence compact = InpaintedClips.readCompact(catalog(), stage1, ReadOptions.defaults(), Progress.NONE);
        assertTrue(compact.frames() instanceof CompactFrames);
        Sequence expanded = InpaintedClips.floats(compact);
        Sequence read = InpaintedClips.read(catalog(), stage1, ReadOptions.defaults(), Progress.NONE);
        assertEquals(read.size(), expanded.size());
        // records holding arrays (depth range, poses): compared by value, as JSON
        assertEquals(Json.gson().toJson(read.info()), Json.gson().toJson(expanded.info()));
        assertEquals(read.split().rule(), expanded.split().rule());
        assertArrayEquals(read.split().train(), expanded.split().train());
        for (int i = 0; i < read.size(); i++) {
            Frame a = read.frame(i);
            Frame b = expanded.frame(i);
            assertEquals(a.name(), b.name());
            assertEquals(Json.gson().toJson(a.camera()), Json.gson().toJson(b.camera()));
            assertEquals(a.time(), b.time());
            assertSame(a.image(), b.image(), a.name() + " image");
            assertSame(a.depth(), b.depth(), a.name() + " depth");
            assertSame(a.instrumentMask(), b.instrumentMask(), a.name() + " mask");
            assertSame(a.truthImage(), b.truthImage(), a.name() + " gt image");
            assertSame(a.truthDepth(), b.truthDepth(), a.name() + " gt depth");
        }
    }

    private static void assertSame(FloatImage a, FloatImage b, String what) {
        if (a == null || b == null) {
            assertEquals(a == null, b == null, what);
            return;
        }
        assertEquals(a.width(), b.width(), what);
        assertArrayEquals(a.data(), b.data(), what);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        for (Path p : relativeFiles(from)) {
            Files.createDirectories(to.resolve(p).getParent());
            Files.copy(from.resolve(p), to.resolve(p));
        }
    }

    private static List<Path> relativeFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
