package org.diff2dgs.batch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.diff2dgs.batch.api.BatchListener;
import org.diff2dgs.batch.api.BatchReport;
import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.CellOutcome;
import org.diff2dgs.batch.api.CellStatus;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.internal.Batch;
import org.diff2dgs.core.api.CancelledException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.RunLock;
import org.diff2dgs.pipeline.api.Stages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cell loop with a pipeline that writes its files instantly: resume, failures, split and merge. */
class BatchRunTest {

    @TempDir
    Path dir;

    private static List<CellOutcome.Status> statuses(BatchReport r) {
        return r.outcomes().stream().map(CellOutcome::status).toList();
    }

    @Test
    void aBatchRunsEveryCellOnceSharesSyntheticScenesAndWritesTheReport() {
        FakePipeline pipeline = new FakePipeline();
        Fixtures.CountingScenes scenes = new Fixtures.CountingScenes();
        Batch batch = Fixtures.batch(pipeline, scenes);
        Experiment e = batch.load(Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML));
        List<String> started = new ArrayList<>();
        BatchReport r = batch.run(e, new BatchListener() {
            @Override
            public void cellStarted(Cell cell, int position, int total) {
                started.add(position + "/" + total + " " + cell.label());
            }
        });
        assertEquals(8, pipeline.calls.size());
        assertEquals(2, scenes.writes.get(), "one synthetic scene per scene, shared by its cells");
        assertEquals("1/8 a/full/seed-1", started.get(0));
        assertTrue(r.outcomes().stream().allMatch(o -> o.status() == CellOutcome.Status.RAN));
        assertTrue(r.complete());
        for (var req : pipeline.calls) {
            assertEquals(e.out().resolve("scenes").resolve(req.runFolder().getParent().getParent().getFileName()),
                    req.dataset());
            assertEquals(List.of("masked-mean", "deform3dgs"), req.protocols());
            assertEquals(Set.of(), req.force());
        }
        for (String f : List.of("results.json", "results.csv", "summary.csv", "results.md")) {
            assertTrue(Files.isRegularFile(e.out().resolve(f)), f);
        }
        assertTrue(r.outcomes().get(0).headline().startsWith("masked-mean psnr "), r.outcomes().get(0).headline());
        // 8 cells x 2 protocols x (psnr, ssim, depth-rmse computed + lpips skipped)
        assertEquals(8 * 2 * 4, r.results().records().size());
    }

    @Test
    void finishedCellsAreSkippedAndAKilledCellResumesWithoutForce() {
        FakePipeline pipeline = new FakePipeline();
        Batch batch = Fixtures.batch(pipeline);
        Experiment e = batch.load(Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML));
        batch.run(e, BatchListener.NONE);
        Cell killed = e.cell("b/full/seed-2");
        FakePipeline.interrupt(killed.folder());
        assertEquals(CellStatus.PARTIAL, batch.status(e, killed));

        FakePipeline second = new FakePipeline();
        Batch again = Fixtures.batch(second);
        BatchReport r = again.run(again.load(e.file()), BatchListener.NONE);
        assertEquals(List.of("b/full/seed-2"), second.cellsCalled());
        assertEquals(Set.of(), second.calls.get(0).force(), "a killed run continues where it stopped");
        assertEquals(CellOutcome.Status.RAN, r.outcomes().get(killed.id()).status());
        assertEquals(7, r.count(CellOutcome.Status.ALREADY_DONE));
        var record = Json.readTree(killed.folder().resolve("cell.json")).getAsJsonObject();
        assertEquals(2, record.get("attempts").getAsInt());
        assertEquals("done", record.get("status").getAsString());
    }

    @Test
    void changedOptionsRerunFromTrainingChangedProtocolsOnlyReevaluate() {
        FakePipeline pipeline = new FakePipeline();
        Batch batch = Fixtures.batch(pipeline);
        Path file = Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML);
        batch.run(batch.load(file), BatchListener.NONE);

        Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML.replace("{normalWeight: 0}", "{normalWeight: 0.01}"));
        FakePipeline second = new FakePipeline();
        Batch b2 = Fixtures.batch(second);
        Experiment changed = b2.load(file);
        assertEquals(CellStatus.STALE, b2.status(changed, changed.cell("a/no-normal/seed-1")));
        assertEquals(CellStatus.DONE, b2.status(changed, changed.cell("a/full/seed-1")));
        b2.run(changed, BatchListener.NONE);
        assertEquals(4, second.calls.size());
        assertTrue(second.calls.stream().allMatch(c -> c.force().equals(Set.of(Stages.TRAIN))));
        assertTrue(second.cellsCalled().stream().allMatch(l -> l.contains("/no-normal/")));

        Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML.replace("{normalWeight: 0}", "{normalWeight: 0.01}")
                .replace("[masked-mean, deform3dgs]", "[masked-mean]"));
        FakePipeline third = new FakePipeline();
        Batch b3 = Fixtures.batch(third);
        b3.run(b3.load(file), BatchListener.NONE);
        assertEquals(8, third.calls.size());
        assertTrue(third.calls.stream().allMatch(c -> c.force().equals(Set.of(Stages.EVALUATE))));

        Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML.replace("seed: 4, frames: 8", "seed: 5, frames: 8"));
        FakePipeline fourth = new FakePipeline();
        Fixtures.CountingScenes scenes = new Fixtures.CountingScenes();
        Batch b4 = Fixtures.batch(fourth, scenes);
        b4.run(b4.load(file), BatchListener.NONE);
        assertEquals(1, scenes.writes.get(), "only the changed scene is synthesized again");
        assertTrue(fourth.calls.stream().filter(c -> c.runFolder().toString().contains("/cells/b/"))
                .allMatch(c -> c.force().equals(Set.of(Stages.PREPARE))));
    }

    @Test
    void aFailingCellIsReportedWhileTheOthersFinish() throws IOException {
        FakePipeline pipeline = new FakePipeline();
        pipeline.fail = req -> req.runFolder().toString().contains("/cells/a/no-normal/seed-2");
        Batch batch = Fixtures.batch(pipeline);
        Fixtures.dataset(dir.resolve("clip"));
        String yaml = Fixtures.GRID_YAML.replace("methods:", """
                  - name: real
                    path: clip
                    dataset: EndoNeRF
                methods:""");
        Experiment e = batch.load(Fixtures.write(dir, "grid.yaml", yaml));
        AtomicInteger finished = new AtomicInteger();
        BatchReport r = batch.run(e, new BatchListener() {
            @Override
            public void cellStarted(Cell cell, int position, int total) {
                // the dataset folder disappears after validation, while the batch runs
                if (position == 1) {
                    try {
                        Files.delete(dir.resolve("clip/poses_bounds.npy"));
                        Files.delete(dir.resolve("clip"));
                    } catch (IOException ex) {
                        throw new AssertionError(ex);
                    }
                }
            }

            @Override
            public void cellFinished(CellOutcome outcome, int position, int total) {
                finished.incrementAndGet();
            }
        });
        assertEquals(12, finished.get());
        assertEquals(12, pipeline.calls.size(), "every cell was tried");
        assertEquals(8 - 1, r.count(CellOutcome.Status.RAN));
        assertEquals(1 + 4, r.count(CellOutcome.Status.FAILED));
        CellOutcome rejected = r.outcomes().get(e.cell("a/no-normal/seed-2").id());
        assertTrue(rejected.message().contains("rejected by the fake pipeline"), rejected.message());
        CellOutcome gone = r.outcomes().get(e.cell("real/full/seed-1").id());
        assertTrue(gone.message().contains("dataset folder not found"), gone.message());
        assertFalse(r.complete());
        assertEquals(5, r.results().failed());
        String md = Files.readString(e.out().resolve("results.md"));
        assertTrue(md.contains("rejected by the fake pipeline"), md);
        String csv = Files.readString(e.out().resolve("results.csv"));
        assertTrue(csv.contains(",failed,"), csv);
        assertEquals(CellStatus.FAILED, batch.status(e, e.cell("a/no-normal/seed-2")));

        // the next invocation tries the failed cells again and keeps the finished ones
        FakePipeline second = new FakePipeline();
        Fixtures.dataset(dir.resolve("clip"));
        BatchReport again = Fixtures.batch(second).run(e, BatchListener.NONE);
        assertEquals(5, second.calls.size());
        assertTrue(again.complete());
    }

    @Test
    void cellsRunSeparatelyThenMergedEqualAnInProcessBatch() throws IOException {
        Fixtures.dataset(dir.resolve("clip"));
        String yaml = Fixtures.GRID_YAML.replace("methods:", """
                  - name: real
                    path: ../clip
                    dataset: EndoNeRF
                methods:""");
        Path inProcess = Fixtures.write(dir.resolve("one"), "grid.yaml", yaml);
        Path split = Fixtures.write(dir.resolve("split"), "grid.yaml", yaml);

        Batch batch = Fixtures.batch(new FakePipeline());
        BatchReport whole = batch.run(batch.load(inProcess), BatchListener.NONE);

        Experiment e = Fixtures.batch(new FakePipeline()).load(split);
        for (Cell c : e.cells()) {
            // each as its own worker or SLURM task would: a fresh load of the file and one cell
            Batch task = Fixtures.batch(new FakePipeline());
            Experiment mine = task.load(split);
            assertEquals(CellOutcome.Status.RAN, task.runCell(mine, mine.cell(Integer.toString(c.id())),
                    BatchListener.NONE).status());
        }
        assertFalse(Files.exists(e.out().resolve("results.json")), "--cell writes no report");
        FakePipeline nothing = new FakePipeline();
        BatchReport merged = Fixtures.batch(nothing).merge(e);
        assertTrue(nothing.calls.isEmpty(), "merge runs nothing");
        assertEquals(whole.results(), merged.results());
        assertEquals(Files.readString(whole.experiment().out().resolve("results.md")),
                Files.readString(e.out().resolve("results.md")));
        assertEquals(Files.readString(whole.experiment().out().resolve("results.csv")),
                Files.readString(e.out().resolve("results.csv")));
        assertTrue(merged.complete());
    }

    /** A SLURM task resubmitted while the first still runs the cell: refused, and the running cell left alone. */
    @Test
    void aCellWhoseFolderAnotherWriterHoldsIsReportedFailedAndLeftAlone() throws Exception {
        Batch batch = Fixtures.batch(new FakePipeline());
        Experiment e = batch.load(Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML));
        Cell cell = e.cell("0");
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread other = new Thread(() -> {
            try (RunLock lock = RunLock.acquire(cell.folder(), "d2dgs batch grid.yaml --cell 0 (first task)",
                    n -> { })) {
                held.countDown();
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        try {
            held.await();
            CellOutcome refused = batch.runCell(e, cell, BatchListener.NONE);
            assertEquals(CellOutcome.Status.FAILED, refused.status());
            assertTrue(refused.message().contains("in use by") && refused.message().contains("(first task)"),
                    refused.message());
            assertFalse(Files.exists(cell.folder().resolve("cell.json")), "the running cell's record is untouched");
        } finally {
            release.countDown();
            other.join();
        }
        assertEquals(CellOutcome.Status.RAN, batch.runCell(e, cell, BatchListener.NONE).status());
    }

    @Test
    void mergeOfAPartlyRunExperimentListsWhatIsMissing() {
        Batch batch = Fixtures.batch(new FakePipeline());
        Experiment e = batch.load(Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML));
        batch.runCell(e, e.cell("0"), BatchListener.NONE);
        BatchReport r = batch.merge(e);
        assertEquals(CellOutcome.Status.ALREADY_DONE, r.outcomes().get(0).status());
        assertEquals(7, r.count(CellOutcome.Status.NOT_RUN));
        assertEquals(7, r.results().unfinished());
        assertFalse(r.complete());
    }

    @Test
    void cancellingStopsTheBatchAndTheCellResumesLater() {
        FakePipeline pipeline = new FakePipeline();
        pipeline.fail = req -> {
            if (req.runFolder().toString().contains("/cells/a/no-normal/seed-1")) {
                throw new CancelledException();
            }
            return false;
        };
        Batch batch = Fixtures.batch(pipeline);
        Experiment e = batch.load(Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML));
        assertThrows(CancelledException.class, () -> batch.run(e, BatchListener.NONE));
        assertEquals(3, pipeline.calls.size(), "nothing after the cancelled cell starts");
        assertTrue(Files.isRegularFile(e.out().resolve("results.md")), "what finished is reported");
        assertEquals(CellStatus.PARTIAL, batch.status(e, e.cell("a/no-normal/seed-1")));
    }

    @Test
    void anUnreadableMetricsFileIsEvaluatedAgain() throws IOException {
        Batch batch = Fixtures.batch(new FakePipeline());
        Experiment e = batch.load(Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML));
        batch.run(e, BatchListener.NONE);
        Cell c = e.cell("4");
        Files.writeString(c.folder().resolve("metrics.json"), "{\"evaluations\": [");
        assertEquals(CellStatus.PARTIAL, batch.status(e, c));
        FakePipeline second = new FakePipeline();
        BatchReport r = Fixtures.batch(second).run(e, BatchListener.NONE);
        assertEquals(List.of(c.label()), second.cellsCalled());
        assertEquals(Set.of(Stages.EVALUATE), second.calls.get(0).force());
        assertTrue(r.complete());
    }
}
