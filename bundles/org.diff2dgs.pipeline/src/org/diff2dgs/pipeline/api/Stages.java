package org.diff2dgs.pipeline.api;

import java.util.List;

/** The stages of a run, in order. Each writes into its own part of the run folder and records itself in run.json. */
public interface Stages {

    /** Synthesize the default scene (no dataset given) or fingerprint and validate the given one. */
    String PREPARE = "prepare";
    /**
     * Stage 1: restore the tissue under the instruments (colour and depth) into the run folder's inpainted/; training
     * then uses it, evaluation still uses the source clip.
     */
    String INPAINT = "inpaint";
    /** Fit the deformable surfels (resumes inside the stage from the newest checkpoint). */
    String TRAIN = "train";
    /**
     * Test-frame renders (colour, depth, normals), the clip video, optional per-frame PLYs, and 3D snapshots of the
     * surfels (renders/3d/) where the viewer and offscreen OpenGL are available.
     */
    String RENDER = "render";
    /** Metrics under the named evaluation protocols. */
    String EVALUATE = "evaluate";

    List<String> ORDER = List.of(PREPARE, INPAINT, TRAIN, RENDER, EVALUATE);
}
