package org.diff2dgs.train.tests.fuzz;

import org.junit.jupiter.api.Test;

/**
 * The short regression run of coverage-guided fuzzing: every kept corpus and crash input of the surfel PLY reader
 * goes through the fuzz target again, where anything but UserInputException fails.
 */
class FuzzCorpusTest {

    @Test
    void plyInputs() {
        Corpus.replay(PlyFuzz.class, PlyFuzz::fuzzerTestOneInput);
    }
}
