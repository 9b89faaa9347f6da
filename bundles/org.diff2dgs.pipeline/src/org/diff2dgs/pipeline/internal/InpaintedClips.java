package org.diff2dgs.pipeline.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

import org.diff2dgs.core.api.DatasetReader;
import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.ReadOptions;
import org.diff2dgs.core.api.ServiceCatalog;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.model.CompactFrames;
import org.diff2dgs.core.model.Sequence;

/** Reads a run's inpainted clip back (it is in the dataset layout, so the reader that recognizes it reads it). */
public final class InpaintedClips {

    private InpaintedClips() {
    }

    /** As floats, as training takes it. */
    public static Sequence read(ServiceCatalog catalog, Path folder, ReadOptions read, Progress progress) {
        return reader(catalog, folder).read(folder, options(read), progress);
    }

    /**
     * Coded as stored ({@link DatasetReader#readCompact}, gt/ included where the clip has it, as {@link #read} does):
     * for the stage-1 quality table, which visits two frames at a time.
     */
    public static Sequence readCompact(ServiceCatalog catalog, Path folder, ReadOptions read, Progress progress) {
        return reader(catalog, folder).readCompact(folder, options(read), true, progress);
    }

    /**
     * The float clip that {@link #read} gives, from a clip {@link #readCompact} gave (the coded samples expand to the
     * very floats the reader decodes): training takes stage 1's read-back this way instead of decoding the files
     * again. A clip that is already floats is returned as it is.
     */
    public static Sequence floats(Sequence clip) {
        if (!(clip.frames() instanceof CompactFrames)) {
            return clip;
        }
        return new Sequence(clip.name(), clip.source(), IntStream.range(0, clip.size()).parallel()
                .mapToObj(clip::frame).toList(), clip.split(), clip.info());
    }

    private static DatasetReader reader(ServiceCatalog catalog, Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new UserInputException(folder, "the inpainted clip is missing; rerun with --force inpaint");
        }
        return catalog.recognize(folder)
                .orElseThrow(() -> new UserInputException(folder, "no dataset reader recognizes the inpainted clip"));
    }

    private static ReadOptions options(ReadOptions read) {
        return read == null ? ReadOptions.defaults() : read;
    }
}
