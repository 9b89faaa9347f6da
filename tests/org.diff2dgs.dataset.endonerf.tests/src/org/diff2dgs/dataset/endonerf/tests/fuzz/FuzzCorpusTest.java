package org.diff2dgs.dataset.endonerf.tests.fuzz;

import org.junit.jupiter.api.Test;

/**
 * The short regression run of coverage-guided fuzzing: every kept corpus and crash input of the EndoNeRF clip files
 * goes through its fuzz target again, where anything but DatasetException fails.
 */
class FuzzCorpusTest {

    @Test
    void posesBoundsInputs() {
        Corpus.replay(PosesBoundsFuzz.class, PosesBoundsFuzz::fuzzerTestOneInput);
    }

    @Test
    void intrinsicsInputs() {
        Corpus.replay(IntrinsicsJsonFuzz.class, IntrinsicsJsonFuzz::fuzzerTestOneInput);
    }

    @Test
    void sceneInputs() {
        Corpus.replay(SceneJsonFuzz.class, SceneJsonFuzz::fuzzerTestOneInput);
        // both are small JSON objects: each one's inputs exercise the other's key checks
        Corpus.replay(SceneJsonFuzz.class, IntrinsicsJsonFuzz::fuzzerTestOneInput);
        Corpus.replay(IntrinsicsJsonFuzz.class, SceneJsonFuzz::fuzzerTestOneInput);
    }
}
