package org.diff2dgs.train.api;

/**
 * What a finished training run reports.
 *
 * @param iterations      iterations done in total (including those before a resume)
 * @param resumedFrom     iteration the run resumed from (0 = fresh start)
 * @param surfels         final surfel count
 * @param seconds         wall time of training in this process plus earlier processes (from the checkpoint)
 * @param finalLoss       total loss of the last iteration
 * @param trainPsnr       PSNR of the last 50 iterations' training renders (masked), dB
 * @param stageSeconds    mean seconds per iteration of this process by stage: deform (with activations and SH),
 *                        render, loss, backward, step, densify (see TrainingSession#stageSeconds)
 * @param state           the trained scene
 * @param trainedOn       name of the training backend that ran this process's iterations ("cpu", "cuda")
 * @param fallbackReason  null, or why the automatically chosen backend gave way to "cpu" (one line)
 * @param setupSeconds    wall time of this process outside the iteration loop by phase: "initialize" (point cloud or
 *                        checkpoint), "open" (the session: device context, uploads, allocations), "finish" (closing
 *                        the session, the final scene)
 * @param initializeSeconds "initialize" of a fresh start by phase (the point cloud's: motionMask, firstFrame,
 *                        laterFrames, neighbours, surfels; then deformation); empty when the run resumed
 * @param processors      processors this JVM saw (the initialization's parallel parts use them)
 */
public record TrainResult(int iterations, int resumedFrom, int surfels, double seconds, double finalLoss,
        double trainPsnr, java.util.Map<String, Double> stageSeconds, SceneState state, String trainedOn,
        String fallbackReason, java.util.Map<String, Double> setupSeconds,
        java.util.Map<String, Double> initializeSeconds, int processors) {
}
