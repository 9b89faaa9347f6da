package org.diff2dgs.dataset.endonerf.tests.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.dataset.endonerf.internal.EndoNerfReader;
import org.diff2dgs.dataset.endonerf.tests.ClipFixture;

/**
 * Times {@code EndoNerfReader.read()} on a synthesized clip the size of EndoNeRF's cutting_tissues_twice: 156 frames
 * of 640x512 colour, 8-bit depth and masks, random content (random pixels compress worst, so decoding is slowest).
 * A main class, not a test: run it by hand and record the table in docs/benchmarks/dataset-loading.md.
 *
 * <pre>java -Xmx3g -cp ... org.diff2dgs.dataset.endonerf.tests.perf.LoadBenchmark [frames] [repeats] [--depth16]</pre>
 */
public final class LoadBenchmark {

    private LoadBenchmark() {
    }

    private static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    public static void main(String[] args) throws IOException {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 156;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean depth16 = Arrays.asList(args).contains("--depth16");
        Path dir = Files.createTempDirectory("endonerf-bench");
        try {
            ClipFixture clip = new ClipFixture();
            clip.frames = frames;
            clip.width = 640;
            clip.height = 512;
            clip.focal = 569.468;
            clip.depthMax = depth16 ? 20000 : 250;
            clip.depth16 = depth16;
            clip.seed = 42;
            clip.parallel = true;
            long t0 = System.nanoTime();
            Path folder = clip.write(dir.resolve("clip"));
            double writeS = (System.nanoTime() - t0) / 1e9;
            long bytes;
            try (Stream<Path> s = Files.walk(folder)) {
                bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf(Locale.ROOT, "clip: %d frames %dx%d, depth %s, %.1f MB on disk, written in %.1f s%n",
                    frames, clip.width, clip.height, depth16 ? "16-bit" : "8-bit", bytes / 1e6, writeS);
            System.out.printf(Locale.ROOT, "machine: %d cores visible to the JVM, max heap %.1f GB, Java %s%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1e9,
                    System.getProperty("java.version"));
            EndoNerfReader reader = new EndoNerfReader();
            // CPU seconds of the whole process beside wall time: on a shared machine the wall time depends on
            // what else runs, CPU / cores is what an idle machine of this size would need at best
            System.out.println("| run | read() wall s | process CPU s | frames/s | depth range | mask convention |");
            System.out.println("|----:|--------------:|--------------:|---------:|-------------|-----------------|");
            double[] times = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                System.gc();
                double cpu0 = cpuSeconds();
                long t = System.nanoTime();
                Sequence seq = reader.read(folder, ReadOptions.defaults(), Progress.NONE);
                times[r] = (System.nanoTime() - t) / 1e9;
                double cpu = cpuSeconds() - cpu0;
                System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.0f | %.1f..%.1f | %s |%n", r + 1, times[r],
                        cpu, seq.size() / times[r], seq.info().depthRange()[0], seq.info().depthRange()[1],
                        seq.info().maskConvention());
            }
            double[] sorted = times.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "median %.2f s, best %.2f s (first run includes JIT warm-up)%n",
                    sorted[repeats / 2], sorted[0]);
            System.out.printf(Locale.ROOT, "load average at the end: %.2f%n",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
