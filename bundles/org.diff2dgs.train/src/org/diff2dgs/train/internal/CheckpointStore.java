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

import org.diff2dgs.core.api.UserInputException;
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
    private static final int KEEP = 2;

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

    CheckpointStore(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    static String folderName(int iteration) {
        return String.format(Locale.ROOT, "iter-%06d", iteration);
    }

    void write(Meta meta, Map<String, float[]> surfels, Map<String, float[]> deformation,
            Map<String, float[]> optimizer, Map<String, float[]> statistics, java.util.function.Consumer<Path> ply) {
        try {
            Files.createDirectories(root);
            String name = folderName(meta.iteration());
            Path partial = root.resolve(name + ".partial");
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
            Json.write(root.resolve(LATEST), new Latest(meta.iteration(), name));
            prune(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + root + ": " + e.getMessage(), e);
        }
    }

    private static void tensors(Path dir, Map<String, float[]> tensors) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            Npy.write(dir.resolve(e.getKey() + ".npy"), new long[] {e.getValue().length}, e.getValue());
        }
    }

    Optional<Path> newest() {
        Path latest = root.resolve(LATEST);
        if (Files.isRegularFile(latest)) {
            Latest l = Json.read(latest, Latest.class);
            Path p = root.resolve(l.folder());
            if (Files.isRegularFile(p.resolve("meta.json"))) {
                return Optional.of(p);
            }
        }
        // latest.json lost or stale: take the newest complete folder
        try (Stream<Path> s = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return s.filter(p -> p.getFileName().toString().matches("iter-\\d{6}"))
                    .filter(p -> Files.isRegularFile(p.resolve("meta.json")))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Loaded load(Path folder) {
        Meta meta = Json.read(folder.resolve("meta.json"), Meta.class);
        return new Loaded(meta, readTensors(folder.resolve("surfels")), readTensors(folder.resolve("deformation")),
                readTensors(folder.resolve("optimizer")), readTensors(folder.resolve("statistics")), folder);
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

    private void prune(String keep) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> p.getFileName().toString().matches("iter-\\d{6}")).forEach(all::add);
        }
        all.sort(Comparator.comparing(p -> p.getFileName().toString()));
        for (int i = 0; i < all.size() - KEEP; i++) {
            if (!all.get(i).getFileName().toString().equals(keep)) {
                deleteTree(all.get(i));
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        org.diff2dgs.core.io.FileTrees.deleteRecursively(p);
    }
}
