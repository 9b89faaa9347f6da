package org.diff2dgs.core.api;

import java.util.Map;

import org.diff2dgs.core.model.GaussianModel;

/** A family of deformation fields, selectable by name; registered as an OSGi service. */
public interface DeformationModel {

    /** Short name used in options and checkpoints, e.g. "gaussian-basis". */
    String name();

    String description();

    /** A freshly initialized field for {@code canonical} (identity deformation at every t). */
    DeformationField create(GaussianModel canonical, long seed);

    /** Rebuilds a field from a checkpoint's tensors (as returned by {@link DeformationField#parameters()}). */
    DeformationField restore(int surfelCount, Map<String, float[]> tensors);
}
