package org.diff2dgs.pipeline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.StageOutOfMemoryError;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.pipeline.api.RunReport;
import org.diff2dgs.pipeline.api.Stages;
import org.diff2dgs.train.api.TrainOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap running out inside a stage (injected where the trainer reports an iteration, as densification ran out at
 * -Xmx300m) leaves the run as a kill -9 would: the error names the stage and the heap limit, the complete
 * checkpoints stay, nothing partial is left, and the same run resumes.
 */
class OutOfMemoryTest {

    /** Throws OutOfMemoryError when training reports the given iteration. */
    static Progress exhaustedAt(long iteration) {
        return new Progress() {
            String task = "";
            long done;

            @Override
            public void begin(String t, long total) {
                task = t;
                done = 0;
            }

            @Override
            public void worked(long units, String status) {
                done += units;
                if (task.equals("train") && done >= iteration) {
                    throw new OutOfMemoryError("Java heap space");
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
    }

    @Test
    void outOfMemoryWhileTrainingNamesTheStageKeepsTheCheckpointsAndResumes(@TempDir Path dir) throws IOException {
        Pipeline p = Osgi.service(Pipeline.class);
        Path run = dir.resolve("run");
        TrainOptions o = PipelineTest.quick(60);
        StageOutOfMemoryError e = assertThrows(StageOutOfMemoryError.class,
                () -> p.run(PipelineTest.request(run, o, Stages.TRAIN, Set.of()), exhaustedAt(45)));
        assertEquals("training", e.stage());
        assertTrue(e.getMessage().contains("out of memory while training (Java heap limit ")
                && e.getMessage().contains("D2DGS_VMARGS=-Xmx"), e.getMessage());
        Path checkpoints = run.resolve("train/checkpoints");
        try (Stream<Path> s = Files.list(checkpoints)) {
            assertEquals(List.of("iter-000020", "iter-000040", "latest.json"),
                    s.map(f -> f.getFileName().toString()).sorted().toList());
        }
        RunReport resumed = p.run(PipelineTest.request(run, o, Stages.TRAIN, Set.of()), Progress.NONE);
        assertEquals(List.of(Stages.TRAIN), resumed.ran());
        assertEquals(40, ((Number) resumed.summary().get("resumedFrom")).intValue());
    }
}
