package org.diff2dgs.batch.api;

import java.nio.file.Path;

import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.SceneSpec;

/**
 * One scene of an experiment: either synthesized from a spec (once per batch, shared by its cells) or read from a
 * dataset folder.
 *
 * @param name      unique within the experiment; names the cell folders
 * @param dataset   group label for the tables ("EndoNeRF", "synthetic", ...): one table per group and protocol
 * @param synthetic the scene to synthesize, or null for a dataset folder
 * @param generator scene generator name, or null for the first installed one (as `d2dgs run` does)
 * @param path      absolute dataset folder, or null for a synthetic scene
 * @param format    dataset format, or null to detect by probing
 * @param read      dataset reading choices (split, conventions, ...)
 * @param line      line of the scene in the experiment file, for messages
 */
public record ExperimentScene(String name, String dataset, SceneSpec synthetic, String generator, Path path,
        String format, ReadOptions read, int line) {

    public boolean isSynthetic() {
        return synthetic != null;
    }
}
