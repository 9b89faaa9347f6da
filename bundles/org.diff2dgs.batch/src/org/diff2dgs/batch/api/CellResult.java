package org.diff2dgs.batch.api;

import java.util.Map;

/**
 * One cell as found on disk when the report was made.
 *
 * @param id                 cell id
 * @param label              scene/method/seed-n
 * @param scene              scene name
 * @param dataset            dataset group label
 * @param method             method name
 * @param seed               training seed
 * @param folder             cell folder relative to the experiment's output folder
 * @param status             "done", "failed", "stale", "partial" or "pending"
 * @param message            failure message or why the cell is not in the tables; empty when done
 * @param environment        the run's environment: revision, Java, OS, cores, backend, device, bundle versions
 * @param speed              training seconds, render FPS, surfels (from metrics.json)
 * @param datasetFingerprint SHA-256 of the dataset folder
 */
public record CellResult(int id, String label, String scene, String dataset, String method, long seed, String folder,
        String status, String message, Map<String, Object> environment, Map<String, Object> speed,
        String datasetFingerprint) {

    public boolean done() {
        return "done".equals(status);
    }
}
