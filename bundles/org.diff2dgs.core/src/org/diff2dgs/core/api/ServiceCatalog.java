package org.diff2dgs.core.api;

import java.util.List;
import java.util.Optional;

/**
 * Every pluggable service currently registered, as one place the headless app and the workbench ask. Lists follow
 * the OSGi registry at run time: a lab's bundle that registers a reader or metric appears here without code changes.
 */
public interface ServiceCatalog {

    // Every list defaults to "none installed", so a catalog made for one purpose names only what it holds.

    default List<DatasetReader> datasetReaders() {
        return List.of();
    }

    default List<SceneGenerator> sceneGenerators() {
        return List.of();
    }

    default List<DeformationModel> deformationModels() {
        return List.of();
    }

    default List<Metric> metrics() {
        return List.of();
    }

    /** Sorted by name. */
    default List<EvaluationProtocol> evaluationProtocols() {
        return List.of();
    }

    /** Stage-1 inpainting methods, sorted by name. */
    default List<Inpainter> inpainters() {
        return List.of();
    }

    /** Sorted by priority, highest first. */
    default List<ComputeBackend> computeBackends() {
        return List.of();
    }

    /** Device kernel checks, one per backend with device code (d2dgs selftest). */
    default List<KernelParity> kernelParities() {
        return List.of();
    }

    /** Benchmarks, one per backend that can time itself (d2dgs bench). */
    default List<Benchmark> benchmarks() {
        return List.of();
    }

    default Optional<DatasetReader> datasetReader(String format) {
        return datasetReaders().stream().filter(r -> r.format().equals(format)).findFirst();
    }

    /** The reader that recognizes the folder best (highest probe score above 0), if any. */
    default Optional<DatasetReader> recognize(java.nio.file.Path folder) {
        DatasetReader best = null;
        double score = 0;
        for (DatasetReader r : datasetReaders()) {
            double s = r.probe(folder);
            if (s > score) {
                score = s;
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    default Optional<SceneGenerator> sceneGenerator(String name) {
        return sceneGenerators().stream().filter(g -> g.name().equals(name)).findFirst();
    }

    default Optional<DeformationModel> deformationModel(String name) {
        return deformationModels().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    default Optional<Metric> metric(String name) {
        return metrics().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    default Optional<Inpainter> inpainter(String name) {
        return inpainters().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * The installed inpainting method of that name, usable with {@code settings}; a user error listing the installed
     * methods (and {@code alsoAccepted}, e.g. "none" where the caller takes it) when there is none, or saying why the
     * method cannot run (e.g. missing model files).
     */
    default Inpainter requireInpainter(String name, java.util.Map<String, String> settings, String... alsoAccepted) {
        List<String> accepted = new java.util.ArrayList<>(inpainters().stream().map(Inpainter::name).toList());
        accepted.addAll(List.of(alsoAccepted));
        Inpainter inpainter = inpainter(name).orElseThrow(() -> new UserInputException("unknown inpainting method '"
                + name + "' (accepted: " + String.join(", ", accepted) + ")"));
        String reason = inpainter.unavailableReason(settings);
        if (reason != null) {
            throw new UserInputException("inpainting method '" + name + "' is not available: " + reason);
        }
        return inpainter;
    }

    default Optional<EvaluationProtocol> evaluationProtocol(String name) {
        return evaluationProtocols().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The installed protocol of that name; a user error listing the installed ones when there is none. */
    default EvaluationProtocol requireEvaluationProtocol(String name) {
        return evaluationProtocol(name).orElseThrow(() -> new UserInputException("unknown evaluation protocol '"
                + name + "'; installed: " + String.join(", ",
                        evaluationProtocols().stream().map(EvaluationProtocol::name).toList())));
    }

    default Optional<ComputeBackend> computeBackend(String name) {
        return computeBackends().stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** The --backend value that stands for "the highest-priority available backend". */
    String AUTO_BACKEND = "auto";

    /**
     * The backend a command runs on: {@code null} or "auto" take the highest-priority available one; a name must be
     * installed and available here.
     *
     * @throws UserInputException naming the backend and why it cannot be used (e.g. "no NVIDIA driver found")
     */
    default ComputeBackend chooseComputeBackend(String name) {
        List<ComputeBackend> all = computeBackends();
        if (name == null || name.equals(AUTO_BACKEND)) {
            return all.stream().filter(ComputeBackend::isAvailable).findFirst()
                    .orElseThrow(() -> new UserInputException("no compute backend is available"));
        }
        ComputeBackend b = computeBackend(name).orElseThrow(() -> new UserInputException("unknown backend '" + name
                + "' (installed: " + all.stream().map(ComputeBackend::name).toList() + ", or " + AUTO_BACKEND + ")"));
        if (!b.isAvailable()) {
            throw new UserInputException("backend '" + name + "' is not available here: " + b.unavailableReason());
        }
        return b;
    }

    /**
     * One line saying which backend "auto" took and why higher-priority ones were passed over, e.g. "backend auto:
     * cpu (cuda: no NVIDIA driver found (libcuda.so.1))".
     */
    default String describeAutoChoice(ComputeBackend chosen) {
        StringBuilder passed = new StringBuilder();
        for (ComputeBackend b : computeBackends()) {
            if (b == chosen) {
                break;
            }
            if (!b.isAvailable()) {
                passed.append(passed.isEmpty() ? "" : "; ").append(b.name()).append(": ").append(b.unavailableReason());
            }
        }
        return "backend " + AUTO_BACKEND + ": " + chosen.name() + " on " + chosen.device()
                + (passed.isEmpty() ? "" : " (" + passed + ")");
    }

    default Optional<KernelParity> kernelParity(String backend) {
        return kernelParities().stream().filter(k -> k.backend().equals(backend)).findFirst();
    }

    default Optional<Benchmark> benchmark(String backend) {
        return benchmarks().stream().filter(k -> k.backend().equals(backend)).findFirst();
    }
}
