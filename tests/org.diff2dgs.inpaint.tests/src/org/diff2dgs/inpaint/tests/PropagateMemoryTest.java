package org.diff2dgs.inpaint.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.model.CompactFrames;
import org.diff2dgs.core.model.DatasetInfo;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.core.model.Split;
import org.diff2dgs.inpaint.internal.PropagateInpainter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage 1's memory stays bounded: on a clip held compactly ({@link CompactFrames}, as {@code d2dgs inpaint} reads it)
 * the propagate method holds its flows, the composed pixels' candidates and a few frames, never a float copy of the
 * whole clip; and it gives the same files as on the same clip held as floats.
 */
class PropagateMemoryTest {

    private static final int W = 256;
    private static final int H = 192;
    private static final int N = 48;
    private static final InpaintOptions OPTIONS = InpaintOptions.defaults().withThreads(2);

    @TempDir
    Path dir;

    /** 8-bit colour, 16-bit depth (q * 0.005), a dark instrument sweeping across a panning texture. */
    private static List<Frame> frames(long seed) {
        Random r = new Random(seed);
        double[][] waves = new double[12][];
        for (int k = 0; k < waves.length; k++) {
            double f = 0.05 + 0.3 * r.nextDouble();
            double a = 2 * Math.PI * r.nextDouble();
            waves[k] = new double[] {f * Math.cos(a), f * Math.sin(a), 2 * Math.PI * r.nextDouble(), r.nextInt(3)};
        }
        List<Frame> list = new ArrayList<>();
        int n = W * H;
        for (int t = 0; t < N; t++) {
            float[] img = new float[3 * n];
            float[] d = new float[n];
            float[] m = new float[n];
            int left = 20 + 4 * t;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int p = y * W + x;
                    boolean tool = x >= left && x < left + 40 && y >= 60 && y < 120;
                    double u = x + 0.8 * t;
                    double v = y + 0.3 * t;
                    m[p] = tool ? 1 : 0;
                    d[p] = tool ? 6000 * 0.005f : Math.round(200 * (50 + 0.05 * u + 0.08 * v)) * 0.005f;
                    for (int c = 0; c < 3; c++) {
                        double s = 0;
                        for (double[] w : waves) {
                            s += (w[3] == c ? 1 : 0.3) * Math.sin(w[0] * u + w[1] * v + w[2]);
                        }
                        double value = tool ? 0.1 : 0.5 + 0.08 * s;
                        img[c * n + p] = Math.round(255 * Math.max(0, Math.min(1, value))) / 255f;
                    }
                }
            }
            list.add(new Frame(t, t / (double) N, String.format("frame-%03d", t), null, new FloatImage(W, H, 3, img),
                    new FloatImage(W, H, 1, d), new FloatImage(W, H, 1, m), null, null));
        }
        return list;
    }

    private static Sequence clip(List<Frame> frames) {
        int[] all = java.util.stream.IntStream.range(0, N).toArray();
        DatasetInfo info = new DatasetInfo("test", "endonerf", "white-is-instrument", 0.005, new double[] {40, 60},
                Map.of(), List.of());
        return new Sequence("memory-test", null, frames, new Split("all", all, new int[0]), info);
    }

    private static long usedAfterGc() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return mx.getHeapMemoryUsage().getUsed();
    }

    @Test
    void holdsNoFloatCopyOfTheWholeClip() {
        Sequence clip = clip(CompactFrames.of(frames(6666)));
        long floatClip = (long) N * W * H * 4 * (3 + 1 + 1);
        // state the method needs across frames: flows of every pair (full resolution below 400 px, 2 x 16 bit per
        // pixel and direction) and 16 bytes per composed pixel; what a frame in flight needs comes on top
        long flows = (long) (N - 1) * 2 * 2 * W * H * 2;
        long budget = flows + floatClip / 2;
        long before = usedAfterGc();
        long[] peak = {0};
        String[] where = {""};
        Progress probe = new Progress() {
            @Override
            public void begin(String task, long totalWork) {
            }

            @Override
            public void worked(long units, String status) {
                // after the forward pass every frame has been read (regions, flows) and its candidates are kept
                if (status.startsWith("propagating forward " + N + "/") || status.startsWith("propagating forward "
                        + N / 2 + "/")) {
                    long used = usedAfterGc() - before;
                    if (used > peak[0]) {
                        peak[0] = used;
                        where[0] = status;
                    }
                }
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public void done() {
            }
        };
        new PropagateInpainter().inpaint(clip, OPTIONS, dir.resolve("out"), probe);
        assertTrue(peak[0] > 0, "never measured");
        assertTrue(peak[0] < budget, String.format("stage 1 held %.1f MB at '%s' on top of the compact clip, more "
                + "than the flows (%.1f MB) and half a float copy of the clip (%.1f MB): something keeps whole frames",
                peak[0] / 1e6, where[0], flows / 1e6, floatClip / 2e6));
    }

    @Test
    void compactAndFloatClipsGiveTheSameFiles() throws IOException {
        List<Frame> f = frames(6667);
        new PropagateInpainter().inpaint(clip(f), OPTIONS, dir.resolve("floats"), Progress.NONE);
        new PropagateInpainter().inpaint(clip(CompactFrames.of(f)), OPTIONS, dir.resolve("compact"), Progress.NONE);
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir.resolve("floats"))) {
            files = s.filter(Files::isRegularFile).map(dir.resolve("floats")::relativize)
                    .filter(p -> !p.toString().equals("inpainting.json")).sorted().toList();
        }
        assertEquals(5 * N, files.size(), "files: " + files.size());
        for (Path p : files) {
            assertEquals(-1L, Files.mismatch(dir.resolve("floats").resolve(p), dir.resolve("compact").resolve(p)),
                    p.toString());
        }
    }
}
