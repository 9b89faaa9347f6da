package org.diff2dgs.train.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.StorageException;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.ByteSize;
import org.diff2dgs.core.io.DiskSpace;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.io.NpyArray;

/**
 * Checkpoints of a training run: one folder per checkpoint ({@code iter-000500/}) written under a temporary name
 * and renamed into place, then {@code latest.json} is replaced atomically. A killed run therefore always finds a
 * complete checkpoint. Holds surfels.ply for viewers plus exact float tensors (.npy) to resume from.
 */
final class CheckpointStore {

    static final String LATEST = "latest.json";
    /** Checkpoints kept when the request does not say: the newest and one to fall back on if it proves unreadable. */
    static final int DEFAULT_KEEP = 2;
    /** A checkpoint found unusable is renamed with this suffix: kept to look at, never loaded or counted again. */
    static final String CORRUPT_SUFFIX = ".corrupt";

    /** What besides tensors a checkpoint records. */
    record Meta(int iteration, int surfels, int shDegree, int activeShDegree, String deformationModel,
            double elapsedSeconds, double depthRatioEma, Map<String, Object> options) {
    }

    record Latest(int iteration, String folder) {
    }

    /** A checkpoint as loaded. */
    record Loaded(Meta meta, Map<String, float[]> surfels, Map<String, float[]> deformation,
            Map<String, float[]> optimizer, Map<String, float[]> statistics, Path folder) {
    }

    private final Path root;
    private final int keep;
    private final Progress progress;
    private long expectedBytes = -1;

    CheckpointStore(Path root) {
        this(root, DEFAULT_KEEP, Progress.NONE);
    }

    /** Keeps the newest {@code keep} checkpoints (0: the default) and tells the user sizes and fallbacks. */
    CheckpointStore(Path root, int keep, Progress progress) {
        if (keep < 0) {
            throw new UserInputException("--keep-checkpoints must be at least 1, got " + keep);
        }
        this.root = root;
        this.keep = keep == 0 ? DEFAULT_KEEP : keep;
        this.progress = progress;
    }

    int keep() {
        return keep;
    }


    Path root() {
        return root;
    }

    static String folderName(int iteration) {
        return String.format(Locale.ROOT, "iter-%06d", iteration);
    }

    /**
     * Writes one checkpoint into {@code iter-NNNNNN.partial/}, renames it into place and updates latest.json; returns
     * its size in bytes. Whatever fails on the way (a full disk, an I/O error, memory) removes the partial folder, so
     * the run folder keeps only complete checkpoints and a resume starts from the last of them.
     */
    long write(Meta meta, Map<String, float[]> surfels, Map<String, float[]> deformation,
            Map<String, float[]> optimizer, Map<String, float[]> statistics, java.util.function.Consumer<Path> ply) {
        String name = folderName(meta.iteration());
        Path partial = root.resolve(name + ".partial");
        expectedBytes = 4 * (floats(surfels) + floats(deformation) + floats(optimizer) + floats(statistics)
                + (long) meta.surfels() * (13 + 3 * org.diff2dgs.core.model.GaussianModel.shCoefficients(
                        meta.shDegree())));
        boolean written = false;
        try {
            Files.createDirectories(root);
            deleteTree(partial);
            Files.createDirectories(partial);
            tensors(partial.resolve("surfels"), surfels);
            tensors(partial.resolve("deformation"), deformation);
            tensors(partial.resolve("optimizer"), optimizer);
            tensors(partial.resolve("statistics"), statistics);
            ply.accept(partial.resolve("surfels.ply"));
            Json.write(partial.resolve("meta.json"), meta);
            Path target = root.resolve(name);
            deleteTree(target);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            written = true;
            Json.write(root.resolve(LATEST), new Latest(meta.iteration(), name));
            prune(name);
            long bytes = CheckpointSizes.folderBytes(target);
            progress.note("checkpoint " + name + ": " + ByteSize.format(bytes) + " (" + meta.surfels() + " surfels), "
                    + DiskSpace.describeFree(root) + " in " + root);
            return bytes;
        } catch (IOException | StorageException e) {
            throw storageError(name, e);
        } finally {
            if (!written) {
                removeQuietly(partial);
            }
        }
    }

    private static long floats(Map<String, float[]> tensors) {
        return tensors.values().stream().mapToLong(t -> t.length).sum();
    }

    private StorageException storageError(String name, Exception e) {
        Path file = e instanceof StorageException s && s.file() != null ? s.file() : root.resolve(name);
        String cause = e instanceof StorageException ? e.getMessage() : e.toString();
        return new StorageException(root.resolve(name), "cannot write checkpoint " + name
                + (expectedBytes > 0 ? " (about " + ByteSize.format(expectedBytes) + ")" : "") + ": " + cause
                + (file.equals(root.resolve(name)) ? "; " + DiskSpace.describeFree(root) : "")
                + ". The earlier checkpoints are intact: free space and run the same command to resume", e);
    }

