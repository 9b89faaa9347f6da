package org.diff2dgs.train.loss.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.train.loss.DepthDistortionLoss;
import org.junit.jupiter.api.Test;

class DepthDistortionLossTest {

    @Test
    void meanOfTheDistortionChannelAndItsGradient() {
        SplittableRandom rnd = new SplittableRandom(41);
        int w = 6;
        int h = 5;
        int n = w * h;
        float[] o = L1ColorLossTest.random(rnd, 7 * n);
        float[] m = L1ColorLossTest.random(rnd, n);
        m[0] = 0;
        int off = RenderOutput.AUX_DISTORTION * n;
        java.util.function.ToDoubleFunction<double[]> ref = x -> {
            double s = 0;
            double z = 0;
            for (int i = 0; i < n; i++) {
                s += m[i] * x[off + i];
                z += m[i];
            }
            return 3 * s / z;
        };
        RenderOutput r = L1ColorLossTest.render(w, h, new float[3 * n], o);
        float[] grad = new float[7 * n];
        double v = new DepthDistortionLoss().addGradient(r, new FloatImage(w, h, 1, m), 3, grad);
        double[] od = FiniteDifferences.toDouble(o, 0, o.length);
        assertEquals(ref.applyAsDouble(od) / 3, v, 1e-6);
        FiniteDifferences.assertGradient("distortion", grad, 0, FiniteDifferences.gradient(od, 1e-4, ref), 1e-3);
        double plain = 0;
        for (int i = 0; i < n; i++) {
            plain += o[off + i];
        }
        assertEquals(plain / n, new DepthDistortionLoss().value(r, null), 1e-6);
    }
}
