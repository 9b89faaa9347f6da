package org.diff2dgs.cuda.internal.parity;

import static org.diff2dgs.cuda.internal.parity.ParityCase.download;
import static org.diff2dgs.cuda.internal.parity.ParityCase.uniform;

import java.util.List;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.parity.ParityCase.Outcome;
import org.diff2dgs.cuda.internal.parity.ParityCase.Worst;
import org.diff2dgs.cuda.internal.train.LossScalars;
import org.diff2dgs.cuda.internal.train.Losses;
import org.diff2dgs.train.loss.DepthDistortionLoss;
import org.diff2dgs.train.loss.DepthWeightSchedule;
import org.diff2dgs.train.loss.InverseDepthLoss;
import org.diff2dgs.train.loss.NormalConsistencyLoss;
import org.diff2dgs.train.loss.PhotometricLoss;
import org.diff2dgs.train.loss.RenderedDepth;

/**
 * cuda/losses.cu against the loss classes of org.diff2dgs.train.loss on a random render of a smooth surface (alpha
 * with holes, expected depth varying across the image, normals facing the camera), a target with noise, a depth map
 * with missing measurements, and an instrument mask of rectangles. The image size is not a multiple of any block
 * size. Gradients are added onto random existing values (the kernels add, as the Java classes do).
 */
final class LossChecks {

    private static final int W = 157;
    private static final int H = 121;

    private LossChecks() {
    }

    static List<KernelCheck> all() {
        String size = " " + W + "x" + H;
        return List.of(
                ParityCase.check("loss_color+ssim lambda 0.2 masked" + size, ParityCase.GRADIENT,
                        (cuda, r) -> photometric(cuda, r, 0.2, true)),
                ParityCase.check("loss_color+ssim lambda 0.2 unmasked" + size, ParityCase.GRADIENT,
                        (cuda, r) -> photometric(cuda, r, 0.2, false)),
                ParityCase.check("loss_color L1 only masked" + size, ParityCase.GRADIENT,
                        (cuda, r) -> photometric(cuda, r, 0, true)),
                ParityCase.check("loss_depth adaptive weight masked" + size, ParityCase.GRADIENT,
                        (cuda, r) -> depth(cuda, r)),
                ParityCase.check("loss_normal masked" + size, ParityCase.GRADIENT, (cuda, r) -> normal(cuda, r)),
                ParityCase.check("loss_distortion masked" + size, ParityCase.GRADIENT,
                        (cuda, r) -> distortion(cuda, r)));
    }

    /** A random render and its targets. */
    private record Scene(RenderOutput render, FloatImage target, FloatImage depth, FloatImage mask, double maskSum) {
    }

