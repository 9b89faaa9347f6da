package org.diff2dgs.pipeline.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.pipeline.api.Stages;
import org.diff2dgs.train.api.Reconstructor;

/** What the run folder records about its training checkpoints, and the check of a finished run's newest one. */
final class CheckpointFiles {

    private CheckpointFiles() {
    }

    /** Bytes of every kept checkpoint folder, by name, oldest first. */
    static Map<String, Long> sizes(Path checkpoints) {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.isDirectory(checkpoints) ? Files.list(checkpoints) : Stream.empty()) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("iter-\\d{6}")).sorted().toList()) {
                out.put(p.getFileName().toString(), bytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Bytes of the newest checkpoint, 0 when there is none. */
    static long newestBytes(Path checkpoints) {
        long last = 0;
        for (long b : sizes(checkpoints).values()) {
            last = b;
        }
        return last;
    }

    private static long bytes(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            long sum = 0;
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                sum += Files.size(f);
            }
            return sum;
        }
    }

    /**
     * A finished training whose newest checkpoint is now unusable on disk (cut, missing file, bad meta.json) is not
     * done any more: training runs again and resumes from the previous complete checkpoint, and the stages after it
     * follow. Without this, `train --resume` on a finished run reported success from run.json alone.
     */
    static void reopenTrainingIfNewestIsBroken(RunState state, RunFolder folder, Reconstructor reconstructor,
            Progress progress) {
        if (!state.done(Stages.TRAIN)) {
            return;
        }
        reconstructor.checkpointProblem(folder.checkpoints()).ifPresent(problem -> {
            progress.note("training was finished, but its newest checkpoint is unusable: " + problem
                    + "; training resumes from the previous complete checkpoint");
            state.invalidateFrom(Stages.TRAIN);
        });
    }
}
