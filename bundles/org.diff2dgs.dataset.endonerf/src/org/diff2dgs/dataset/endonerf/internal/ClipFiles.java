package org.diff2dgs.dataset.endonerf.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.diff2dgs.core.io.NaturalOrder;

/**
 * The files of an EndoNeRF-layout clip. Frames are matched across folders by position in natural sort order, because
 * the folders name the same frame differently (frame-000000.color.png, frame-000000.depth.png, frame-000000.mask.png).
 * Optional parts are null when absent.
 */
record ClipFiles(Path folder, List<Path> images, List<Path> depths, List<Path> masks, List<Path> gtMasks,
        List<Path> truthImages, List<Path> truthDepths, Path poses, Path intrinsics) {

    static final String IMAGES = "images";
    static final String DEPTH = "depth";
    static final String MASKS = "masks";
    static final String GT_MASKS = "gt_masks";
    static final String GT_IMAGES = "gt/images";
    static final String GT_DEPTH = "gt/depth";
    static final String POSES = "poses_bounds.npy";
    static final String INTRINSICS = "intrinsics.json";

    /** Lists what exists; missing required parts are reported to {@code problems}. */
    static ClipFiles discover(Path folder, Problems problems) {
        if (!Files.isDirectory(folder)) {
            problems.add(folder, Files.exists(folder) ? "is not a folder" : "folder not found");
            return new ClipFiles(folder, List.of(), null, null, null, null, null, null, null);
        }
        List<Path> images = required(folder, IMAGES, "colour frames", problems);
        List<Path> depths = required(folder, DEPTH, "one depth PNG per frame", problems);
        List<Path> masks = required(folder, MASKS, "one instrument mask PNG per frame", problems);
        Path poses = folder.resolve(POSES);
        if (!Files.isRegularFile(poses)) {
            problems.add(poses, "missing: the EndoNeRF layout needs poses_bounds.npy (N x 17 camera poses and bounds)");
            poses = null;
        }
        Path intrinsics = folder.resolve(INTRINSICS);
        return new ClipFiles(folder, images == null ? List.of() : images, depths, masks,
                optional(folder, GT_MASKS, problems), optional(folder, GT_IMAGES, problems),
                optional(folder, GT_DEPTH, problems), poses, Files.isRegularFile(intrinsics) ? intrinsics : null);
    }

    boolean hasTruth() {
        return truthImages != null && truthDepths != null;
    }

    private static List<Path> required(Path folder, String name, String what, Problems problems) {
        Path dir = folder.resolve(name);
        if (!Files.isDirectory(dir)) {
            problems.add(dir, "missing folder: the EndoNeRF layout needs " + name + "/ with " + what);
            return null;
        }
        List<Path> files = listPngs(dir, problems);
        if (files != null && files.isEmpty()) {
            problems.add(dir, "no PNG files in " + name + "/");
        }
        return files;
    }

    private static List<Path> optional(Path folder, String name, Problems problems) {
        Path dir = folder.resolve(name);
        return Files.isDirectory(dir) ? listPngs(dir, problems) : null;
    }

    /** PNG files of one folder in natural order (frame2 before frame10); other files are ignored. */
    static List<Path> listPngs(Path dir, Problems problems) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.toLowerCase(Locale.ROOT).endsWith(".png") && !n.startsWith(".")) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            problems.add(dir, "cannot list folder: " + e.getMessage());
            return null;
        }
        files.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.getFileName().toString(), b.getFileName().toString()));
        return files;
    }

    /** Frame name for reports: the image file name without ".png". */
    static String frameName(Path image) {
        String n = image.getFileName().toString();
        return n.substring(0, n.length() - 4);
    }
}
