package org.diff2dgs.cuda.internal.session;

import java.util.Optional;

import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.CudaException;
import org.diff2dgs.deform.internal.BasisShape;
import org.diff2dgs.deform.internal.GaussianBasisModel;
import org.diff2dgs.deform.internal.SmoothGaussianBasisModel;
import org.diff2dgs.train.api.MemoryNeeds;
import org.diff2dgs.train.api.SessionSize;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.TrainingBackend;
import org.diff2dgs.train.api.TrainingSession;
import org.osgi.service.component.annotations.Component;

/**
 * Training on the first CUDA device (issue 10): the whole iteration in device memory, see CudaTrainingSession. Trains
 * the Gaussian-basis deformation models (the kernels of cuda/deform.cu); other models and a machine without a usable
 * GPU get a reason instead.
 */
@Component(service = TrainingBackend.class)
public final class CudaTrainingBackend implements TrainingBackend {

    public static final String NAME = "cuda";

    /** The device probe's verdict, once per process (opening a context loads every kernel module). */
    private static volatile String deviceProblem;
    private static volatile boolean probed;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason(SessionSpec spec) {
        String model = spec.deformationModel().name();
        if (shape(model) == null) {
            return "the CUDA backend has kernels for the deformation models " + GaussianBasisModel.NAME + " and "
                    + SmoothGaussianBasisModel.NAME + ", not '" + model + "'";
        }
        for (FloatImage m : spec.lossMasks()) {
            if (m != null && m.channels() != 1) {
                return "the CUDA backend takes one-channel loss masks, got " + m.channels() + " channels";
            }
        }
        int k = spec.start().model().shCoefficients();
        if (k > 16) {
            return "the CUDA backend evaluates SH up to degree 3, the model has " + k + " coefficients per channel";
        }
        return probe();
    }

    static BasisShape shape(String model) {
        if (GaussianBasisModel.NAME.equals(model)) {
            return BasisShape.PUBLIC_CODE;
        }
        if (SmoothGaussianBasisModel.NAME.equals(model)) {
            return BasisShape.SMOOTH;
        }
        return null;
    }

    private static String probe() {
        if (!probed) {
            synchronized (CudaTrainingBackend.class) {
                if (!probed) {
                    try (CudaContext cuda = CudaContext.open()) {
                        deviceProblem = null;
                    } catch (CudaException e) {
                        deviceProblem = e.getMessage();
                    } catch (LinkageError e) {
                        // a JCuda native library that does not load here: no GPU path, not a crash
                        deviceProblem = "the CUDA driver bindings do not load: " + e;
                    }
                    probed = true;
                }
            }
        }
        return deviceProblem;
    }

    /**
     * Device and host needs at the surfel cap (CudaMemoryNeeds: on the device {@link SessionMemory#peakAtCap}, the
     * figure the session itself checks when it opens); the device pool's limit is the free memory of the device now,
     * with a context open, -1 when no context opens here (then {@link #unavailableReason} says why).
     */
    @Override
    public Optional<MemoryNeeds> memoryNeeds(SessionSize size) {
        long free = -1;
        if (probe() == null) {
            try (CudaContext cuda = CudaContext.open()) {
                free = cuda.freeBytes();
            } catch (CudaException e) {
                free = -1;
            }
        }
        return Optional.of(CudaMemoryNeeds.of(size, free));
    }

    /**
     * A session on an already open context, which the session does not close (the parity checks compare it with the
     * CPU session on the selftest's context).
     */
    public static TrainingSession openOn(CudaContext cuda, SessionSpec spec) {
        BasisShape shape = shape(spec.deformationModel().name());
        if (shape == null) {
            throw new IllegalArgumentException("no CUDA kernels for deformation model " + spec.deformationModel().name());
        }
        return new CudaTrainingSession(cuda, false, spec, shape);
    }

    /**
     * The memory model of a session this backend opened, with the entries of its first frame once it rendered one
     * (before: {@link SessionMemory#ASSUMED_ENTRIES_PER_SURFEL} at its cap); for the capacity bench row.
     *
     * @throws IllegalArgumentException for a session of another backend
     */
    public static SessionMemory memoryOf(TrainingSession session) {
        if (!(session instanceof CudaTrainingSession cuda)) {
            throw new IllegalArgumentException("not a CUDA training session: " + session);
        }
        return cuda.memory();
    }

    @Override
    public TrainingSession open(SessionSpec spec) {
        String reason = unavailableReason(spec);
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        CudaContext cuda = CudaContext.open();
        try {
            return new CudaTrainingSession(cuda, true, spec, shape(spec.deformationModel().name()));
        } catch (RuntimeException e) {
            cuda.close();
            throw e;
        }
    }
}
