package org.diff2dgs.pipeline.internal;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;

/** The images a render yields for people and metrics: colour, depth (expected depth / alpha) and normals. */
record RenderedFrame(FloatImage color, FloatImage depth, FloatImage normal) {

    static RenderedFrame of(RenderOutput r) {
        int w = r.width();
        int h = r.height();
        int n = w * h;
        float[] color = new float[3 * n];
        for (int i = 0; i < 3 * n; i++) {
            color[i] = Math.min(1f, Math.max(0f, r.color()[i]));
        }
        float[] depth = new float[n];
        float[] normal = new float[3 * n];
        float[] o = r.others();
        for (int i = 0; i < n; i++) {
            float alpha = o[RenderOutput.AUX_ALPHA * n + i];
            depth[i] = alpha > 1e-4f ? o[RenderOutput.AUX_DEPTH * n + i] / alpha : 0f;
            float nx = o[RenderOutput.AUX_NORMAL * n + i];
            float ny = o[(RenderOutput.AUX_NORMAL + 1) * n + i];
            float nz = o[(RenderOutput.AUX_NORMAL + 2) * n + i];
            float len = (float) Math.sqrt(nx * nx + ny * ny + nz * nz);
            if (len > 1e-8f) {
                // camera-frame normal (facing the camera) mapped to colour as 2DGS viewers show it
                normal[i] = 0.5f - 0.5f * nx / len;
                normal[n + i] = 0.5f - 0.5f * ny / len;
                normal[2 * n + i] = 0.5f - 0.5f * nz / len;
            }
        }
        return new RenderedFrame(new FloatImage(w, h, 3, color), new FloatImage(w, h, 1, depth),
                new FloatImage(w, h, 3, normal));
    }
}
