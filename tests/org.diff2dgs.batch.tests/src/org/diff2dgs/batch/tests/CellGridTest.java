package org.diff2dgs.batch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.internal.config.ExperimentReader;
import org.diff2dgs.core.api.UserInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grid of cells: order, ids, labels, folders and per-cell options. */
class CellGridTest {

    @TempDir
    Path dir;

    private Experiment grid() {
        return new ExperimentReader(new TestInstalled()).read(Fixtures.write(dir, "grid.yaml", Fixtures.GRID_YAML));
    }

    @Test
    void cellsAreScenesThenMethodsThenSeeds() {
        Experiment e = grid();
        List<Cell> cells = e.cells();
        assertEquals(8, cells.size());
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            assertEquals(i, cells.get(i).id());
            labels.add(cells.get(i).label());
        }
        assertEquals(List.of("a/full/seed-1", "a/full/seed-2", "a/no-normal/seed-1", "a/no-normal/seed-2",
                "b/full/seed-1", "b/full/seed-2", "b/no-normal/seed-1", "b/no-normal/seed-2"), labels);
        assertEquals(e.out().resolve("cells/b/no-normal/seed-2"), cells.get(7).folder());
        Set<Path> folders = new HashSet<>();
        cells.forEach(c -> folders.add(c.folder()));
        assertEquals(8, folders.size(), "every cell has its own folder");
    }

    @Test
    void eachCellTrainsWithItsSeedAndItsMethodsOptions() {
        Experiment e = grid();
        for (Cell c : e.cells()) {
            assertEquals(c.seed(), c.training().seed());
            assertEquals(40, c.training().iterations());
            assertEquals(c.method().name().equals("no-normal") ? 0.0 : c.method().training().normalWeight(),
                    c.training().normalWeight());
        }
        // the method's own option is recorded as given
        assertEquals(0.0, ((Number) e.methods().get(1).options().get("normalWeight")).doubleValue());
    }

    @Test
    void aCellIsFoundByIdOrLabel() {
        Experiment e = grid();
        assertEquals(5, e.cell("5").id());
        assertEquals(6, e.cell("b/no-normal/seed-1").id());
        UserInputException past = assertThrows(UserInputException.class, () -> e.cell("8"));
        assertTrue(past.getMessage().contains("cells 0 to 7"), past.getMessage());
        UserInputException unknown = assertThrows(UserInputException.class, () -> e.cell("a/full/seed-9"));
        assertTrue(unknown.getMessage().contains("--dry-run"), unknown.getMessage());
    }
}
