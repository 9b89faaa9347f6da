package org.diff2dgs.cuda.internal.raster;

import java.util.Map;

import org.diff2dgs.core.api.RenderSettings;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.DeviceBuffer;
import org.diff2dgs.cuda.internal.driver.Kernel;

/**
 * The CUDA 2DGS rasterizer on device buffers: inputs and outputs stay in GPU memory (the training session calls this
 * without host copies). Layouts are the Java ones: positions 3n, rotations 4n (w, x, y, z), scales 2n, opacities n,
 * colours 3n; images planar (colour 3 planes, AUX 7 planes of core.api.RenderOutput); radii n ints.
 *
 * <p>
 * Forward: the camera's upload -> project_forward -> binning_count_scan -> binning_scan_spine -> binning_pairs ->
 * stable sort by tile (1 pass up to 2048 tiles, which also writes the tile ranges; else binning_ranges) ->
 * binning_tile_depth_sort_warp and binning_tile_depth_sort (each tile's list into depth order) ->
 * binning_tile_order (with {@link RenderTuning#tileOrderHeavy}, the default) -> fwd_render. With
 * {@link DepthOrder#GLOBAL} (not the default) a depth sort of all surfels (3 radix passes) follows
 * project_forward instead, and the per-tile sort is left out. The records stay in surfel order; each entry names
 * its surfel. Backward: bwd_render (partial gradients per (tile, surfel) entry) -> project_backward (per surfel,
 * double). Work buffers grow and are reused.
 *
 * <p>
 * The entry count: the scan's total sizes the entry buffers. With {@link EntryCount#DEFERRED} (the default once the
 * buffers exist) the binning, tile sort and render are queued for the buffers' capacity and read the total on the
 * device; the host waits for the total only after queuing the render ({@link EntryCountReadback}), and in the rare
 * case it exceeds the capacity grows the buffers and redoes binning, sort and render before returning. With
 * {@link EntryCount#SYNC} (and on the first forward) the host reads the total right after the scan, as before.
 * Either way the outputs are complete and correct when {@link #forward} returns to its caller's stream order.
 *
 * <p>
 * Contract: {@link #backward} belongs to the most recent {@link #forward}, whose input buffers must not change in
 * between (they are read again). Not thread-safe.
 */
public final class DeviceRasterizer implements AutoCloseable {

    private final CudaContext cuda;
    private final StageTimer timer;

    private final Kernel project;
    private final Kernel projectBackward;
    private final Kernel countScan;
    private final Kernel scanSpine;
    private final Kernel pairs;
    private final Kernel upsweep;
    private final Kernel spine;
    private final Kernel downsweep;
    private final Kernel rangesKernel;
    private final Kernel tileDepthSort;
    private final Kernel tileDepthSortWarp;
    private final boolean tileDepthWarp = parseOnOff(System.getProperty(TILE_DEPTH_WARP_PROPERTY, "on"),
            "-D" + TILE_DEPTH_WARP_PROPERTY);
    private final Kernel tileOrderKernel;
    private final Kernel spin;
    private final Kernel[] render = new Kernel[ExpMode.values().length];
    private final Kernel[] renderFourBlocks = new Kernel[ExpMode.values().length];
    /** The _cuts builds, taken while {@link #flagNearCuts} is on. */
    private final Kernel[] renderWithCuts = new Kernel[ExpMode.values().length];
    /** Backward kernels by exp mode, for 3 blocks per SM, then 2, then no minimum (RenderTuning.backwardBlocks). */
    private final Kernel[] renderBackward = new Kernel[ExpMode.values().length];
    private final Kernel[] renderBackwardTwoBlocks = new Kernel[ExpMode.values().length];
    private final Kernel[] renderBackwardNoMinimum = new Kernel[ExpMode.values().length];
    /** The double-exp backward without warp tools, for 3, 2 and no minimum blocks (index 3, 2, 0). */
    private final Kernel[] renderBackwardPlain = new Kernel[4];
    /** The backward kernels with the footprint test (_fp), looked up on first use by name. */
    private final java.util.Map<String, Kernel> renderBackwardFootprint = new java.util.HashMap<>();
    private final EntryCountReadback countReadback;
    private final DeviceCamera deviceCamera;
    private final StageGraph firstGraph;
    private final StageGraph secondGraph;

    /**
     * System property: "on" (default since run 6) captures the forward's stages into CUDA graphs; "off" launches
     * them one by one. Either way the same kernels run on the same buffers; a failed capture falls back to direct
     * launches.
     */
    public static final String GRAPH_PROPERTY = "d2dgs.raster.graph";
    private boolean useGraphs = graphsFromSystem();
    /** System property: the widest digit of the depth sort's passes, 8 to 11 bits (default 11: 3 passes). */
    public static final String DEPTH_DIGIT_PROPERTY = "d2dgs.raster.depthDigitBits";
    private final int depthDigitBits = depthDigitBitsFromSystem();
    private String graphFailure;

    /** How the forward learns the entry count (see the class comment). */
    public enum EntryCount {
        DEFERRED, SYNC;

        /** System property selecting the default of new rasterizers: deferred (default) or sync. */
        public static final String PROPERTY = "d2dgs.raster.entryCount";

