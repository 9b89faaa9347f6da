package org.diff2dgs.deform.tests.perf;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.deform.internal.GaussianBasisModel;
import org.diff2dgs.deform.internal.MlpModel;
import org.diff2dgs.deform.internal.SmoothGaussianBasisModel;
import org.diff2dgs.train.optim.Adam;

/**
 * Times deform, backward and the Adam step of the deformation models per training iteration (not a test: run it by
 * hand; pin it with {@code taskset -c 0,1 java -XX:ActiveProcessorCount=2 ...} to see the 2-core budget).
 *
 * <pre>
 *   java -cp ... org.diff2dgs.deform.tests.perf.DeformationBenchmark [surfels=100000] [iterations=20]
 * </pre>
 *
 * The Gaussian-basis models are timed twice: as created (narrow bases, one or two active per channel at any t) and
 * with widths 0.03..0.08 as after a few hundred iterations (more bases active, more exponentials). Reports medians.
 */
public final class DeformationBenchmark {

    private DeformationBenchmark() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.printf(Locale.ROOT, "deformation models, %d surfels, %d cores, Java %s%n", n,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf(Locale.ROOT, "%-32s %10s %12s %10s%n", "model", "deform ms", "backward ms", "Adam ms");
        SplittableRandom rnd = new SplittableRandom(42);
        GaussianModel m = GaussianModel.allocate(n, 0);
        for (int i = 0; i < 3 * n; i++) {
            m.positions()[i] = (float) (2 * rnd.nextDouble() - 1);
        }
        for (int i = 0; i < n; i++) {
            m.rotations()[4 * i] = 1;
        }
        float[][] up = {gaussian(rnd, 3 * n), gaussian(rnd, 4 * n), gaussian(rnd, 2 * n)};
        for (DeformationModel model : new DeformationModel[] {new GaussianBasisModel(),
                new SmoothGaussianBasisModel(), new MlpModel()}) {
            DeformationField f = model.create(m, 1);
            randomizeMlpOutput(f, rnd);
            run(model.name() + " (as created)", f, m, up, iterations);
            if (!model.name().equals(MlpModel.NAME)) {
                widen(f.parameters().get(0).value(), rnd);
                run(model.name() + " (widths 0.03-0.08)", f, m, up, iterations);
            }
        }
    }

    private static void run(String label, DeformationField f, GaussianModel m, float[][] up, int iterations) {
        int n = m.count();
        float[] pos = new float[3 * n];
        float[] rot = new float[4 * n];
        float[] sc = new float[2 * n];
        Adam adam = new Adam();
        for (Parameter p : f.parameters()) {
            adam.add(p, 1e-4);
        }
        double[] fwd = new double[iterations];
        double[] bwd = new double[iterations];
        double[] opt = new double[iterations];
        for (int it = -3; it < iterations; it++) {
            double t = ((it + 3) * 0.137) % 1.0;
            long t0 = System.nanoTime();
            f.deform(t, m, pos, rot, sc);
            long t1 = System.nanoTime();
            f.backward(t, m, up[0], up[1], up[2]);
            long t2 = System.nanoTime();
            adam.stepAndZeroGrad();
            long t3 = System.nanoTime();
            if (it >= 0) {
                fwd[it] = (t1 - t0) / 1e6;
                bwd[it] = (t2 - t1) / 1e6;
                opt[it] = (t3 - t2) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "%-32s %10.1f %12.1f %10.1f%n", label, median(fwd), median(bwd), median(opt));
    }

    private static void widen(float[] v, SplittableRandom rnd) {
        int b = 17;
        for (int row = 0; row < v.length; row += 3 * b) {
            for (int k = 0; k < b; k++) {
                v[row + k] = (float) (0.01 * rnd.nextGaussian());
                v[row + 2 * b + k] = (float) (0.03 + 0.05 * rnd.nextDouble());
            }
        }
    }

    private static void randomizeMlpOutput(DeformationField f, SplittableRandom rnd) {
        for (Parameter p : f.parameters()) {
            if (p.name().equals("mlp.w3")) {
                for (int i = 0; i < p.value().length; i++) {
                    p.value()[i] = (float) (0.1 * rnd.nextGaussian());
                }
            }
        }
    }

    private static float[] gaussian(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
