package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.DatasetInfo;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.core.model.Pose;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.core.model.Split;
import org.diff2dgs.cuda.internal.session.CudaTrainingBackend;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.SessionState;
import org.diff2dgs.train.api.TrainOptions;
import org.junit.jupiter.api.Test;

/**
 * What the CUDA training backend refuses before it touches a device: deformation models without kernels, loss masks
 * with several channels. Those reasons must come without opening CUDA, so that `auto` falls back to the CPU with the
 * right message on every machine.
 */
class CudaTrainingBackendTest {

    private static SessionSpec spec(DeformationModel model, FloatImage mask) {
        int w = 4;
        int h = 3;
        Camera camera = new Camera(new Intrinsics(5, 5, 2, 1.5, w, h), Pose.identity(), 0.03, 250);
        Frame frame = new Frame(0, 0, "f0", camera, new FloatImage(w, h, 3, new float[3 * w * h]), null, null, null,
                null);
        Sequence seq = new Sequence("tiny", Path.of("tiny"), List.of(frame), new Split("all", new int[] {0},
                new int[0]), new DatasetInfo("test", "opencv", "none", 1, new double[] {1, 2}, Map.of(), List.of(),
                        false));
        GaussianModel m = new GaussianModel(1, 3, new float[3], new float[] {1, 0, 0, 0}, new float[2], new float[1],
                new float[48]);
        SessionState start = new SessionState(m, Map.of(), Map.of(), Map.of());
        return new SessionSpec(seq, new int[] {0}, new FloatImage[] {mask}, TrainOptions.published(), start, model,
                1);
    }

    @Test
    void modelsWithoutKernelsAreRefusedByName() {
        CudaTrainingBackend backend = new CudaTrainingBackend();
        assertEquals("cuda", backend.name());
        String reason = backend.unavailableReason(spec(NamedDeformationModel.of("mlp"), null));
        assertTrue(reason != null && reason.contains("'mlp'") && reason.contains("gaussian-basis"), reason);
        assertThrows(IllegalStateException.class, () -> backend.open(spec(NamedDeformationModel.of("mlp"), null)));
    }

    @Test
    void masksWithSeveralChannelsAreRefused() {
        FloatImage threeChannels = new FloatImage(4, 3, 3, new float[36]);
        String reason = new CudaTrainingBackend()
                .unavailableReason(spec(NamedDeformationModel.of("gaussian-basis"), threeChannels));
        assertTrue(reason != null && reason.contains("3 channels"), reason);
    }

    /**
     * Without a usable device the needs still come (limit unknown); the device pool is SessionMemory's peak at the cap
     * (the figure the session checks when it opens): value, gradient and two moments of every learnable float per
     * surfel (a densification swaps them without copies beside them), the per-surfel and rasterizer buffers; the host
     * a checkpoint copy and the final scene; both grow with the cap and the parts add up to the total.
     */
    @Test
    void memoryNeedsStateBothPoolsAtTheCap() {
        SessionSpec spec = spec(NamedDeformationModel.of("gaussian-basis"), null);
        long floats = 3 + 4 + 2 + 1 + 48 + 459;
        org.diff2dgs.train.api.SessionSize size = new org.diff2dgs.train.api.SessionSize(spec.sequence(),
                TrainOptions.published().with(Map.of("maxSurfels", 200_000)), spec.deformationModel(), floats, 0);
        org.diff2dgs.train.api.MemoryNeeds needs = new CudaTrainingBackend().memoryNeeds(size).orElseThrow();
        org.diff2dgs.train.api.MemoryNeeds.Pool device = needs.device();
        assertTrue(device != null, "a device pool");
        // value, gradient and two moments of every float, plus buffers; no densification copies (swapped in place)
        assertTrue(device.bytesPerSurfel() > 4 * 4 * floats, "per surfel " + device.bytesPerSurfel());
        assertTrue(device.bytesPerSurfel() < 4 * 5 * floats, "per surfel " + device.bytesPerSurfel());
        assertEquals(200_000, device.surfelCap());
        assertEquals(org.diff2dgs.cuda.internal.session.SessionMemory.of(size).peakAtCap(200_000), device.total());
        assertEquals(200_000, device.surfelsThatFit(device.total()));
        assertEquals(device.total(), device.parts().values().stream().mapToLong(Long::longValue).sum());
        org.diff2dgs.train.api.MemoryNeeds.Pool host = needs.host();
        assertEquals(-1, host.limitBytes());
        assertEquals(size.stateBytesPerSurfel() + 4 * floats, host.bytesPerSurfel());
        assertEquals(host.total(), host.parts().values().stream().mapToLong(Long::longValue).sum());
        assertTrue(host.fixedBytes() >= size.frameBytes());
    }
}
