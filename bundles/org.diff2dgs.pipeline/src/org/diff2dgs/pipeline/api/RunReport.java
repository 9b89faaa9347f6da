package org.diff2dgs.pipeline.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run did.
 *
 * @param runFolder   the run folder
 * @param ran         stages run by this invocation
 * @param skipped     stages found done and kept
 * @param metricTable the evaluation as printable text (empty when evaluate did not run)
 * @param summary     headline numbers (training time, surfels, PSNR, ...)
 */
public record RunReport(Path runFolder, List<String> ran, List<String> skipped, String metricTable,
        Map<String, Object> summary) {
}
