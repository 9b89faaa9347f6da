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
import org.diff2dgs.core.io.FileTrees;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.FloatImage;
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
        for (int i = 0; i < source.size(); i++) {
            // the mask alone: on a compact clip the frame's other planes stay coded
            FloatImage m = source.instrumentMask(i);
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

    /** How the stage reads the run's source clip: compactly, with or without its ground truth. */
    interface SourceClip {
        Sequence readCompact(boolean groundTruth, Progress progress);

        /** False when the clip certainly has no ground truth ({@code DatasetReader.mayHaveGroundTruth}). */
        boolean mayHaveGroundTruth();
    }

    /**
     * Runs stage 1 and returns the inpainted clip when this stage read it back (for the quality table), compactly
     * ({@link org.diff2dgs.core.model.CompactFrames}), so that training in the same process need not decode it again;
     * else null.
     * <p>
     * Memory (docs/inpainting.md, "Memory"): the source is read compactly, without gt/ unless the method reads it,
     * as {@code d2dgs inpaint} does. The quality table needs gt/ and the inpainted clip together: both are read
     * compactly after the method has let go of its state and of the source it was given, and compared a frame at a
     * time, so no stage-1 step holds the clip as floats. A clip whose reader says it has no gt/ is read once.
     */
    Sequence run(String requested, InpaintOptions options, SourceClip clip, ReadOptions read, RunFolder folder,
            Map<String, Object> detail, Progress progress) {
        clean(folder);
        detail.clear();
        detail.putAll(requestOf(requested, options));
        if (NONE.equals(requested)) {
            detail.put("method", NONE);
            return null;
        }
        Inpainter inpainter = null;
        if (requested != null && !requested.equals(AUTO)) {
            // an unknown or unusable method is refused before the clip is read
            inpainter = inpainter(requested, options.settings());
        }
        boolean withTruth = inpainter != null && inpainter.needsGroundTruth();
        Sequence source = clip.readCompact(withTruth, progress);
        String method = resolve(requested, source);
        detail.put("method", method);
        if (method.equals(NONE)) {
            return null;
        }
        if (inpainter == null) {
            inpainter = inpainter(method, options.settings());
        }
        if (inpainter.needsGroundTruth() && !withTruth) {
            // "auto" chose a method that reads gt/ (none does today): read the clip again with it
            source = null;
            source = clip.readCompact(true, progress);
        }
        InpaintResult result = inpainter.inpaint(source, options, folder.inpainted(), progress);
        detail.put("seconds", result.seconds());
        detail.put("coverage", result.total());
        // the clip without gt/ is let go before the one with it is read
        Sequence truth = inpainter.needsGroundTruth() ? source : null;
        source = null;
        if (truth == null && clip.mayHaveGroundTruth()) {
            truth = clip.readCompact(true, progress);
        }
        Sequence inpainted = null;
        if (truth != null && Stage1Quality.measurable(truth)) {
            inpainted = InpaintedClips.readCompact(catalog, folder.inpainted(), read, progress);
            Map<String, Double> quality = Stage1Quality.measure(truth, inpainted);
            result = withQuality(result, quality);
            Json.write(folder.inpainted().resolve(InpaintedClipWriter.RESULT_FILE), result);
            detail.put("quality", quality);
        }
        detail.put("fingerprint", DatasetFingerprint.of(folder.inpainted()));
        return inpainted;
    }

    private Inpainter inpainter(String method, Map<String, String> settings) {
        return catalog.requireInpainter(method, settings, "none");
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
