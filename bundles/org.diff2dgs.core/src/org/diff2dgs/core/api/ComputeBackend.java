package org.diff2dgs.core.api;

/**
 * A place where rendering and training run: the Java CPU path, or a GPU. Registered as an OSGi service; the highest
 * priority available backend is the default.
 */
public interface ComputeBackend {

    /**
     * True when {@code name} leaves the choice to the installation (null or {@link ServiceCatalog#AUTO_BACKEND}): the
     * highest-priority available backend renders, and training falls back to "cpu" when that backend's training
     * refuses the run.
     */
    static boolean isAuto(String name) {
        return name == null || ServiceCatalog.AUTO_BACKEND.equals(name);
    }

    /** Short name used on the command line: "cpu", "cuda". */
    String name();

    /** Human-readable device, e.g. "2 cores, Java 25" or "NVIDIA H100 80GB". */
    String device();

    /** Null when usable, else why not (no driver, no device, ...). */
    String unavailableReason();

    /** Higher wins when the user does not choose. */
    int priority();

    Rasterizer createRasterizer();

    default boolean isAvailable() {
        return unavailableReason() == null;
    }
}
