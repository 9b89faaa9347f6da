package org.diff2dgs.pipeline.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.pipeline.api.Stages;

/**
 * run.json: which stages are done, with what inputs. Written atomically after every stage, so a killed run knows
 * where to continue; a stage is valid only while the stages before it are.
 */
final class RunState {

    /** One stage's record. */
    static final class StageRecord {
        String status = "pending";
        String finishedAt;
        double seconds;
        Map<String, Object> detail = new LinkedHashMap<>();

        StageRecord repaired() {
            if (status == null) {
                status = "pending";
            }
            if (detail == null) {
                detail = new LinkedHashMap<>();
            }
            return this;
        }
    }

    int version = 1;
    String datasetPath;
    String datasetFormat;
    String datasetFingerprint;
    boolean datasetSynthesized;
    Map<String, Object> trainingOptions;
    /** The effective configuration of those options (d2dgs config): rates after scaling, loss weights, ... */
    Object trainingConfig;
    /** The backend that trained (for --backend auto: "cpu" when the GPU's training backend refused the run). */
    String backend;
    /** Why an automatic backend choice settled on {@link #backend} instead of a higher-ranked one, or null. */
    String backendReason;
    org.diff2dgs.core.api.ReadOptions readOptions;
    Map<String, Object> environment = new LinkedHashMap<>();
    Map<String, StageRecord> stages = new LinkedHashMap<>();

    static RunState loadOrNew(Path file) {
        RunState s = Files.isRegularFile(file) ? Json.read(file, RunState.class) : new RunState();
        if (Files.isRegularFile(file) && (s.stages == null || s.stages.isEmpty())) {
            // valid JSON without the stage records ("stages": null or missing, another program's run.json): every
            // run.json written here has them, and nothing else says which outputs of the folder can be trusted
            throw new UserInputException(file, "damaged run state: it has no \"stages\" object, so nothing says "
                    + "which stages of this run folder are done; restore the file or start again in another --out "
                    + "folder");
        }
        // null inside the records (a hand edit, a half-merged file) reads as "not done", never as a crash later
        s.stages.replaceAll((name, r) -> r == null ? new StageRecord() : r.repaired());
        if (s.environment == null) {
            s.environment = new LinkedHashMap<>();
        }
        if (!s.stages.isEmpty() && !s.stages.containsKey(Stages.INPAINT)) {
            // a run folder from before stage 1 existed: it trained on the raw frames
            StageRecord none = new StageRecord();
            none.status = s.stages.get(Stages.PREPARE) != null ? s.stages.get(Stages.PREPARE).status : "pending";
            none.detail.put("method", "none");
            none.detail.put("requested", "none");
            none.detail.put("legacy", true);
            s.stages.put(Stages.INPAINT, none);
        }
        for (String st : Stages.ORDER) {
            s.stages.computeIfAbsent(st, k -> new StageRecord());
        }
        return s;
    }

    void save(Path file) {
        Json.write(file, this);
    }

    boolean done(String stage) {
        return "done".equals(stages.get(stage).status);
    }

    /** Marks a stage and every later one as to be run again. */
    void invalidateFrom(String stage) {
        List<String> order = Stages.ORDER;
        for (int i = order.indexOf(stage); i < order.size(); i++) {
            StageRecord r = stages.get(order.get(i));
            if (!"pending".equals(r.status)) {
                r.status = "stale";
            }
        }
    }
}
