package org.diff2dgs.batch.internal;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.pipeline.api.RunReport;
import org.diff2dgs.pipeline.api.RunRequest;

/**
 * Runs one cell's staged run into its folder. In the product this is the Pipeline service; tests give a runner that
 * writes the pipeline's files without training, so the batch logic is tested in seconds and without OSGi.
 */
@FunctionalInterface
public interface CellRunner {

    /** Runs (or resumes) the request; throws on failure. */
    RunReport run(RunRequest request, Progress progress);
}