    private static Scene scene(SplittableRandom r) {
        int n = W * H;
        float[] color = uniform(r, 3 * n, -0.1, 1.1);
        float[] target = uniform(r, 3 * n, 0, 1);
        for (int i = 0; i < 3 * n; i++) {
            // correlated with the render so that SSIM is far from 0
            target[i] = (float) Math.min(1, Math.max(0, 0.7 * color[i] + 0.3 * target[i]));
        }
        float[] others = new float[RenderOutput.AUX_CHANNELS * n];
        float[] depth = new float[n];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = y * W + x;
                double z = 2 + 0.5 * Math.sin(x / 17.0) + 0.3 * Math.cos(y / 13.0) + 0.01 * r.nextDouble();
                double alpha = r.nextDouble() < 0.05 ? 0 : 0.2 + 0.8 * r.nextDouble();
                others[RenderOutput.AUX_DEPTH * n + i] = (float) (alpha * z);
                others[RenderOutput.AUX_ALPHA * n + i] = (float) alpha;
                double nx = r.nextDouble() - 0.5;
                double ny = r.nextDouble() - 0.5;
                double nz = -1 - r.nextDouble();
                double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
                others[RenderOutput.AUX_NORMAL * n + i] = (float) (alpha * nx / len);
                others[(RenderOutput.AUX_NORMAL + 1) * n + i] = (float) (alpha * ny / len);
                others[(RenderOutput.AUX_NORMAL + 2) * n + i] = (float) (alpha * nz / len);
                others[RenderOutput.AUX_MEDIAN_DEPTH * n + i] = (float) z;
                others[RenderOutput.AUX_DISTORTION * n + i] = (float) (0.01 * r.nextDouble());
                depth[i] = r.nextDouble() < 0.1 ? 0f : (float) (z * (0.9 + 0.2 * r.nextDouble()));
            }
        }
        float[] mask = new float[n];
        java.util.Arrays.fill(mask, 1f);
        for (int k = 0; k < 3; k++) {
            int x0 = r.nextInt(W - 20);
            int y0 = r.nextInt(H - 20);
            for (int y = y0; y < y0 + 20 + r.nextInt(20) && y < H; y++) {
                for (int x = x0; x < x0 + 30 && x < W; x++) {
                    mask[y * W + x] = 0f;
                }
            }
        }
        double maskSum = 0;
        for (float v : mask) {
            maskSum += v;
        }
        return new Scene(new RenderOutput(W, H, color, others, new int[0], null), new FloatImage(W, H, 3, target),
                new FloatImage(W, H, 1, depth), new FloatImage(W, H, 1, mask), maskSum);
    }

    private static Outcome photometric(CudaContext cuda, SplittableRandom r, double lambda, boolean masked) {
        Scene s = scene(r);
        FloatImage mask = masked ? s.mask() : null;
        int n = W * H;
        double weight = 0.5 + r.nextDouble();
        float[] dColor = uniform(r, 3 * n, -1e-5, 1e-5);
        double total = masked ? 3 * s.maskSum() : 3.0 * n;
        try (Losses losses = new Losses(cuda, W, H);
                DeviceBuffer color = cuda.upload(s.render().color(), "colour");
                DeviceBuffer target = cuda.upload(s.target().data(), "target");
                DeviceBuffer m = masked ? cuda.upload(s.mask().data(), "mask") : null;
                DeviceBuffer grad = cuda.upload(dColor, "dColor")) {
            losses.begin();
            losses.color(color, target, m, 1, (float) ((1 - lambda) * weight / total), grad);
            if (lambda > 0) {
                losses.ssim(color, target, m, 1, total, -lambda * weight, grad);
            }
            losses.finish(new Losses.Totals(total, total, masked ? s.maskSum() : n), 10,
                    Losses.DepthRule.fixed(1), 0);
            LossScalars gpu = losses.scalars();
            PhotometricLoss.Value cpu = new PhotometricLoss(lambda).addGradient(s.render(), s.target(), mask, weight,
                    dColor);
            Worst worst = new Worst().scalar("L1", gpu.get(LossScalars.L1), cpu.l1())
                    .scalar("PSNR", gpu.get(LossScalars.PSNR), maskedPsnr(s.render().color(), s.target(), mask))
                    .tensor("colour gradient", download(grad, 3 * n), dColor);
            if (lambda > 0) {
                worst.scalar("SSIM", gpu.get(LossScalars.SSIM), cpu.ssim());
            }
            return worst.outcome(String.format(java.util.Locale.ROOT, "L1 %.6f SSIM %.6f", cpu.l1(), cpu.ssim()));
        }
    }

    /** Trainer.maskedPsnr (package-private there): clamped colour, pixels with mask below 0.5 left out. */
    private static double maskedPsnr(float[] rendered, FloatImage target, FloatImage mask) {
        int plane = target.pixels();
        double se = 0;
        long count = 0;
        float[] t = target.data();
        for (int i = 0; i < plane; i++) {
            if (mask != null && mask.data()[i] < 0.5f) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                double e = Math.min(1f, Math.max(0f, rendered[c * plane + i])) - t[c * plane + i];
                se += e * e;
            }
            count += 3;
        }
        double mse = se / Math.max(1, count);
        return mse <= 0 ? 100 : -10 * Math.log10(mse);
    }

    private static Outcome depth(CudaContext cuda, SplittableRandom r) {
        Scene s = scene(r);
        int n = W * H;
        int iteration = 1 + r.nextInt(3000);
        double progress = iteration / 3000.0;
        DepthWeightSchedule.Options options = DepthWeightSchedule.Options.diff2dgs();
        float[] dOthers = uniform(r, RenderOutput.AUX_CHANNELS * n, -1e-5, 1e-5);
        try (Losses losses = new Losses(cuda, W, H);
                DeviceBuffer color = cuda.upload(s.render().color(), "colour");
                DeviceBuffer target = cuda.upload(s.target().data(), "target");
                DeviceBuffer others = cuda.upload(s.render().others(), "others");
                DeviceBuffer depth = cuda.upload(s.depth().data(), "depth");
                DeviceBuffer m = cuda.upload(s.mask().data(), "mask");
                DeviceBuffer grad = cuda.upload(dOthers, "dOthers")) {
            losses.begin();
            losses.color(color, target, m, 1, 0f, null);
            losses.depth(others, depth, m, 0);
            losses.finish(new Losses.Totals(3 * s.maskSum(), 0, s.maskSum()), 10,
                    new Losses.DepthRule(true, options.fixedWeight(), options.initialWeight(), options.alpha(),
                            options.beta(), options.minWeight(), options.maxWeight()), progress);
            losses.depthGradient(others, depth, m, 0, grad);
            LossScalars gpu = losses.scalars();
            double l1 = new PhotometricLoss(0).value(s.render(), s.target(), s.mask()).l1();
            InverseDepthLoss loss = new InverseDepthLoss();
            double value = loss.value(s.render(), s.depth(), s.mask());
            double weight = new DepthWeightSchedule(options).weight(iteration, 3000, l1, value);
            loss.addGradient(s.render(), s.depth(), s.mask(), weight, dOthers);
            return new Worst().scalar("depth loss", gpu.get(LossScalars.DEPTH), value)
                    .scalar("depth weight", gpu.get(LossScalars.DEPTH_WEIGHT), weight)
                    .tensor("auxiliary gradient", download(grad, RenderOutput.AUX_CHANNELS * n), dOthers)
                    .outcome(String.format(java.util.Locale.ROOT, "iteration %d loss %.6f weight %.4f", iteration,
                            value, weight));
        }
    }

    private static Outcome normal(CudaContext cuda, SplittableRandom r) {
        Scene s = scene(r);
        int n = W * H;
        double f = 100 + 50 * r.nextDouble();
        Intrinsics intrinsics = new Intrinsics(f, f * 1.01, W / 2.0 + 0.3, H / 2.0 - 0.2, W, H);
        double weight = 0.05 + r.nextDouble();
        float[] dOthers = uniform(r, RenderOutput.AUX_CHANNELS * n, -1e-5, 1e-5);
        try (Losses losses = new Losses(cuda, W, H);
                DeviceBuffer others = cuda.upload(s.render().others(), "others");
                DeviceBuffer m = cuda.upload(s.mask().data(), "mask");
                DeviceBuffer grad = cuda.upload(dOthers, "dOthers")) {
            losses.begin();
            losses.normal(others, m, 0, new double[] {intrinsics.fx(), intrinsics.fy(), intrinsics.cx(),
                intrinsics.cy()}, weight / s.maskSum(), grad);
            losses.finish(new Losses.Totals(0, 0, s.maskSum()), 10, Losses.DepthRule.fixed(1), 0);
            LossScalars gpu = losses.scalars();
            double value = new NormalConsistencyLoss(intrinsics, RenderedDepth.EXPECTED).addGradient(s.render(),
                    s.mask(), weight, dOthers);
            return new Worst().scalar("normal loss", gpu.get(LossScalars.NORMAL), value)
                    .tensor("auxiliary gradient", download(grad, RenderOutput.AUX_CHANNELS * n), dOthers)
                    .outcome(String.format(java.util.Locale.ROOT, "loss %.6f", value));
        }
    }

    private static Outcome distortion(CudaContext cuda, SplittableRandom r) {
        Scene s = scene(r);
        int n = W * H;
        double weight = 0.05 + r.nextDouble();
        float[] dOthers = uniform(r, RenderOutput.AUX_CHANNELS * n, -1e-5, 1e-5);
        try (Losses losses = new Losses(cuda, W, H);
                DeviceBuffer others = cuda.upload(s.render().others(), "others");
                DeviceBuffer m = cuda.upload(s.mask().data(), "mask");
                DeviceBuffer grad = cuda.upload(dOthers, "dOthers")) {
            losses.begin();
            losses.distortion(others, m, (float) (weight / s.maskSum()), grad);
            losses.finish(new Losses.Totals(0, 0, s.maskSum()), 10, Losses.DepthRule.fixed(1), 0);
            LossScalars gpu = losses.scalars();
            double value = new DepthDistortionLoss().addGradient(s.render(), s.mask(), weight, dOthers);
            return new Worst().scalar("distortion loss", gpu.get(LossScalars.DISTORTION), value)
                    .tensor("auxiliary gradient", download(grad, RenderOutput.AUX_CHANNELS * n), dOthers)
                    .outcome(String.format(java.util.Locale.ROOT, "loss %.6f", value));
        }
    }
}