    private static void removeQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException | RuntimeException ignored) {
            // the next write of this checkpoint deletes it first; the original failure matters more
        }
    }

    private static void tensors(Path dir, Map<String, float[]> tensors) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            Npy.write(dir.resolve(e.getKey() + ".npy"), new long[] {e.getValue().length}, e.getValue());
        }
    }

    /** Complete checkpoint folders, newest first (latest.json is only a hint: a crash may leave it stale). */
    List<Path> candidates() {
        try (Stream<Path> s = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return s.filter(p -> p.getFileName().toString().matches("iter-\\d{6}"))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The newest checkpoint that is complete on disk. An unusable newer one (cut tensor, missing file, bad meta.json)
     * is named, set aside as {@code iter-NNNNNN.corrupt} and the previous one is taken, and the user is told.
     * Throws when checkpoints exist but none is usable.
     */
    Optional<Path> newest() {
        List<String> problems = new ArrayList<>();
        for (Path p : candidates()) {
            Optional<String> problem = CheckpointVerifier.problem(p);
            if (problem.isEmpty()) {
                if (!problems.isEmpty()) {
                    progress.note("resuming from the previous complete checkpoint " + p.getFileName());
                }
                return Optional.of(p);
            }
            problems.add(problem.get());
            Path aside = p.resolveSibling(p.getFileName() + CORRUPT_SUFFIX);
            progress.note("checkpoint " + p.getFileName() + " is unusable: " + problem.get() + "; set aside as "
                    + aside.getFileName());
            try {
                deleteTree(aside);
                Files.move(p, aside);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot set aside the unusable checkpoint " + p + ": " + e.getMessage(),
                        e);
            }
        }
        if (!problems.isEmpty()) {
            throw new UserInputException(root, "no usable checkpoint: " + String.join("; ", problems)
                    + " (rerun with --force train to start training again)");
        }
        return Optional.empty();
    }

    /** The newest checkpoint, which must be complete: rendering and evaluation never fall back silently. */
    Path newestStrict() {
        List<Path> all = candidates();
        if (all.isEmpty()) {
            throw new UserInputException(root, "no checkpoint found (has training run?)");
        }
        Path p = all.get(0);
        CheckpointVerifier.problem(p).ifPresent(problem -> {
            throw new UserInputException(p, "the newest checkpoint is unusable: " + problem + " (run 'd2dgs train "
                    + "--resume' or 'd2dgs run' on this run folder to fall back to the previous one and retrain)");
        });
        return p;
    }

    Loaded load(Path folder) {
        Meta meta = Json.read(folder.resolve("meta.json"), Meta.class);
        return new Loaded(meta, finite(folder.resolve("surfels")), finite(folder.resolve("deformation")),
                readTensors(folder.resolve("optimizer")), readTensors(folder.resolve("statistics")), folder);
    }

    /**
     * The surfels and the deformation model must be finite numbers: one NaN position or coefficient renders as
     * nothing, and render and eval otherwise wrote images and NaN metrics with exit code 0. The check rides on the
     * read that happens anyway (the verifier reads headers only).
     */
    private static Map<String, float[]> finite(Path dir) {
        Map<String, float[]> tensors = readTensors(dir);
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            long bad = 0;
            for (float v : e.getValue()) {
                bad += Float.isFinite(v) ? 0 : 1;
            }
            if (bad > 0) {
                throw new UserInputException(dir.resolve(e.getKey() + ".npy"), bad + " of "
                        + e.getValue().length + " values are NaN or infinite: the training that wrote this "
                        + "checkpoint diverged, or the file was damaged; train again (--force train, perhaps with "
                        + "lower learning rates)");
            }
        }
        return tensors;
    }

    private static Map<String, float[]> readTensors(Path dir) {
        Map<String, float[]> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            throw new UserInputException(dir, "checkpoint folder is incomplete");
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.npy")) {
            List<Path> sorted = new ArrayList<>();
            files.forEach(sorted::add);
            sorted.sort(Comparator.comparing(Path::toString));
            for (Path f : sorted) {
                NpyArray a = Npy.read(f);
                float[] v = new float[a.data().length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) a.data()[i];
                }
                String n = f.getFileName().toString();
                out.put(n.substring(0, n.length() - 4), v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private void prune(String newest) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> p.getFileName().toString().matches("iter-\\d{6}")).forEach(all::add);
        }
        all.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (int i = 0; i < all.size() - keep; i++) {
            if (!all.get(i).getFileName().toString().equals(newest)) {
                deleteTree(all.get(i));
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        org.diff2dgs.core.io.FileTrees.deleteRecursively(p);
    }
}
