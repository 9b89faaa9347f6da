package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Pose;
import org.diff2dgs.cuda.internal.raster.CameraArgs;
import org.junit.jupiter.api.Test;

class CameraArgsTest {

    /** The order of CAMERA_PARAMS in raster_common.cuh: fx fy cx cy r0..r8 t0..t2 width height. */
    @Test
    void matchesTheKernelParameterOrder() {
        double[] r = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
        double[] t = {1.5, 2.5, 3.5};
        Camera c = new Camera(new Intrinsics(100, 110, 50.5, 40.25, 101, 83), new Pose(r, t), 0.01, 10);
        Object[] a = CameraArgs.of(c);
        assertEquals(CameraArgs.COUNT, a.length);
        Object[] want = {100.0, 110.0, 50.5, 40.25, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.5, 2.5, 3.5, 101,
            83};
        assertArrayEquals(want, a);
        for (int i = 0; i < 16; i++) {
            assertEquals(Double.class, a[i].getClass(), "camera value " + i + " is passed as a double");
        }
        assertEquals(Integer.class, a[16].getClass());
        assertEquals(Integer.class, a[17].getClass());
    }

    /** project_forward reads the same values from device memory, width and height as exact doubles. */
    @Test
    void doublesHoldTheSameValuesInTheSameOrder() {
        double[] r = {0.11, -0.2, 0.3, 0.4, 0.55, -0.6, 0.7, 0.8, 0.95};
        double[] t = {-1.5, 2.25, 3.5};
        Camera c = new Camera(new Intrinsics(512.5, 498.25, 320.5, 255.75, 640, 512), new Pose(r, t), 0.01, 10);
        Object[] a = CameraArgs.of(c);
        double[] d = CameraArgs.doubles(c);
        assertEquals(CameraArgs.COUNT, d.length);
        for (int i = 0; i < CameraArgs.COUNT; i++) {
            assertEquals(((Number) a[i]).doubleValue(), d[i], 0.0, "camera value " + i);
        }
        assertEquals(640.0, d[16]);
        assertEquals(512.0, d[17]);
    }
}
