package org.diff2dgs.cuda.internal.parity;

import static org.diff2dgs.cuda.internal.parity.ParityCase.download;
import static org.diff2dgs.cuda.internal.parity.ParityCase.downloadInts;
import static org.diff2dgs.cuda.internal.parity.ParityCase.toFloat;
import static org.diff2dgs.cuda.internal.parity.ParityCase.uniform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.parity.ParityCase.Outcome;
import org.diff2dgs.cuda.internal.parity.ParityCase.Worst;
import org.diff2dgs.cuda.internal.train.DensifyKernels;
import org.diff2dgs.deform.internal.GaussianBasisField;
import org.diff2dgs.deform.internal.GaussianBasisModel;
import org.diff2dgs.train.internal.Densifier;
import org.diff2dgs.train.internal.SurfelParameters;
import org.diff2dgs.train.optim.Adam;

/**
 * cuda/densify.cu against Densifier: statistics (exact), and clone / split / prune of a whole model with its Adam
 * state and deformation coefficients. Gradient sums are multiples of 1e-4 over 1..3 visible iterations, so many mean
 * gradients tie (the cap's tie order by index is exercised); scales straddle the clone/split limit and the
 * large-surfel prune; a fifth of the opacities are below the prune threshold. Every gathered tensor must be
 * bit-equal; the split children's positions go through log, cos and exp of the device, whose last bit may differ from
 * Java's, hence {@link ParityCase#BITWISE} rather than 0.
 */
final class DensifyChecks {

    private static final int N = 6_007;
    private static final int SH = 16;
    private static final double THRESHOLD = 2e-4;
    private static final double MIN_OPACITY = 0.005;
    private static final double PERCENT_DENSE = 0.01;
    private static final double EXTENT = 2.0;

    private DensifyChecks() {
    }

    static List<KernelCheck> all() {
        return List.of(
                ParityCase.check("densify_accumulate " + N + " surfels", ParityCase.BITWISE, DensifyChecks::accumulate),
                ParityCase.check("densify clone/split/prune " + N + " surfels", ParityCase.BITWISE,
                        (cuda, r) -> densify(cuda, r, false, false)),
                ParityCase.check("densify clone/split/prune " + N + " surfels, cap, large prune", ParityCase.BITWISE,
                        (cuda, r) -> densify(cuda, r, true, true)),
                ParityCase.check("densify_reset_opacity " + N + " surfels", ParityCase.BITWISE,
                        DensifyChecks::resetOpacity));
    }

    private static Outcome accumulate(CudaContext cuda, SplittableRandom r) {
        Densifier.Statistics stats = randomStatistics(r);
        DensifyKernels kernels = new DensifyKernels(cuda);
        try (DeviceBuffer gs = cuda.upload(stats.gradientSum, "gradient sum");
                DeviceBuffer vc = cuda.upload(stats.visibleCount, "visible count");
                DeviceBuffer mr = cuda.upload(stats.maxRadius, "max radius");
                DeviceBuffer sg = cuda.allocate((long) N * Float.BYTES, "screen gradient");
                DeviceBuffer rd = cuda.allocate((long) N * Integer.BYTES, "radii")) {
            for (int it = 0; it < 3; it++) {
                float[] screen = uniform(r, N, 0, 1e-3);
                int[] radii = new int[N];
                for (int i = 0; i < N; i++) {
                    radii[i] = r.nextInt(4) == 0 ? 0 : r.nextInt(50);
                }
                sg.copyFrom(screen);
                rd.copyFrom(radii);
                kernels.accumulate(N, sg, rd, gs, vc, mr);
                stats.add(screen, radii, N);
            }
            return new Worst().tensor("gradient sum", download(gs, N), stats.gradientSum)
                    .tensor("visible count", toFloat(downloadInts(vc, N)), toFloat(stats.visibleCount))
                    .tensor("max radius", toFloat(downloadInts(mr, N)), toFloat(stats.maxRadius))
                    .outcome("3 iterations");
        }
    }

