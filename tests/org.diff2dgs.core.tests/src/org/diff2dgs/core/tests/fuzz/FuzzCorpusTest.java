package org.diff2dgs.core.tests.fuzz;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.io.Npy;
import org.junit.jupiter.api.Test;

/**
 * The short regression run of coverage-guided fuzzing: every kept corpus and crash input of the core parsers goes
 * through its fuzz target again, where anything but the reader's own error fails.
 */
class FuzzCorpusTest {

    @Test
    void npyInputs() {
        Corpus.replay(NpyFuzz.class, NpyFuzz::fuzzerTestOneInput);
    }

    @Test
    void npyInputsAsFiles() {
        // the file reader reads header and data with positioned channel reads, not from one array
        Corpus.replay(NpyFuzz.class, data -> {
            try {
                Npy.read(FuzzFiles.write("fuzz.npy", data));
            } catch (DatasetException expected) {
                // the reader's own error
            }
        });
    }

    @Test
    void pngColourInputs() {
        Corpus.replay(PngColorFuzz.class, PngColorFuzz::fuzzerTestOneInput);
    }

    @Test
    void pngGrayInputs() {
        Corpus.replay(PngGrayFuzz.class, PngGrayFuzz::fuzzerTestOneInput);
        // a file is a frame or a depth map depending on its folder: every PNG input goes through both readers
        Corpus.replay(PngColorFuzz.class, PngGrayFuzz::fuzzerTestOneInput);
        Corpus.replay(PngGrayFuzz.class, PngColorFuzz::fuzzerTestOneInput);
    }
}
