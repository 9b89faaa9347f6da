package org.diff2dgs.app.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.diff2dgs.app.headless.internal.Cli;
import org.diff2dgs.app.headless.internal.UncaughtErrors;
import org.diff2dgs.app.headless.tests.CommandLineTest.Result;
import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.OutOfDeviceMemory;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.io.WriteFaults;
import org.diff2dgs.core.model.Sequence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of issue 12 through the command line: errors in other threads and out of memory never end with exit code
 * 0, a failing disk is a clear error that leaves no partial checkpoint and resumes, one writer per run folder across
 * processes, truncated checkpoints are named and fallen back from.
 */
class RobustnessTest {

    @AfterEach
    void noFaultsLeft() {
        WriteFaults.clear();
    }

    static Result run(ServiceCatalog catalog, UncaughtErrors errors, ByteArrayOutputStream err, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = new Cli(catalog, new PrintStream(out, true, StandardCharsets.UTF_8), e, new AtomicBoolean(), false,
                errors).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anErrorInAnotherThreadNeverEndsWithExitCodeZero() throws Exception {
        for (Throwable dying : List.of(new OutOfMemoryError("Java heap space"), new StackOverflowError())) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            UncaughtErrors errors = new UncaughtErrors(new PrintStream(err, true, StandardCharsets.UTF_8));
            Thread worker = new Thread(() -> {
                throw (Error) dying;
            }, "pool-worker-test");
            worker.setUncaughtExceptionHandler(errors);
            worker.start();
            worker.join();
            Result r = run(Services.catalog(), errors, err, "info");
            boolean oom = dying instanceof OutOfMemoryError;
            assertEquals(oom ? Cli.USER_ERROR : Cli.INTERNAL_ERROR, r.code(), r.err());
            assertTrue(r.err().contains("pool-worker-test"), r.err());
            if (oom) {
                assertTrue(r.err().contains("heap limit") && r.err().contains("D2DGS_VMARGS=-Xmx"), r.err());
            }
        }
    }

