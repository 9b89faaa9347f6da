package org.diff2dgs.batch.tests.fuzz;

import org.diff2dgs.batch.api.ExperimentException;
import org.diff2dgs.batch.internal.config.ExperimentReader;
import org.diff2dgs.batch.tests.TestInstalled;

/**
 * Fuzz target (Jazzer, releng/scripts/fuzz.sh): any bytes as an experiment YAML file through the same reader
 * {@code d2dgs batch} uses. Only ExperimentException, listing problems with their lines, may come out.
 */
public final class ExperimentYamlFuzz {

    private static final ExperimentReader READER = new ExperimentReader(new TestInstalled());

    private ExperimentYamlFuzz() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            READER.read(FuzzFiles.write("experiment.yaml", data));
        } catch (ExperimentException expected) {
            // the reader's own error
        }
    }
}
