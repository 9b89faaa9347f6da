package org.diff2dgs.ui.internal.support;

import java.util.function.Consumer;
import java.util.function.Function;

import org.diff2dgs.core.api.CancelledException;
import org.diff2dgs.core.api.UserInputException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;

/**
 * Long work off the UI thread: an Eclipse job whose result comes back on the UI thread. A bad input shows the same
 * one-line message as the command line in a dialog; a cancellation is quiet; anything else is shown as an internal
 * error with its type.
 */
public final class UiJobs {

    private UiJobs() {
    }

    /**
     * Schedules {@code work} as a job; {@code onResult} runs on the UI thread when it succeeds, {@code onEnd} always
     * (success, error or cancel), also on the UI thread. Both are skipped when {@code owner} is disposed.
     */
    public static <T> Job run(String name, Control owner, Function<IProgressMonitor, T> work, Consumer<T> onResult,
            Runnable onEnd) {
        Display display = owner.getDisplay();
        Job job = new Job(name) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try {
                    T result = work.apply(monitor);
                    ui(display, owner, () -> onResult.accept(result));
                    return Status.OK_STATUS;
                } catch (CancelledException e) {
                    return Status.CANCEL_STATUS;
                } catch (UserInputException e) {
                    ui(display, owner, () -> showError(owner, name, e.getMessage()));
                    return Status.OK_STATUS; // reported in the dialog; no second report by the job framework
                } catch (RuntimeException | Error e) {
                    ui(display, owner, () -> showError(owner, name, "internal error: " + e));
                    e.printStackTrace();
                    return Status.OK_STATUS;
                } finally {
                    if (onEnd != null) {
                        ui(display, owner, onEnd);
                    }
                }
            }
        };
        job.setUser(true);
        job.schedule();
        return job;
    }

    /** Shows a problem the way the command line prints it (one line naming the file). */
    public static void showError(Control owner, String title, String message) {
        if (owner.isDisposed()) {
            return;
        }
        Errors.record(title, message);
        MessageDialog.openError(owner.getShell(), title, message);
    }

    private static void ui(Display display, Control owner, Runnable r) {
        if (display.isDisposed()) {
            return;
        }
        display.asyncExec(() -> {
            if (!owner.isDisposed()) {
                r.run();
            }
        });
    }
}