    /** Picocli passes only Exceptions to its handler: an Error in a command used to leave with exit code 0. */
    @Test
    void outOfMemoryInACommandIsExitOneWithTheHeapAndHowToRaiseIt(@TempDir Path dir) throws Exception {
        ServiceCatalog real = Services.catalog();
        DatasetReader exhausted = failingReader("exhausted", "a reader that runs out of memory", () -> {
            throw new OutOfMemoryError("Java heap space");
        });
        ServiceCatalog catalog = withOnlyReader(real, exhausted);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Files.createDirectories(dir.resolve("clip"));
        Result r = run(catalog, new UncaughtErrors(System.err), err, "validate", dir.resolve("clip").toString(),
                "--format", "exhausted");
        assertEquals(Cli.USER_ERROR, r.code(), r.err());
        assertTrue(r.err().startsWith("d2dgs: out of memory while running 'd2dgs validate'"), r.err());
        assertTrue(r.err().contains("Java heap limit") && r.err().contains("D2DGS_VMARGS=-Xmx"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    /** A backend's device allocation that does not fit (e.g. another process took the GPU meanwhile). */
    static final class DeviceFull extends RuntimeException implements OutOfDeviceMemory {
        private static final long serialVersionUID = 1L;

        DeviceFull() {
            super("out of GPU memory allocating tile keys: asked 812 MB (812000000 bytes), free 20 MB of 79 GB");
        }
    }

    @Test
    void outOfDeviceMemoryIsExitOneWithWhatWasAskedAndWhatToChange(@TempDir Path dir) throws Exception {
        ServiceCatalog real = Services.catalog();
        DatasetReader full = failingReader("devicefull", "a reader whose device runs out of memory", () -> {
            throw new IllegalStateException("stage failed", new DeviceFull());
        });
        ServiceCatalog catalog = withOnlyReader(real, full);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Files.createDirectories(dir.resolve("clip"));
        Result r = run(catalog, new UncaughtErrors(System.err), err, "validate", dir.resolve("clip").toString(),
                "--format", "devicefull");
        assertEquals(Cli.USER_ERROR, r.code(), r.err());
        assertTrue(r.err().startsWith("d2dgs: out of GPU memory allocating tile keys: asked 812 MB"), r.err());
        assertTrue(r.err().contains("free 20 MB of 79 GB") && r.err().contains("--backend cpu")
                && r.err().contains("maxSurfels"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    /** A reader of {@code format} whose read and validate both run {@code fail} (which throws). */
    private static DatasetReader failingReader(String format, String description, Runnable fail) {
        return new DatasetReader() {
            @Override
            public String format() {
                return format;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public double probe(Path folder) {
                return 0;
            }

            @Override
            public Sequence read(Path folder, ReadOptions options, Progress progress) {
                fail.run();
                throw new AssertionError("fail must throw");
            }

            @Override
            public ValidationReport validate(Path folder, ReadOptions options, Progress progress) {
                fail.run();
                throw new AssertionError("fail must throw");
            }
        };
    }

    /**
     * The real catalog with only {@code reader}: a proxy, so services added to the catalog later need no change here.
     */
    private static ServiceCatalog withOnlyReader(ServiceCatalog real, DatasetReader reader) {
        return (ServiceCatalog) Proxy.newProxyInstance(ServiceCatalog.class.getClassLoader(),
                new Class<?>[] {ServiceCatalog.class}, (proxy, method, args) -> {
                    if (method.getName().equals("datasetReaders")) {
                        return List.of(reader);
                    }
                    if (method.isDefault()) {
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    return method.invoke(real, args);
                });
    }

    static Path tinyScene(Path dir) throws InterruptedException {
        Path scene = dir.resolve("scene");
        Result s = CommandLineTest.run("synth", scene.toString(), "--frames", "6", "--size", "32x24", "--seed", "4");
        assertEquals(0, s.code(), s.err());
        return scene;
    }

    @Test
    void aRunThatCannotFitTheHeapIsRefusedBeforeTrainingWithTheEstimate(@TempDir Path dir) throws Exception {
        Path scene = tinyScene(dir);
        Result r = CommandLineTest.run("train", scene.toString(), "--out", dir.resolve("run").toString(),
                "--iterations", "10", "--set", "maxSurfels=2000000000");
        assertEquals(Cli.USER_ERROR, r.code(), r.err());
        assertTrue(r.err().contains("training on 'cpu' needs about")
                && r.err().contains("of Java heap at the surfel cap of 2000000000")
                && r.err().contains("--set maxSurfels="), r.err());
        assertFalse(Files.exists(dir.resolve("run/train/checkpoints/latest.json")), "refused before training");
    }

    @Test
    void aFullDiskWhileCheckpointingIsExitOneLeavesNoPartialFilesAndResumes(@TempDir Path dir) throws Exception {
        Path scene = tinyScene(dir);
        Path run = dir.resolve("run");
        Path checkpoints = run.resolve("train/checkpoints");
        // the first checkpoint is written; the disk is "full" during the second
        WriteFaults.failWritesUnder(checkpoints.resolve("iter-000020.partial"), 4096, "No space left on device");
        String[] train = {"train", scene.toString(), "--out", run.toString(), "--iterations", "20", "--set",
                "checkpointInterval=10"};
        Result full = CommandLineTest.run(train);
        assertEquals(Cli.USER_ERROR, full.code(), full.err());
        String line = full.err().lines().filter(l -> l.contains("No space left on device")).findFirst().orElse("");
        assertTrue(line.contains("iter-000020") && line.contains("(about ") && line.contains(" free")
                && line.contains("resume"), full.err());
        assertFalse(full.err().contains("internal error"), full.err());
        assertEquals(List.of("iter-000010", "latest.json"), listing(checkpoints), "no .partial folder, no temp file");

        WriteFaults.clear();
        Result resumed = CommandLineTest.run("train", scene.toString(), "--out", run.toString(), "--iterations", "20",
                "--set", "checkpointInterval=10", "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("20 iterations"), resumed.out());
        assertTrue(Files.isRegularFile(checkpoints.resolve("iter-000020/meta.json")));
        // sizes: estimated up front, printed per checkpoint, recorded in result.json and run.json
        assertTrue(resumed.err().contains("checkpoints: about ") && resumed.err().contains(" per surfel"),
                resumed.err());
        assertTrue(resumed.err().contains("checkpoint iter-000020: "), resumed.err());
        var result = com.google.gson.JsonParser.parseString(Files.readString(run.resolve("train/result.json")))
                .getAsJsonObject().getAsJsonObject("checkpoints");
        assertEquals(java.util.Set.of("iter-000010", "iter-000020"), result.keySet());
        long bytes = result.get("iter-000020").getAsLong();
        try (Stream<Path> files = Files.walk(checkpoints.resolve("iter-000020"))) {
            assertEquals(files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum(), bytes);
        }
    }

    static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aTruncatedCheckpointIsNamedAndTrainingFallsBackToThePreviousOne(@TempDir Path dir) throws Exception {
        Path scene = tinyScene(dir);
        Path run = dir.resolve("run");
        String[] train = {"train", scene.toString(), "--out", run.toString(), "--iterations", "20", "--set",
                "checkpointInterval=10"};
        assertEquals(0, CommandLineTest.run(train).code());
        Path cut = run.resolve("train/checkpoints/iter-000020/surfels/sh.npy");
        try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }

        Result render = CommandLineTest.run("render", run.toString(), "--time", "0.5", "--out",
                dir.resolve("view").toString());
        assertEquals(Cli.USER_ERROR, render.code(), render.err());
        assertTrue(render.err().contains("sh.npy") && render.err().contains("truncated"), render.err());
        Result eval = CommandLineTest.run("eval", run.toString(), "--metric", "psnr", "--protocol", "masked-mean");
        assertEquals(Cli.USER_ERROR, eval.code(), eval.err());
        assertTrue(eval.err().contains("sh.npy"), eval.err());

        Result resumed = CommandLineTest.run("train", scene.toString(), "--out", run.toString(), "--iterations", "20",
                "--set", "checkpointInterval=10", "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("sh.npy") && resumed.err().contains("iter-000010"), resumed.err());
        assertTrue(resumed.out().matches("(?s)trained: \\d+ surfels, 20 iterations in .*"), "counts are integers: "
                + resumed.out());
        assertTrue(Files.isDirectory(run.resolve("train/checkpoints/iter-000020.corrupt")), "kept to look at");
        Result finished = CommandLineTest.run("train", scene.toString(), "--out", run.toString(), "--iterations",
                "20", "--set", "checkpointInterval=10", "--resume");
        assertEquals(0, finished.code(), finished.err());
        assertTrue(finished.out().matches("(?s)trained: \\d+ surfels, 20 iterations in .*"), "a finished run's "
                + "counts come from run.json and still print as integers: " + finished.out());
        assertEquals(0, CommandLineTest.run("render", run.toString(), "--time", "0.5", "--out",
                dir.resolve("view").toString()).code());
    }

    /**
     * A complete checkpoint whose contents are wrong: a surfel tensor of another length that still divides by the
     * surfel count, an SH degree out of range (both were exit 2 from GaussianModel), NaN positions (render and eval
     * wrote images and NaN metrics with exit code 0). Each is exit 1 naming the file.
     */
    @Test
    void aCheckpointWithTheWrongSizesOrNaNIsNamedNotRendered(@TempDir Path dir) throws Exception {
        Path scene = tinyScene(dir);
        Path run = dir.resolve("run");
        assertEquals(0, CommandLineTest.run("train", scene.toString(), "--out", run.toString(), "--iterations", "20",
                "--set", "checkpointInterval=10").code());
        Path newest = run.resolve("train/checkpoints/iter-000020");
        Path positions = newest.resolve("surfels/positions.npy");
        Path meta = newest.resolve("meta.json");
        byte[] goodPositions = Files.readAllBytes(positions);
        String goodMeta = Files.readString(meta);
        int count = com.google.gson.JsonParser.parseString(goodMeta).getAsJsonObject().get("surfels").getAsInt();
        double[] xyz = org.diff2dgs.core.io.Npy.read(positions).data();
        assertEquals(3 * count, xyz.length);

        // one value per surfel instead of three: divides by the count, as the old check asked
        float[] firstThird = new float[count];
        for (int i = 0; i < count; i++) {
            firstThird[i] = (float) xyz[i];
        }
        org.diff2dgs.core.io.Npy.write(positions, new long[] {count}, firstThird);
        Result shape = CommandLineTest.run("render", run.toString(), "--time", "0.5", "--out",
                dir.resolve("view").toString());
        assertEquals(Cli.USER_ERROR, shape.code(), shape.err());
        assertTrue(shape.err().contains("positions.npy") && shape.err().contains("expected " + 3 * count),
                shape.err());
        Files.write(positions, goodPositions);

        Files.writeString(meta, goodMeta.replaceFirst("\"shDegree\": \\d", "\"shDegree\": 7"));
        Result sh = CommandLineTest.run("eval", run.toString(), "--metric", "psnr", "--protocol", "masked-mean");
        assertEquals(Cli.USER_ERROR, sh.code(), sh.err());
        assertTrue(sh.err().contains("meta.json") && sh.err().contains("SH degree 7"), sh.err());
        Files.writeString(meta, goodMeta);

        // NaN in a few surfels picked at random (fixed seed)
        float[] withNaN = new float[xyz.length];
        for (int i = 0; i < xyz.length; i++) {
            withNaN[i] = (float) xyz[i];
        }
        java.util.Random random = new java.util.Random(19);
        for (int k = 0; k < 3; k++) {
            withNaN[3 * random.nextInt(count) + random.nextInt(3)] = Float.NaN;
        }
        org.diff2dgs.core.io.Npy.write(positions, new long[] {xyz.length}, withNaN);
        Result render = CommandLineTest.run("render", run.toString(), "--time", "0.5", "--out",
                dir.resolve("nan-view").toString());
        assertEquals(Cli.USER_ERROR, render.code(), render.err());
        assertTrue(render.err().contains("positions.npy") && render.err().contains("NaN"), render.err());
        assertFalse(Files.exists(dir.resolve("nan-view.color.png")), "no image from a broken model");
        Result eval = CommandLineTest.run("eval", run.toString(), "--metric", "psnr", "--protocol", "masked-mean");
        assertEquals(Cli.USER_ERROR, eval.code(), eval.err());
        assertTrue(eval.err().contains("positions.npy"), eval.err());
        assertEquals(1, eval.err().lines().filter(l -> l.startsWith("d2dgs: ")).count(), eval.err());

        Files.write(positions, goodPositions);
        assertEquals(0, CommandLineTest.run("render", run.toString(), "--time", "0.5", "--out",
                dir.resolve("view").toString()).code());
        // a negative camera index silently meant "the nearest frame"
        Result camera = CommandLineTest.run("render", run.toString(), "--time", "0.5", "--camera", "-5", "--out",
                dir.resolve("cam").toString());
        assertEquals(Cli.USER_ERROR, camera.code(), camera.err());
        assertTrue(camera.err().contains("--camera"), camera.err());
        assertFalse(Files.exists(dir.resolve("cam.color.png")));
    }

    /** A second process holding the folder, as a second `d2dgs train` would: same file, same OS lock. */
    static final String HOLDER = """
            import java.nio.channels.FileChannel;
            import java.nio.file.*;
            public class LockHolder {
                public static void main(String[] a) throws Exception {
                    Path f = Path.of(a[0]);
                    Files.createDirectories(f.getParent());
                    FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                    ch.lock();
                    String host = java.net.InetAddress.getLocalHost().getHostName();
                    ch.write(java.nio.ByteBuffer.wrap(("{\\"pid\\": " + ProcessHandle.current().pid() + ", \\"host\\": \\""
                            + host + "\\", \\"startedAt\\": \\"2026-01-01T00:00:00Z\\", \\"command\\": \\"d2dgs train "
                            + "(test holder)\\"}\\n").getBytes()));
                    ch.force(true);
                    System.out.println("locked");
                    Thread.sleep(600_000);
                }
            }
            """;

    @Test
    void aSecondWriterIsRefusedAndALockOfAKilledProcessIsTakenOver(@TempDir Path dir) throws Exception {
        Path scene = tinyScene(dir);
        Path run = dir.resolve("run");
        Path source = dir.resolve("LockHolder.java");
        Files.writeString(source, HOLDER);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, source.toString(), run.resolve("run.lock").toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine(), "the holder process started");
            String[] train = {"train", scene.toString(), "--out", run.toString(), "--iterations", "10"};
            Result refused = CommandLineTest.run(train);
            assertEquals(Cli.USER_ERROR, refused.code(), refused.err());
            assertTrue(refused.err().contains("in use by process " + holder.pid()) && refused.err().contains(
                    "d2dgs train (test holder)") && refused.err().contains("since 2026-01-01T00:00:00Z"),
                    refused.err());
            assertFalse(Files.exists(run.resolve("train")), "the refused command wrote nothing");

            holder.destroyForcibly();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            Result took = CommandLineTest.run(train);
            assertEquals(0, took.code(), took.err());
            assertTrue(took.err().contains("took over the lock") && took.err().contains("process " + holder.pid()),
                    took.err());
            assertEquals("", Files.readString(run.resolve("run.lock")).strip(), "released when the command ended");
        } finally {
            holder.destroyForcibly();
        }
    }
}
