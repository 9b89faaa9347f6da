package org.diff2dgs.pipeline.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;

import org.diff2dgs.core.api.ComputeBackend;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.Rasterizer;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.pipeline.api.Pipeline;
import org.diff2dgs.pipeline.api.RunReport;
import org.diff2dgs.pipeline.api.RunRequest;
import org.diff2dgs.pipeline.api.Stages;
import org.diff2dgs.train.api.SessionSpec;
import org.diff2dgs.train.api.TrainingBackend;
import org.diff2dgs.train.api.TrainingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

import com.google.gson.JsonObject;

/**
 * {@code --backend auto} in a staged run: a GPU-like compute backend ranked above "cpu" whose training backend
 * refuses the run trains on "cpu", and run.json and train/result.json say which backend trained and why; the same
 * backend named explicitly is a user error; an unavailable GPU backend is passed over with its reason recorded.
 */
class AutoBackendTest {

    static final String GPU = "gpu-test";

    /** Ranked above every real backend; renders through the CPU rasterizer (only training is under test). */
    static ComputeBackend gpu(String unavailable) {
        ComputeBackend cpu = Osgi.service(ServiceCatalog.class).computeBackend("cpu").orElseThrow();
        return new ComputeBackend() {
            @Override
            public String name() {
                return GPU;
            }

            @Override
            public String device() {
                return "test GPU";
            }

            @Override
            public String unavailableReason() {
                return unavailable;
            }

            @Override
            public int priority() {
                return 1_000;
            }

            @Override
            public Rasterizer createRasterizer() {
                return cpu.createRasterizer();
            }
        };
    }

    static TrainingBackend refusing(String reason) {
        return new TrainingBackend() {
            @Override
            public String name() {
                return GPU;
            }

            @Override
            public String unavailableReason(SessionSpec spec) {
                return reason;
            }

            @Override
            public TrainingSession open(SessionSpec spec) {
                throw new AssertionError("a refusing backend is never opened");
            }
        };
    }

    static RunRequest request(Path out, String backend) {
        return new RunRequest(null, null, PipelineTest.TINY, out, ReadOptions.defaults(), PipelineTest.quick(20),
                backend, null, Stages.TRAIN, Set.of(), false, List.of(), List.of(), 0, "none", null);
    }

    static BundleContext context() {
        return FrameworkUtil.getBundle(AutoBackendTest.class).getBundleContext();
    }

    @Test
    void autoTrainsOnTheCpuWhenTheGpuTrainingBackendRefusesAndRecordsWhy(@TempDir Path dir) {
        String reason = "no kernels for deformation model 'gaussian-basis' in this test";
        ServiceRegistration<ComputeBackend> c = context().registerService(ComputeBackend.class, gpu(null),
                new Hashtable<>());
        ServiceRegistration<TrainingBackend> t = context().registerService(TrainingBackend.class, refusing(reason),
                new Hashtable<>());
        try {
            Path run = dir.resolve("auto");
            RunReport r = Osgi.service(Pipeline.class).run(request(run, "auto"), Progress.NONE);
            assertEquals("cpu", r.summary().get("backend"));
            JsonObject state = Json.readTree(run.resolve("run.json")).getAsJsonObject();
            assertEquals("cpu", state.get("backend").getAsString());
            assertTrue(state.get("backendReason").getAsString().contains(reason), state.toString());
            assertTrue(state.get("backendReason").getAsString().contains("'" + GPU + "'"), state.toString());
            JsonObject env = state.getAsJsonObject("environment");
            assertEquals("cpu", env.get("backend").getAsString());
            assertFalse(env.get("device").getAsString().contains("test GPU"), env.toString());
            JsonObject result = Json.readTree(run.resolve("train/result.json")).getAsJsonObject();
            assertEquals("cpu", result.get("backend").getAsString());
            assertTrue(result.get("backendReason").getAsString().contains(reason), result.toString());

            UserInputException e = assertThrows(UserInputException.class,
                    () -> Osgi.service(Pipeline.class).run(request(dir.resolve("named"), GPU), Progress.NONE));
            assertTrue(e.getMessage().contains(reason) && e.getMessage().contains("'" + GPU + "'"), e.getMessage());
        } finally {
            t.unregister();
            c.unregister();
        }
    }

    @Test
    void autoPassesOverAnUnavailableBackendAndRecordsWhy(@TempDir Path dir) {
        ServiceRegistration<ComputeBackend> c = context().registerService(ComputeBackend.class,
                gpu("no GPU in this test"), new Hashtable<>());
        try {
            Path run = dir.resolve("auto");
            Osgi.service(Pipeline.class).run(request(run, null), Progress.NONE);
            JsonObject state = Json.readTree(run.resolve("run.json")).getAsJsonObject();
            assertEquals("cpu", state.get("backend").getAsString());
            assertTrue(state.get("backendReason").getAsString().contains("no GPU in this test"), state.toString());

            UserInputException e = assertThrows(UserInputException.class,
                    () -> Osgi.service(Pipeline.class).run(request(dir.resolve("named"), GPU), Progress.NONE));
            assertTrue(e.getMessage().contains("no GPU in this test"), e.getMessage());
        } finally {
            c.unregister();
        }
    }
}