    private static Densifier.Statistics randomStatistics(SplittableRandom r) {
        Densifier.Statistics stats = new Densifier.Statistics(N);
        for (int i = 0; i < N; i++) {
            stats.visibleCount[i] = r.nextInt(4);
            stats.gradientSum[i] = stats.visibleCount[i] == 0 ? 0f : (float) (r.nextInt(8) * 1e-4);
            stats.maxRadius[i] = r.nextInt(40);
        }
        return stats;
    }

    private static GaussianModel randomModel(SplittableRandom r) {
        float[] logScales = new float[2 * N];
        for (int i = 0; i < 2 * N; i++) {
            // log-uniform over 0.002 .. 0.3: about a fifth below the clone limit 0.02, a sixth above the prune 0.2
            logScales[i] = (float) (Math.log(0.002) + Math.log(150) * r.nextDouble());
        }
        return new GaussianModel(N, 3, uniform(r, 3 * N, -1, 1), uniform(r, 4 * N, -1, 1), logScales,
                uniform(r, N, -7, 3), uniform(r, 3 * SH * N, -1, 1));
    }

    private static Outcome densify(CudaContext cuda, SplittableRandom r, boolean capped, boolean pruneLarge) {
        GaussianModel model = randomModel(r);
        int width = GaussianBasisField.CHANNELS * 3 * 17;
        float[] coefs = uniform(r, N * width, -1, 1);
        Densifier.Statistics stats = randomStatistics(r);
        long seed = r.nextLong();
        int maxSurfels = capped ? N + 300 : Integer.MAX_VALUE;

        // device copies of everything before the twin changes it
        SurfelParameters surfels = new SurfelParameters(copy(model));
        DeformationField field = new GaussianBasisModel().restore(N, Map.of(GaussianBasisField.PARAMETER, coefs));
        List<Parameter> parameters = new ArrayList<>(surfels.all());
        parameters.addAll(field.parameters());
        Adam adam = new Adam();
        Map<String, float[]> state = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            adam.add(p, 1e-3);
            state.put(p.name() + ".exp_avg", uniform(r, p.value().length, -1e-3, 1e-3));
            state.put(p.name() + ".exp_avg_sq", uniform(r, p.value().length, 0, 1e-6));
            state.put(p.name() + ".step", new float[] {10});
        }
        adam.restore(state);

        DensifyKernels kernels = new DensifyKernels(cuda);
        List<DeviceBuffer> held = new ArrayList<>();
        try {
            Map<String, DeviceBuffer> values = new LinkedHashMap<>();
            for (Parameter p : parameters) {
                values.put(p.name(), hold(held, cuda.upload(p.value(), p.name())));
            }
            DeviceBuffer gs = hold(held, cuda.upload(stats.gradientSum, "gradient sum"));
            DeviceBuffer vc = hold(held, cuda.upload(stats.visibleCount, "visible count"));
            DeviceBuffer mr = hold(held, cuda.upload(stats.maxRadius, "max radius"));
            Map<String, DeviceBuffer> moments = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> e : state.entrySet()) {
                if (!e.getKey().endsWith(".step")) {
                    moments.put(e.getKey(), hold(held, cuda.upload(e.getValue(), e.getKey())));
                }
            }
            DensifyKernels.Plan plan = kernels.plan(N, gs, vc, mr, values.get("logScales"),
                    values.get("opacityLogits"),
                    new DensifyKernels.Rules(THRESHOLD, MIN_OPACITY, PERCENT_DENSE, EXTENT, pruneLarge, maxSurfels));
            held.add(plan.source());
            held.add(plan.kind());

            Densifier.Result cpu = Densifier.densifyAndPrune(surfels, field, adam, stats, THRESHOLD, MIN_OPACITY,
                    PERCENT_DENSE, EXTENT, pruneLarge, maxSurfels, seed);

