package org.diff2dgs.core.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Comparator;
import java.util.List;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.junit.jupiter.api.Test;

/** --backend cuda|cpu|auto: auto takes the best available backend and says why better ones were passed over. */
class BackendChoiceTest {

    private record Backend(String name, int priority, String unavailableReason) implements ComputeBackend {
        @Override
        public String device() {
            return name + " device";
        }

        @Override
        public Rasterizer createRasterizer() {
            throw new UnsupportedOperationException("not rendered in this test");
        }
    }

    private static ServiceCatalog catalog(ComputeBackend... backends) {
        List<ComputeBackend> sorted = java.util.Arrays.stream(backends)
                .sorted(Comparator.comparingInt(ComputeBackend::priority).reversed()).toList();
        return new ServiceCatalog() {
            @Override
            public List<ComputeBackend> computeBackends() {
                return sorted;
            }
        };
    }

    private final Backend cpu = new Backend("cpu", 0, null);
    private final Backend noGpu = new Backend("cuda", 10, "no NVIDIA driver found (libcuda.so.1)");
    private final Backend gpu = new Backend("cuda", 10, null);

    @Test
    void autoTakesTheBestAvailableAndSaysWhy() {
        ServiceCatalog c = catalog(cpu, noGpu);
        assertSame(cpu, c.chooseComputeBackend("auto"));
        assertSame(cpu, c.chooseComputeBackend(null));
        assertEquals("backend auto: cpu on cpu device (cuda: no NVIDIA driver found (libcuda.so.1))",
                c.describeAutoChoice(cpu));
        ServiceCatalog withGpu = catalog(cpu, gpu);
        assertSame(gpu, withGpu.chooseComputeBackend("auto"));
        assertEquals("backend auto: cuda on cuda device", withGpu.describeAutoChoice(gpu));
    }

    @Test
    void aNamedBackendThatCannotRunIsAUserErrorWithTheReason() {
        ServiceCatalog c = catalog(cpu, noGpu);
        UserInputException e = assertThrows(UserInputException.class, () -> c.chooseComputeBackend("cuda"));
        assertEquals("backend 'cuda' is not available here: no NVIDIA driver found (libcuda.so.1)", e.getMessage());
        UserInputException unknown = assertThrows(UserInputException.class, () -> c.chooseComputeBackend("tpu"));
        assertEquals("unknown backend 'tpu' (installed: [cuda, cpu], or auto)", unknown.getMessage());
        assertSame(cpu, c.chooseComputeBackend("cpu"));
    }
}
