package org.diff2dgs.cuda.internal.raster;

import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.Intrinsics;

/**
 * The camera as the kernels' CAMERA_PARAMS (raster_common.cuh): fx, fy, cx, cy, the world-to-camera rotation
 * row-major, the translation (16 doubles), width and height (ints). Doubles, as the Java twin's CameraModel, so the
 * per-surfel geometry agrees with it.
 */
public final class CameraArgs {

    public static final int COUNT = 18;

    private CameraArgs() {
    }

    /**
     * The same 18 values as doubles (width and height exactly so), as project_forward reads them from device memory
     * (raster_common.cuh camera_from).
     */
    public static double[] doubles(Camera camera) {
        Object[] a = of(camera);
        double[] d = new double[COUNT];
        for (int i = 0; i < COUNT; i++) {
            d[i] = ((Number) a[i]).doubleValue();
        }
        return d;
    }

    public static Object[] of(Camera camera) {
        Intrinsics k = camera.intrinsics();
        double[] r = camera.pose().rotation();
        double[] t = camera.pose().translation();
        Object[] a = new Object[COUNT];
        a[0] = k.fx();
        a[1] = k.fy();
        a[2] = k.cx();
        a[3] = k.cy();
        for (int i = 0; i < 9; i++) {
            a[4 + i] = r[i];
        }
        for (int i = 0; i < 3; i++) {
            a[13 + i] = t[i];
        }
        a[16] = k.width();
        a[17] = k.height();
        return a;
    }

    /** Kernel arguments with every Object[] element spliced in place (for CAMERA_PARAMS in the middle of a list). */
    static Object[] flatten(Object... parts) {
        int n = 0;
        for (Object p : parts) {
            n += p instanceof Object[] a ? a.length : 1;
        }
        Object[] out = new Object[n];
        int i = 0;
        for (Object p : parts) {
            if (p instanceof Object[] a) {
                System.arraycopy(a, 0, out, i, a.length);
                i += a.length;
            } else {
                out[i++] = p;
            }
        }
        return out;
    }
}
