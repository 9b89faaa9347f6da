package org.diff2dgs.app.headless.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.diff2dgs.app.headless.internal.Cli;
import org.diff2dgs.app.headless.tests.CommandLineTest.Result;
import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.MetricSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * A metric that throws is an error of the run (named, exit code 2); a metric that is unavailable (LPIPS without its
 * model file) is skipped with its reason in the table. The throwing metric is a lab's bundle in miniature: a Metric
 * service registered at run time, found by the catalog like any other.
 */
class MetricFailureTest {

    /** Throws on every frame, as a lab's metric with a bug would. */
    static final class ThrowingMetric implements Metric {
        @Override
        public String name() {
            return "always-throws";
        }

        @Override
        public String description() {
            return "a metric with a bug";
        }

        @Override
        public boolean higherIsBetter() {
            return true;
        }

        @Override
        public boolean needsDepth() {
            return false;
        }

        @Override
        public double compute(MetricSample sample) {
            throw new ArithmeticException("division by zero in the lab's code");
        }
    }

    @Test
    void aThrowingMetricFailsEvalWithItsNameAndAnUnavailableOneIsSkippedWithItsReason(@TempDir Path dir)
            throws Exception {
        Path scene = dir.resolve("scene");
        assertEquals(0, CommandLineTest.run("synth", scene.toString(), "--frames", "6", "--size", "32x24").code());
        Path run = dir.resolve("run");
        Result trained = CommandLineTest.run("train", scene.toString(), "--out", run.toString(), "--iterations", "10");
        assertEquals(0, trained.code(), trained.err());

        Result unknown = CommandLineTest.run("eval", run.toString(), "--protocol", "psnr-everything");
        assertEquals(Cli.USER_ERROR, unknown.code(), unknown.out() + unknown.err());
        assertTrue(unknown.err().contains("psnr-everything") && unknown.err().contains("installed: deform3dgs, "
                + "diff2dgs-code, masked-mean, occluded, visible-truth"), unknown.err());

        String previous = System.getProperty("d2dgs.lpips.model");
        System.setProperty("d2dgs.lpips.model", dir.resolve("no-such-lpips.onnx").toString());
        try {
            Result skipped = CommandLineTest.run("eval", run.toString(), "--protocol", "masked-mean", "--metric",
                    "psnr", "--metric", "lpips");
            assertEquals(0, skipped.code(), skipped.err());
            assertTrue(skipped.out().contains("skipped lpips (masked-mean): "), skipped.out());
            assertTrue(skipped.out().contains("no-such-lpips.onnx"), skipped.out());
        } finally {
            if (previous == null) {
                System.clearProperty("d2dgs.lpips.model");
            } else {
                System.setProperty("d2dgs.lpips.model", previous);
            }
        }

        BundleContext bc = FrameworkUtil.getBundle(MetricFailureTest.class).getBundleContext();
        ServiceRegistration<Metric> reg = bc.registerService(Metric.class, new ThrowingMetric(), null);
        try {
            Result failed = CommandLineTest.run("eval", run.toString(), "--protocol", "masked-mean", "--metric",
                    "psnr", "--metric", "always-throws");
            assertEquals(Cli.INTERNAL_ERROR, failed.code(), failed.out() + failed.err());
            assertTrue(failed.err().contains("metric 'always-throws' failed on frame"), failed.err());
            assertTrue(failed.err().contains("masked-mean") && failed.err().contains("division by zero"),
                    failed.err());
            // progress bars also go to stderr; the error itself is one line
            assertEquals(1, failed.err().lines().filter(l -> l.startsWith("d2dgs:")).count(), failed.err());
            assertFalse(failed.out().contains("always-throws"), "no table with a hole where the metric was");
        } finally {
            reg.unregister();
        }
    }
}
