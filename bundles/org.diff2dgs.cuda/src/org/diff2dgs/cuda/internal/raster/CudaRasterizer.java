package org.diff2dgs.cuda.internal.raster;

import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.RenderOutput;
import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.api.SurfelBatch;
import org.diff2dgs.core.api.SurfelGradients;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;

/**
 * {@link Rasterizer} on host arrays over the {@link DeviceRasterizer}: uploads the surfels, renders on the GPU and
 * downloads the images (render, eval, the golden check, parity). The same contract as the CPU rasterizer: a backward
 * belongs to this rasterizer's most recent forward (an older output is rejected as stale); inputs are copied, so the
 * caller may change its arrays in between.
 */
public final class CudaRasterizer implements Rasterizer {

    private final CudaContext cuda;
    private final boolean ownsContext;
    private final DeviceRasterizer device;
    private final GrowingBuffer positions;
    private final GrowingBuffer rotations;
    private final GrowingBuffer scales;
    private final GrowingBuffer opacities;
    private final GrowingBuffer colors;
    private final GrowingBuffer color;
    private final GrowingBuffer others;
    private final GrowingBuffer radii;
    private final GrowingBuffer dColor;
    private final GrowingBuffer dOthers;
    private final GrowingBuffer[] gradients = new GrowingBuffer[6];

    /** A rasterizer on {@code cuda}; when {@code ownsContext}, {@link #close} closes the context too. */
    public CudaRasterizer(CudaContext cuda, boolean ownsContext) {
        this.cuda = cuda;
        this.ownsContext = ownsContext;
        this.device = new DeviceRasterizer(cuda);
        positions = new GrowingBuffer(cuda, "surfel positions");
        rotations = new GrowingBuffer(cuda, "surfel rotations");
        scales = new GrowingBuffer(cuda, "surfel scales");
        opacities = new GrowingBuffer(cuda, "surfel opacities");
        colors = new GrowingBuffer(cuda, "surfel colours");
        color = new GrowingBuffer(cuda, "rendered colour");
        others = new GrowingBuffer(cuda, "rendered aux planes");
        radii = new GrowingBuffer(cuda, "surfel radii");
        dColor = new GrowingBuffer(cuda, "colour upstream gradient");
        dOthers = new GrowingBuffer(cuda, "aux upstream gradient");
        String[] names = {"position gradients", "rotation gradients", "scale gradients", "opacity gradients",
            "colour gradients", "screen gradients"};
        for (int i = 0; i < 6; i++) {
            gradients[i] = new GrowingBuffer(cuda, names[i]);
        }
    }

    public DeviceRasterizer device() {
        return device;
    }

    @Override
    public RenderOutput forward(SurfelBatch surfels, Camera camera, RenderSettings settings) {
        if (surfels == null || camera == null || settings == null) {
            throw new IllegalArgumentException("forward needs surfels, a camera and render settings");
        }
        int n = surfels.count();
        int hw = camera.width() * camera.height();
        upload(positions, surfels.positions(), 3 * n);
        upload(rotations, surfels.rotations(), 4 * n);
        upload(scales, surfels.scales(), 2 * n);
        upload(opacities, surfels.opacities(), n);
        upload(colors, surfels.colors(), 3 * n);
        color.ensure(3L * hw);
        others.ensure((long) RenderOutput.AUX_CHANNELS * hw);
        radii.ensure(Math.max(1, n));
        device.forward(n, positions.get(), rotations.get(), scales.get(), opacities.get(), colors.get(), camera,
                settings, color.get(), others.get(), radii.get());
        float[] c = new float[3 * hw];
        float[] o = new float[RenderOutput.AUX_CHANNELS * hw];
        int[] r = new int[n];
        color.get().copyTo(c, c.length);
        others.get().copyTo(o, o.length);
        if (n > 0) {
            radii.get().copyTo(r, n);
        }
        return new RenderOutput(camera.width(), camera.height(), c, o, r, new Saved(this, device.generation()));
    }

    @Override
    public SurfelGradients backward(RenderOutput forward, float[] dColorHost, float[] dOthersHost) {
        if (!(forward.saved() instanceof Saved saved) || saved.owner() != this) {
            throw new IllegalArgumentException("backward needs a RenderOutput from this rasterizer's forward");
        }
        if (saved.generation() != device.generation()) {
            throw new IllegalStateException("this RenderOutput is stale: a later forward reused the rasterizer's "
                    + "buffers; call backward before the next forward, or render with a separate rasterizer");
        }
        int hw = forward.pixels();
        if (dColorHost == null || dColorHost.length != 3 * hw) {
            throw new IllegalArgumentException("dColor must have 3 * " + hw + " values, got "
                    + (dColorHost == null ? "null" : dColorHost.length));
        }
        if (dOthersHost != null && dOthersHost.length != RenderOutput.AUX_CHANNELS * hw) {
            throw new IllegalArgumentException("dOthers must have " + RenderOutput.AUX_CHANNELS + " * " + hw
                    + " values, got " + dOthersHost.length);
        }
        upload(dColor, dColorHost, dColorHost.length);
        DeviceBuffer dO = null;
        if (dOthersHost != null) {
            upload(dOthers, dOthersHost, dOthersHost.length);
            dO = dOthers.get();
        }
        int n = device.count();
        int[] per = {3, 4, 2, 1, 3, 1};
        for (int i = 0; i < 6; i++) {
            gradients[i].ensure(Math.max(1, (long) per[i] * n));
        }
        device.backward(dColor.get(), dO, gradients[0].get(), gradients[1].get(), gradients[2].get(),
                gradients[3].get(), gradients[4].get(), gradients[5].get());
        SurfelGradients out = SurfelGradients.allocate(n);
        if (n > 0) {
            gradients[0].get().copyTo(out.positions(), 3 * n);
            gradients[1].get().copyTo(out.rotations(), 4 * n);
            gradients[2].get().copyTo(out.scales(), 2 * n);
            gradients[3].get().copyTo(out.opacities(), n);
            gradients[4].get().copyTo(out.colors(), 3 * n);
            gradients[5].get().copyTo(out.screenGradient(), n);
        }
        return out;
    }

    private static void upload(GrowingBuffer b, float[] host, int count) {
        DeviceBuffer d = b.ensure(Math.max(1, count));
        if (count > 0) {
            d.copyFrom(host, count);
        }
    }

    @Override
    public void close() {
        device.close();
        for (GrowingBuffer b : new GrowingBuffer[] {positions, rotations, scales, opacities, colors, color, others,
            radii, dColor, dOthers}) {
            b.close();
        }
        for (GrowingBuffer b : gradients) {
            b.close();
        }
        if (ownsContext) {
            cuda.close();
        }
    }

    /** What a forward leaves in RenderOutput.saved: the owner and the forward it came from. */
    private record Saved(CudaRasterizer owner, long generation) {
    }
}
