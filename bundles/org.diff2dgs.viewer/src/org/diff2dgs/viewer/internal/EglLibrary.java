package org.diff2dgs.viewer.internal;

import org.lwjgl.egl.EGL;
import org.lwjgl.system.Configuration;

/**
 * Which libEGL the offscreen pictures use. By default the system's libEGL.so.1 (GLVND picks Mesa or the GPU vendor's
 * driver); the system property {@value #PROPERTY} names another one (a vendor's libEGL outside the library path, or
 * one that does not exist, to see how a machine without EGL behaves). Loaded explicitly, not when LWJGL's EGL class
 * loads, so a missing library is a message instead of a class that can never initialize again.
 */
final class EglLibrary {

    static final String PROPERTY = "d2dgs.egl.library";

    static {
        Configuration.EGL_EXPLICIT_INIT.set(true);
        if (!Configuration.DEBUG.get(false) && Configuration.DEBUG_STREAM.get() == null) {
            // LWJGL explains a library it cannot load in several lines on stderr; the one-line reason below says it
            // (its own lines come back with -Dorg.lwjgl.util.Debug=true)
            Configuration.DEBUG_STREAM.set(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        }
    }

    /** The library loaded now: null for LWJGL's default names, else the property's value. */
    private static String loaded;
    private static boolean isLoaded;

    private EglLibrary() {
    }

    /** The library the property asks for, or null for the default. */
    static String wanted() {
        String name = System.getProperty(PROPERTY);
        return name == null || name.isBlank() ? null : name.trim();
    }

    /**
     * Makes the wanted libEGL the one LWJGL calls; when another one is loaded (the property changed), swaps it. Call
     * only from the thread that owns every EGL context of the process (the offscreen thread), with none current.
     *
     * @return null when loaded, else one line naming the library that is missing
     */
    static synchronized String load() {
        String name = wanted();
        if (!isLoaded && lwjglLoadedItself()) {
            isLoaded = true;
            loaded = null;
        }
        if (isLoaded && java.util.Objects.equals(name, loaded)) {
            return null;
        }
        if (isLoaded) {
            EGL.destroy();
            isLoaded = false;
        }
        try {
            if (name == null) {
                EGL.create();
            } else {
                EGL.create(name);
            }
            loaded = name;
            isLoaded = true;
            return null;
        } catch (Throwable t) {
            String what = name == null ? "libEGL.so.1" : name;
            return EglOffscreenContext.NO_OPENGL + what + " could not be loaded (" + oneLine(t)
                    + "); install libegl1 with a Mesa (libegl-mesa0) or GPU vendor EGL driver"
                    + (name == null ? "" : ", or point -D" + PROPERTY + " at an existing libEGL");
        }
    }

    /** LWJGL loaded its default libEGL before this class set explicit initialization (another user of EGL). */
    private static boolean lwjglLoadedItself() {
        try {
            return EGL.getFunctionProvider() != null;
        } catch (IllegalStateException notLoaded) {
            return false;
        }
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
