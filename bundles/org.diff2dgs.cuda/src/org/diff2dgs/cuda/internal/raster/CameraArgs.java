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
     * The 18 values as doubles (width and height exactly so), as project_forward reads them from device memory
     * (raster_common.cuh camera_from).
     */
    public static double[] doubles(Camera camera) {
        Intrinsics k = camera.intrinsics();
        double[] d = new double[COUNT];
        d[0] = k.fx();
        d[1] = k.fy();
        d[2] = k.cx();
        d[3] = k.cy();
        System.arraycopy(camera.pose().rotation(), 0, d, 4, 9);
        System.arraycopy(camera.pose().translation(), 0, d, 13, 3);
        d[16] = k.width();
        d[17] = k.height();
        return d;
    }

    /** The same values as kernel arguments: 16 doubles, then width and height as ints. */
    public static Object[] of(Camera camera) {
        double[] d = doubles(camera);
        Object[] a = new Object[COUNT];
        for (int i = 0; i < 16; i++) {
            a[i] = d[i];
        }
        a[16] = (int) d[16];
        a[17] = (int) d[17];
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
