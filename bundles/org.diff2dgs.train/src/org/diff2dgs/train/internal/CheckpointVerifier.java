package org.diff2dgs.train.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.Npy;

/**
 * Tells whether a checkpoint folder on disk is complete before anything trusts it: meta.json parses and names a
 * surfel count, every tensor folder exists, every .npy reads in full (a cut file fails its length check), the
 * surfel tensors have that many rows and the PLY is there. Reads only headers and file lengths, so it is fast at any
 * size; flipped bits inside the data are not detected (the files carry no checksum).
 */
final class CheckpointVerifier {

    /** Tensor files every checkpoint of this trainer holds. */
    private static final List<String> SURFEL_TENSORS = List.of(SurfelParameters.POSITIONS, SurfelParameters.ROTATIONS,
            SurfelParameters.LOG_SCALES, SurfelParameters.OPACITY_LOGITS, SurfelParameters.SH);

    private CheckpointVerifier() {
    }

    /** The first problem found, naming the file, or empty when the checkpoint is complete. */
    static Optional<String> problem(Path folder) {
        Path metaFile = folder.resolve("meta.json");
        if (!Files.isRegularFile(metaFile)) {
            return Optional.of(metaFile + ": missing");
        }
        CheckpointStore.Meta meta;
        try {
            meta = Json.read(metaFile, CheckpointStore.Meta.class);
        } catch (UserInputException | com.google.gson.JsonParseException e) {
            return Optional.of(e.getMessage());
        }
        if (meta.surfels() <= 0 || meta.iteration() <= 0 || meta.deformationModel() == null) {
            return Optional.of(metaFile + ": incomplete (no surfel count, iteration or deformation model)");
        }
        if (meta.shDegree() < 0 || meta.shDegree() > 3 || meta.activeShDegree() < 0
                || meta.activeShDegree() > meta.shDegree()) {
            return Optional.of(metaFile + ": SH degree " + meta.shDegree() + " (active " + meta.activeShDegree()
                    + ") is not one of 0..3");
        }
        for (String t : SURFEL_TENSORS) {
            Path f = folder.resolve("surfels").resolve(t + ".npy");
            if (!Files.isRegularFile(f)) {
                return Optional.of(f + ": missing");
            }
            // a file rewritten with another shape (or another checkpoint's file) can still divide by the count
            int width = SurfelParameters.width(t, meta.shDegree());
            Optional<String> p = sizeProblem(f, (long) width * meta.surfels(),
                    width + " per surfel x " + meta.surfels() + " surfels in meta.json");
            if (p.isPresent()) {
                return p;
            }
        }
        for (String dir : List.of("surfels", "deformation", "optimizer", "statistics")) {
            Path d = folder.resolve(dir);
            if (!Files.isDirectory(d)) {
                return Optional.of(d + ": missing");
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(d, "*.npy")) {
                for (Path f : files) {
                    Optional<String> p = tensorProblem(f, dir.equals("surfels") ? meta.surfels() : -1);
                    if (p.isPresent()) {
                        return p;
                    }
                }
            } catch (IOException e) {
                return Optional.of(d + ": cannot list: " + e.getMessage());
            }
        }
        if (!Files.isRegularFile(folder.resolve("surfels.ply"))) {
            return Optional.of(folder.resolve("surfels.ply") + ": missing");
        }
        return Optional.empty();
    }

    private static Optional<String> sizeProblem(Path f, long expected, String why) {
        long size;
        try {
            size = valueCount(f);
        } catch (DatasetException e) {
            return Optional.of(e.getMessage());
        }
        return size == expected ? Optional.empty()
                : Optional.of(f + ": " + size + " values, expected " + expected + " (" + why + ")");
    }

    private static Optional<String> tensorProblem(Path f, int surfels) {
        long size;
        try {
            size = valueCount(f);
        } catch (DatasetException e) {
            return Optional.of(e.getMessage());
        }
        if (surfels > 0 && size % surfels != 0) {
            return Optional.of(f + ": " + size + " values do not fit " + surfels + " surfels (meta.json)");
        }
        return Optional.empty();
    }

    /** Values in a complete NumPy file (the product of its shape), from its header. */
    private static long valueCount(Path f) {
        long size = 1;
        for (long d : Npy.checkComplete(f)) {
            size *= d;
        }
        return size;
    }
}
