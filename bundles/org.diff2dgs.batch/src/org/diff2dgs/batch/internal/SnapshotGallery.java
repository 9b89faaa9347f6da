package org.diff2dgs.batch.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.diff2dgs.batch.api.Cell;
import org.diff2dgs.batch.api.Experiment;
import org.diff2dgs.batch.api.ExperimentScene;
import org.diff2dgs.batch.api.Method;

import com.google.gson.JsonObject;

/**
 * One 3D snapshot per scene and method in the report: the pipeline's renders/3d/ picture of the middle of the clip
 * from the cell of the experiment's first seed, when that cell took one. Cells without a picture say why (the reason
 * the pipeline recorded in run.json: no viewer, no OpenGL, switched off).
 */
final class SnapshotGallery {

    /** The pipeline's file (RunFolder.snapshots3d and SurfelSnapshots.fileName): t = 0.5, colour. */
    static final String PICTURE = "renders/3d/t0.50-color.png";

    /**
     * @param pictures scene -> method -> picture path relative to the experiment's output folder (only those present)
     * @param missing  why cells of the first seed have no picture: reason -> number of cells
     */
    record Gallery(Map<String, Map<String, String>> pictures, Map<String, Integer> missing) {

        boolean isEmpty() {
            return pictures.isEmpty();
        }
    }

    private SnapshotGallery() {
    }

    static Gallery of(Experiment e) {
        Map<String, Map<String, String>> pictures = new LinkedHashMap<>();
        Map<String, Integer> missing = new TreeMap<>();
        if (e.seeds().isEmpty()) {
            return new Gallery(pictures, missing);
        }
        long firstSeed = e.seeds().get(0);
        for (Cell c : e.cells()) {
            if (c.seed() != firstSeed) {
                continue;
            }
            Path picture = c.folder().resolve(PICTURE);
            if (Files.isRegularFile(picture)) {
                pictures.computeIfAbsent(c.scene().name(), k -> new LinkedHashMap<>()).put(c.method().name(),
                        e.out().relativize(picture).toString().replace('\\', '/'));
            } else {
                String why = skipReason(new CellFolder(c.folder()).runState());
                if (why != null) {
                    missing.merge(why, 1, Integer::sum);
                }
            }
        }
        return new Gallery(pictures, missing);
    }

    /** The reason the render stage recorded for taking no snapshots, or null (not rendered yet, or none recorded). */
    private static String skipReason(Path runJson) {
        if (!Files.isRegularFile(runJson)) {
            return null;
        }
        try {
            JsonObject render = JsonFiles.object(JsonFiles.object(JsonFiles.readObject(runJson), "stages"), "render");
            JsonObject snapshots = JsonFiles.object(JsonFiles.object(render, "detail"), "snapshots3d");
            String why = JsonFiles.string(snapshots, "skipped", "");
            return why.isEmpty() ? null : why;
        } catch (RuntimeException unreadable) {
            // a broken run.json shows up as a failed or partial cell elsewhere in the report
            return null;
        }
    }

    /** The Markdown section: a table with scenes as rows and methods as columns; empty when no picture exists. */
    static String markdown(Experiment e, Gallery g) {
        if (g.isEmpty()) {
            if (g.missing().isEmpty()) {
                return "";
            }
            StringBuilder sb = new StringBuilder("## 3D views\n\nNo 3D snapshots: ");
            sb.append(reasons(g.missing())).append(".\n\n");
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder("## 3D views\n\n");
        sb.append("The surfels at the middle of the clip (t = 0.5), drawn offscreen from beside the first camera "
                + "(seed ").append(e.seeds().get(0)).append("; every cell's renders/3d/ holds t = 0, 0.5, 1 in "
                + "colour and depth).\n\n");
        List<Method> methods = e.methods();
        sb.append("| Scene |");
        methods.forEach(m -> sb.append(' ').append(escape(m.name())).append(" |"));
        sb.append("\n|:---|").append(":---:|".repeat(methods.size())).append('\n');
        for (ExperimentScene s : e.scenes()) {
            Map<String, String> row = g.pictures().getOrDefault(s.name(), Map.of());
            sb.append("| ").append(escape(s.name())).append(" |");
            for (Method m : methods) {
                String p = row.get(m.name());
                sb.append(' ').append(p == null ? "–" : "![" + escape(s.name() + " / " + m.name()) + "](" + p + ")")
                        .append(" |");
            }
            sb.append('\n');
        }
        sb.append('\n');
        if (!g.missing().isEmpty()) {
            sb.append("Cells without a snapshot: ").append(reasons(g.missing())).append(".\n\n");
        }
        return sb.toString();
    }

    private static String reasons(Map<String, Integer> missing) {
        StringBuilder sb = new StringBuilder();
        missing.forEach((why, n) -> sb.append(sb.isEmpty() ? "" : "; ").append(escape(why)).append(" (")
                .append(n).append(n == 1 ? " cell)" : " cells)"));
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }
}
