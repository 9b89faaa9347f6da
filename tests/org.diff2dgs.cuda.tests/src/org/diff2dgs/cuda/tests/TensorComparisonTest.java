package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.diff2dgs.cuda.internal.parity.RelativeError;
import org.diff2dgs.cuda.internal.parity.TensorComparison;
import org.junit.jupiter.api.Test;

/** The session parity report's per-tensor table: error as RelativeError, floor, bit and sign counts, worst row. */
class TensorComparisonTest {

    @Test
    void countsBitsSignsAndTheFloor() {
        SplittableRandom r = new SplittableRandom(41);
        float[] cpu = new float[1000];
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] = (float) (r.nextDouble() * 4 - 2);
        }
        cpu[7] = 3.5f;
        float[] gpu = cpu.clone();
        gpu[3] = Math.nextUp(gpu[3]);
        gpu[10] = -gpu[10];
        gpu[20] = gpu[20] * 1.01f;
        TensorComparison t = new TensorComparison();
        TensorComparison.Row a = t.add("a", gpu, cpu);
        assertEquals(3, a.notBitEqual());
        assertEquals(1, a.signChanged());
        assertEquals(1000, a.count());
        assertEquals(3.5 * RelativeError.DEFAULT_FLOOR, a.floor(), 1e-12);
        assertEquals(RelativeError.max(gpu, cpu), a.maxRelError());
        TensorComparison.Row b = t.add("b", cpu.clone(), cpu);
        assertEquals(0, b.notBitEqual());
        assertEquals(0.0, b.maxRelError());
        assertEquals("a", t.worst().name());
        String text = t.format("  ");
        assertEquals(3, text.split("\n").length);
        assertTrue(text.lines().allMatch(l -> l.startsWith("  ")), text);
    }

    @Test
    void differentLengthsAreTheWorst() {
        TensorComparison t = new TensorComparison();
        t.add("same", new float[] {1, 2}, new float[] {1, 2.5f});
        t.add("short", new float[] {1}, new float[] {1, 2});
        assertEquals("short", t.worst().name());
        assertEquals(Double.POSITIVE_INFINITY, t.worst().maxRelError());
        assertEquals(2, t.worst().notBitEqual());
    }
}
