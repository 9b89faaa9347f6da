package org.diff2dgs.train.internal;

import java.util.List;

import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.train.api.SessionState;

/**
 * The canonical surfels as learnable tensors. The arrays are shared with {@link #model()}, so the optimizer updates
 * what the renderer reads without copies.
 */
public final class SurfelParameters {

    static final String POSITIONS = SessionState.POSITIONS;
    static final String ROTATIONS = SessionState.ROTATIONS;
    static final String LOG_SCALES = SessionState.LOG_SCALES;
    static final String OPACITY_LOGITS = SessionState.OPACITY_LOGITS;
    static final String SH = SessionState.SH;

    final GaussianModel model;
    final Parameter positions;
    final Parameter rotations;
    final Parameter logScales;
    final Parameter opacityLogits;
    final Parameter sh;

    public SurfelParameters(GaussianModel model) {
        this.model = model;
        int n = model.count();
        int d = model.shDegree();
        positions = new Parameter(POSITIONS, n, width(POSITIONS, d), model.positions(), new float[3 * n]);
        rotations = new Parameter(ROTATIONS, n, width(ROTATIONS, d), model.rotations(), new float[4 * n]);
        logScales = new Parameter(LOG_SCALES, n, width(LOG_SCALES, d), model.logScales(), new float[2 * n]);
        opacityLogits = new Parameter(OPACITY_LOGITS, n, width(OPACITY_LOGITS, d), model.opacityLogits(),
                new float[n]);
        sh = new Parameter(SH, n, width(SH, d), model.sh(), new float[model.sh().length]);
    }

    /** Floats per surfel of each tensor (GaussianModel's layout), for SH degree {@code shDegree}. */
    static int width(String tensor, int shDegree) {
        return switch (tensor) {
            case POSITIONS -> 3;
            case ROTATIONS -> 4;
            case LOG_SCALES -> 2;
            case OPACITY_LOGITS -> 1;
            case SH -> 3 * GaussianModel.shCoefficients(shDegree);
            default -> throw new IllegalArgumentException(tensor);
        };
    }

    public GaussianModel model() {
        return model;
    }

    public int count() {
        return model.count();
    }

    public List<Parameter> all() {
        return List.of(positions, rotations, logScales, opacityLogits, sh);
    }

    /** Row j of the result is row source[j] of this one. */
    SurfelParameters reindex(int[] source) {
        GaussianModel m = model;
        int k = m.shCoefficients();
        return new SurfelParameters(new GaussianModel(source.length, m.shDegree(), gather(m.positions(), 3, source),
                gather(m.rotations(), 4, source), gather(m.logScales(), 2, source),
                gather(m.opacityLogits(), 1, source), gather(m.sh(), 3 * k, source)));
    }

    static float[] gather(float[] values, int width, int[] source) {
        float[] out = new float[source.length * width];
        for (int j = 0; j < source.length; j++) {
            System.arraycopy(values, source[j] * width, out, j * width, width);
        }
        return out;
    }

    public static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    public static float logit(double p) {
        return (float) Math.log(p / (1 - p));
    }
}
