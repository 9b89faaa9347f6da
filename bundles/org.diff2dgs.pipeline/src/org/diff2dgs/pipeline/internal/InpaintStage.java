package org.diff2dgs.pipeline.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.FileTrees;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.Sequence;
import org.diff2dgs.inpaint.quality.Stage1Quality;

/**
 * Stage 1 of a run: the chosen {@link Inpainter} writes the inpainted clip into {@code R/inpainted/} (all at once:
 * the writer renames a finished folder into place, so a killed stage simply runs again). On clips with ground truth
 * the stage-1 quality ({@link Stage1Quality}) goes into inpainting.json and run.json. What was requested (method and
 * options) and the fingerprint of the output are recorded, so a resumed run notices a change instead of training on
 * stale frames.
 */
final class InpaintStage {

    static final String NONE = "none";
    static final String AUTO = "auto";
    static final String DEFAULT_METHOD = "propagate";

    private final ServiceCatalog catalog;

    InpaintStage(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The method a run uses: the requested one, else none for a clip that is already inpainted (the reader says so),
     * else propagate when the clip shows instruments, else none.
     */
    static String resolve(String requested, Sequence source) {
        if (requested != null && !requested.equals(AUTO)) {
            return requested;
        }
        if (source.info() != null && source.info().inpainted()) {
            return NONE;
        }
        for (Frame f : source.frames()) {
            FloatImage m = f.instrumentMask();
            if (m == null) {
                continue;
            }
            for (float v : m.data()) {
                if (v > 0.5f) {
                    return DEFAULT_METHOD;
                }
            }
        }
        return NONE;
    }

    /** What run.json records as the request, compared on resume. */
    static Map<String, Object> requestOf(String requested, InpaintOptions options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requested", requested == null ? AUTO : requested);
        @SuppressWarnings("unchecked")
        Map<String, Object> o = Json.gson().fromJson(Json.gson().toJsonTree(options), Map.class);
        m.put("options", o);
        return m;
    }

    /**
     * Runs stage 1 and returns the inpainted clip when this stage read it back (for the quality table), so that
     * training in the same process need not read it again; else null.
     */
    Sequence run(String requested, InpaintOptions options, Sequence source, ReadOptions read, RunFolder folder,
            Map<String, Object> detail, Progress progress) {
        String method = resolve(requested, source);
        clean(folder);
        detail.clear();
        detail.putAll(requestOf(requested, options));
        detail.put("method", method);
        if (method.equals(NONE)) {
            return null;
        }
        Inpainter inpainter = catalog.inpainter(method).orElseThrow(() -> new UserInputException(
                "unknown inpainting method '" + method + "' (installed: "
                        + catalog.inpainters().stream().map(Inpainter::name).toList() + ", or none)"));
        String reason = inpainter.unavailableReason();
        if (reason != null) {
            throw new UserInputException("inpainting method '" + method + "' is not available: " + reason);
        }
        InpaintResult result = inpainter.inpaint(source, options, folder.inpainted(), progress);
        detail.put("seconds", result.seconds());
        detail.put("coverage", result.total());
        Sequence inpainted = null;
        if (Stage1Quality.measurable(source)) {
            inpainted = InpaintedClips.read(catalog, folder.inpainted(), read, progress);
            Map<String, Double> quality = Stage1Quality.measure(source, inpainted);
            result = withQuality(result, quality);
            Json.write(folder.inpainted().resolve(InpaintedClipWriter.RESULT_FILE), result);
            detail.put("quality", quality);
        }
        detail.put("fingerprint", DatasetFingerprint.of(folder.inpainted()));
        return inpainted;
    }

    /** The method recorded by a finished stage ("none" when the stage wrote nothing). */
    static String method(RunState state) {
        Object m = state.stages.get(org.diff2dgs.pipeline.api.Stages.INPAINT).detail.get("method");
        return m == null ? NONE : m.toString();
    }

    private static InpaintResult withQuality(InpaintResult r, Map<String, Double> quality) {
        return new InpaintResult(r.format(), r.method(), r.source(), r.options(), r.seconds(), r.width(), r.height(),
                r.frames(), r.masks(), r.depth(), r.confidence(), r.total(), r.perFrame(), quality, r.warnings());
    }

    /** Removes an earlier output and the hidden partial folders a killed stage may have left. */
    private static void clean(RunFolder folder) {
        Path out = folder.inpainted();
        try {
            FileTrees.deleteRecursively(out);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder.root(),
                    "." + out.getFileName() + ".partial-*")) {
                for (Path p : ds) {
                    FileTrees.deleteRecursively(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + out + ": " + e.getMessage(), e);
        }
    }
}
