package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diff2dgs.cuda.internal.raster.Capacity;
import org.junit.jupiter.api.Test;

class CapacityTest {

    @Test
    void keepsWhatIsEnoughAndGrowsByHalf() {
        assertEquals(100, Capacity.grow(100, 40));
        assertEquals(100, Capacity.grow(100, 100));
        assertEquals(150, Capacity.grow(100, 101));
        assertEquals(1000, Capacity.grow(100, 1000));
        assertEquals(1, Capacity.grow(0, 0), "never a zero-byte allocation");
        assertThrows(IllegalArgumentException.class, () -> Capacity.grow(10, -1));
    }

    @Test
    void slowGrowthReallocatesLogarithmicallyOften() {
        long have = 0;
        int reallocations = 0;
        for (long need = 1; need <= 1_000_000; need += 997) {
            long next = Capacity.grow(have, need);
            assertTrue(next >= need);
            if (next != have) {
                reallocations++;
            }
            have = next;
        }
        assertTrue(reallocations < 40, reallocations + " reallocations");
    }
}
