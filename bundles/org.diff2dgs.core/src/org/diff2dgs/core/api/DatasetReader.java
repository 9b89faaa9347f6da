package org.diff2dgs.core.api;

import java.nio.file.Path;

/**
 * Reads one on-disk clip format into a {@link org.diff2dgs.core.model.Sequence}. Registered as an OSGi service; the
 * reader for a folder is chosen by {@link #probe}. Labs add formats by registering their own implementation.
 */
public interface DatasetReader {

    /** Short format name used on the command line, e.g. "endonerf". */
    String format();

    /** One-line description for `info`. */
    String description();

    /**
     * How well this reader recognizes the folder: 0 = not at all, 1 = certain. Must be cheap (list files, read
     * headers) and must not throw.
     */
    double probe(Path folder);

    /** Loads the clip; throws {@link DatasetException} naming the file at the first problem. */
    org.diff2dgs.core.model.Sequence read(Path folder, ReadOptions options, Progress progress);

    /**
     * Loads the clip like {@link #read} (the same checks and conventions) but keeps its frames compactly, as stored
     * ({@link org.diff2dgs.core.model.CompactFrames}: each {@code frame(i)} is a fresh float copy), and reads the
     * ground truth ({@code gt/}) only when asked. For consumers that visit a few frames at a time, such as stage 1:
     * a 156-frame 640x512 clip takes about 250 MB this way instead of about 1.8 GB. Readers that cannot return
     * {@link #read}'s result.
     */
    default org.diff2dgs.core.model.Sequence readCompact(Path folder, ReadOptions options, boolean groundTruth,
            Progress progress) {
        return read(folder, options, progress);
    }

    /**
     * Whether {@link #readCompact} with {@code groundTruth} set could find ground truth in the folder, told from the
     * file listing alone (no pixels), so that a caller need not read a whole clip to learn it has none. A reader that
     * cannot tell cheaply answers true: the caller then reads and looks.
     */
    default boolean mayHaveGroundTruth(Path folder) {
        return true;
    }

    /** Checks the whole folder and reports every problem found; never throws for bad data. */
    ValidationReport validate(Path folder, ReadOptions options, Progress progress);
}
