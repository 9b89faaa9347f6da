package org.diff2dgs.core.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.diff2dgs.core.api.InpaintOptions;
import org.diff2dgs.core.api.InpaintResult;
import org.diff2dgs.core.api.InpaintResult.Coverage;
import org.diff2dgs.core.api.InpaintResult.StoredScale;
import org.diff2dgs.core.api.InpaintedFrame;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.image.BinaryMorphology;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Sequence;

/**
 * Writes an inpainted clip in the dataset layout (the on-disk contract of docs/inpainting.md), the same way for every
 * inpainting method: the input checks every method needs, the restored region of each frame, and an all-or-nothing
 * output (everything goes into a hidden sibling folder that is renamed into place by {@link #commit}; {@link #close}
 * without a commit deletes it).
 * <p>
 * Layout: {@code images/} inpainted colour, {@code depth/} inpainted depth stored like the source depth (same bit
 * depth and scale; pixels outside the restored region keep their stored samples bit for bit), {@code masks/} the
 * ORIGINAL instrument masks copied from the source, {@code inpaint_masks/} the restored region (255 = restored),
 * {@code confidence/} 8-bit confidence (value = sample / 255), {@code poses_bounds.npy} and, when present,
 * {@code intrinsics.json} and {@code scene.json} copied, and {@code inpainting.json} ({@link InpaintResult}).
 * <p>
 * {@link #write} is thread-safe for distinct frames.
 */
public final class InpaintedClipWriter implements AutoCloseable {

    public static final String RESULT_FILE = "inpainting.json";
    public static final String IMAGES = "images";
    public static final String DEPTH = "depth";
    public static final String MASKS = "masks";
    public static final String RESTORED = "inpaint_masks";
    public static final String CONFIDENCE = "confidence";
    public static final String WHITE_IS_INSTRUMENT = "white-is-instrument";
    public static final String WHITE_IS_TISSUE = "white-is-tissue";
    private static final String[] COPIED = {"poses_bounds.npy", "intrinsics.json", "scene.json"};

    private final Sequence clip;
    private final InpaintOptions options;
    private final Path output;
    private final Path temp;
    private final SourceFiles source;
    private final StoredScale depthScale;
    private final long[] instrumentPixels;
    private final AtomicReferenceArray<Coverage> written;
    private final long started = System.nanoTime();
    private boolean committed;

    private InpaintedClipWriter(Sequence clip, InpaintOptions options, Path output, SourceFiles source,
            long[] instrumentPixels) {
        this.clip = clip;
        this.options = options;
        this.output = output;
        this.instrumentPixels = instrumentPixels;
        this.source = source;
        this.depthScale = depthScale(clip, source);
        this.written = new AtomicReferenceArray<>(clip.size());
        Path parent = output.toAbsolutePath().getParent();
        this.temp = parent.resolve("." + output.getFileName() + ".partial-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        try {
            Files.createDirectories(parent);
            for (String dir : new String[] {IMAGES, MASKS, RESTORED, CONFIDENCE}) {
                Files.createDirectories(temp.resolve(dir));
            }
            if (depthScale != null) {
                Files.createDirectories(temp.resolve(DEPTH));
            }
        } catch (IOException e) {
            deleteQuietly(temp);
            throw DiskSpace.failure(output, "cannot create " + temp, e);
        }
    }

    /**
     * Checks the clip and the output folder and opens a writer. Throws {@link UserInputException} naming the frame's
     * mask file when a frame has no mask or a mask of another size, when a mask (or its restored region) covers every
     * pixel, when no frame has any instrument pixel, or when {@code output} is not absent or an empty folder.
     */
    public static InpaintedClipWriter open(Sequence clip, InpaintOptions options, Path output) {
        SourceFiles files = SourceFiles.of(clip);
        long[] counts = checkMasks(clip, options, files);
        checkOutput(output);
        return new InpaintedClipWriter(clip, options, output, files, counts);
    }

    /** The region to restore in frame {@code i}: its instrument mask after the options' erosion and dilation. */
    public FloatImage restoreRegion(int i) {
        return BinaryMorphology.restoreRegion(clip.instrumentMask(i), options.maskErode(),
                options.maskDilate());
    }

    /** Where the result goes once committed. */
    public Path output() {
        return output;
    }

