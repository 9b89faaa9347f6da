package org.diff2dgs.train.internal;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.model.GaussianModel;

/**
 * How many learnable floats a run holds: per surfel (position 3, rotation 4, log-scale 2, opacity 1, SH 3 x K, plus
 * the deformation model's per-surfel tensors) and shared by all (e.g. MLP weights). Memory and checkpoint size
 * follow from it.
 *
 * @param perSurfel      learnable floats per surfel
 * @param shared         learnable floats independent of the surfel count
 * @param shCoefficients K = (degree + 1)^2
 */
record ParameterSizes(long perSurfel, long shared, int shCoefficients) {

    /** Asks the deformation model itself, on a two-surfel field, so a lab's model is sized right too. */
    static ParameterSizes of(DeformationModel model, int shDegree, long seed) {
        GaussianModel probe = GaussianModel.allocate(2, shDegree);
        for (int i = 0; i < 2; i++) {
            probe.rotations()[4 * i] = 1;
            probe.positions()[3 * i + 2] = 1 + i;
        }
        DeformationField field = model.create(probe, seed);
        long perSurfel = 10 + 3L * probe.shCoefficients();
        long shared = 0;
        for (Parameter p : field.parameters()) {
            if (p.perSurfel()) {
                perSurfel += p.width();
            } else {
                shared += p.width();
            }
        }
        return new ParameterSizes(perSurfel, shared, probe.shCoefficients());
    }

    /**
     * Bytes of one checkpoint of n surfels: values and both Adam moments of every tensor, the density statistics
     * (3 per surfel) and surfels.ply (13 + 3K floats per surfel), plus file headers.
     */
    long checkpointBytes(long n) {
        long floats = n * (3 * perSurfel + 3 + 13 + 3L * shCoefficients) + 3 * shared;
        return 4 * floats + 64 * 1024;
    }
}
