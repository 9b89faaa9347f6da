package org.diff2dgs.batch.internal;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import org.diff2dgs.batch.internal.config.Installed;
import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.SceneGenerator;
import org.diff2dgs.core.api.ServiceCatalog;

/** What the running product has installed, asked of the service catalog each time (bundles may come and go). */
final class CatalogInstalled implements Installed {

    private final ServiceCatalog catalog;

    CatalogInstalled(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Set<String> protocols() {
        return catalog.evaluationProtocols().stream().map(EvaluationProtocol::name).collect(Collectors.toSet());
    }

    @Override
    public Set<String> metrics() {
        return catalog.metrics().stream().map(Metric::name).collect(Collectors.toSet());
    }

    @Override
    public Set<String> deformationModels() {
        return catalog.deformationModels().stream().map(DeformationModel::name).collect(Collectors.toSet());
    }

    @Override
    public Set<String> formats() {
        return catalog.datasetReaders().stream().map(DatasetReader::format).collect(Collectors.toSet());
    }

    @Override
    public Set<String> backends() {
        // auto: the best backend available where the cell runs (chosen then, not when the file is read)
        Set<String> names = catalog.computeBackends().stream().map(ComputeBackend::name)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        names.add(ServiceCatalog.AUTO_BACKEND);
        return names;
    }

    @Override
    public Set<String> sceneGenerators() {
        return catalog.sceneGenerators().stream().map(SceneGenerator::name).collect(Collectors.toSet());
    }

    @Override
    public Set<String> inpainters() {
        return catalog.inpainters().stream().map(org.diff2dgs.core.api.Inpainter::name).collect(Collectors.toSet());
    }

    @Override
    public boolean recognizes(Path folder) {
        for (DatasetReader r : catalog.datasetReaders()) {
            try {
                if (r.probe(folder) > 0) {
                    return true;
                }
            } catch (RuntimeException e) {
                // a reader's probe must not throw; one that does simply does not recognize the folder
            }
        }
        return false;
    }
}
