package org.diff2dgs.batch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.ExperimentException;
import org.diff2dgs.batch.api.ExperimentScene;
import org.diff2dgs.batch.api.Method;
import org.diff2dgs.batch.internal.Batch;
import org.diff2dgs.batch.internal.config.ExperimentReader;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.train.api.TrainOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Experiment files: keys, defaults, option resolution, and every kind of mistake reported with its line. */
class ExperimentFileTest {

    @TempDir
    Path dir;

    private final ExperimentReader reader = new ExperimentReader(new TestInstalled());

    /** 1-based line of the first line containing {@code needle}. */
    static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not in the fixture");
    }

    private ExperimentException problems(String name, String text) {
        Path f = Fixtures.write(dir, name, text);
        return assertThrows(ExperimentException.class, () -> reader.read(f));
    }

    private static void assertProblem(ExperimentException e, Path file, int line, String... fragments) {
        String expectedStart = file.toAbsolutePath().normalize() + ":" + line + ": ";
        for (String messageLine : e.getMessage().split("\n")) {
            if (messageLine.startsWith(expectedStart)
                    && java.util.Arrays.stream(fragments).allMatch(messageLine::contains)) {
                return;
            }
        }
        throw new AssertionError("no problem at line " + line + " with " + List.of(fragments) + " in:\n"
                + e.getMessage());
    }

    @Test
    void yamlGridResolvesPresetCommonAndMethodOptions() {
        Experiment e = reader.read(Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML));
        assertEquals("grid", e.name());
        assertEquals(dir.resolve("grid-out").toAbsolutePath().normalize(), e.out());
        assertEquals("cpu", e.preset());
        assertEquals(List.of("masked-mean", "deform3dgs"), e.protocols());
        assertEquals(List.of(), e.metrics());
        assertEquals(List.of(1L, 2L), e.seeds());
        assertNull(e.charts(), "charts: false");
        assertEquals(2, e.scenes().size());
        ExperimentScene b = e.scenes().get(1);
        assertEquals("synthetic", b.dataset());
        assertEquals(48, b.synthetic().width());
        assertEquals(40, b.synthetic().height());
        assertEquals(Map.of("instruments", "1"), b.synthetic().options());
        Method noNormal = e.methods().get(1);
        assertEquals("without normal consistency", noNormal.description());
        TrainOptions expected = TrainOptions.cpu().with(Map.of("iterations", 40, "densifyFrom", 10,
                "densifyUntil", 30, "normalWeight", 0.0));
        assertEquals(expected, noNormal.training());
        assertEquals(TrainOptions.cpu().normalWeight(), e.methods().get(0).training().normalWeight());
        assertEquals(40, e.methods().get(0).training().iterations());
    }

    @Test
    void jsonGivesTheSameExperimentAsYaml() {
        String json = """
                {
                  "name": "grid",
                  "preset": "cpu",
                  "options": {"iterations": 40, "densifyFrom": 10, "densifyUntil": 30},
                  "protocols": ["masked-mean", "deform3dgs"],
                  "seeds": [1, 2],
                  "scenes": [
                    {"name": "a", "synthetic": {"seed": 3, "frames": 8, "size": "48x40"}},
                    {"name": "b", "synthetic": {"seed": 4, "frames": 8, "size": "48x40", "options": {"instruments": 1}}}
                  ],
                  "methods": [
                    {"name": "full"},
                    {"name": "no-normal", "description": "without normal consistency", "options": {"normalWeight": 0}}
                  ]
                }
                """;
        Experiment y = reader.read(Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML));
        Experiment j = reader.read(Fixtures.write(dir, "grid.json", json));
        assertEquals(y.cells().size(), j.cells().size());
        for (int i = 0; i < y.cells().size(); i++) {
            assertEquals(y.cells().get(i).label(), j.cells().get(i).label());
            assertEquals(y.cells().get(i).training(), j.cells().get(i).training());
            assertEquals(y.cells().get(i).scene().synthetic(), j.cells().get(i).scene().synthetic());
        }
        assertEquals(y.protocols(), j.protocols());
    }

    @Test
    void datasetScenesResolveRelativePathsAgainstTheFile() {
        Fixtures.dataset(dir.resolve("data/clip1"));
        String yaml = """
                scenes:
                  - name: pulling
                    path: data/clip1
                    format: endonerf
                    dataset: EndoNeRF
                    read: {split: every-8th-from-1, depthScale: 0.5, maxFrames: 20}
                methods:
                  - name: d
                """;
        Experiment e = reader.read(Fixtures.write(dir, "real.yml", yaml));
        ExperimentScene s = e.scenes().get(0);
        assertEquals(dir.resolve("data/clip1").toAbsolutePath().normalize(), s.path());
        assertEquals("EndoNeRF", s.dataset());
        assertEquals("every-8th-from-1", s.read().split());
        assertEquals(0.5, s.read().depthScale());
        assertEquals(20, s.read().maxFrames());
        assertNull(s.synthetic());
        assertEquals("published", e.preset());
        assertEquals(List.of(), e.charts(), "every metric is charted by default");
        assertEquals(List.of(TrainOptions.published().seed()), e.seeds());
        reader.checkDatasets(e, e.scenes());
    }

    @Test
    void unknownKeysAreReportedWithFileLineAndKnownKeysYaml() {
        String yaml = """
                name: x
                colour: blue
                scenes:
                  - name: s1
                    synthetic: {frames: 8, size: 48x40}
                    framez: 12
                  - name: s2
                    synthetic:
                      frames: 8
                      sise: 48x40
                methods:
                  - name: m
                    option: {iterations: 5}
                """;
        ExperimentException e = problems("keys.yaml", yaml);
        Path f = dir.resolve("keys.yaml");
        assertProblem(e, f, lineOf(yaml, "colour"), "unknown key 'colour' in the experiment (known: name,");
        assertProblem(e, f, lineOf(yaml, "framez"), "unknown key 'framez' in scene 's1' (known: name, dataset, "
                + "synthetic, path, format, read)");
        assertProblem(e, f, lineOf(yaml, "sise"), "unknown key 'sise' in the synthetic block of scene 's2'");
        assertProblem(e, f, lineOf(yaml, "option:"), "unknown key 'option' in method 'm'");
        assertEquals(4, e.problems().size(), e.getMessage());
    }

    @Test
    void unknownKeysAreReportedWithFileLineAndKnownKeysJson() {
        String json = """
                {
                  "name": "x",
                  "scenes": [
                    {"name": "s1",
                     "synthetic": {"frames": 8, "size": "48x40"},
                     "foo": 1}
                  ],
                  "methods": [{"name": "m"}],
                  "workers": 4
                }
                """;
        ExperimentException e = problems("keys.json", json);
        Path f = dir.resolve("keys.json");
        assertProblem(e, f, lineOf(json, "\"foo\""), "unknown key 'foo' in scene 's1' (known: ");
        assertProblem(e, f, lineOf(json, "\"workers\""), "unknown key 'workers' in the experiment");
        assertEquals(2, e.problems().size(), e.getMessage());
    }

    @Test
    void methodOptionsAreCheckedByNameTypeAndValue() {
        String yaml = """
                scenes:
                  - name: s
                    synthetic: {frames: 8, size: 48x40}
                methods:
                  - name: typo
                    options: {iteratons: 500}
                  - name: wrong-type
                    options:
                      iterations: many
                  - name: not-whole
                    options:
                      densifyInterval: 2.5
                  - name: rejected
                    options:
                      iterations: 0
                  - name: seeded
                    options:
                      seed: 3
                  - name: flag
                    options:
                      maskInstruments: maybe
                """;
        ExperimentException e = problems("opts.yaml", yaml);
        Path f = dir.resolve("opts.yaml");
        assertProblem(e, f, lineOf(yaml, "iteratons"), "unknown training option 'iteratons' in method 'typo'",
                "iterations");
        assertProblem(e, f, lineOf(yaml, "many"), "'iterations' in method 'wrong-type' must be a number");
        assertProblem(e, f, lineOf(yaml, "2.5"), "must be a whole number");
        assertProblem(e, f, lineOf(yaml, "- name: rejected") + 1, "method 'rejected'",
                "iterations must be positive");
        assertProblem(e, f, lineOf(yaml, "seed: 3"), "'seeds' list");
        assertProblem(e, f, lineOf(yaml, "maybe"), "must be true or false");
        assertEquals(6, e.problems().size(), e.getMessage());
    }

    @Test
    void backendAutoLetsTheInstallationChoose() {
        Experiment e = reader.read(Fixtures.write(dir, "auto.yaml",
                Fixtures.GRID_YAML.replace("charts: false\n", "charts: false\nbackend: auto\n")));
        assertEquals("auto", e.backend());
        assertNull(reader.read(Fixtures.write(dir, "default.yaml", Fixtures.GRID_YAML)).backend());
    }

    @Test
    void unknownMetricProtocolModelBackendFormatAndGeneratorAreNamed() {
        Fixtures.dataset(dir.resolve("clip"));
        String yaml = """
                protocols: [masked-mean, masked-median]
                metrics: [psnr, flip]
                backend: quantum
                scenes:
                  - name: s
                    synthetic: {frames: 8, size: 48x40, generator: cubes}
                  - name: r
                    path: clip
                    format: hamlyn
                methods:
                  - name: mlp
                    options:
                      deformationModel: hexplane
                """;
        ExperimentException e = problems("names.yaml", yaml);
        Path f = dir.resolve("names.yaml");
        assertProblem(e, f, 1, "unknown protocol 'masked-median'", "deform3dgs, diff2dgs-code, masked-mean, occluded");
        assertProblem(e, f, 2, "unknown metric 'flip'", "depth-rmse, lpips, psnr, ssim");
        assertProblem(e, f, 3, "unknown backend 'quantum'");
        assertProblem(e, f, lineOf(yaml, "cubes"), "unknown scene generator 'cubes'");
        assertProblem(e, f, lineOf(yaml, "hamlyn"), "unknown dataset format 'hamlyn'", "endonerf");
        assertProblem(e, f, lineOf(yaml, "hexplane"), "unknown deformation model 'hexplane'", "gaussian-basis, mlp");
        assertEquals(6, e.problems().size(), e.getMessage());
    }

    @Test
    void aMissingOrUnrecognizedSceneFolderIsRejectedBeforeAnyCellRuns() {
        java.nio.file.Files.exists(dir);
        try {
            java.nio.file.Files.createDirectories(dir.resolve("empty"));
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
        String yaml = """
                preset: cpu
                scenes:
                  - name: ok
                    synthetic: {frames: 8, size: 48x40}
                  - name: gone
                    path: no/such/clip
                  - name: empty
                    path: empty
                methods:
                  - name: m
                """;
        Path f = Fixtures.write(dir, "missing.yaml", yaml);
        FakePipeline pipeline = new FakePipeline();
        Batch batch = Fixtures.batch(pipeline);
        Experiment exp = batch.load(f);
        ExperimentException e = assertThrows(ExperimentException.class,
                () -> batch.run(exp, org.diff2dgs.batch.api.BatchListener.NONE));
        assertProblem(e, f, lineOf(yaml, "- name: gone"), "scene 'gone': dataset folder not found",
                dir.resolve("no/such/clip").toString());
        assertProblem(e, f, lineOf(yaml, "- name: empty"), "no installed dataset reader recognizes");
        assertTrue(pipeline.calls.isEmpty(), "no cell may run");
        assertThrows(ExperimentException.class, () -> batch.emitSlurm(exp, dir.resolve("slurm"),
                exp.slurm()));
    }

    @Test
    void syntaxErrorsCarryTheirLine() {
        String yaml = """
                name: x
                scenes:
                  - name: s
                     synthetic: {frames: 8}
                methods: []
                """;
        ExperimentException y = problems("bad.yaml", yaml);
        assertEquals(1, y.problems().size());
        assertTrue(y.problems().get(0).line() >= 3 && y.problems().get(0).line() <= 4, y.getMessage());
        assertTrue(y.getMessage().contains("not valid YAML"), y.getMessage());

        String json = "{\n  \"name\": \"x\",\n  \"scenes\": [\n    {\"name\": \"s\" \"path\": \"p\"}\n  ]\n}\n";
        ExperimentException j = problems("bad.json", json);
        assertEquals(4, j.problems().get(0).line(), j.getMessage());
        assertTrue(j.getMessage().startsWith(dir.resolve("bad.json") + ":4: not valid JSON"), j.getMessage());
        assertTrue(!j.getMessage().contains("http"), "no help links in user messages: " + j.getMessage());
    }

    @Test
    void duplicateKeysNamesAndStructuralMistakes() {
        String yaml = """
                name: x
                name: y
                seeds: [1, 1, -2]
                scenes:
                  - name: s
                    synthetic: {frames: 8, size: 48x40}
                  - name: s
                    synthetic: {frames: 8, size: 48000x40}
                  - name: both
                    synthetic: {frames: 8}
                    path: somewhere
                  - name: neither
                  - just-a-string
                methods:
                  - name: bad/name
                """;
        ExperimentException e = problems("dup.yaml", yaml);
        Path f = dir.resolve("dup.yaml");
        assertTrue(e.getMessage().contains(":2: duplicate key 'name'"), e.getMessage());
        String json = "{\n\"name\": \"a\",\n\"name\": \"b\"\n}";
        ExperimentException j = problems("dup.json", json);
        assertProblem(j, dir.resolve("dup.json"), 3, "duplicate key 'name'");

        String yaml2 = yaml.replace("name: y\n", "");
        ExperimentException e2 = problems("dup2.yaml", yaml2);
        assertProblem(e2, f.resolveSibling("dup2.yaml"), lineOf(yaml2, "seeds"), "seed 1 is listed twice");
        assertProblem(e2, f.resolveSibling("dup2.yaml"), lineOf(yaml2, "seeds"), "whole numbers >= 0");
        assertProblem(e2, f.resolveSibling("dup2.yaml"), lineOf(yaml2, "48000x40") - 1,
                "the name 's' is used twice");
        assertProblem(e2, f.resolveSibling("dup2.yaml"), lineOf(yaml2, "48000x40"), "size must be WIDTHxHEIGHT");
        assertProblem(e2, f.resolveSibling("dup2.yaml"), lineOf(yaml2, "path: somewhere"), "has both");
        assertProblem(e2, f.resolveSibling("dup2.yaml"), lineOf(yaml2, "neither"), "needs either 'synthetic'");
        assertProblem(e2, f.resolveSibling("dup2.yaml"), lineOf(yaml2, "just-a-string"), "must be a mapping");
        assertProblem(e2, f.resolveSibling("dup2.yaml"), lineOf(yaml2, "bad/name"), "letters, digits");
    }

    @Test
    void aMissingFileOrAnEmptyOneIsAUserError() {
        assertThrows(UserInputException.class, () -> reader.read(dir.resolve("nope.yaml")));
        ExperimentException e = problems("empty.yaml", "");
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        ExperimentException notMap = problems("list.yaml", "- a\n- b\n");
        assertTrue(notMap.getMessage().contains("must be a mapping"), notMap.getMessage());
        ExperimentException noScenes = problems("noscenes.yaml", "methods:\n  - name: m\n");
        assertTrue(noScenes.getMessage().contains("no 'scenes' list"), noScenes.getMessage());
    }

    @Test
    void oneRoundOfFixesIsEnoughMissingFoldersComeWithTheOtherProblems() {
        String yaml = """
                options:
                  deformationModel: hexplane
                scenes:
                  - name: gone
                    path: no/such/clip
                methods:
                  - name: m
                    options: {iteratons: 5, deformationModel: mlp2}
                """;
        ExperimentException e = problems("round.yaml", yaml);
        Path f = dir.resolve("round.yaml");
        assertProblem(e, f, lineOf(yaml, "hexplane"), "unknown deformation model 'hexplane' in the experiment's "
                + "options");
        assertProblem(e, f, lineOf(yaml, "mlp2"), "unknown training option 'iteratons'");
        assertProblem(e, f, lineOf(yaml, "mlp2"), "unknown deformation model 'mlp2' in method 'm'");
        assertProblem(e, f, lineOf(yaml, "- name: gone"), "dataset folder not found");
        String optionLine = java.util.Arrays.stream(e.getMessage().split("\n"))
                .filter(l -> l.contains("'iteratons'")).findFirst().orElseThrow();
        assertTrue(optionLine.contains(", iterations,") && !optionLine.contains(" seed,"),
                "seed is set by 'seeds', not offered as an option: " + optionLine);
    }

    /** Found by fuzzing (fuzz/ExperimentJsonFuzz/crashes): a foreign byte escaped as "cannot read: Input length = 1". */
    @Test
    void fileInAnotherEncodingIsReportedAtTheLineOfItsFirstForeignByte() throws java.io.IOException {
        for (String name : List.of("latin1.yaml", "latin1.json")) {
            String text = name.endsWith(".yaml") ? "name: x\nscenes:\n  - name: caf\u00e9\n"
                    : "{\"name\": \"x\",\n \"scenes\": [{\"name\": \"caf\u00e9\"}]}\n";
            Path f = dir.resolve(name);
            java.nio.file.Files.write(f, text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            ExperimentException e = assertThrows(ExperimentException.class, () -> reader.read(f));
            assertProblem(e, f, name.endsWith(".yaml") ? 3 : 2, "not UTF-8 text: byte 0xE9");
        }
    }

    /** Found by fuzzing (fuzz/ExperimentYamlFuzz/crashes): SnakeYAML rejects this tag with IllegalArgumentException. */
    @Test
    void malformedTagIsAYamlError() {
        ExperimentException e = problems("tag.yaml", "!FarmaxParallelssnvr,%3F%3F~[r,%c");
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }
}
