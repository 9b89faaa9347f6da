package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.cuda.internal.bench.TrainingRows;
import org.junit.jupiter.api.Test;

/** The training rows say what they could not measure instead of leaving the rows out; none when not asked for. */
class TrainingRowsTest {

    @Test
    void missingServicesAreNamedInTheRows() {
        BenchOptions withTraining = new BenchOptions(List.of(1000), 64, 48, 3, 1, 3, 5, true);
        List<BenchRow> rows = TrainingRows.measure(new TrainingRows.Services(null, null, null, null), withTraining,
                null, Progress.NONE);
        assertEquals(2, rows.size());
        for (BenchRow r : rows) {
            assertTrue(!r.measured() && r.note().equals("not measured: no Reconstructor service"), r.toString());
        }
        assertTrue(rows.get(0).name().contains("full published schedule"), rows.get(0).name());
        BenchOptions without = new BenchOptions(List.of(1000), 64, 48, 3, 1, 3, 5, false);
        assertEquals(List.of(), TrainingRows.measure(new TrainingRows.Services(null, null, null, null), without, null,
                Progress.NONE));
    }
}
