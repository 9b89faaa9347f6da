package org.diff2dgs.inpaint.diffusion.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.Inpainter;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.FileTrees;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.InpaintedClipWriter;
import org.diff2dgs.core.io.NaturalOrder;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Sequence;

/**
 * The prior of the diffusion method: another inpainter's result (published: ProPainter's flow-guided propagation,
 * inpainting/run.py; ours: the {@code propagate} method), written to a hidden sibling folder of the output, read back
 * frame by frame, and deleted when closed. Its completed depth, confidence and coverage counts are kept as they are:
 * the diffusion model restores colour only.
 */
final class PriorClip implements AutoCloseable {

    private final Path folder;
    private final InpaintResult result;
    private final List<Path> images;
    private final List<Path> depths;
    private final List<Path> confidences;

    private PriorClip(Path folder, InpaintResult result, List<Path> images, List<Path> depths,
            List<Path> confidences) {
        this.folder = folder;
        this.result = result;
        this.images = images;
        this.depths = depths;
        this.confidences = confidences;
    }

    /** Runs {@code prior} on the clip; the folder is removed again on any failure. */
    static PriorClip run(Inpainter prior, Sequence clip, InpaintOptions options, Path output, Progress progress) {
        Path parent = output.toAbsolutePath().getParent();
        Path folder = parent.resolve("." + output.getFileName() + ".prior-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        boolean ok = false;
        try {
            InpaintResult result = prior.inpaint(clip, options, folder, progress);
            List<Path> images = pngs(folder.resolve(InpaintedClipWriter.IMAGES));
            List<Path> depths = result.depth() == null ? List.of() : pngs(folder.resolve(InpaintedClipWriter.DEPTH));
            List<Path> conf = pngs(folder.resolve(InpaintedClipWriter.CONFIDENCE));
            if (images.size() != clip.size() || conf.size() != clip.size() || result.perFrame().size() != clip.size()
                    || (result.depth() != null && depths.size() != clip.size())) {
                throw new IllegalStateException("the prior method " + prior.name() + " wrote " + images.size()
                        + " frames for a clip of " + clip.size());
            }
            ok = true;
            return new PriorClip(folder, result, images, depths, conf);
        } finally {
            if (!ok) {
                delete(folder);
            }
        }
    }

    InpaintResult result() {
        return result;
    }

    FloatImage image(int i) {
        return Images.readColor(images.get(i));
    }

    /** Depth in scene units (stored sample / scale), or null when the clip has no depth. */
    FloatImage depth(int i) {
        if (result.depth() == null) {
            return null;
        }
        FloatImage raw = Images.readGray(depths.get(i)).values();
        float[] d = raw.data().clone();
        double scale = result.depth().scale();
        for (int p = 0; p < d.length; p++) {
            d[p] = (float) (d[p] / scale);
        }
        return new FloatImage(raw.width(), raw.height(), 1, d);
    }

    FloatImage confidence(int i) {
        FloatImage raw = Images.readGray(confidences.get(i)).values();
        float[] c = raw.data().clone();
        for (int p = 0; p < c.length; p++) {
            c[p] /= 255f;
        }
        return new FloatImage(raw.width(), raw.height(), 1, c);
    }

    @Override
    public void close() {
        delete(folder);
    }

    private static void delete(Path folder) {
        try {
            FileTrees.deleteRecursively(folder);
        } catch (IOException ignored) {
            // best effort: a leftover hidden .prior folder is harmless and named for what it is
        }
    }

    private static List<Path> pngs(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.toLowerCase(Locale.ROOT).endsWith(".png") && !n.startsWith(".")) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UserInputException(dir, "cannot list folder: " + e.getMessage(), e);
        }
        out.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.getFileName().toString(), b.getFileName().toString()));
        return out;
    }
}
