package org.diff2dgs.pipeline.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.train.api.Reconstructor;
import org.diff2dgs.train.api.SceneState;
import org.diff2dgs.train.io.PlyFormat;

/**
 * Renders the test frames (colour, depth, normals as PNG), the whole clip as an MP4 next to the input, and on request
 * one PLY of the deformed surfels per frame (as the published pipeline exports).
 */
final class RenderStage {

    /** EndoNeRF clips are recorded at about 15 frames per second. */
    static final int VIDEO_FPS = 15;
    private final Reconstructor reconstructor;
    private final ComputeBackend backend;

    RenderStage(Reconstructor reconstructor, ComputeBackend backend) {
        this.reconstructor = reconstructor;
        this.backend = backend;
    }

    void run(Sequence seq, RunFolder folder, boolean exportPly, Map<String, Object> detail, Progress progress) {
        SceneState scene = reconstructor.load(folder.checkpoints());
        int[] test = seq.split().test();
        progress.begin("render", test.length + seq.size());
        try (Rasterizer r = backend.createRasterizer()) {
            // one depth scale for all test frames, so their PNGs compare; chosen once every depth is known
            Map<String, FloatImage> depths = new LinkedHashMap<>();
            for (int i : test) {
                progress.checkCancelled();
                Frame f = seq.frame(i);
                RenderedFrame out = RenderedFrame.of(reconstructor.render(scene, f.camera(), f.time(), r));
                Images.writeColor(folder.testRender("color", f.name()), out.color());
                Images.writeColor(folder.testRender("normal", f.name()), out.normal());
                depths.put(f.name(), out.depth());
                progress.worked(1, f.name());
            }
            DepthScale scale = DepthScale.forImages(depths.values());
            depths.forEach((name, d) -> DepthFiles.write(folder.testDepth(name), d, scale));
            DepthFiles.describe(folder.testDepthScale(), scale, "../depth-view/<frame>.png");
            detail.put("depthScale", scale.scale());
            long t0 = System.nanoTime();
            try (VideoWriter video = new VideoWriter(folder.video(), VIDEO_FPS)) {
                for (Frame f : seq.frames()) {
                    progress.checkCancelled();
                    RenderedFrame out = RenderedFrame.of(reconstructor.render(scene, f.camera(), f.time(), r));
                    video.add(f.image(), out.color());
                    if (exportPly) {
                        PlyFormat.write(folder.framePly(f.index()), deformed(scene, f.time()));
                    }
                    progress.worked(1, "video " + f.name());
                }
                video.finish();
            }
            detail.put("testFrames", test.length);
            detail.put("videoFrames", seq.size());
            detail.put("video", folder.root().relativize(folder.video()).toString());
            detail.put("videoSeconds", (System.nanoTime() - t0) / 1e9);
            detail.put("perFramePly", exportPly);
        } finally {
            progress.done();
        }
    }

    /** The canonical surfels moved to time t, as a stand-alone model a viewer can load. */
    static GaussianModel deformed(SceneState s, double t) {
        GaussianModel c = s.surfels();
        GaussianModel d = GaussianModel.allocate(c.count(), c.shDegree());
        s.deformation().deform(t, c, d.positions(), d.rotations(), d.logScales());
        System.arraycopy(c.opacityLogits(), 0, d.opacityLogits(), 0, c.count());
        System.arraycopy(c.sh(), 0, d.sh(), 0, c.sh().length);
        return d;
    }

}
