package org.diff2dgs.batch.internal;

import java.nio.file.Path;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.SceneSpec;

/** Writes a synthetic scene into a folder; in the product, the SceneGenerator service of that name. */
@FunctionalInterface
public interface SceneWriter {

    /**
     * Writes {@code spec} into {@code folder} (absent) with the named generator, or the first installed one when
     * {@code generator} is null.
     */
    void write(Path folder, SceneSpec spec, String generator, Progress progress);
}
