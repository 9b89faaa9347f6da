package org.diff2dgs.pipeline.internal;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The layout of a run folder, in one place. Later stages (inpainting, the workbench viewer) find everything here.
 *
 * <pre>
 * run.json                   state: stages, dataset fingerprint, options, versions, device
 * dataset/                   the synthesized scene, when the run was started without a dataset
 * inpainted/                 stage 1: the inpainted clip (docs/inpainting.md), absent with --inpaint none
 * train/checkpoints/         iter-NNNNNN/ (surfels.ply, .npy tensors, meta.json) + latest.json
 * train/log.csv              training curve
 * train/result.json          training summary
 * renders/test/{color,normal}/        test-frame renders (PNG)
 * renders/test/depth/        depth: exact .npy, 16-bit PNG, depth.json (its scale and range)
 * renders/test/depth-view/   depth as colour-mapped 8-bit PNG, for people
 * renders/clip.mp4           the whole clip rendered over time next to the input
 * renders/ply/               one PLY of the deformed surfels per frame (--export-ply)
 * renders/3d/                3D snapshots of the surfels (t0.00-color.png, t0.50-depth.png, ...), offscreen OpenGL
 * metrics.json               evaluation under each protocol
 * </pre>
 */
record RunFolder(Path root) {

    Path state() {
        return root.resolve("run.json");
    }

    Path dataset() {
        return root.resolve("dataset");
    }

    Path inpainted() {
        return root.resolve("inpainted");
    }

    Path checkpoints() {
        return root.resolve("train").resolve("checkpoints");
    }

    Path trainingLog() {
        return root.resolve("train").resolve("log.csv");
    }

    Path trainingResult() {
        return root.resolve("train").resolve("result.json");
    }

    Path renders() {
        return root.resolve("renders");
    }

    Path testRender(String kind, String frameName) {
        return renders().resolve("test").resolve(kind).resolve(frameName + ".png");
    }

    /** Depth of a test frame: 16-bit PNG and exact .npy in depth/, colour-mapped PNG in depth-view/. */
    DepthFiles.Paths testDepth(String frameName) {
        Path test = renders().resolve("test");
        return new DepthFiles.Paths(test.resolve("depth").resolve(frameName + ".png"),
                test.resolve("depth").resolve(frameName + ".npy"), test.resolve("depth-view").resolve(frameName
                        + ".png"));
    }

    /** How the test-frame depth PNGs are scaled (see DepthFiles). */
    Path testDepthScale() {
        return renders().resolve("test").resolve("depth").resolve("depth.json");
    }

    Path video() {
        return renders().resolve("clip.mp4");
    }

    /** 3D snapshots of the trained surfels (the viewer's offscreen pictures). */
    Path snapshots3d() {
        return renders().resolve("3d");
    }

    Path framePly(int index) {
        return renders().resolve("ply").resolve(String.format(Locale.ROOT, "frame-%06d.ply", index));
    }

    Path metrics() {
        return root.resolve("metrics.json");
    }
}