            Map<String, DeviceBuffer> gathered = new LinkedHashMap<>();
            for (Parameter p : parameters) {
                gathered.put(p.name(), hold(held, kernels.gather(plan, values.get(p.name()), p.width(), false,
                        "new " + p.name())));
            }
            kernels.placeChildren(plan, seed, gathered.get("positions"), gathered.get("rotations"),
                    gathered.get("logScales"));
            Worst worst = new Worst();
            List<Parameter> after = new ArrayList<>(cpu.surfels().all());
            after.addAll(cpu.field().parameters());
            Map<String, float[]> cpuState = adam.state();
            for (Parameter p : after) {
                int len = p.value().length;
                worst.tensor(p.name(), download(gathered.get(p.name()), Math.min(len, rows(plan, p))), p.value());
                for (String suffix : new String[] {".exp_avg", ".exp_avg_sq"}) {
                    String key = p.name() + suffix;
                    DeviceBuffer m = hold(held, kernels.gather(plan, moments.get(key), p.width(), true, key));
                    worst.tensor(key, download(m, Math.min(len, rows(plan, p))), cpuState.get(key));
                }
            }
            boolean countsAgree = plan.rows() == cpu.surfels().count() && plan.cloned() == cpu.cloned()
                    && plan.split() == cpu.split() && plan.pruned() == cpu.pruned();
            if (!countsAgree) {
                worst.scalar("row counts", Double.NaN, 0);
            }
            return worst.outcome(String.format(Locale.ROOT,
                    "gpu rows %d cloned %d split %d pruned %d, cpu rows %d cloned %d split %d pruned %d", plan.rows(),
                    plan.cloned(), plan.split(), plan.pruned(), cpu.surfels().count(), cpu.cloned(), cpu.split(),
                    cpu.pruned()));
        } finally {
            for (DeviceBuffer b : held) {
                b.close();
            }
        }
    }

    /** Values of a gathered tensor (its rows times the parameter's width). */
    private static int rows(DensifyKernels.Plan plan, Parameter p) {
        return plan.rows() * p.width();
    }

    private static Outcome resetOpacity(CudaContext cuda, SplittableRandom r) {
        GaussianModel model = randomModel(r);
        SurfelParameters surfels = new SurfelParameters(copy(model));
        Adam adam = new Adam();
        adam.add(surfels.all().get(3), 0.05);
        float[] m = uniform(r, N, -1, 1);
        float[] v = uniform(r, N, 0, 1);
        String name = surfels.all().get(3).name();
        adam.restore(Map.of(name + ".exp_avg", m, name + ".exp_avg_sq", v, name + ".step", new float[] {3}));
        DensifyKernels kernels = new DensifyKernels(cuda);
        try (DeviceBuffer logits = cuda.upload(model.opacityLogits(), "logits");
                DeviceBuffer dm = cuda.upload(m, "m"); DeviceBuffer dv = cuda.upload(v, "v")) {
            kernels.resetOpacity(N, logits, dm, dv);
            Densifier.resetOpacity(surfels, adam);
            Map<String, float[]> st = adam.state();
            return new Worst().tensor("opacity logits", download(logits, N), surfels.model().opacityLogits())
                    .tensor("exp_avg", download(dm, N), st.get(name + ".exp_avg"))
                    .tensor("exp_avg_sq", download(dv, N), st.get(name + ".exp_avg_sq"))
                    .outcome("cap logit(0.01)");
        }
    }

    private static GaussianModel copy(GaussianModel m) {
        return new GaussianModel(m.count(), m.shDegree(), m.positions().clone(), m.rotations().clone(),
                m.logScales().clone(), m.opacityLogits().clone(), m.sh().clone());
    }

    private static DeviceBuffer hold(List<DeviceBuffer> held, DeviceBuffer b) {
        held.add(b);
        return b;
    }
}
