package org.diff2dgs.batch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.diff2dgs.batch.api.BatchListener;
import org.diff2dgs.batch.api.BatchReport;
import org.diff2dgs.batch.api.BatchRunner;
import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.CellOutcome;
import org.diff2dgs.batch.api.CellStatus;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.ResultRecord;
import org.diff2dgs.core.api.CancelledException;
import org.diff2dgs.core.api.Progress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * OSGi ONLY (runs under Tycho; skipped by the plain-Java quick test): the BatchRunner service of the product, wired by
 * DS to the real Pipeline, trains tiny cells on the CPU backend. Checks what the fake pipeline cannot: real training
 * is resumable through the batch, deterministic across split and merge, and a scene the generator rejects at run time
 * fails alone.
 */
class PipelineBatchTest {

    static final String TINY = """
            name: tiny
            preset: cpu
            options:
              iterations: 30
              densifyFrom: 10
              densifyUntil: 25
              densifyInterval: 10
              checkpointInterval: 10
              shIncreaseInterval: 10
              normalFromIteration: 15
            protocols: [masked-mean, occluded]
            metrics: [psnr, ssim, depth-rmse]
            backend: cpu
            seeds: [5]
            charts: [psnr]
            scenes:
              - name: s
                synthetic: {seed: 11, frames: 8, size: 48x40}
            methods:
              - name: full
              - name: no-depth
                options: {depthWeighting: none}
            """;

    private static BatchRunner runner;

    @BeforeAll
    static void service() throws InterruptedException {
        Bundle b = FrameworkUtil.getBundle(PipelineBatchTest.class);
        Assumptions.assumeTrue(b != null && b.getBundleContext() != null,
                "needs the OSGi runtime with the product's services (Tycho surefire)");
        // plain framework API instead of a ServiceTracker, so the class also compiles in the quick test
        BundleContext bc = b.getBundleContext();
        for (long end = System.nanoTime() + 20_000_000_000L; runner == null && System.nanoTime() < end;) {
            ServiceReference<BatchRunner> ref = bc.getServiceReference(BatchRunner.class);
            runner = ref == null ? null : bc.getService(ref);
            if (runner == null) {
                Thread.sleep(100);
            }
        }
        if (runner == null) {
            throw new AssertionError("BatchRunner not registered: is org.diff2dgs.batch started (lazy activation)?");
        }
    }

    private static List<String> metricValues(BatchReport r) {
        return r.results().records().stream().filter(x -> x.status().equals("ok"))
                .map(x -> x.cell() + " " + x.protocol() + " " + x.metric() + " " + x.mean() + " " + x.count())
                .toList();
    }

    @Test
    void splitCellsThenMergeGiveTheNumbersOfAnInProcessBatch(@TempDir Path dir) {
        Experiment whole = runner.load(Fixtures.write(dir.resolve("whole"), "tiny.yaml", TINY));
        BatchReport inProcess = runner.run(whole, BatchListener.NONE);
        assertTrue(inProcess.complete(), inProcess.outcomes().toString());
        snapshotsInTheReport(whole);

        Experiment split = runner.load(Fixtures.write(dir.resolve("split"), "tiny.yaml", TINY));
        for (Cell c : split.cells()) {
            assertEquals(CellOutcome.Status.RAN, runner.runCell(split, c, BatchListener.NONE).status());
        }
        BatchReport merged = runner.merge(split);
        assertEquals(metricValues(inProcess), metricValues(merged));
        ResultRecord any = merged.results().records().get(0);
        assertEquals("cpu", any.backend());
        assertTrue(!any.device().isEmpty() && !any.libraries().isEmpty(), any.toString());
        assertEquals(5L, any.seed());
    }

    /** The real pipeline's 3D snapshots appear in results.md, one per scene and method, where OpenGL exists. */
    private static void snapshotsInTheReport(Experiment e) {
        String md;
        try {
            md = java.nio.file.Files.readString(e.out().resolve("results.md"));
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        boolean taken = java.nio.file.Files.isRegularFile(e.cell("0").folder().resolve("renders/3d/t0.50-color.png"));
        if (System.getenv("CI") != null) {
            assertTrue(taken, "CI takes 3D snapshots (Mesa EGL): " + md);
        }
        if (taken) {
            assertTrue(md.contains("| s | ![s / full](cells/s/full/seed-5/renders/3d/t0.50-color.png) | ![s / no-depth]"
                    + "(cells/s/no-depth/seed-5/renders/3d/t0.50-color.png) |"), md);
        } else {
            assertTrue(md.contains("No 3D snapshots: "), md);
        }
    }

    @Test
    void aKilledCellResumesAndEndsWithTheNumbersOfAnUninterruptedOne(@TempDir Path dir) {
        Experiment straight = runner.load(Fixtures.write(dir.resolve("straight"), "tiny.yaml", TINY));
        BatchReport reference = runner.run(straight, BatchListener.NONE);

        Experiment e = runner.load(Fixtures.write(dir.resolve("killed"), "tiny.yaml", TINY));
        Cell first = e.cell("0");
        assertThrows(CancelledException.class, () -> runner.run(e, new BatchListener() {
            @Override
            public Progress progress(Cell cell) {
                return cancelDuringTraining(cell.id() == first.id() ? 23 : Long.MAX_VALUE);
            }
        }));
        assertEquals(CellStatus.PARTIAL, runner.status(e, first));
        BatchReport resumed = runner.run(e, BatchListener.NONE);
        assertEquals(CellOutcome.Status.RAN, resumed.outcomes().get(0).status());
        assertEquals(metricValues(reference), metricValues(resumed));
    }

    @Test
    void aSceneRejectedAtRunTimeFailsAloneAndTheExitIsAFailure(@TempDir Path dir) {
        String yaml = TINY.replace("methods:", """
                  - name: bad
                    synthetic: {seed: 12, frames: 8, size: 48x40, options: {instruments: 7}}
                methods:""");
        Experiment e = runner.load(Fixtures.write(dir, "tiny.yaml", yaml));
        BatchReport r = runner.run(e, BatchListener.NONE);
        assertEquals(2, r.count(CellOutcome.Status.RAN));
        assertEquals(2, r.count(CellOutcome.Status.FAILED));
        assertTrue(r.outcomes().get(2).message().contains("instruments"), r.outcomes().get(2).message());
        assertTrue(!r.complete());
    }

    /** Cancels the training stage after {@code steps} units, as Ctrl-C or a killed worker would stop it. */
    static Progress cancelDuringTraining(long steps) {
        AtomicLong done = new AtomicLong();
        return new Progress() {
            volatile String task = "";

            @Override
            public void begin(String t, long total) {
                task = t;
                done.set(0);
            }

            @Override
            public void worked(long units, String status) {
                done.addAndGet(units);
            }

            @Override
            public boolean isCancelled() {
                return task.equals("train") && done.get() >= steps;
            }

            @Override
            public void done() {
            }
        };
    }
}
