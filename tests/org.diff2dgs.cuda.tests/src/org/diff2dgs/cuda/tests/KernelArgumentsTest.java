package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.diff2dgs.cuda.internal.driver.KernelArguments;
import org.diff2dgs.cuda.internal.driver.KernelArguments.Kind;
import org.junit.jupiter.api.Test;

import jcuda.driver.CUdeviceptr;

/** Boxed kernel arguments map to the C parameter types, and anything a kernel cannot take is refused by index. */
class KernelArgumentsTest {

    @Test
    void boxedValuesMapToTheirCTypes() {
        Kind[] kinds = KernelArguments.kinds(new CUdeviceptr(), 7, 7L, 0.5f, 0.25, null);
        assertArrayEquals(new Kind[] {Kind.POINTER, Kind.INT, Kind.LONG, Kind.FLOAT, Kind.DOUBLE, Kind.POINTER},
                kinds);
    }

    @Test
    void hostArraysAndOtherTypesAreRefusedWithTheirIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelArguments.kinds(1, new float[] {1f}));
        assertTrue(e.getMessage().contains("argument 1") && e.getMessage().contains("uploaded"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KernelArguments.kinds((short) 3));
        assertTrue(e.getMessage().contains("argument 0") && e.getMessage().contains("Short"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelArguments.kinds(true));
    }
}
