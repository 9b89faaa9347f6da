package org.diff2dgs.train.internal.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.Parameter;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.train.internal.Densifier;
import org.diff2dgs.train.internal.SurfelParameters;
import org.diff2dgs.train.optim.Adam;
import org.junit.jupiter.api.Test;

/** Adaptive density control: which surfels are cloned, split and pruned, and that every tensor follows. */
class DensifierTest {

    /** A per-surfel field with one row parameter, enough to check reindexing. */
    record RowField(Parameter p) implements DeformationField {
        @Override
        public String modelName() {
            return "rows";
        }

        @Override
        public int surfelCount() {
            return p.rows();
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(p);
        }

        @Override
        public void deform(double t, GaussianModel c, float[] pos, float[] rot, float[] ls) {
            System.arraycopy(c.positions(), 0, pos, 0, pos.length);
        }

        @Override
        public void backward(double t, GaussianModel c, float[] dp, float[] dr, float[] ds) {
        }

        @Override
        public DeformationField reindex(int[] source) {
            float[] v = new float[source.length];
            for (int j = 0; j < source.length; j++) {
                v[j] = p.value()[source[j]];
            }
            return new RowField(new Parameter("w", source.length, 1, v, new float[source.length]));
        }
    }

    @Test
    void smallHotSurfelsAreClonedLargeOnesSplitTransparentOnesPruned() {
        int n = 6;
        GaussianModel m = PlyFormatTest.random(n, 1, 21);
        double extent = 10;
        for (int i = 0; i < n; i++) {
            m.rotations()[4 * i] = 1;
            m.rotations()[4 * i + 1] = 0;
            m.rotations()[4 * i + 2] = 0;
            m.rotations()[4 * i + 3] = 0;
            m.opacityLogits()[i] = SurfelParameters.logit(0.5);
            float s = (float) Math.log(i % 2 == 0 ? 0.01 : 0.5); // even: small (clone), odd: large (split)
            m.logScales()[2 * i] = s;
            m.logScales()[2 * i + 1] = s;
        }
        m.opacityLogits()[5] = SurfelParameters.logit(0.001); // transparent: pruned
        SurfelParameters s = new SurfelParameters(m);
        float[] w = {0, 1, 2, 3, 4, 5};
        DeformationField field = new RowField(new Parameter("w", n, 1, w, new float[n]));
        Adam adam = new Adam();
        s.all().forEach(p -> adam.add(p, 1e-3));
        adam.add(field.parameters().get(0), 1e-3);
        Densifier.Statistics stats = new Densifier.Statistics(n);
        // surfels 0 and 1 have a large mean gradient, the rest not
        float[] grad = {5e-4f, 5e-4f, 1e-5f, 1e-5f, 1e-5f, 1e-5f};
        int[] radii = {3, 3, 3, 3, 3, 3};
        stats.add(grad, radii, n);
        Densifier.Result r = Densifier.densifyAndPrune(s, field, adam, stats, 2e-4, 0.005, 0.01, extent, false, 1000, 7);
        assertEquals(1, r.cloned());
        assertEquals(1, r.split());
        assertEquals(1, r.pruned());
        // 6 + 1 clone + 2 children - 1 split parent - 1 pruned
        assertEquals(7, r.surfels().count());
        assertEquals(7, r.field().surfelCount());
        List<Float> sources = new ArrayList<>();
        for (float v : r.field().parameters().get(0).value()) {
            sources.add(v);
        }
        assertEquals(List.of(0f, 2f, 3f, 4f, 0f, 1f, 1f), sources, "survivors, clone of 0, two children of 1");
        // split children are smaller than their parent by 1/(0.8 * 2)
        float parent = (float) Math.log(0.5);
        float child = r.surfels().model().logScales()[2 * 5];
        assertEquals(parent - Math.log(1.6), child, 1e-5);
        // every optimizer state follows the new row count
        Map<String, float[]> st = adam.state();
        assertEquals(7 * 3, st.get("positions.exp_avg").length);
        assertEquals(7, st.get("w.exp_avg").length);
        assertTrue(r.surfels().model().positions()[3 * 5] != m.positions()[3 * 1], "children are displaced");
    }

    @Test
    void growthStopsAtTheSurfelBudget() {
        int n = 4;
        GaussianModel m = PlyFormatTest.random(n, 0, 5);
        for (int i = 0; i < n; i++) {
            m.opacityLogits()[i] = 0;
            m.logScales()[2 * i] = (float) Math.log(0.01);
            m.logScales()[2 * i + 1] = (float) Math.log(0.01);
        }
        SurfelParameters s = new SurfelParameters(m);
        DeformationField field = new RowField(new Parameter("w", n, 1, new float[n], new float[n]));
        Adam adam = new Adam();
        s.all().forEach(p -> adam.add(p, 1e-3));
        adam.add(field.parameters().get(0), 1e-3);
        Densifier.Statistics stats = new Densifier.Statistics(n);
        stats.add(new float[] {1e-3f, 2e-3f, 3e-3f, 4e-3f}, new int[] {1, 1, 1, 1}, n);
        Densifier.Result r = Densifier.densifyAndPrune(s, field, adam, stats, 2e-4, 0.005, 0.01, 10, false, 6, 1);
        assertEquals(6, r.surfels().count());
        assertEquals(2, r.cloned(), "only the two hottest surfels fit the budget");
    }

    /** No tensor can hold zero rows: pruning everything reports it and leaves surfels, field and Adam state as they were. */
    @Test
    void pruningEverySurfelIsReportedAndLeavesTheInputsAlone() {
        int n = 5;
        GaussianModel m = PlyFormatTest.random(n, 1, 13);
        for (int i = 0; i < n; i++) {
            m.opacityLogits()[i] = SurfelParameters.logit(0.001 + 0.0005 * i); // all below the 0.005 threshold
        }
        float[] positions = m.positions().clone();
        SurfelParameters s = new SurfelParameters(m);
        DeformationField field = new RowField(new Parameter("w", n, 1, new float[] {3, 1, 4, 1, 5}, new float[n]));
        Adam adam = new Adam();
        s.all().forEach(p -> adam.add(p, 1e-3));
        adam.add(field.parameters().get(0), 1e-3);
        Densifier.Statistics stats = new Densifier.Statistics(n);
        stats.add(new float[] {1e-5f, 2e-5f, 3e-5f, 4e-5f, 5e-5f}, new int[] {2, 2, 2, 2, 2}, n);
        Densifier.Result r = Densifier.densifyAndPrune(s, field, adam, stats, 2e-4, 0.005, 0.01, 10, false, 100, 3);
        assertTrue(r.prunedAll());
        assertEquals(n, r.pruned());
        assertEquals(0, r.cloned() + r.split());
        assertEquals(n, s.count());
        assertArrayEquals(positions, s.model().positions());
        assertEquals(n * 3, adam.state().get("positions.exp_avg").length);
        assertEquals(n, stats.visibleCount.length);
    }
}
