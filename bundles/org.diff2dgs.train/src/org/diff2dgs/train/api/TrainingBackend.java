package org.diff2dgs.train.api;

/**
 * A place where a whole training session runs (docs/architecture.md, "Training sessions and the GPU path"): the Java
 * CPU path or a GPU. Registered as an OSGi service; its {@link #name()} is the name of the
 * {@link org.diff2dgs.core.api.ComputeBackend} it belongs to, so {@code --backend cuda} picks both.
 */
public interface TrainingBackend {

    /** Same as the ComputeBackend's name: "cpu", "cuda". */
    String name();

    /**
     * Null when this backend can train {@code spec}; otherwise one line saying why not (no GPU, a driver too old,
     * a deformation model it has no kernels for, not enough device memory for the frames, ...). Cheap: it must not
     * upload anything.
     */
    String unavailableReason(SessionSpec spec);

    /**
     * What a session of {@code size} needs at the surfel cap on the host (Java heap) and on the device, without
     * loading or allocating anything; a GPU backend states its free device memory as the device pool's limit. Training
     * refuses a run that does not fit before it starts. Empty when the backend cannot tell: the host is then checked
     * against the CPU session's needs (everything on the heap, an upper bound for a backend that keeps its tensors
     * elsewhere) and the device not at all.
     */
    default java.util.Optional<MemoryNeeds> memoryNeeds(SessionSize size) {
        return java.util.Optional.empty();
    }

    /**
     * Takes the frames, surfels, deformation, optimizer state and density statistics of {@code spec} into the
     * backend (for a GPU: uploads them once). The caller closes the session.
     *
     * @throws IllegalStateException when {@link #unavailableReason(SessionSpec)} is not null
     */
    TrainingSession open(SessionSpec spec);
}
