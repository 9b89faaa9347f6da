package org.diff2dgs.cuda.internal.raster;

import static jcuda.driver.JCudaDriver.cuGraphDestroy;
import static jcuda.driver.JCudaDriver.cuGraphExecDestroy;
import static jcuda.driver.JCudaDriver.cuGraphInstantiate;
import static jcuda.driver.JCudaDriver.cuGraphLaunch;
import static jcuda.driver.JCudaDriver.cuStreamBeginCapture;
import static jcuda.driver.JCudaDriver.cuStreamEndCapture;

import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstreamCaptureMode;

/**
 * One CUDA graph for one stage of the forward (projection, depth sort and scan; binning and render): captured from a
 * {@link LaunchPlan} the first time, then launched with a single driver call for as long as the plan stays the same
 * (same surfel count, buffers, capacity, image, settings). Through JCuda every launch costs the host several
 * microseconds, more than most of these kernels take on the GPU, so a stage of a dozen short kernels ran at the
 * host's pace. A changed plan (densification, grown buffers, another camera size) is captured again.
 */
final class StageGraph implements AutoCloseable {

    private final CUstream stream;
    private LaunchPlan cached;
    private CUgraph graph;
    private CUgraphExec exec;
    private int captures;

    StageGraph(CUstream stream) {
        this.stream = stream;
    }

    /** Captures made so far (one per distinct plan in a row). */
    int captures() {
        return captures;
    }

    /**
     * Makes the graph {@code plan}'s, capturing it again unless it is the cached one; queues nothing, so a forward
     * can prepare its second graph before it launches the first. A failure while capturing or instantiating is
     * thrown as an {@link IllegalStateException}, and the caller may queue the plan directly instead.
     */
    void prepare(LaunchPlan plan) {
        if (exec == null || !cached.sameAs(plan)) {
            destroy();
            capture(plan);
        }
    }

    /** Queues the prepared graph on the stream. */
    void launch() {
        if (exec == null) {
            throw new IllegalStateException("rasterizer graph launched before it was prepared");
        }
        int r = cuGraphLaunch(exec, stream);
        if (r != CUresult.CUDA_SUCCESS) {
            throw new org.diff2dgs.cuda.internal.driver.CudaException("cuGraphLaunch of the rasterizer graph failed: "
                    + CUresult.stringFor(r), CUresult.stringFor(r), null);
        }
    }

    /**
     * Captures {@code plan} into a new graph and instantiates it. JCuda reports driver failures either as a result
     * code or as its own exception (when its exceptions are on): both, and a failing launch inside the capture, end
     * the capture (so the stream is usable again) and come out as an IllegalStateException.
     */
    private void capture(LaunchPlan plan) {
        CUgraph g = new CUgraph();
        boolean capturing = false;
        try {
            check("cuStreamBeginCapture", cuStreamBeginCapture(stream,
                    CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL));
            capturing = true;
            plan.enqueueWithoutMarks();
            capturing = false;
            check("cuStreamEndCapture", cuStreamEndCapture(stream, g));
            CUgraphExec x = new CUgraphExec();
            check("cuGraphInstantiate", cuGraphInstantiate(x, g, 0));
            graph = g;
            exec = x;
            cached = plan;
            captures++;
        } catch (RuntimeException e) {
            if (capturing) {
                try {
                    cuStreamEndCapture(stream, g);
                } catch (RuntimeException ignored) {
                    // the capture is invalid already; the first failure is the one to report
                }
            }
            try {
                cuGraphDestroy(g);
            } catch (RuntimeException ignored) {
                // nothing was created
            }
            throw new IllegalStateException("capturing the rasterizer graph failed: " + e.getMessage(), e);
        }
    }

    private static void check(String call, int result) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new IllegalStateException(call + " failed: " + CUresult.stringFor(result));
        }
    }

    private void destroy() {
        if (exec != null) {
            cuGraphExecDestroy(exec);
            exec = null;
        }
        if (graph != null) {
            cuGraphDestroy(graph);
            graph = null;
        }
        cached = null;
    }

    @Override
    public void close() {
        destroy();
    }
}
