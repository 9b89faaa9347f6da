package org.diff2dgs.viewer.internal;

import java.nio.ByteBuffer;

import org.diff2dgs.core.api.UserInputException;
import org.lwjgl.egl.EGL10;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.FunctionProvider;
import org.lwjgl.system.Library;
import org.lwjgl.system.SharedLibrary;

/**
 * Where LWJGL finds the OpenGL entry points. On screen (SWT's GLX context) that is libGL.so.1; offscreen (EGL) it is
 * libOpenGL.so.0 or eglGetProcAddress, so no X libraries are needed. The choice is made once per process: with GLVND
 * both dispatch to whichever context is current, so the first one serves both uses.
 */
final class GlFunctions {

    static {
        // LWJGL would otherwise bind libGL.so.1 the moment the GL class loads, which fails on display-less servers
        Configuration.OPENGL_EXPLICIT_INIT.set(true);
    }

    private GlFunctions() {
    }

    /** Capabilities of the context current on this thread (created by SWT's GLCanvas). */
    static synchronized GLCapabilities forCurrentWindowContext() {
        if (GL.getFunctionProvider() == null) {
            try {
                GL.create();
            } catch (Throwable t) {
                throw new UserInputException("OpenGL is not available (libGL.so.1 could not be loaded: "
                        + t.getMessage() + "); install the Mesa or GPU vendor OpenGL libraries");
            }
        }
        return checked(GL.createCapabilities());
    }

    /** Capabilities of the EGL context current on this thread. */
    static synchronized GLCapabilities forCurrentEglContext() {
        if (GL.getFunctionProvider() == null) {
            SharedLibrary lib = null;
            for (String name : new String[] {"libOpenGL.so.0", "libGL.so.1"}) {
                try {
                    lib = Library.loadNative(GlFunctions.class, "org.lwjgl.opengl", name);
                    break;
                } catch (Throwable t) {
                    // try the next name, then fall back to eglGetProcAddress alone
                }
            }
            final SharedLibrary gl = lib;
            GL.create(new FunctionProvider() {
                @Override
                public long getFunctionAddress(ByteBuffer functionName) {
                    long a = gl == null ? 0L : gl.getFunctionAddress(functionName);
                    return a != 0L ? a : EGL10.eglGetProcAddress(functionName);
                }
            });
        }
        return checked(GL.createCapabilities());
    }

    private static GLCapabilities checked(GLCapabilities caps) {
        if (!caps.OpenGL33) {
            String version = org.lwjgl.opengl.GL11C.glGetString(org.lwjgl.opengl.GL11C.GL_VERSION);
            throw new UserInputException("the 3D view needs OpenGL 3.3 or newer; this context offers " + version);
        }
        return caps;
    }
}
