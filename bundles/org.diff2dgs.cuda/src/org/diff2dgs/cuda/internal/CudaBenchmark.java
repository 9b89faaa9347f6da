package org.diff2dgs.cuda.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.diff2dgs.core.api.BenchOptions;
import org.diff2dgs.core.api.BenchReport;
import org.diff2dgs.core.api.BenchRow;
import org.diff2dgs.core.api.Benchmark;
import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.SceneGenerator;
import org.diff2dgs.cuda.internal.bench.KernelTiming;
import org.diff2dgs.cuda.internal.bench.KernelTimings;
import org.diff2dgs.cuda.internal.bench.MemorySampler;
import org.diff2dgs.cuda.internal.bench.RasterizerRows;
import org.diff2dgs.cuda.internal.bench.Timing;
import org.diff2dgs.cuda.internal.bench.TrainingRows;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.train.api.Reconstructor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * d2dgs bench on the CUDA device: time per kernel (CUDA events, median of the repeats), the rasterizer at the issue's
 * sizes, training speed, and peak device memory (our allocations, and the driver's count sampled after each
 * measurement).
 */
@Component(service = Benchmark.class)
public final class CudaBenchmark implements Benchmark {

    private final CudaRuntime runtime;
    // optional and dynamic: the training rows need them, the rest of the benchmark does not (and the catalog, which
    // lists this service, is what the reconstructor itself depends on)
    private volatile Reconstructor reconstructor;
    private final List<SceneGenerator> generators = new CopyOnWriteArrayList<>();
    private final List<DatasetReader> readers = new CopyOnWriteArrayList<>();

    @Activate
    public CudaBenchmark(@Reference CudaRuntime runtime) {
        this.runtime = runtime;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setReconstructor(Reconstructor r) {
        reconstructor = r;
    }

    void unsetReconstructor(Reconstructor r) {
        if (reconstructor == r) {
            reconstructor = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSceneGenerator(SceneGenerator g) {
        generators.add(g);
    }

    void removeSceneGenerator(SceneGenerator g) {
        generators.remove(g);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDatasetReader(DatasetReader r) {
        readers.add(r);
    }

    void removeDatasetReader(DatasetReader r) {
        readers.remove(r);
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
        progress.begin("bench on " + cuda.deviceName(), kernels.size() + 2);
        try {
            for (KernelTiming k : kernels) {
                progress.checkCancelled();
                rows.add(time(cuda, k, options, memory));
                progress.worked(1, k.name());
            }
            rows.addAll(RasterizerRows.measure(cuda, options, memory));
            progress.worked(1, "rasterizer");
            TrainingRows.Services services = new TrainingRows.Services(reconstructor,
                    generators.stream().filter(g -> g.name().equals("tissue")).findFirst().orElse(null),
                    readers.stream().filter(r -> r.format().equals("endonerf")).findFirst().orElse(null),
                    new CudaBackend(runtime));
            rows.addAll(TrainingRows.measure(services, options, memory, progress));
            progress.worked(1, "training");
        } finally {
            progress.done();
        }
        memory.sample();
        rows.add(new BenchRow("memory", "peak of our device allocations", cuda.peakAllocatedBytes() / 1048576.0,
                "MiB", "tracked by the CUDA context"));
        rows.add(new BenchRow("memory", "peak device memory in use (driver)", memory.peakUsedBytes() / 1048576.0,
                "MiB", "sampled after each measurement; includes the CUDA context itself and other processes"));
        return new BenchReport("cuda", runtime.device(), rows);
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
