package org.diff2dgs.ui.internal.support;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.inject.Singleton;

import org.diff2dgs.core.api.ValidationReport;
import org.diff2dgs.core.model.Sequence;
import org.eclipse.e4.core.di.annotations.Creatable;

/**
 * What the views share: the open clip (with its validation report) and the current run folder. Views listen and
 * update themselves; notifications come on the thread that made the change (views hop to the UI thread).
 */
@Creatable
@Singleton
public final class Workspace {

    /** The clip open in the workbench: where it came from, what the reader said, and the frames (null when bad). */
    public record OpenClip(Path folder, String format, ValidationReport report, Sequence sequence) {
    }

    private volatile OpenClip clip;
    private volatile Path run;
    private volatile Path compareRun;
    private volatile Path inpainted;
    private final List<Consumer<OpenClip>> clipListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Path>> runListeners = new CopyOnWriteArrayList<>();

    public OpenClip clip() {
        return clip;
    }

    public Path run() {
        return run;
    }

    public Path compareRun() {
        return compareRun;
    }

    public void setClip(OpenClip c) {
        clip = c;
        clipListeners.forEach(l -> l.accept(c));
    }

    public void setRun(Path folder) {
        run = folder;
        runListeners.forEach(l -> l.accept(folder));
    }

    /** The newest inpainted clip made in this session (the datasets view overlays it), or null. */
    public Path inpainted() {
        return inpainted;
    }

    public void setInpainted(Path folder) {
        inpainted = folder;
        clipListeners.forEach(l -> l.accept(clip));
    }

    public void setCompareRun(Path folder) {
        compareRun = folder;
    }

    public void onClip(Consumer<OpenClip> listener) {
        clipListeners.add(listener);
    }

    public void onRun(Consumer<Path> listener) {
        runListeners.add(listener);
    }

    public void remove(Object listener) {
        clipListeners.remove(listener);
        runListeners.remove(listener);
    }
}