        public static EntryCount fromSystem() {
            String v = System.getProperty(PROPERTY);
            if (v == null || v.isBlank() || v.trim().equalsIgnoreCase("deferred")) {
                return DEFERRED;
            }
            if (v.trim().equalsIgnoreCase("sync")) {
                return SYNC;
            }
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + ": expected deferred or sync");
        }
    }

    /**
     * Where the depth order inside each tile's list comes from (binning.cu): {@link #TILES} (the default) sorts each
     * tile's list after the tile sort, in a warp or a block of its own (binning_tile_depth_sort_warp and
     * binning_tile_depth_sort, two launches), {@link #GLOBAL} sorts all surfels by depth before the entries are
     * generated (three radix passes, nine launches). The lists are the same. On the H100 with the host code warmed
     * up (run 9, call 2, same processes) the per-tile order's forward was faster at 50k and 100k surfels
     * (0.197-0.198 against 0.222-0.226 ms, 0.251-0.253 against 0.270-0.273); at 1M it was the faster in run 8
     * (1.06-1.07 against 1.11-1.18; runs 8-9 per tile 1.03-1.07), and equal at 300k. Run 8 had taken GLOBAL below
     * 300k surfels, from measurements whose host code was not yet compiled (docs/benchmarks/gpu.md, run 9).
     */
    public enum DepthOrder {
        TILES, GLOBAL;

        /** System property selecting the default of new rasterizers: tiles (default) or global. */
        public static final String PROPERTY = "d2dgs.raster.depthOrder";

        public static DepthOrder fromSystem() {
            return parse(System.getProperty(PROPERTY, "tiles"), "-D" + PROPERTY);
        }

        /** "tiles" or "global"; anything else is an error naming {@code what}. */
        public static DepthOrder parse(String value, String what) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "tiles" -> TILES;
                case "global" -> GLOBAL;
                default -> throw new IllegalArgumentException(what + "=" + value + ": expected tiles or global");
            };
        }
    }

    private ExpMode expMode = ExpMode.fromSystem();
    private DepthOrder depthOrder = DepthOrder.fromSystem();
    private RenderTuning tuning = RenderTuning.fromSystem();
    private EntryCount entryCount = EntryCount.fromSystem();
    private boolean flagNearCuts;
    private int overflowRedos;

    // per surfel
    private final GrowingBuffer records;
    private final GrowingBuffer depthKeysA;
    private final GrowingBuffer depthKeysB;
    private final GrowingBuffer depthValuesA;
    private final GrowingBuffer depthValuesB;
    private final GrowingBuffer scanOffsets;
    private final GrowingBuffer firstEntry;
    private final GrowingBuffer blockSums;
    private final GrowingBuffer total;
    // per (tile, surfel) entry
    private final GrowingBuffer pairKeysA;
    private final GrowingBuffer pairKeysB;
    private final GrowingBuffer pairValuesA;
    private final GrowingBuffer pairValuesB;
    private final GrowingBuffer entrySurfel;
    private final GrowingBuffer pairGradients;
    // radix sort
    private final GrowingBuffer histogram;
    private final GrowingBuffer rowTotals;
    // per tile and per pixel
    private final GrowingBuffer ranges;
    private final GrowingBuffer tileOrder;
    private final GrowingBuffer finalT;
    private final GrowingBuffer finalM1;
    private final GrowingBuffer finalM2;
    private final GrowingBuffer lastContributor;
    private final GrowingBuffer medianContributor;
    private final GrowingBuffer nearCutFlags;
    private ExpMode forwardExpMode = ExpMode.DOUBLE;

    // state of the last forward
    private long generation;
    private int count;
    private int pairCount;
    private Camera camera;
    private RenderSettings settings;
    private DeviceBuffer positions;
    private DeviceBuffer rotations;
    private DeviceBuffer scales;
    private DeviceBuffer depthSorted;  // surfel indices in depth order (DepthOrder.GLOBAL), else null
    private DeviceBuffer tileSortedValues;  // entry indices e, tile by tile
    private DeviceBuffer forwardTileOrder;  // the last forward's heavy-first tile order, null for raster order

    public DeviceRasterizer(CudaContext cuda) {
        this.cuda = cuda;
        this.timer = new StageTimer(cuda.stream());
        project = cuda.kernel("project_forward");
        projectBackward = cuda.kernel("project_backward");
        countScan = cuda.kernel("binning_count_scan");
        scanSpine = cuda.kernel("binning_scan_spine");
        pairs = cuda.kernel("binning_pairs");
        upsweep = cuda.kernel("binning_radix_upsweep");
        spine = cuda.kernel("binning_radix_spine");
        downsweep = cuda.kernel("binning_radix_downsweep");
        rangesKernel = cuda.kernel("binning_ranges");
        tileDepthSort = cuda.kernel("binning_tile_depth_sort");
        tileDepthSortWarp = cuda.kernel("binning_tile_depth_sort_warp");
        tileOrderKernel = cuda.kernel("binning_tile_order");
        spin = cuda.kernel("binning_spin");
        for (ExpMode m : ExpMode.values()) {
            render[m.ordinal()] = cuda.kernel(m.forwardKernel());
            renderFourBlocks[m.ordinal()] = cuda.kernel(tuning.withForwardBlocks(4).forwardKernel(m));
            renderWithCuts[m.ordinal()] = cuda.kernel(m.forwardKernelWithCuts());
            renderBackward[m.ordinal()] = cuda.kernel(tuning.withBackwardBlocks(3).backwardKernel(m));
            renderBackwardTwoBlocks[m.ordinal()] = cuda.kernel(tuning.withBackwardBlocks(2).backwardKernel(m));
            renderBackwardNoMinimum[m.ordinal()] = cuda.kernel(tuning.withBackwardBlocks(0).backwardKernel(m));
        }
        for (int blocks : new int[] {3, 2, 0}) {
            renderBackwardPlain[blocks] = cuda.kernel(tuning.withBackwardWarpTools(false).withBackwardBlocks(blocks)
                    .backwardKernel(ExpMode.DOUBLE));
        }
        countReadback = new EntryCountReadback(cuda.stream());
        deviceCamera = new DeviceCamera(cuda);
        firstGraph = new StageGraph(cuda.stream());
        secondGraph = new StageGraph(cuda.stream());
        records = GrowingBuffer.exact(cuda, "rasterizer surfel records");
        depthKeysA = GrowingBuffer.exact(cuda, "rasterizer depth keys");
        depthKeysB = GrowingBuffer.exact(cuda, "rasterizer depth keys (sort buffer)");
        depthValuesA = GrowingBuffer.exact(cuda, "rasterizer depth order");
        depthValuesB = GrowingBuffer.exact(cuda, "rasterizer depth order (sort buffer)");
        scanOffsets = GrowingBuffer.exact(cuda, "rasterizer tile count offsets");
        firstEntry = GrowingBuffer.exact(cuda, "rasterizer first entry per surfel");
        blockSums = new GrowingBuffer(cuda, "rasterizer scan block sums");
        total = new GrowingBuffer(cuda, "rasterizer entry count");
        pairKeysA = new GrowingBuffer(cuda, "rasterizer tile keys");
        pairKeysB = new GrowingBuffer(cuda, "rasterizer tile keys (sort buffer)");
        pairValuesA = new GrowingBuffer(cuda, "rasterizer tile entries");
        pairValuesB = new GrowingBuffer(cuda, "rasterizer tile entries (sort buffer)");
        entrySurfel = new GrowingBuffer(cuda, "rasterizer entry surfels");
        pairGradients = new GrowingBuffer(cuda, "rasterizer entry gradients");
        histogram = new GrowingBuffer(cuda, "rasterizer radix histogram");
        rowTotals = new GrowingBuffer(cuda, "rasterizer radix digit totals");
        ranges = new GrowingBuffer(cuda, "rasterizer tile ranges");
        tileOrder = new GrowingBuffer(cuda, "rasterizer heavy-first tile order");
        finalT = new GrowingBuffer(cuda, "rasterizer final transmittance");
        finalM1 = new GrowingBuffer(cuda, "rasterizer distortion sums M1");
        finalM2 = new GrowingBuffer(cuda, "rasterizer distortion sums M2");
        lastContributor = new GrowingBuffer(cuda, "rasterizer last contributors");
        medianContributor = new GrowingBuffer(cuda, "rasterizer median contributors");
        nearCutFlags = new GrowingBuffer(cuda, "rasterizer near-cut flags (parity)");
    }

    /** How G = exp(-rho/2) is evaluated from the next forward on (default: {@link ExpMode#fromSystem}). */
    public void expMode(ExpMode mode) {
        this.expMode = java.util.Objects.requireNonNull(mode);
    }

    public ExpMode expMode() {
        return expMode;
    }

    /** Warp shape and sparse-warp limit of the render kernels from the next call on (default: the properties). */
    public void tuning(RenderTuning t) {
        this.tuning = java.util.Objects.requireNonNull(t);
    }

    public RenderTuning tuning() {
        return tuning;
    }

    /** Where the next forwards take the depth order inside a tile from (default: {@link DepthOrder#fromSystem}). */
    public void depthOrder(DepthOrder order) {
        this.depthOrder = java.util.Objects.requireNonNull(order);
    }

    public DepthOrder depthOrder() {
        return depthOrder;
    }

    /** How the next forwards learn the entry count (default: {@link EntryCount#fromSystem}). */
    public void entryCount(EntryCount mode) {
        this.entryCount = java.util.Objects.requireNonNull(mode);
    }

    public EntryCount entryCount() {
        return entryCount;
    }

    /**
     * From the next forward on, queue the camera upload, projection, depth sort and scan, and then the binning and
     * render, as two CUDA graphs (captured once per distinct launch plan, see {@link StageGraph}); needs the deferred
     * entry count and no stage timing, else the launches go directly. Default: the system property
     * {@link #GRAPH_PROPERTY}.
     */
    public void graphs(boolean on) {
        this.useGraphs = on;
    }

    public boolean graphs() {
        return useGraphs;
    }

    /** The system property {@link #GRAPH_PROPERTY}: on/true, off/false (default off). */
    public static boolean graphsFromSystem() {
        return parseOnOff(System.getProperty(GRAPH_PROPERTY, "on"), GRAPH_PROPERTY);
    }


    /**
     * System property: "on" (default) orders the tile lists of up to {@link LaunchGeometry#TILE_DEPTH_WARP_MAX}
     * entries one warp each (binning_tile_depth_sort_warp) and leaves only the longer ones to the block kernel;
     * "off": the block kernel orders every list.
     */
    public static final String TILE_DEPTH_WARP_PROPERTY = "d2dgs.raster.tileDepthWarp";

    /** {@link #DEPTH_DIGIT_PROPERTY}, 8 to 11; anything else is an error naming the property. */
    public static int depthDigitBitsFromSystem() {
        String v = System.getProperty(DEPTH_DIGIT_PROPERTY, Integer.toString(RadixPlan.MAX_DIGIT_BITS)).trim();
        try {
            int bits = Integer.parseInt(v);
            if (bits >= 8 && bits <= RadixPlan.MAX_DIGIT_BITS) {
                return bits;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + DEPTH_DIGIT_PROPERTY + "=" + v + ": expected 8 to "
                + RadixPlan.MAX_DIGIT_BITS);
    }

    /** on/true or off/false, case-insensitive; anything else is an error naming {@code what}. */
    public static boolean parseOnOff(String value, String what) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("on") || v.equals("true")) {
            return true;
        }
        if (v.equals("off") || v.equals("false") || v.isEmpty()) {
            return false;
        }
        throw new IllegalArgumentException(what + "=" + value + ": expected on or off");
    }

    /** Why graphs were turned off after a failed capture (null when none failed). */
    public String graphFailure() {
        return graphFailure;
    }

    /** Graph captures so far (both stages); a steady state adds none. */
    public int graphCaptures() {
        return firstGraph.captures() + secondGraph.captures();
    }

    /** Forwards that found more entries than the buffers held and redid binning, sort and render. */
    public int overflowRedos() {
        return overflowRedos;
    }

    /**
     * Parity only: the forward also writes, per pixel, 1 when one of its decisions (alpha against 1/255, T against
     * 1e-4, T against 0.5 for the median) came within a relative 1e-5 of the cut ({@link #nearCutFlags()}). The
     * flagged forward is the mode's _cuts kernel (3 blocks per SM whatever {@link RenderTuning#forwardBlocks} says):
     * the same values as the render kernel, which the parity row "fwd_render ... vs its _cuts build" checks bit for bit.
     */
    public void flagNearCuts(boolean on) {
        this.flagNearCuts = on;
    }

    /** The near-cut flags of the last forward (W H ints), or null when {@link #flagNearCuts} was off. */
    public DeviceBuffer nearCutFlags() {
        return flagNearCuts && nearCutFlags.capacity() > 0 ? nearCutFlags.get() : null;
    }

    public CudaContext context() {
        return cuda;
    }

    /** Bumped by every forward (a host-side output can check it is still the latest). */
    public long generation() {
        return generation;
    }

    /** (tile, surfel) entries of the last forward. */
    public int pairs() {
        return pairCount;
    }

    public int count() {
        return count;
    }

    /** Stage name of the spin that {@link #queueAheadWhenTiming} puts before a timed forward or backward. */
    public static final String QUEUE_FILL_STAGE = "queue fill";
    /** The stage names the backward marks; every other stage belongs to the forward. */
    public static final String BACKWARD_RENDER_STAGE = "bwd_render";
    public static final String BACKWARD_PROJECT_STAGE = "project_backward";
    /** Clock cycles of that spin: about 2 ms at 1.7 GHz, far more than the host needs to queue a forward. */
    private static final long QUEUE_FILL_CYCLES = 3_500_000L;
    private boolean queueAhead;

    /**
     * While stages are timed, start each forward and backward with a short spin on the GPU (stage
     * {@link #QUEUE_FILL_STAGE}), so that the host has queued every launch before the GPU reaches it and the events
     * between stages time GPU work alone. Without it a stage of short kernels also counts the host's launch time.
     */
    public void queueAheadWhenTiming(boolean on) {
        this.queueAhead = on;
    }

    private void fillQueue() {
        if (queueAhead && timer.enabled()) {
            spin.launch(1, 1, 1, 1, 1, 1, 0, RasterKernelArgs.spin(QUEUE_FILL_CYCLES));
            timer.mark(QUEUE_FILL_STAGE);
        }
    }

    /** Records CUDA events between stages from now on (for the benchmark); read them with {@link #stageTimes()}. */
    public void timeStages(boolean on) {
        timer.enable(on);
    }

    /** Milliseconds per stage of the last forward and backward (empty unless {@link #timeStages} is on). */
    public Map<String, Double> stageTimes() {
        return timer.read();
    }

    /**
     * Renders {@code n} surfels. Outputs: {@code color} (3 W H floats), {@code others} (7 W H floats), {@code radii}
     * (n ints). The input buffers are read again by {@link #backward} and must stay unchanged until then.
     */
    public void forward(int n, DeviceBuffer positions, DeviceBuffer rotations, DeviceBuffer scales,
            DeviceBuffer opacities, DeviceBuffer colors, Camera camera, RenderSettings settings, DeviceBuffer color,
            DeviceBuffer others, DeviceBuffer radii) {
        if (n < 0) {
            throw new IllegalArgumentException("surfel count must not be negative, got " + n);
        }
        if (!(settings.near() > 0) || !(settings.far() > settings.near())) {
            throw new IllegalArgumentException(
                    "render settings need 0 < near < far, got near=" + settings.near() + " far=" + settings.far());
        }
        int width = camera.width();
        int height = camera.height();
        long hw = (long) width * height;
        need(positions, 3L * n, "positions");
        need(rotations, 4L * n, "rotations");
        need(scales, 2L * n, "scales");
        need(opacities, n, "opacities");
        need(colors, 3L * n, "colors");
        need(color, 3 * hw, "color image");
        need(others, AUX * hw, "aux images");
        need(radii, n, "radii");
        generation++;
        this.count = n;
        this.camera = camera;
        this.settings = settings;
        this.positions = positions;
        this.rotations = rotations;
        this.scales = scales;
        int tilesX = LaunchGeometry.tilesX(width);
        int tiles = tilesX * LaunchGeometry.tilesY(height);
        float near = (float) settings.near();
        float far = (float) settings.far();
        timer.start();
        fillQueue();

        ensureSurfels(n);
        ensurePixels(hw);
        forwardExpMode = expMode;
        FrameArgs frame = new FrameArgs(n, tilesX, tiles, width, height, near, far, settings.background(), color,
                others);
        if (n == 0) {
            pairCount = 0;
            ensurePairs(0);
            LaunchPlan empty = new LaunchPlan();
            bin(empty, frame, 0, null);
            render(empty, frame);
            empty.runDirect(timer);
            return;
        }
        // Graphs only when nobody times the stages (events between launches need direct launches).
        boolean graphs = useGraphs && !timer.enabled();
        long capacity = pairKeysA.capacity();
        boolean deferred = entryCount == EntryCount.DEFERRED && capacity > 0;
        if (deferred) {
            // The second plan's tile sort sizes the radix histogram for the entry buffers' capacity. Grow it now,
            // before the first plan (whose global depth sort uses it) is written down: both plans are prepared
            // before either runs, and a buffer the first plan names must not be freed by the second's growth.
            // (The same growths in the same order as before, so SessionMemory's model still holds.)
            histogram.ensure(LaunchGeometry.radixHistogramEntries(capacity));
        }
        LaunchPlan projectSortScan = new LaunchPlan();
        // The camera goes by address: the first graph stays the same from frame to frame (see DeviceCamera).
        deviceCamera.stage(camera);
        projectSortScan.copyCamera(deviceCamera);
        projectSortScan.launch(project, LaunchGeometry.blocks(n, LaunchGeometry.PROJECT_THREADS),
                LaunchGeometry.PROJECT_THREADS, 1, RasterKernelArgs.projectForward(n, positions, rotations, scales,
                        opacities, colors, deviceCamera.buffer(), near, records.get(), depthKeysA.get(), radii));
        projectSortScan.mark("project_forward");
        if (depthOrder == DepthOrder.GLOBAL) {
            int[] depthDigits = RadixPlan.digitBits(RadixPlan.DEPTH_KEY_BITS, depthDigitBits);
            boolean inB = sort(projectSortScan, n, depthDigits, depthKeysA.get(), depthValuesA.get(),
                    depthKeysB.get(), depthValuesB.get(), null, 0, null);
            depthSorted = inB ? depthValuesB.get() : depthValuesA.get();
            projectSortScan.mark("depth sort");
        } else {
            depthSorted = null;  // entries in surfel order; binning_tile_depth_sort orders each tile
        }
        int scanBlocks = LaunchGeometry.blocks(n, LaunchGeometry.SCAN_TILE);
        projectSortScan.launch(countScan, scanBlocks, LaunchGeometry.SCAN_THREADS, 1, RasterKernelArgs.countScan(n,
                depthSorted, records.get(), scanOffsets.get(), blockSums.get()));
        projectSortScan.launch(scanSpine, 1, LaunchGeometry.SCAN_SPINE_THREADS, 1, RasterKernelArgs.scanSpine(
                scanBlocks, blockSums.get(), total.get()));
        if (deferred) {
            projectSortScan.mark("tile count scan");
            int cap = (int) Math.min(Integer.MAX_VALUE, capacity);
            LaunchPlan binAndRender = new LaunchPlan();
            bin(binAndRender, frame, cap, total.get());
            render(binAndRender, frame);
            // Both graphs ready before the first is queued: the host's work between the two launches is then two
            // driver calls, shorter than the first graph on the GPU (run 8: with the plan built in between, the
            // GPU waited for the host after a first graph of 0.026 ms at 100k surfels).
            boolean firstReady = prepare(firstGraph, projectSortScan, graphs);
            boolean secondReady = prepare(secondGraph, binAndRender, graphs);
            launch(firstGraph, projectSortScan, firstReady);
            countReadback.request(total.get());
            launch(secondGraph, binAndRender, secondReady);
            pairCount = checkedCount(countReadback.await(), n);
            if (pairCount > cap) {
                // Rare: more entries than the buffers hold. The first attempt wrote only valid indices; redo it.
                overflowRedos++;
                ensurePairs(pairCount);
                LaunchPlan redo = new LaunchPlan();
                bin(redo, frame, pairCount, null);
                render(redo, frame);
                redo.runDirect(timer);
            }
            timer.mark("entry count check");
        } else {
            projectSortScan.runDirect(timer);
            int[] p = new int[1];
            total.get().copyTo(p, 1);
            pairCount = checkedCount(p[0], n);
            timer.mark("tile count scan");
            ensurePairs(pairCount);
            LaunchPlan binAndRender = new LaunchPlan();
            bin(binAndRender, frame, pairCount, null);
            render(binAndRender, frame);
            binAndRender.runDirect(timer);
        }
    }

    /**
     * Makes {@code graph} the plan's when graphs are on; false (queue the plan directly) when they are off or the
     * capture failed, which turns graphs off for the rest of this rasterizer's life.
     */
    private boolean prepare(StageGraph graph, LaunchPlan plan, boolean graphs) {
        if (!graphs) {
            return false;
        }
        try {
            graph.prepare(plan);
            return true;
        } catch (IllegalStateException e) {
            // nothing of the plan was queued: fall back to direct launches
            useGraphs = false;
            graphFailure = e.getMessage();
            return false;
        }
    }

    /** Queues a plan through its prepared graph, or directly. */
    private void launch(StageGraph graph, LaunchPlan plan, boolean prepared) {
        if (prepared) {
            graph.launch();
        } else {
            plan.runDirect(timer);
        }
    }

    /** The launch parameters of one frame shared by the binning and render helpers. */
    private record FrameArgs(int n, int tilesX, int tiles, int width, int height, float near, float far,
            float[] background, DeviceBuffer color, DeviceBuffer others) {
    }

    private static int checkedCount(int total, int n) {
        if (total < 0) {
            throw new IllegalStateException("(tile, surfel) entries overflow 2^31 with " + n + " surfels");
        }
        return total;
    }

    /**
     * Entries, stable sort by tile and tile ranges for {@code count} entries; with {@code deviceCount} non-null,
     * {@code count} is the buffers' capacity and the kernels take the real total from the device.
     */
    private void bin(LaunchPlan plan, FrameArgs f, int count, DeviceBuffer deviceCount) {
        if (count == 0) {
            plan.zero(ranges.ensure(2L * f.tiles()));
            tileSortedValues = pairValuesA.get();
            forwardTileOrder = null;
            return;
        }
        plan.launch(pairs, LaunchGeometry.blocks(f.n(), LaunchGeometry.ITEM_THREADS), LaunchGeometry.ITEM_THREADS,
                1, RasterKernelArgs.pairs(f.n(), scanOffsets.get(), blockSums.get(), depthSorted,
                        records.get(), f.tilesX(), pairKeysA.get(), entrySurfel.get(), firstEntry.get(), count));
        plan.mark("binning_pairs");
        // at least one pass: with a single tile (an image of 16x16 or less) no pass would write the values
        int[] tileBits = RadixPlan.digitBits(Math.max(1, RadixPlan.bitsFor(f.tiles())));
        // One pass sorts by the whole tile index: its last block-0 scan gives the ranges directly.
        boolean onePass = tileBits.length == 1;
        DeviceBuffer tileRanges = ranges.ensure(2L * f.tiles());
        boolean inB = sort(plan, count, tileBits, pairKeysA.get(), pairValuesA.get(), pairKeysB.get(),
                pairValuesB.get(), onePass ? tileRanges : null, f.tiles(), deviceCount);
        DeviceBuffer keys = inB ? pairKeysB.get() : pairKeysA.get();
        tileSortedValues = inB ? pairValuesB.get() : pairValuesA.get();
        plan.mark("tile sort");
        if (!onePass) {
            plan.zero(tileRanges);
            plan.launch(rangesKernel, LaunchGeometry.blocks(count, LaunchGeometry.ITEM_THREADS),
                    LaunchGeometry.ITEM_THREADS, 1, RasterKernelArgs.ranges(count, keys, tileRanges, deviceCount));
            plan.mark("binning_ranges");
        }
        if (depthSorted == null) {
            if (tileDepthWarp) {
                plan.launch(tileDepthSortWarp, LaunchGeometry.blocks(f.tiles(), LaunchGeometry.TILE_DEPTH_WARPS),
                        32 * LaunchGeometry.TILE_DEPTH_WARPS, 1, RasterKernelArgs.tileDepthSortWarp(f.tiles(),
                                tileRanges, tileSortedValues, entrySurfel.get(), depthKeysA.get()));
            }
            // the tile keys are spent once the ranges exist: both key buffers serve long lists as scratch
            plan.launch(tileDepthSort, f.tiles(), LaunchGeometry.TILE_DEPTH_THREADS, 1,
                    RasterKernelArgs.tileDepthSort(tileRanges, tileSortedValues,
                            inB ? pairValuesA.get() : pairValuesB.get(), pairKeysA.get(), pairKeysB.get(),
                            entrySurfel.get(), depthKeysA.get(), tileDepthWarp ? LaunchGeometry.TILE_DEPTH_WARP_MAX
                                    : 0));
            plan.mark("tile depth sort");
        }
        forwardTileOrder = tuning.tileOrderHeavy() ? orderTiles(plan, f.tiles()) : null;
    }

    /** Queues binning_tile_order on the current ranges: the heavy-first order of the render blocks. */
    private DeviceBuffer orderTiles(LaunchPlan plan, int tiles) {
        DeviceBuffer order = tileOrder.ensure(tiles);
        plan.launch(tileOrderKernel, 1, LaunchGeometry.TILE_ORDER_THREADS, 1, RasterKernelArgs.tileOrder(tiles,
                ranges.get(), order));
        plan.mark("binning_tile_order");
        return order;
    }

    /** The heavy-first tile order of the last forward (null: raster order), for the parity rows. */
    public DeviceBuffer tileOrder() {
        return forwardTileOrder;
    }

    private void render(LaunchPlan plan, FrameArgs f) {
        DeviceBuffer flags = null;
        if (flagNearCuts) {
            flags = nearCutFlags.ensure((long) f.width() * f.height());
        }
        Kernel[] kernels = flags != null ? renderWithCuts : tuning.forwardBlocks() == 4 ? renderFourBlocks : render;
        plan.launch(kernels[forwardExpMode.ordinal()], f.tiles(), LaunchGeometry.TILE, LaunchGeometry.TILE,
                RasterKernelArgs.render(f.tilesX(), f.width(), f.height(), ranges.get(), forwardTileOrder,
                        tileSortedValues,
                        entrySurfel.get(), records.get(), f.near(), f.far(), f.background(), f.color(), f.others(),
                        finalT.get(), finalM1.get(), finalM2.get(), lastContributor.get(),
                        medianContributor.get(), flags, tuning.flags()));
        plan.mark("fwd_render");
    }

    /**
     * Gradients of L = sum(color * dColor) + sum(others * dOthers) for the last forward. {@code dOthers} may be null
     * (no AUX term in the loss). Outputs have the input layouts; {@code gScreen} is the densification statistic.
     */
    public void backward(DeviceBuffer dColor, DeviceBuffer dOthers, DeviceBuffer gPositions, DeviceBuffer gRotations,
            DeviceBuffer gScales, DeviceBuffer gOpacities, DeviceBuffer gColors, DeviceBuffer gScreen) {
        if (camera == null) {
            throw new IllegalStateException("backward before any forward");
        }
        int n = count;
        long hw = (long) camera.width() * camera.height();
        need(dColor, 3 * hw, "color gradient");
        if (dOthers != null) {
            need(dOthers, AUX * hw, "aux gradient");
        }
        need(gPositions, 3L * n, "position gradients");
        need(gRotations, 4L * n, "rotation gradients");
        need(gScales, 2L * n, "scale gradients");
        need(gOpacities, n, "opacity gradients");
        need(gColors, 3L * n, "colour gradients");
        need(gScreen, n, "screen gradients");
        int width = camera.width();
        int height = camera.height();
        int tilesX = LaunchGeometry.tilesX(width);
        int tiles = tilesX * LaunchGeometry.tilesY(height);
        float near = (float) settings.near();
        float far = (float) settings.far();
        float[] bg = settings.background();
        // sized with the entry buffers (their headroom), so it grows with them, not at every new maximum of entries
        pairGradients.ensure(Math.max(Math.max(1, pairCount), pairKeysA.capacity())
                * LaunchGeometry.PAIR_GRADIENT_SLOT);
        fillQueue();
        // the forward's order, or (tuning changed since) one built now from the forward's ranges
        DeviceBuffer order = null;
        if (tuning.tileOrderHeavy()) {
            order = forwardTileOrder;
            if (order == null) {
                LaunchPlan ordering = new LaunchPlan();
                order = orderTiles(ordering, tiles);
                ordering.runDirect(timer);
            }
        }
        Kernel kernel;
        if (tuning.backwardWarpTools() && tuning.footprintCull()) {
            kernel = renderBackwardFootprint.computeIfAbsent(tuning.backwardKernel(forwardExpMode), cuda::kernel);
        } else if (!tuning.backwardWarpTools()) {
            tuning.backwardKernel(forwardExpMode);  // refuses the float modes, which have no such build
            kernel = renderBackwardPlain[tuning.backwardBlocks()];
        } else {
            Kernel[] kernels = switch (tuning.backwardBlocks()) {
                case 2 -> renderBackwardTwoBlocks;
                case 0 -> renderBackwardNoMinimum;
                default -> renderBackward;
            };
            kernel = kernels[forwardExpMode.ordinal()];
        }
        kernel.launch(tiles, 1, 1, LaunchGeometry.TILE, LaunchGeometry.TILE, 1, 0,
                RasterKernelArgs.renderBackward(tilesX, width, height, ranges.get(), order, tileSortedValues,
                        entrySurfel.get(),
                        records.get(), near, far, bg, finalT.get(), finalM1.get(), finalM2.get(),
                        lastContributor.get(), medianContributor.get(), dColor, dOthers, pairGradients.get(),
                        tuning.flags()));
        timer.mark(BACKWARD_RENDER_STAGE);
        if (n > 0) {
            projectBackward.launch(LaunchGeometry.blocks(n, LaunchGeometry.PROJECT_THREADS), 1, 1,
                    LaunchGeometry.PROJECT_THREADS, 1, 1, 0, RasterKernelArgs.projectBackward(n, positions,
                            rotations, scales, camera, near, records.get(), firstEntry.get(), pairGradients.get(),
                            gPositions, gRotations, gScales, gOpacities, gColors, gScreen));
            timer.mark(BACKWARD_PROJECT_STAGE);
        }
    }

    /** Intermediate buffers of the last forward, for the stage parity checks. */
    public Intermediates intermediates() {
        return new Intermediates(count, pairCount, records.get(), depthSorted, ranges.get(), tileSortedValues,
                entrySurfel.get());
    }

    /**
     * @param records       {@link LaunchGeometry#RECORD_FLOATS} floats per surfel, by surfel index
     * @param depthOrder    all surfel indices, visible ones first in depth order; null when the forward took
     *                      {@link DepthOrder#TILES} (no global order exists then)
     * @param ranges        per tile, [start, end) into the tile-sorted entries (2 ints)
     * @param tileEntries   per tile-sorted entry, its entry index e
     * @param entrySurfel   per entry e, its surfel's index
     */
    public record Intermediates(int count, int pairs, DeviceBuffer records, DeviceBuffer depthOrder,
            DeviceBuffer ranges, DeviceBuffer tileEntries, DeviceBuffer entrySurfel) {
    }

    /** Device bytes held by the work buffers. */
    public long workBytes() {
        long b = 0;
        for (GrowingBuffer g : all()) {
            b += g.bytes();
        }
        return b + deviceCamera.bytes();
    }

    /**
     * Stable LSD radix sort of {@code n} keys, one pass per entry of {@code digitBits}, written into {@code plan}.
     * The values are the keys' positions 0, 1, 2, ..., generated by the first pass (nothing is read from
     * {@code valuesA} before a second pass wrote it). Returns true when the result ended in the B buffers.
     */
    private boolean sort(LaunchPlan plan, int n, int[] digitBits, DeviceBuffer keysA, DeviceBuffer valuesA,
            DeviceBuffer keysB, DeviceBuffer valuesB, DeviceBuffer rangesOut, int rangeCount,
            DeviceBuffer deviceCount) {
        int blocks = LaunchGeometry.blocks(n, LaunchGeometry.RADIX_TILE);
        DeviceBuffer hist = histogram.ensure(LaunchGeometry.radixHistogramEntries(n));
        DeviceBuffer totals = rowTotals.ensure(1 << RadixPlan.MAX_DIGIT_BITS);
        int shift = 0;
        for (int p = 0; p < digitBits.length; p++) {
            int bits = digitBits[p];
            // even passes read A and write B, odd passes the other way; the first reads no values (positions)
            DeviceBuffer kin = p % 2 == 0 ? keysA : keysB;
            DeviceBuffer kout = p % 2 == 0 ? keysB : keysA;
            DeviceBuffer vin = p == 0 ? null : p % 2 == 0 ? valuesA : valuesB;
            DeviceBuffer vout = p % 2 == 0 ? valuesB : valuesA;
            boolean ranged = rangesOut != null && digitBits.length == 1;
            // one pass by tile: every digit is a tile index, so only the tiles' rows of the histogram are counted
            int bins = ranged ? Math.min(rangeCount, 1 << bits) : 1 << bits;
            plan.launch(upsweep, blocks, LaunchGeometry.RADIX_THREADS, 1, RasterKernelArgs.radixUpsweep(n, kin, shift,
                    bits, bins, hist, blocks, deviceCount));
            plan.launch(spine, LaunchGeometry.blocks(bins, LaunchGeometry.SPINE_ROWS_PER_BLOCK),
                    32 * LaunchGeometry.SPINE_ROWS_PER_BLOCK, 1, RasterKernelArgs.radixSpine(hist, blocks, bins,
                            totals));
            plan.launch(downsweep, blocks, LaunchGeometry.RADIX_THREADS, 1, RasterKernelArgs.radixDownsweep(
                    n, kin, vin, kout, vout, shift, bits, bins, hist, totals, blocks, ranged ? rangesOut : null,
                    ranged ? rangeCount : 0, deviceCount));
            shift += bits;
        }
        return digitBits.length % 2 == 1;
    }

    private static final int AUX = LaunchGeometry.AUX_CHANNELS;

    private void ensureSurfels(int n) {
        long c = Math.max(1, n);
        records.ensure(c * LaunchGeometry.RECORD_FLOATS);
        depthKeysA.ensure(c);
        depthKeysB.ensure(c);
        depthValuesA.ensure(c);
        depthValuesB.ensure(c);
        scanOffsets.ensure(c);
        firstEntry.ensure(c);
        blockSums.ensure(LaunchGeometry.blocks(c, LaunchGeometry.SCAN_TILE));
        total.ensure(1);
    }

    /** A quarter of headroom, so that the next frames' counts mostly fit without a deferred-count redo. */
    private void ensurePairs(int p) {
        long c = Math.max(1, p + (long) p / 4);
        pairKeysA.ensure(c);
        pairKeysB.ensure(c);
        pairValuesA.ensure(c);
        pairValuesB.ensure(c);
        entrySurfel.ensure(c);
    }

    private void ensurePixels(long hw) {
        finalT.ensure(hw);
        finalM1.ensure(hw);
        finalM2.ensure(hw);
        lastContributor.ensure(hw);
        medianContributor.ensure(hw);
    }

    private static void need(DeviceBuffer b, long elements, String what) {
        if (b == null) {
            throw new IllegalArgumentException("rasterizer: no buffer for " + what);
        }
        if (b.bytes() < elements * 4) {
            throw new IllegalArgumentException("rasterizer: the " + what + " buffer holds " + b.bytes() / 4
                    + " elements, " + elements + " needed");
        }
    }

    private GrowingBuffer[] all() {
        return new GrowingBuffer[] {records, depthKeysA, depthKeysB, depthValuesA, depthValuesB,
            scanOffsets, firstEntry, blockSums, total, pairKeysA, pairKeysB, pairValuesA,
            pairValuesB, entrySurfel, pairGradients, histogram, rowTotals, ranges, tileOrder, finalT, finalM1, finalM2,
            lastContributor, medianContributor, nearCutFlags};
    }

    @Override
    public void close() {
        timer.close();
        countReadback.close();
        deviceCamera.close();
        firstGraph.close();
        secondGraph.close();
        for (GrowingBuffer g : all()) {
            g.close();
        }
    }
}
