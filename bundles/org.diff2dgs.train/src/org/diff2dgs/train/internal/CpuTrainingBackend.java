package org.diff2dgs.train.internal;

import java.util.Optional;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.train.api.MemoryNeeds;
import org.diff2dgs.train.api.SessionSize;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.TrainingBackend;
import org.diff2dgs.train.api.TrainingSession;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Training on Java arrays with the rasterizer of the "cpu" compute backend. Trains every spec (any deformation
 * model); it is also the reference every GPU kernel is checked against.
 */
@Component(service = TrainingBackend.class)
public final class CpuTrainingBackend implements TrainingBackend {

    public static final String NAME = "cpu";

    private final ServiceCatalog catalog;

    @Activate
    public CpuTrainingBackend(@Reference ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason(SessionSpec spec) {
        return catalog.computeBackend(NAME).isPresent() ? null : "no '" + NAME + "' compute backend is installed";
    }

    /** Everything on the Java heap (MemoryEstimate). */
    @Override
    public Optional<MemoryNeeds> memoryNeeds(SessionSize size) {
        return Optional.of(MemoryEstimate.of(size).needs());
    }

    @Override
    public TrainingSession open(SessionSpec spec) {
        ComputeBackend compute = catalog.computeBackend(NAME)
                .orElseThrow(() -> new IllegalStateException(unavailableReason(spec)));
        return new CpuTrainingSession(spec, compute.createRasterizer(), compute.device());
    }
}
