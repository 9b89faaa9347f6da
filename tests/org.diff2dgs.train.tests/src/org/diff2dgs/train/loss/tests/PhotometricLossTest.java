package org.diff2dgs.train.loss.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.train.loss.L1ColorLoss;
import org.diff2dgs.train.loss.PhotometricLoss;
import org.junit.jupiter.api.Test;

class PhotometricLossTest {

    @Test
    void lambdaZeroIsThePlainL1() {
        SplittableRandom rnd = new SplittableRandom(21);
        int w = 8;
        int h = 6;
        int n = w * h;
        RenderOutput r = L1ColorLossTest.render(w, h, L1ColorLossTest.random(rnd, 3 * n), new float[7 * n]);
        FloatImage t = new FloatImage(w, h, 3, L1ColorLossTest.random(rnd, 3 * n));
        float[] g1 = new float[3 * n];
        float[] g2 = new float[3 * n];
        PhotometricLoss.Value v = new PhotometricLoss(0).addGradient(r, t, null, 2, g1);
        double l1 = new L1ColorLoss().addGradient(r, t, null, 2, g2);
        assertEquals(l1, v.total(), 0);
        assertEquals(l1, v.l1(), 0);
        assertArrayEquals(g2, g1);
    }

    @Test
    void combinationMatchesTheReferenceAndFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(22);
        int w = 12;
        int h = 10;
        int n = w * h;
        float[] c = L1ColorLossTest.random(rnd, 3 * n);
        float[] t = c.clone();
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) (0.6 * t[i] + 0.4 * rnd.nextDouble());
        }
        float[] m = L1ColorLossTest.random(rnd, n);
        for (int i = 0; i < n; i += 3) {
            m[i] = 0;
        }
        FloatImage target = new FloatImage(w, h, 3, t);
        FloatImage mask = new FloatImage(w, h, 1, m);
        double lambda = 0.2;
        PhotometricLoss loss = new PhotometricLoss(lambda);
        float[] grad = new float[3 * n];
        RenderOutput r = L1ColorLossTest.render(w, h, c, new float[7 * n]);
        PhotometricLoss.Value v = loss.addGradient(r, target, mask, 1.0, grad);
        double[] td = FiniteDifferences.toDouble(t, 0, t.length);
        double[] md = FiniteDifferences.toDouble(m, 0, n);
        java.util.function.ToDoubleFunction<double[]> ref = x -> (1 - lambda)
                * L1ColorLossTest.reference(x, t, m, n)
                + lambda * (1 - SsimTest.referenceMean(x, td, md, w, h, 3));
        double[] cd = FiniteDifferences.toDouble(c, 0, 3 * n);
        assertEquals(ref.applyAsDouble(cd), v.total(), 1e-5);
        assertEquals(v.total(), loss.value(r, target, mask).total(), 1e-12);
        double[] fd = FiniteDifferences.gradient(cd, 1e-6, ref);
        FiniteDifferences.assertGradient("L1 + D-SSIM", grad, 0, fd, 1e-3);
    }
}
