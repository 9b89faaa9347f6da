package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.diff2dgs.cuda.internal.parity.CheckResult;
import org.diff2dgs.cuda.internal.parity.KernelChecks;
import org.diff2dgs.cuda.internal.parity.RelativeError;
import org.junit.jupiter.api.Test;

/** The parity measure: relative to each reference value, with a floor near zero; non-finite values always fail. */
class RelativeErrorTest {

    @Test
    void relativeToTheReferenceWithAFloor() {
        SplittableRandom r = new SplittableRandom(5);
        float[] cpu = new float[100];
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] = (float) (r.nextDouble() * 2 + 1);
        }
        cpu[3] = 10f;   // largest magnitude: floor = 1e-3 * 10 = 0.01
        cpu[7] = 0f;    // near zero: measured against the floor
        float[] gpu = cpu.clone();
        gpu[5] = cpu[5] * 1.00002f;
        assertEquals(2e-5, RelativeError.max(gpu, cpu), 1e-6);
        gpu[7] = 0.0005f;
        assertEquals(0.05, RelativeError.max(gpu, cpu), 1e-6);
    }

    @Test
    void nonFiniteOrMismatchedFails() {
        float[] cpu = {1f, 2f, 3f};
        assertEquals(Double.POSITIVE_INFINITY, RelativeError.max(new float[] {1f, Float.NaN, 3f}, cpu));
        assertEquals(Double.POSITIVE_INFINITY, RelativeError.max(new float[] {1f, 2f}, cpu));
        assertEquals(false, CheckResult.of("x", Double.NaN, 1e-4, "").passed());
        assertEquals(true, CheckResult.of("x", 5e-5, 1e-4, "").passed());
    }

    @Test
    void everyCheckHasADistinctName() {
        var names = KernelChecks.all().stream().map(c -> c.name()).toList();
        assertEquals(names.size(), names.stream().distinct().count(), names.toString());
    }
}
