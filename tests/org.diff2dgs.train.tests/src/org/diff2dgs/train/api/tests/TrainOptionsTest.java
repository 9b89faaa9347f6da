package org.diff2dgs.train.api.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.train.api.EffectiveConfig;
import org.diff2dgs.train.api.TrainOptions;
import org.junit.jupiter.api.Test;

/** The published preset against the published code (docs/reconstruction.md), and what our CPU preset changes. */
class TrainOptionsTest {

    @Test
    void publishedPresetHasThePublishedRatesAfterScaling() {
        EffectiveConfig c = EffectiveConfig.of(TrainOptions.published());
        assertEquals(3000, c.iterations());
        // 1.6e-4 x spatial scale 10, decaying to 1.6e-6 x 10 over 4000 steps
        assertEquals(new EffectiveConfig.Decay(1.6e-3, 1.6e-5, 4000), c.lr().position());
        assertEquals(new EffectiveConfig.Decay(1.6e-3, 1.6e-5, 4000), c.lr().deformation());
        assertEquals(2.5e-3, c.lr().shDc());
        assertEquals(1.25e-4, c.lr().shRest());
        assertEquals(0.05, c.lr().opacity());
        assertEquals(5e-3, c.lr().scale());
        assertEquals(1e-3, c.lr().rotation());
        assertEquals(1e-15, c.lr().adamEps());
        assertFalse(c.lr().stepOnDensify());
    }

    @Test
    void publishedLossIsL1PlusAdaptiveInverseDepthOnly() {
        EffectiveConfig.Losses l = EffectiveConfig.of(TrainOptions.published()).loss();
        assertEquals(1.0, l.l1());
        assertEquals(0.0, l.dssim());
        assertEquals("adaptive", l.depth());
        assertEquals(new EffectiveConfig.AdaptiveDepth(10, 0.8, 0.25, 1, 10), l.depthRule());
        assertEquals(0.0, l.normal());
        assertEquals(0.0, l.distortion());
        assertFalse(EffectiveConfig.of(TrainOptions.published()).maskInstruments());
    }

    @Test
    void publishedDensificationRunsFrom600Every100ToTheEndWithSizeLimitOneTenth() {
        EffectiveConfig.Densify d = EffectiveConfig.of(TrainOptions.published()).densify();
        assertEquals(600, d.first());
        assertEquals(2900, d.last());
        assertEquals(100, d.every());
        assertEquals(2e-4, d.gradThreshold());
        assertEquals(0.1, d.sizeLimit());
        assertEquals(0.005, d.pruneOpacity());
        assertEquals(400_000, d.maxSurfels());
    }

    @Test
    void depthWeightIsAFixedWeightOrTheAdaptiveStartAndNoneIsZero() {
        TrainOptions fixed = TrainOptions.published().with(Map.of("depthWeighting", "fixed", "depthWeight", 2.5));
        assertEquals(2.5, EffectiveConfig.of(fixed).loss().depth());
        assertNull(EffectiveConfig.of(fixed).loss().depthRule());
        TrainOptions adaptive = TrainOptions.published().with(Map.of("depthWeight", 5));
        assertEquals(5.0, EffectiveConfig.of(adaptive).loss().depthRule().initial());
        assertEquals(0.0, EffectiveConfig.of(TrainOptions.published().with(Map.of("depthWeighting", "none")))
                .loss().depth());
    }

