package org.diff2dgs.batch.api;

import java.util.Map;

/**
 * One number of a batch: a cell, a protocol and a metric, with everything needed to know where it came from. Rows of
 * results.csv; a failed or unfinished cell has one row with its status and message and no protocol or metric, and a
 * metric the pipeline skipped (e.g. LPIPS without its model) has a row with the reason.
 *
 * @param experiment         experiment name
 * @param cell               cell id
 * @param scene              scene name
 * @param dataset            dataset group label
 * @param method             method name
 * @param seed               training seed
 * @param protocol           evaluation protocol ("" for a cell without results)
 * @param metric             metric name ("" for a cell without results)
 * @param higherIsBetter     direction of the metric (false when unknown)
 * @param mean               mean over the cell's test frames (NaN when none)
 * @param std                population standard deviation over the same frames (NaN when none)
 * @param count              frames that entered mean and std
 * @param status             "ok", "skipped" (metric not computed), "failed", "stale", "partial" or "pending"
 * @param message            the skip reason or failure message, else empty
 * @param trainingSeconds    training wall time of the cell (NaN when unknown)
 * @param renderFps          render speed over the whole clip at full resolution (NaN when unknown)
 * @param surfels            surfels at the end of training (-1 when unknown)
 * @param revision           source revision of the code that produced the number
 * @param device             compute device description
 * @param backend            compute backend name
 * @param java               Java runtime
 * @param os                 operating system
 * @param libraries          bundle and library versions
 * @param preset             the training preset the methods start from
 * @param methodOptions      the method's overrides (experiment-wide options included)
 * @param trainingOptions    every training option as the cell ran
 * @param sceneConfig        how the scene was made or read
 * @param datasetFingerprint SHA-256 of the dataset folder
 * @param folder             the cell folder, relative to the experiment's output folder
 */
public record ResultRecord(String experiment, int cell, String scene, String dataset, String method, long seed,
        String protocol, String metric, boolean higherIsBetter, double mean, double std, int count, String status,
        String message, double trainingSeconds, double renderFps, long surfels, String revision, String device,
        String backend, String java, String os, Map<String, String> libraries, String preset,
        Map<String, Object> methodOptions, Map<String, Object> trainingOptions, Map<String, Object> sceneConfig,
        String datasetFingerprint, String folder) {
}