    /** Writes one frame's files; each frame exactly once. */
    public void write(InpaintedFrame f) {
        if (committed) {
            throw new IllegalStateException("already committed");
        }
        if (f.image().width() != clip.width() || f.image().height() != clip.height()) {
            throw new IllegalArgumentException("inpainted frame " + f.index() + " is " + f.image().width() + "x"
                    + f.image().height() + ", the clip is " + clip.width() + "x" + clip.height());
        }
        String name = source.imageName(f.index());
        Images.writeColor(temp.resolve(IMAGES).resolve(name), f.image());
        Images.writeGray8(temp.resolve(RESTORED).resolve(name), f.restored());
        Images.writeGray8(temp.resolve(CONFIDENCE).resolve(name), f.confidence());
        writeMask(f.index());
        if (depthScale != null) {
            writeDepth(f);
        }
        long restored = 0;
        double confidence = 0;
        float[] r = f.restored().data();
        float[] c = f.confidence().data();
        for (int p = 0; p < r.length; p++) {
            if (r[p] > 0.5f) {
                restored++;
                confidence += c[p];
            }
        }
        if (f.propagated() + f.spatial() > restored) {
            throw new IllegalArgumentException("inpainted frame " + f.index() + ": propagated " + f.propagated()
                    + " + spatial " + f.spatial() + " > restored pixels " + restored);
        }
        Coverage cov = new Coverage(clip.frameName(f.index()), instrumentPixels[f.index()], restored, f.propagated(),
                f.spatial(), restored == 0 ? Double.NaN : confidence / restored);
        if (!written.compareAndSet(f.index(), null, cov)) {
            throw new IllegalStateException("frame " + f.index() + " written twice");
        }
    }