    @Test
    void cpuPresetDiffersOnlyInItsScheduleAndTheNamedDifferences() {
        TrainOptions pub = TrainOptions.published();
        TrainOptions cpu = TrainOptions.cpu();
        Set<String> differing = new TreeSet<>();
        for (RecordComponent rc : TrainOptions.class.getRecordComponents()) {
            try {
                if (!rc.getAccessor().invoke(pub).equals(rc.getAccessor().invoke(cpu))) {
                    differing.add(rc.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        Set<String> expected = new TreeSet<>(Set.of("iterations", "densifyFrom", "densifyUntil",
                "shIncreaseInterval", "normalFromIteration", "checkpointInterval", "maxSurfels"));
        expected.addAll(TrainOptions.CPU_DIFFERENCES.keySet());
        assertEquals(expected, differing);
        assertEquals(cpu, pub.with(Map.of("iterations", 1000, "densifyFrom", 200, "densifyUntil", 1000,
                "shIncreaseInterval", 250, "normalFromIteration", 400, "checkpointInterval", 250, "maxSurfels",
                60_000)).with(TrainOptions.CPU_DIFFERENCES));
    }

    @Test
    void builderAndNamedOverridesAgree() {
        TrainOptions a = TrainOptions.builder().iterations(123).lambdaDssim(0.2).initRotation("depth-normal").build();
        TrainOptions b = TrainOptions.published().with(Map.of("iterations", 123, "lambdaDssim", 0.2,
                "initRotation", "depth-normal"));
        assertEquals(a, b);
        assertEquals(a, a.toBuilder().build());
        assertEquals(a, TrainOptions.builder().with(Map.of("iterations", 123, "lambdaDssim", 0.2, "initRotation",
                "depth-normal")).build());
    }

    @Test
    void badValuesAndUnknownNamesAreUserErrors() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> TrainOptions.published().with(Map.of("frameOrder", "sorted")));
        assertTrue(e.getMessage().contains("frameOrder"), e.getMessage());
        e = assertThrows(UserInputException.class, () -> TrainOptions.published().with(Map.of("iteratons", 5)));
        assertTrue(e.getMessage().contains("unknown training option 'iteratons'"), e.getMessage());
        assertThrows(UserInputException.class,
                () -> TrainOptions.published().with(Map.of("depthWeightMin", 20.0)));
        assertThrows(UserInputException.class, () -> TrainOptions.preset("fast"));
    }

    /**
     * NaN and infinities, as numbers (batch YAML's .nan, .inf) or as --set text, are refused for every numeric option:
     * NaN passed the range checks that compare (pruneOpacity=NaN trained), Infinity reached EffectiveConfig as an
     * internal error (exit 2).
     */
    @Test
    void nonFiniteNumbersAreUserErrorsForEveryNumericOption() {
        java.util.Random random = new java.util.Random(31);
        int numeric = 0;
        for (RecordComponent c : TrainOptions.class.getRecordComponents()) {
            if (c.getType() != double.class && c.getType() != int.class && c.getType() != long.class) {
                continue;
            }
            numeric++;
            for (Object bad : new Object[] { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY }) {
                UserInputException e = assertThrows(UserInputException.class,
                        () -> TrainOptions.published().with(Map.of(c.getName(), bad)), c.getName() + "=" + bad);
                assertTrue(e.getMessage().contains(c.getName()) && e.getMessage().contains("finite"), e.getMessage());
                e = assertThrows(UserInputException.class, () -> org.diff2dgs.core.io.RecordOverrides.apply(
                        TrainOptions.published(), c.getName(), bad.toString(), "training"), c.getName() + "=" + bad);
                assertTrue(e.getMessage().contains(c.getName()) && e.getMessage().contains("finite"), e.getMessage());
            }
        }
        assertTrue(numeric > 30, "numeric options: " + numeric);
        // finite values still pass, as numbers and as text
        double prune = 0.001 + 0.1 * random.nextDouble();
        assertEquals(prune, TrainOptions.published().with(Map.of("pruneOpacity", prune)).pruneOpacity());
        assertEquals(prune, org.diff2dgs.core.io.RecordOverrides.apply(TrainOptions.published(), "pruneOpacity",
                Double.toString(prune), "training").pruneOpacity());
    }

    @Test
    void sizeLimitFromTheCloudIsNamedNotComputed() {
        TrainOptions o = TrainOptions.published().with(Map.of("sceneExtent", 0));
        assertTrue(Double.isNaN(o.densifySizeLimit()));
        assertEquals("0.01 x extent of the initial cloud", EffectiveConfig.of(o).densify().sizeLimit());
    }
}
