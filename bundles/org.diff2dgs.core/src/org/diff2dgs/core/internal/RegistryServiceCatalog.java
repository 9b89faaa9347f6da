package org.diff2dgs.core.internal;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.diff2dgs.core.api.Benchmark;
import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.DeformationModel;
import org.diff2dgs.core.api.EvaluationProtocol;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.KernelParity;
import org.diff2dgs.core.api.Metric;
import org.diff2dgs.core.api.SceneGenerator;
import org.diff2dgs.core.api.ServiceCatalog;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Tracks the pluggable services through dynamic multiple references, so bundles may come and go at run time. */
@Component(service = ServiceCatalog.class)
public class RegistryServiceCatalog implements ServiceCatalog {

    private final List<DatasetReader> readers = new CopyOnWriteArrayList<>();
    private final List<SceneGenerator> generators = new CopyOnWriteArrayList<>();
    private final List<DeformationModel> deformations = new CopyOnWriteArrayList<>();
    private final List<Metric> metrics = new CopyOnWriteArrayList<>();
    private final List<EvaluationProtocol> protocols = new CopyOnWriteArrayList<>();
    private final List<ComputeBackend> backends = new CopyOnWriteArrayList<>();
    private final List<Inpainter> inpainters = new CopyOnWriteArrayList<>();
    private final List<KernelParity> kernelParities = new CopyOnWriteArrayList<>();
    private final List<Benchmark> benchmarks = new CopyOnWriteArrayList<>();

    @Override
    public List<KernelParity> kernelParities() {
        return kernelParities.stream().sorted(Comparator.comparing(KernelParity::backend)).toList();
    }

    @Override
    public List<Benchmark> benchmarks() {
        return benchmarks.stream().sorted(Comparator.comparing(Benchmark::backend)).toList();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addKernelParity(KernelParity k) {
        kernelParities.add(k);
    }

    void removeKernelParity(KernelParity k) {
        kernelParities.remove(k);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBenchmark(Benchmark b) {
        benchmarks.add(b);
    }

    void removeBenchmark(Benchmark b) {
        benchmarks.remove(b);
    }

    @Override
    public List<DatasetReader> datasetReaders() {
        return readers.stream().sorted(Comparator.comparing(DatasetReader::format)).toList();
    }

    @Override
    public List<SceneGenerator> sceneGenerators() {
        return generators.stream().sorted(Comparator.comparing(SceneGenerator::name)).toList();
    }

    @Override
    public List<DeformationModel> deformationModels() {
        return deformations.stream().sorted(Comparator.comparing(DeformationModel::name)).toList();
    }

    @Override
    public List<Metric> metrics() {
        return metrics.stream().sorted(Comparator.comparing(Metric::name)).toList();
    }

    @Override
    public List<Inpainter> inpainters() {
        return inpainters.stream().sorted(Comparator.comparing(Inpainter::name)).toList();
    }

    @Override
    public List<EvaluationProtocol> evaluationProtocols() {
        return protocols.stream().sorted(Comparator.comparing(EvaluationProtocol::name)).toList();
    }

    @Override
    public List<ComputeBackend> computeBackends() {
        return backends.stream()
                .sorted(Comparator.comparingInt(ComputeBackend::priority).reversed().thenComparing(ComputeBackend::name))
                .toList();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDatasetReader(DatasetReader r) {
        readers.add(r);
    }

    void removeDatasetReader(DatasetReader r) {
        readers.remove(r);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSceneGenerator(SceneGenerator g) {
        generators.add(g);
    }

    void removeSceneGenerator(SceneGenerator g) {
        generators.remove(g);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDeformationModel(DeformationModel m) {
        deformations.add(m);
    }

    void removeDeformationModel(DeformationModel m) {
        deformations.remove(m);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMetric(Metric m) {
        metrics.add(m);
    }

    void removeMetric(Metric m) {
        metrics.remove(m);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEvaluationProtocol(EvaluationProtocol p) {
        protocols.add(p);
    }

    void removeEvaluationProtocol(EvaluationProtocol p) {
        protocols.remove(p);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addComputeBackend(ComputeBackend b) {
        backends.add(b);
    }

    void removeComputeBackend(ComputeBackend b) {
        backends.remove(b);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addInpainter(Inpainter i) {
        inpainters.add(i);
    }

    void removeInpainter(Inpainter i) {
        inpainters.remove(i);
    }
}