    /**
     * Writes inpainting.json and the copied files, then renames the folder into place.
     *
     * @param method   the inpainter's name
     * @param quality  stage-1 quality numbers, may be empty
     * @param warnings non-fatal findings of the method
     */
    public InpaintResult commit(String method, Map<String, Double> quality, List<String> warnings) {
        List<Coverage> perFrame = new ArrayList<>();
        long inst = 0;
        long rest = 0;
        long prop = 0;
        long spat = 0;
        double conf = 0;
        for (int i = 0; i < clip.size(); i++) {
            Coverage c = written.get(i);
            if (c == null) {
                throw new IllegalStateException("frame " + i + " (" + clip.frameName(i) + ") was never written");
            }
            perFrame.add(c);
            inst += c.instrument();
            rest += c.restored();
            prop += c.propagated();
            spat += c.spatial();
            conf += c.restored() == 0 ? 0 : c.meanConfidence() * c.restored();
        }
        List<String> allWarnings = new ArrayList<>(warnings);
        long empty = java.util.Arrays.stream(instrumentPixels).filter(n -> n == 0).count();
        if (empty > 0) {
            allWarnings.add(empty + " of " + clip.size() + " frames have no instrument pixel");
        }
        Coverage total = new Coverage("all", inst, rest, prop, spat, rest == 0 ? Double.NaN : conf / rest);
        double seconds = (System.nanoTime() - started) / 1e9;
        InpaintResult result = new InpaintResult(InpaintResult.FORMAT, method, String.valueOf(clip.source()), options,
                seconds, clip.width(), clip.height(), clip.size(), source.maskConvention(), depthScale,
                new StoredScale(8, 255), total, perFrame, quality, allWarnings);
        try {
            for (String name : COPIED) {
                Path from = clip.source() == null ? null : clip.source().resolve(name);
                if (from != null && Files.isRegularFile(from)) {
                    copyTrimmed(from, temp.resolve(name));
                }
            }
            Json.write(temp.resolve(RESULT_FILE), result);
            if (Files.isDirectory(output)) {
                Files.delete(output); // checked empty in open()
            }
            try {
                Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, output);
            }
        } catch (IOException e) {
            throw DiskSpace.failure(output, "cannot write the inpainted clip", e);
        }
        committed = true;
        return result;
    }

    /** Deletes the partial output unless committed. */
    @Override
    public void close() {
        if (!committed) {
            deleteQuietly(temp);
        }
    }

    // ---------------------------------------------------------------- checks

    private static long[] checkMasks(Sequence clip, InpaintOptions options, SourceFiles files) {
        long[] counts = new long[clip.size()];
        long any = 0;
        for (int i = 0; i < clip.size(); i++) {
            // masks only: a compact clip is not expanded for this check
            FloatImage m = clip.instrumentMask(i);
            String name = clip.frameName(i);
            if (m == null) {
                throw new UserInputException(files.maskPath(i), "frame " + name + " has no instrument mask: "
                        + "inpainting needs one mask per frame (" + MASKS + "/)");
            }
            if (m.width() != clip.width() || m.height() != clip.height()) {
                throw new UserInputException(files.maskPath(i), "mask is " + m.width() + "x" + m.height()
                        + " but frame " + name + " is " + clip.width() + "x" + clip.height());
            }
            long n = 0;
            for (float v : m.data()) {
                if (v > 0.5f) {
                    n++;
                }
            }
            if (n == m.pixels()) {
                throw new UserInputException(files.maskPath(i), "the instrument mask of frame " + name
                        + " covers every pixel: no tissue is visible (inverted mask convention?)");
            }
            FloatImage region = BinaryMorphology.restoreRegion(m, options.maskErode(), options.maskDilate());
            boolean tissueLeft = false;
            for (float v : region.data()) {
                if (v < 0.5f) {
                    tissueLeft = true;
                    break;
                }
            }
            if (!tissueLeft) {
                throw new UserInputException(files.maskPath(i), "after " + options.maskErode() + " erosion(s) and "
                        + options.maskDilate() + " dilation(s) the instrument mask of frame " + name
                        + " covers every pixel: no tissue is visible (lower the mask dilation?)");
            }
            counts[i] = n;
            any += n;
        }
        if (any == 0) {
            Path masks = clip.source() == null ? null : clip.source().resolve(MASKS);
            throw new UserInputException(masks, "the instrument masks of all " + clip.size()
                    + " frames are empty: nothing to inpaint (wrong mask folder or convention?)");
        }
        return counts;
    }

    private static void checkOutput(Path output) {
        if (Files.isDirectory(output)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(output)) {
                if (ds.iterator().hasNext()) {
                    throw new UserInputException(output, "output folder is not empty");
                }
            } catch (IOException e) {
                throw new UserInputException(output, "cannot list output folder: " + e.getMessage(), e);
            }
        } else if (Files.exists(output)) {
            throw new UserInputException(output, "output exists and is not a folder");
        }
    }

    // ---------------------------------------------------------------- files

    private void writeMask(int i) {
        Path from = source.maskFile(i);
        Path to = temp.resolve(MASKS).resolve(from != null ? from.getFileName().toString() : source.imageName(i));
        try {
            if (from != null) {
                Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            } else {
                Images.writeGray8(to, clip.instrumentMask(i));
            }
        } catch (IOException e) {
            throw DiskSpace.failure(to, "cannot copy " + from, e);
        }
    }

    private void writeDepth(InpaintedFrame f) {
        Path from = source.depthFile(f.index());
        Path to = temp.resolve(DEPTH).resolve(from != null ? from.getFileName().toString()
                : source.imageName(f.index()));
        try {
            if (f.depth() == null) {
                if (from != null) {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                } else {
                    FloatImage d = clip.frame(f.index()).depth();
                    writeStored(to, d == null ? FloatImage.zeros(clip.width(), clip.height(), 1) : d, null, null);
                }
                return;
            }
            FloatImage raw = null;
            if (from != null) {
                GrayPng g = Images.readGray(from);
                if (g.bitDepth() == depthScale.bits() && g.channels() < 3 && g.values().sameSize(f.depth())) {
                    raw = g.values();
                }
            }
            writeStored(to, f.depth(), f.restored(), raw);
        } catch (IOException e) {
            throw DiskSpace.failure(to, "cannot copy " + from, e);
        }
    }

    /** Stores depth like the source: raw samples where not restored (when known), depth * scale elsewhere. */
    private void writeStored(Path to, FloatImage depth, FloatImage restored, FloatImage raw) {
        float[] d = depth.data();
        float[] out = new float[d.length];
        double max = depthScale.bits() == 16 ? 65535 : 255;
        for (int p = 0; p < d.length; p++) {
            double v;
            if (raw != null && restored != null && restored.data()[p] < 0.5f) {
                v = raw.data()[p];
            } else {
                v = Float.isFinite(d[p]) && d[p] > 0 ? Math.rint(d[p] * depthScale.scale()) : 0;
            }
            out[p] = (float) Math.min(max, Math.max(0, v));
        }
        FloatImage stored = new FloatImage(depth.width(), depth.height(), 1, out);
        if (depthScale.bits() == 16) {
            Images.writeGray16(to, stored, 1.0);
        } else {
            for (int p = 0; p < out.length; p++) {
                out[p] /= 255f;
            }
            Images.writeGray8(to, stored);
        }
    }

    /** Copies a file; poses of a clip read with fewer frames than the file has keep only the clip's rows. */
    private void copyTrimmed(Path from, Path to) throws IOException {
        if (from.getFileName().toString().endsWith(".npy")) {
            NpyArray a = Npy.read(from);
            if (a.ndim() == 2 && !a.fortranOrder() && a.rows() > clip.size()) {
                int cols = (int) a.shape()[1];
                Npy.write(to, new long[] {clip.size(), cols},
                        java.util.Arrays.copyOf(a.data(), clip.size() * cols));
                return;
            }
        }
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static StoredScale depthScale(Sequence clip, SourceFiles files) {
        boolean anyDepth = clip.frames().stream().anyMatch(f -> f.depth() != null);
        if (!anyDepth) {
            return null;
        }
        double readScale = clip.info() == null || !(clip.info().depthScale() > 0) ? 1.0 : clip.info().depthScale();
        int bits = 16;
        Path first = files.depthFile(0);
        if (first != null) {
            bits = Images.readGray(first).bitDepth() == 16 ? 16 : 8;
        }
        return new StoredScale(bits, 1.0 / readScale);
    }

    private static void deleteQuietly(Path p) {
        try {
            FileTrees.deleteRecursively(p);
        } catch (IOException ignored) {
            // best effort: a leftover hidden .partial folder is harmless and named for what it is
        }
    }

    /**
     * The source clip's files for each frame, matched like the EndoNeRF reader does: by position in natural sort
     * order, the position being that of the frame's image in {@code images/}. Null where the source has no such file.
     */
    private record SourceFiles(Sequence clip, List<Path> images, List<Path> depths, List<Path> masks,
            String maskConvention) {

        static SourceFiles of(Sequence clip) {
            Path src = clip.source();
            List<Path> images = src == null ? List.of() : pngs(src.resolve(IMAGES));
            List<Path> depths = src == null ? List.of() : pngs(src.resolve(DEPTH));
            List<Path> masks = src == null ? List.of() : pngs(src.resolve(MASKS));
            String convention = clip.info() == null ? null : clip.info().maskConvention();
            if (masks.isEmpty() || convention == null) {
                masks = List.of();
                convention = WHITE_IS_INSTRUMENT;
            }
            return new SourceFiles(clip, images, depths, masks, convention);
        }

        /** Position of frame i's image among the source images, or -1. */
        int position(int i) {
            String stem = clip.frameName(i);
            if (i < images.size() && stem(images.get(i)).equals(stem)) {
                return i;
            }
            for (int k = 0; k < images.size(); k++) {
                if (stem(images.get(k)).equals(stem)) {
                    return k;
                }
            }
            return -1;
        }

        String imageName(int i) {
            int k = position(i);
            return k >= 0 ? images.get(k).getFileName().toString() : clip.frameName(i) + ".png";
        }

        Path maskFile(int i) {
            int k = position(i);
            return k >= 0 && k < masks.size() ? masks.get(k) : null;
        }

        Path depthFile(int i) {
            int k = position(i);
            return k >= 0 && k < depths.size() ? depths.get(k) : null;
        }

        /** For messages: the mask file, else the masks folder, else nothing. */
        Path maskPath(int i) {
            Path f = maskFile(i);
            return f != null ? f : clip.source() == null ? null : clip.source().resolve(MASKS);
        }

        private static String stem(Path p) {
            String n = p.getFileName().toString();
            return n.substring(0, n.length() - 4);
        }

        private static List<Path> pngs(Path dir) {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            List<Path> out = new ArrayList<>();
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
            out.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.getFileName().toString(),
                    b.getFileName().toString()));
            return out;
        }
    }
}
