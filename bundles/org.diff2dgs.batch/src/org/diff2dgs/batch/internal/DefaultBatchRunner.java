package org.diff2dgs.batch.internal;

import java.nio.file.Path;
import java.util.List;

import org.diff2dgs.batch.api.BatchListener;
import org.diff2dgs.batch.api.BatchReport;
import org.diff2dgs.batch.api.BatchRunner;
import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.CellOutcome;
import org.diff2dgs.batch.api.CellStatus;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.SlurmOptions;
import org.diff2dgs.core.api.SceneGenerator;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.pipeline.api.Pipeline;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The batch service of the product: cells run through the Pipeline service, names checked against the catalog. */
@Component(service = BatchRunner.class)
public class DefaultBatchRunner implements BatchRunner {

    @Reference
    private ServiceCatalog catalog;

    @Reference
    private Pipeline pipeline;

    private Batch batch;

    @Activate
    void activate() {
        batch = new Batch(new CatalogInstalled(catalog), pipeline::run, this::writeScene, Launcher::command);
    }

    private void writeScene(Path folder, org.diff2dgs.core.api.SceneSpec spec, String generator,
            org.diff2dgs.core.api.Progress progress) {
        SceneGenerator g = generator != null
                ? catalog.sceneGenerator(generator).orElseThrow(
                        () -> new UserInputException("scene generator '" + generator + "' is not installed"))
                : catalog.sceneGenerators().stream().findFirst()
                        .orElseThrow(() -> new UserInputException("no scene generator is installed"));
        g.write(folder, spec, progress);
    }

    @Override
    public Experiment load(Path file) {
        return batch.load(file);
    }

    @Override
    public void checkDatasets(Experiment experiment) {
        batch.checkDatasets(experiment);
    }

    @Override
    public CellStatus status(Experiment experiment, Cell cell) {
        return batch.status(experiment, cell);
    }

    @Override
    public BatchReport run(Experiment experiment, BatchListener listener) {
        return batch.run(experiment, listener);
    }

    @Override
    public CellOutcome runCell(Experiment experiment, Cell cell, BatchListener listener) {
        return batch.runCell(experiment, cell, listener);
    }

    @Override
    public BatchReport runWorkers(Experiment experiment, int workers, BatchListener listener) {
        return batch.runWorkers(experiment, workers, listener);
    }

    @Override
    public BatchReport merge(Experiment experiment) {
        return batch.merge(experiment);
    }

    @Override
    public List<Path> emitSlurm(Experiment experiment, Path dir, SlurmOptions options) {
        return batch.emitSlurm(experiment, dir, options);
    }
}
