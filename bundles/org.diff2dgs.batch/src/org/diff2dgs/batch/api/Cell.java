package org.diff2dgs.batch.api;

import java.nio.file.Path;
import java.util.Map;

import org.diff2dgs.train.api.TrainOptions;

/**
 * One run of the experiment grid: a scene, a method and a training seed, in its own run folder
 * {@code <out>/cells/<scene>/<method>/seed-<n>/}.
 *
 * @param id     position in the grid (scenes, then methods, then seeds): the SLURM array index and --cell argument
 * @param scene  the scene
 * @param method the method
 * @param seed   the training seed
 * @param folder the cell's run folder
 */
public record Cell(int id, ExperimentScene scene, Method method, long seed, Path folder) {

    /** "scene/method/seed-n", also accepted by --cell. */
    public String label() {
        return scene.name() + "/" + method.name() + "/seed-" + seed;
    }

    /** The method's options with this cell's seed. */
    public TrainOptions training() {
        return method.training().with(Map.of("seed", seed));
    }
}
