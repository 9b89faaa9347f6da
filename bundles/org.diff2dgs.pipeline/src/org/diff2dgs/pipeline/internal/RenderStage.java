package org.diff2dgs.pipeline.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.FileTrees;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.train.api.Reconstructor;
import org.diff2dgs.train.api.SceneState;
import org.diff2dgs.train.io.PlyFormat;

/**
 * Renders the test frames (colour, depth, normals as PNG), the whole clip as an MP4 next to the input, and on request
 * one PLY of the deformed surfels per frame (as the published pipeline exports), and 3D snapshots of the surfels
 * through the viewer when it and offscreen OpenGL are there (else the reason is recorded and the stage goes on).
 */
final class RenderStage {

    /** EndoNeRF clips are recorded at about 15 frames per second. */
    static final int VIDEO_FPS = 15;
    private final Reconstructor reconstructor;
    private final ComputeBackend backend;
    /** The viewer's snapshots, null when the viewer bundle is not installed. */
    private final SurfelSnapshots snapshots;

    RenderStage(Reconstructor reconstructor, ComputeBackend backend, SurfelSnapshots snapshots) {
        this.reconstructor = reconstructor;
        this.backend = backend;
        this.snapshots = snapshots;
    }

    void run(Sequence seq, RunFolder folder, boolean exportPly, boolean takeSnapshots, Map<String, Object> detail,
            Progress progress) {
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
        detail.put("snapshots3d", snapshots3d(scene, seq, folder, takeSnapshots, progress));
    }

    /**
     * The 3D snapshots, or why there are none: {"files": [...], "seconds": s} or {"skipped": reason}. A machine
     * without the viewer or without OpenGL is not an error of the run; the reason goes to run.json and, as one line,
     * to the user.
     */
    private Map<String, Object> snapshots3d(SceneState scene, Sequence seq, RunFolder folder, boolean take,
            Progress progress) {
        Map<String, Object> out = new LinkedHashMap<>();
        Path dir = folder.snapshots3d();
        try {
            // snapshots of an earlier training must not pass for this one's
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UserInputException(dir, "cannot remove the old 3D snapshots: " + e.getMessage());
        }
        String skipped = !take ? "switched off (--no-snapshots)"
                : snapshots == null ? NO_VIEWER : snapshots.unavailableReason();
        if (skipped == null) {
            long t0 = System.nanoTime();
            List<Camera> cameras = seq.frames().stream().map(f -> f.camera()).filter(c -> c != null).toList();
            try {
                List<Path> files = snapshots.writeRun(scene, cameras, dir);
                out.put("files", files.stream().map(f -> folder.root().relativize(f).toString().replace('\\', '/'))
                        .toList());
                out.put("seconds", (System.nanoTime() - t0) / 1e9);
                return out;
            } catch (UserInputException e) {
                skipped = e.getMessage();
                try {
                    // no half set of pictures beside a record that says there are none
                    FileTrees.deleteRecursively(dir);
                } catch (IOException ignored) {
                    // the record says skipped; a leftover file is harmless next to that
                }
            }
        }
        if (take) {
            progress.note("no 3D snapshots: " + skipped);
        }
        out.put("skipped", skipped);
        return out;
    }

    /** Why a run has no 3D snapshots when the viewer bundle is absent (a product without it). */
    static final String NO_VIEWER = "the 3D viewer (bundle org.diff2dgs.viewer) is not installed";

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
