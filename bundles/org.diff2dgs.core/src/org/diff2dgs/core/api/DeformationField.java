package org.diff2dgs.core.api;

import java.util.List;

import org.diff2dgs.core.model.GaussianModel;

/**
 * The learnable state of one deformation model for one scene: offsets of position, rotation and log-scale of every
 * surfel as functions of normalized time t in [0, 1].
 */
public interface DeformationField {

    /** Name of the {@link DeformationModel} that made it. */
    String modelName();

    /** Number of surfels it deforms. */
    int surfelCount();

    /** Learnable tensors; gradients accumulate into their grad arrays. */
    List<Parameter> parameters();

    /**
     * Deformed raw attributes at time t: positions (3n), rotations (4n, unnormalized quaternion), log-scales (2n).
     * The outputs must not alias the canonical arrays.
     */
    void deform(double t, GaussianModel canonical, float[] positions, float[] rotations, float[] logScales);

    /**
     * Adds to the parameters' gradients, given dL/d(deformed outputs) of {@link #deform} at the same t and canonical
     * model.
     */
    void backward(double t, GaussianModel canonical, float[] dPositions, float[] dRotations, float[] dLogScales);

    /**
     * A field for a new surfel set whose row j is old row {@code source[j]} (densification clones, splits and
     * prunes). Shared tensors are copied as they are.
     */
    DeformationField reindex(int[] source);
}
