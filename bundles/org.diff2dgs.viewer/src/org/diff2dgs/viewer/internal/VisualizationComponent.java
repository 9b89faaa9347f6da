package org.diff2dgs.viewer.internal;

import java.nio.file.Path;
import java.util.List;

import org.diff2dgs.core.api.DeformationField;
import org.diff2dgs.core.api.UserInputException;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.GaussianModel;
import org.diff2dgs.viewer.api.OrbitView;
import org.diff2dgs.viewer.api.SplatRenderer;
import org.diff2dgs.viewer.api.SplatScene;
import org.diff2dgs.viewer.api.ViewMode;
import org.diff2dgs.viewer.api.ViewSettings;
import org.diff2dgs.viewer.api.Visualization;
import org.osgi.service.component.annotations.Component;

/** The visualization service: splat scenes, on-screen renderers and offscreen snapshots. */
@Component(service = Visualization.class)
public final class VisualizationComponent implements Visualization {

    /** What the last probe found, and for which EGL library (the d2dgs.egl.library property may change). */
    private record Probe(String library, String reason) {
    }

    private volatile Probe probe;

    @Override
    public SplatScene sceneAt(GaussianModel canonical, DeformationField deformation, double time,
            List<Camera> cameras) {
        return SplatSceneBuilder.build(canonical, deformation, time, cameras);
    }

    @Override
    public ViewSettings initialView(SplatScene scene, ViewMode mode) {
        double[] b = SplatSceneBuilder.bounds(scene);
        double fovY = Math.toRadians(50);
        double distance = 1.6 * b[3] / Math.tan(fovY / 2);
        OrbitView view = OrbitView.lookingAt(new double[] {b[0], b[1], b[2]}, distance, fovY);
        if (!scene.cameras().isEmpty()) {
            // look at the scene centre from where the first camera stands
            double[] eye = scene.cameras().get(0).pose().centre();
            double dx = b[0] - eye[0];
            double dy = b[1] - eye[1];
            double dz = b[2] - eye[2];
            double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
            if (d > 1e-9) {
                // a little behind the first camera, so that the cameras' frusta are in front of the eye
                view = new OrbitView(b[0], b[1], b[2], Math.atan2(dx, dz), Math.asin(Math.max(-1, Math.min(1, dy / d))),
                        1.35 * d, fovY);
            }
        }
        return new ViewSettings(view, mode, true, 1.0);
    }

    @Override
    public SplatRenderer createRenderer() {
        return new SplatGlRenderer(GlFunctions.forCurrentWindowContext());
    }

    /**
     * Offscreen work runs on its own thread: a thread may hold only one current context, and the caller's thread may
     * already hold the 3D view's GLX context (GLVND refuses to make an EGL context current beside it).
     */
    private final java.util.concurrent.ExecutorService offscreen = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "diff2dgs-offscreen-gl");
                t.setDaemon(true);
                return t;
            });

    private <T> T onOffscreenThread(java.util.concurrent.Callable<T> work) {
        try {
            return offscreen.submit(work).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.diff2dgs.core.api.CancelledException();
        }
    }

    @Override
    public FloatImage snapshot(SplatScene scene, ViewSettings settings, int width, int height) {
        if (width <= 0 || height <= 0 || width > 16384 || height > 16384) {
            throw new UserInputException("snapshot size must be 1..16384 pixels a side, got " + width + "x" + height);
        }
        return onOffscreenThread(() -> {
            try (EglOffscreenContext ctx = EglOffscreenContext.open(width, height);
                    SplatGlRenderer renderer = new SplatGlRenderer(ctx.caps)) {
                renderer.setScene(scene);
                renderer.draw(settings, width, height);
                return renderer.readPixels(width, height);
            } catch (UserInputException e) {
                if (e.getMessage().startsWith(EglOffscreenContext.NO_OPENGL)) {
                    probe = new Probe(EglLibrary.wanted(), e.getMessage());
                }
                throw e;
            } catch (LinkageError e) {
                // LWJGL's own natives missing or broken: still one line for the user, not a trace
                String reason = EglOffscreenContext.NO_OPENGL + EglLibrary.oneLine(e);
                probe = new Probe(EglLibrary.wanted(), reason);
                throw new UserInputException(reason);
            }
        });
    }

    @Override
    public String offscreenUnavailableReason() {
        String library = EglLibrary.wanted();
        Probe p = probe;
        if (p == null || !java.util.Objects.equals(p.library(), library)) {
            synchronized (this) {
                p = probe;
                if (p == null || !java.util.Objects.equals(p.library(), library)) {
                    p = new Probe(library, onOffscreenThread(() -> {
                        try (EglOffscreenContext ctx = EglOffscreenContext.open(1, 1)) {
                            return null;
                        } catch (UserInputException e) {
                            return e.getMessage();
                        } catch (Throwable t) {
                            return EglOffscreenContext.NO_OPENGL + EglLibrary.oneLine(t);
                        }
                    }));
                    probe = p;
                }
            }
        }
        return p.reason();
    }

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        offscreen.shutdownNow();
    }

    @Override
    public void writePng(FloatImage picture, Path file) {
        Images.writeColor(file, picture);
    }
}
