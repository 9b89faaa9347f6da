package org.diff2dgs.cuda.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchReport;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.core.api.Benchmark;
import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.SceneGenerator;
import org.diff2dgs.cuda.internal.bench.CapacityRows;
import org.diff2dgs.cuda.internal.bench.KernelTiming;
import org.diff2dgs.cuda.internal.bench.KernelTimings;
import org.diff2dgs.cuda.internal.bench.MemorySampler;
import org.diff2dgs.cuda.internal.bench.RasterizerRows;
import org.diff2dgs.cuda.internal.bench.Timing;
import org.diff2dgs.cuda.internal.bench.TrainKernelRows;
import org.diff2dgs.cuda.internal.bench.TrainingRows;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.train.api.Reconstructor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * d2dgs bench on the CUDA device: time per kernel (CUDA events, median of the repeats), the rasterizer at the issue's
 * sizes, training speed, and peak device memory (our allocations, and the driver's count sampled after each
 * measurement).
 */
@Component(service = Benchmark.class)
public final class CudaBenchmark implements Benchmark {

    private final CudaRuntime runtime;

    @Activate
    public CudaBenchmark(@Reference CudaRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String backend() {
        return "cuda";
    }

    @Override
    public String unavailableReason() {
        return runtime.unavailableReason();
    }

    @Override
    public BenchReport run(BenchOptions options, Progress progress) {
        CudaContext cuda = runtime.context();
        cuda.synchronize();
        cuda.resetPeak();
        MemorySampler memory = new MemorySampler(cuda);
        List<BenchRow> rows = new ArrayList<>();
        List<KernelTiming> kernels = KernelTimings.all();
        progress.begin("bench on " + cuda.deviceName(), kernels.size() + 3);
        try {
            for (KernelTiming k : kernels) {
                progress.checkCancelled();
                rows.add(time(cuda, k, options, memory));
                progress.worked(1, k.name());
            }
            rows.addAll(RasterizerRows.measure(cuda, options, memory));
            progress.worked(1, "rasterizer");
            rows.addAll(TrainKernelRows.measure(cuda, options, memory));
            progress.worked(1, "training kernels");
            rows.addAll(TrainingRows.measure(trainingServices(), options, memory, progress));
            progress.worked(1, "training");
        } finally {
            progress.done();
        }
        memory.sample();
        rows.add(new BenchRow("memory", "peak of our device allocations", cuda.peakAllocatedBytes() / 1048576.0,
                "MiB", "tracked by the CUDA context"));
        rows.add(new BenchRow("memory", "peak device memory in use (driver)", memory.peakUsedBytes() / 1048576.0,
                "MiB", "sampled after each measurement; includes the CUDA context itself and other processes"));
        if (options.training()) {
            progress.checkCancelled();
            rows.addAll(CapacityRows.measure(cuda, options));
        }
        return new BenchReport("cuda", runtime.device(), rows);
    }

    /**
     * Looked up when the training rows run, not referenced through DS: the catalog lists this service and the
     * reconstructor depends on the catalog, so a reference back would be a cycle.
     */
    private TrainingRows.Services trainingServices() {
        Bundle bundle = FrameworkUtil.getBundle(CudaBenchmark.class);
        BundleContext bc = bundle == null ? null : bundle.getBundleContext();
        if (bc == null) {
            return new TrainingRows.Services(null, null, null, new CudaBackend(runtime));
        }
        return new TrainingRows.Services(first(bc, Reconstructor.class, x -> true),
                first(bc, SceneGenerator.class, g -> g.name().equals("tissue")),
                first(bc, DatasetReader.class, r -> r.format().equals("endonerf")), new CudaBackend(runtime));
    }

    private static <T> T first(BundleContext bc, Class<T> type, java.util.function.Predicate<T> wanted) {
        try {
            for (ServiceReference<T> ref : bc.getServiceReferences(type, null)) {
                T s = bc.getService(ref);
                if (s != null && wanted.test(s)) {
                    return s;
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    private static BenchRow time(CudaContext cuda, KernelTiming k, BenchOptions options, MemorySampler memory) {
        try (KernelTiming.Prepared p = k.prepare(cuda, options.seed())) {
            double ms = Timing.deviceMedianMs(cuda, options.warmup(), options.repeats(), p::queue);
            memory.sample();
            String note = "median of " + options.repeats() + (p.bytesMoved() > 0 && ms > 0 ? String.format(Locale.ROOT,
                    ", %.0f GB/s effective", p.bytesMoved() / (ms * 1e-3) / 1e9) : "");
            return new BenchRow("kernels", k.name(), ms, "ms", note);
        } catch (RuntimeException e) {
            return BenchRow.missing("kernels", k.name(), "ms", "failed: " + e.getMessage());
        }
    }
}
