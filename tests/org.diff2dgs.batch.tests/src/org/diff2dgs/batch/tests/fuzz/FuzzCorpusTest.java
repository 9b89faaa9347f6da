package org.diff2dgs.batch.tests.fuzz;

import org.junit.jupiter.api.Test;

/**
 * The short regression run of coverage-guided fuzzing: every kept corpus and crash input of the experiment reader
 * goes through its fuzz target again, where anything but ExperimentException fails.
 */
class FuzzCorpusTest {

    @Test
    void yamlInputs() {
        Corpus.replay(ExperimentYamlFuzz.class, ExperimentYamlFuzz::fuzzerTestOneInput);
    }

    @Test
    void jsonInputs() {
        Corpus.replay(ExperimentJsonFuzz.class, ExperimentJsonFuzz::fuzzerTestOneInput);
        // JSON is YAML too: the YAML reader must cope with every JSON input
        Corpus.replay(ExperimentJsonFuzz.class, ExperimentYamlFuzz::fuzzerTestOneInput);
    }
}
