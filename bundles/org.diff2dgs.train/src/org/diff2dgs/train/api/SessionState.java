package org.diff2dgs.train.api;

import java.util.Map;

import org.diff2dgs.core.model.GaussianModel;

/**
 * Every tensor of a training session on the host; what a checkpoint stores.
 *
 * @param model       canonical surfels (positions, rotations, log-scales, opacity logits, SH)
 * @param deformation the deformation field's tensors by parameter name (as
 *                    {@link org.diff2dgs.core.api.DeformationModel#restore} takes them)
 * @param optimizer   Adam state as {@link org.diff2dgs.train.optim.Adam#state()} writes it: per learnable tensor
 *                    {@code name + ".exp_avg"}, {@code ".exp_avg_sq"} (as long as the tensor), {@code ".step"} (one
 *                    value) and {@code ".lr"} (a float pair whose sum is the rate); the surfel tensors are named
 *                    {@link #POSITIONS}, {@link #ROTATIONS}, {@link #LOG_SCALES}, {@link #OPACITY_LOGITS}, {@link #SH},
 *                    the deformation's by their parameter names; empty for a fresh start
 * @param statistics  density statistics since the last densification: "gradientSum", "visibleCount", "maxRadius"
 *                    (one float per surfel each); empty for a fresh start
 */
public record SessionState(GaussianModel model, Map<String, float[]> deformation, Map<String, float[]> optimizer,
        Map<String, float[]> statistics) {

    public static final String POSITIONS = "positions";
    public static final String ROTATIONS = "rotations";
    public static final String LOG_SCALES = "logScales";
    public static final String OPACITY_LOGITS = "opacityLogits";
    public static final String SH = "sh";

    public static final String GRADIENT_SUM = "gradientSum";
    public static final String VISIBLE_COUNT = "visibleCount";
    public static final String MAX_RADIUS = "maxRadius";

    /** True when there is no optimizer state to continue from. */
    public boolean fresh() {
        return optimizer.isEmpty();
    }
}
