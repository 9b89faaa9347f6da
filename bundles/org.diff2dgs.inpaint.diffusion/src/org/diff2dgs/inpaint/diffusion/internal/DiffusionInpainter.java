package org.diff2dgs.inpaint.diffusion.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.model.Sequence;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The learned stage-1 method of the paper: the DiffuEraser video-diffusion inpainter (SD-1.5 UNet with temporal
 * attention and a BrushNet branch, few-step consistency sampling) from ONNX graphs the user exports once
 * ({@link ModelLocator}, {@link ModelManifest}), refining the prior of another inpainter ({@code propagate} by default,
 * found through the {@link ServiceCatalog}). The sampler, windows, key frames, latent conventions and the composite are
 * Java ({@link VideoInpainting}). Missing or mismatched graphs make the method unavailable with a message naming the
 * files and shapes; there is no fallback to the prior alone.
 */
@Component(service = Inpainter.class)
public final class DiffusionInpainter implements Inpainter {

    public static final String NAME = "diffusion";

    private final ModelLocator locator;
    private final Supplier<ServiceCatalog> fixedCatalog;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceCatalog catalog;

    /** The OSGi component: graphs from the system property, environment or default folder; prior from the registry. */
    public DiffusionInpainter() {
        this(ModelLocator.fromSystem(), null);
    }

    /** Outside OSGi (tests, tools): the given locator and catalog. */
    public DiffusionInpainter(ModelLocator locator, Supplier<ServiceCatalog> catalog) {
        this.locator = locator;
        this.fixedCatalog = catalog;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Learned video-diffusion inpainting (DiffuEraser: SD-1.5 UNet + BrushNet + temporal attention, "
                + "2-step consistency sampling) from user-exported ONNX graphs, refining the propagate result; "
                + "colour only, depth from the prior";
    }

    /**
     * Checks the graphs of the folder the system property, environment variable or default location names, the ONNX
     * runtime and the prior method.
     */
    @Override
    public String unavailableReason() {
        return unavailableReason(Map.of());
    }

    /**
     * As {@link #unavailableReason()}, with the run's setting {@value ModelLocator#SETTING} first when given: without
     * it, a run whose graphs were only named by that setting was refused for the default folder's missing files.
     */
    @Override
    public String unavailableReason(Map<String, String> settings) {
        try {
            ModelCheck.check(locator.locate(settings == null ? null : settings.get(ModelLocator.SETTING)), locator);
        } catch (UserInputException e) {
            return NAME + ": " + e.getMessage();
        }
        String runtime = runtimeProblem();
        if (runtime != null) {
            return runtime;
        }
        try {
            Inpainter prior = prior("propagate");
            String reason = prior.unavailableReason();
            return reason == null ? null : NAME + ": its prior method propagate is unavailable: " + reason;
        } catch (UserInputException e) {
            return e.getMessage();
        }
    }

    @Override
    public InpaintResult inpaint(Sequence clip, InpaintOptions options, Path output, Progress progress) {
        DiffusionSettings settings = DiffusionSettings.parse(options.settings());
        ModelLocator.Location location = locator.locate(settings.modelDir());
        ModelManifest manifest = ModelCheck.check(location, locator);
        String runtime = runtimeProblem();
        if (runtime != null) {
            throw new UserInputException(runtime);
        }
        Inpainter prior = prior(settings.prior());
        String reason = prior.unavailableReason();
        if (reason != null) {
            throw new UserInputException(NAME + ": its prior method " + prior.name() + " is unavailable: " + reason);
        }
        if (clip.size() < manifest.frames()) {
            throw new UserInputException(clip.source(), NAME + ": the clip has " + clip.size() + " frames, fewer than "
                    + "the " + manifest.frames() + " frames per window of " + location.folder().resolve(
                            manifest.denoiser().file()) + " (export the graphs for fewer frames)");
        }
        try (InpaintedClipWriter out = InpaintedClipWriter.open(clip, options, output)) {
            progress.begin(NAME + ": prior (" + prior.name() + ")", -1);
            try (PriorClip priorClip = PriorClip.run(prior, clip, options.withSettings(settings.priorSettings()),
                    output, cancellationOf(progress));
                    DiffusionNetworks nets = DiffusionNetworks.load(location.folder(), manifest,
                            options.effectiveThreads())) {
                VideoInpainting run = new VideoInpainting(clip, nets, settings, options.seed(),
                        options.completeDepth());
                progress.begin(NAME + ": sampling " + clip.size() + " frames", run.work());
                run.run(priorClip, out, progress);
                InpaintResult result = out.commit(NAME, Map.of(), run.warnings);
                progress.done();
                return result;
            }
        }
    }

    private Inpainter prior(String name) {
        ServiceCatalog services = fixedCatalog != null ? fixedCatalog.get() : catalog;
        if (services == null) {
            throw new UserInputException(NAME + ": needs the " + name + " inpainter for its prior, and no service "
                    + "catalog is available");
        }
        return services.inpainter(name).orElseThrow(() -> new UserInputException(NAME + ": needs the " + name
                + " inpainter for its prior (the published pipeline refines a propagation result), and none is "
                + "registered; install the bundle that provides it (org.diff2dgs.inpaint for propagate)"));
    }

    /** Null when DJL and its ONNX Runtime engine can be loaded (their imports are optional). */
    private static String runtimeProblem() {
        try {
            OnnxGraph.class.getName();
            Class.forName("ai.djl.onnxruntime.engine.OrtEngineProvider", false,
                    DiffusionInpainter.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            return NAME + ": needs the DJL and ONNX Runtime libraries, which could not be loaded: " + e;
        }
    }

    /** The prior sees the run's cancellation but draws no progress of its own. */
    private static Progress cancellationOf(Progress progress) {
        return new Progress() {
            @Override
            public void begin(String task, long totalWork) {
            }

            @Override
            public void worked(long units, String status) {
            }

            @Override
            public boolean isCancelled() {
                return progress.isCancelled();
            }

            @Override
            public void done() {
            }
        };
    }
}
