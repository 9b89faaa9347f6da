package org.diff2dgs.train.optim;

/**
 * Log-linear learning-rate decay of 3DGS ({@code get_expon_lr_func}, from Plenoxels / JaxNeRF): lr(step) =
 * delay(step) * exp((1 - s) log lrInit + s log lrFinal) with s = clip(step / maxSteps, 0, 1), so lrInit at step 0 and
 * lrFinal from maxSteps on. With delaySteps &gt; 0 the rate is additionally eased in from lrInit * delayMult along a
 * quarter sine over the first delaySteps. A negative step, or lrInit = lrFinal = 0, gives 0 (parameter frozen).
 * Diff2DGS: position and deformation 1.6e-3 -&gt; 1.6e-5 over 4000 steps (the public 1.6e-4 times the spatial scale
 * 10), no delay (its delayMult 0.01 has no effect because delaySteps is 0).
 */
public record ExponentialLr(double lrInit, double lrFinal, int delaySteps, double delayMult, int maxSteps) {

    public ExponentialLr {
        if (!(lrInit >= 0) || !(lrFinal >= 0) || maxSteps <= 0) {
            throw new IllegalArgumentException("learning-rate schedule needs lr >= 0 and maxSteps > 0, got " + lrInit
                    + " -> " + lrFinal + " over " + maxSteps);
        }
        if ((lrInit == 0) != (lrFinal == 0)) {
            throw new IllegalArgumentException("exponential decay cannot start or end at 0: " + lrInit + " -> "
                    + lrFinal);
        }
    }

    /** lrInit to lrFinal over maxSteps, no delay. */
    public static ExponentialLr of(double lrInit, double lrFinal, int maxSteps) {
        return new ExponentialLr(lrInit, lrFinal, 0, 1.0, maxSteps);
    }

    public double at(int step) {
        if (step < 0 || (lrInit == 0 && lrFinal == 0)) {
            return 0;
        }
        double delay = 1;
        if (delaySteps > 0) {
            double s = Math.min(Math.max((double) step / delaySteps, 0), 1);
            delay = delayMult + (1 - delayMult) * Math.sin(0.5 * Math.PI * s);
        }
        double t = Math.min(Math.max((double) step / maxSteps, 0), 1);
        return delay * Math.exp(Math.log(lrInit) * (1 - t) + Math.log(lrFinal) * t);
    }
}
