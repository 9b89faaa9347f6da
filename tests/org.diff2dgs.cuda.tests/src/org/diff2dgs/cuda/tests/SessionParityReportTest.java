package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.diff2dgs.cuda.internal.parity.CheckResult;
import org.diff2dgs.cuda.internal.parity.SessionParityCheck;
import org.diff2dgs.train.api.SessionSpec;
import org.junit.jupiter.api.Test;

/**
 * The session parity check without a GPU: the CPU session against other CPU sessions. The CPU session is
 * deterministic, so a second one opened from the reference's state at every iteration must agree bit for bit; one
 * whose start positions are one ulp off at every iteration (what any second implementation looks like) must pass the
 * stepwise verdict, while the same perturbation in a free-running pair is amplified far past 1e-3 (decision 0006).
 */
class SessionParityReportTest {

    private static final long SEED = 20261206L;

    @Test
    void twoCpuSessionsAgreeBitForBitAtEveryStepAndTheReportSaysWhere() {
        CheckResult r = SessionParityCheck.against(SEED, SessionParityCheck::cpuSession);
        String d = r.detail();
        assertTrue(r.passed(), d);
        assertEquals(0.0, r.maxRelError(), d);
        assertTrue(d.contains(" 0 of "), d);
        assertTrue(d.contains("densify cpu DensifyResult"), d);
        assertTrue(d.contains("after iteration 1, from the same state:"), d);
        assertTrue(d.contains("after iteration 30 and the density control, from the same state:"), d);
        assertTrue(d.contains("after iteration 50, from the same state:"), d);
        assertTrue(d.contains("adam positions.exp_avg"), d);
        assertEquals(50, d.lines().filter(l -> l.matches("\\s+\\d+ \\d.*")).count(), d);
    }

    @Test
    void aLastBitDifferenceAtEveryStepStaysWithinTheStepwiseTolerance() {
        CheckResult r = SessionParityCheck.against(SEED, SessionParityCheck::cpuSessionOneUlpUp);
        System.out.println("one ulp at every step, CPU against CPU, stepwise: " + r.maxRelError() + "\n" + r.detail());
        assertTrue(r.maxRelError() > 0, r.detail());
        assertTrue(r.passed(), r.detail());
    }

    /** A systematic difference (one loss weight 20 % off, as a kernel that forgot a factor would be) fails. */
    @Test
    void aSessionWithAWrongLossWeightFails() {
        CheckResult r = SessionParityCheck.against(SEED, spec -> SessionParityCheck.cpuSession(new SessionSpec(
                spec.sequence(), spec.trainFrames(), spec.lossMasks(), spec.options().with(Map.of("normalWeight",
                        0.06)), spec.start(), spec.deformationModel(), spec.extent())));
        assertFalse(r.passed(), r.detail());
        assertTrue(r.detail().contains(" over"), r.detail());
    }

    @Test
    void aLastBitDifferenceInAFreeRunningPairIsAmplifiedAndReported() {
        String report = SessionParityCheck.freeRunning(SEED, SessionParityCheck::cpuSessionOneUlpUp, "one ulp");
        System.out.println(report);
        double worst = Double.parseDouble(report.replaceFirst("(?s).*?one ulp: worst (\\S+) .*", "$1"));
        assertTrue(worst > 1e-3, report);
        assertTrue(report.contains("after iteration 1:"), report);
    }
}
