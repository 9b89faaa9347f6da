package org.diff2dgs.core.api;

import java.nio.file.Path;

/** Writes a synthetic clip in the EndoNeRF layout plus gt/ (tissue without instruments) and scene.json. */
public interface SceneGenerator {

    String name();

    String description();

    /** Writes the scene into {@code folder} (created; must be empty or absent). Atomic per file. */
    void write(Path folder, SceneSpec spec, Progress progress);
}
