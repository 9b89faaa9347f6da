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

    /** Checks the whole folder and reports every problem found; never throws for bad data. */
    ValidationReport validate(Path folder, ReadOptions options, Progress progress);
}
