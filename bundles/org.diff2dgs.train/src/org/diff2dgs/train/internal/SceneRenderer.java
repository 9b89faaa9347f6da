package org.diff2dgs.train.internal;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.train.sh.SphericalHarmonics;

/**
 * Turns canonical surfels into what the rasterizer draws at time t: deform (reconstruction.md, Rendering step 1),
 * activate scales (exp) and opacities (sigmoid), evaluate SH colours for the view. Keeps its buffers, so the
 * training loop allocates nothing per iteration until the surfel count changes.
 */
final class SceneRenderer {

    float[] positions = new float[0];
    float[] rotations = new float[0];
    float[] logScales = new float[0];
    SurfelBatch batch = SurfelBatch.allocate(0);
    double[] cameraCentre;

    void prepare(GaussianModel model, DeformationField field, int activeSh, Camera camera, double t) {
        int n = model.count();
        if (batch.count() != n) {
            positions = new float[3 * n];
            rotations = new float[4 * n];
            logScales = new float[2 * n];
            batch = new SurfelBatch(n, positions, rotations, new float[2 * n], new float[n], new float[3 * n]);
        }
        field.deform(t, model, positions, rotations, logScales);
        float[] scales = batch.scales();
        for (int i = 0; i < 2 * n; i++) {
            scales[i] = (float) Math.exp(logScales[i]);
        }
        float[] opacities = batch.opacities();
        float[] logits = model.opacityLogits();
        for (int i = 0; i < n; i++) {
            opacities[i] = SurfelParameters.sigmoid(logits[i]);
        }
        cameraCentre = camera.pose().centre();
        SphericalHarmonics.evaluate(model, activeSh, positions, cameraCentre, batch.colors());
    }

    RenderOutput render(GaussianModel model, DeformationField field, int activeSh, Camera camera, double t,
            Rasterizer rasterizer, RenderSettings settings) {
        prepare(model, field, activeSh, camera, t);
        return rasterizer.forward(batch, camera, settings);
    }
}
