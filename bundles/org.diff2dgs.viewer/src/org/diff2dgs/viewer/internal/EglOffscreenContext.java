package org.diff2dgs.viewer.internal;

import static org.lwjgl.egl.EGL10.*;
import static org.lwjgl.egl.EGL12.EGL_RENDERABLE_TYPE;
import static org.lwjgl.egl.EGL12.eglBindAPI;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_API;
import static org.lwjgl.egl.EGL14.EGL_OPENGL_BIT;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_MAJOR_VERSION;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_MINOR_VERSION;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT;
import static org.lwjgl.egl.EGL15.EGL_CONTEXT_OPENGL_PROFILE_MASK;
import static org.lwjgl.opengl.GL33C.*;

import java.util.ArrayList;
import java.util.List;

import org.diff2dgs.core.api.UserInputException;
import org.lwjgl.PointerBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.egl.EXTDeviceEnumeration;
import org.lwjgl.egl.EXTPlatformBase;
import org.lwjgl.egl.EXTPlatformDevice;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

/**
 * An OpenGL 3.3 core context with no window and no X server: EGL on a GPU device (NVIDIA's headless platform) or
 * Mesa's surfaceless platform, drawing into a framebuffer object. Current on the creating thread until closed.
 */
final class EglOffscreenContext implements AutoCloseable {

    /** How every message about a machine without usable offscreen OpenGL starts. */
    static final String NO_OPENGL = "no OpenGL for offscreen 3D pictures: ";

    private static final int EGL_PLATFORM_SURFACELESS_MESA = 0x31DD;

    private final long display;
    private final long context;
    final GLCapabilities caps;
    private final int framebuffer;
    private final int colour;
    private final int depth;

    private EglOffscreenContext(long display, long context, GLCapabilities caps, int width, int height) {
        this.display = display;
        this.context = context;
        this.caps = caps;
        framebuffer = glGenFramebuffers();
        colour = glGenRenderbuffers();
        depth = glGenRenderbuffers();
        glBindRenderbuffer(GL_RENDERBUFFER, colour);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
        glBindRenderbuffer(GL_RENDERBUFFER, depth);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, width, height);
        glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depth);
        int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        if (status != GL_FRAMEBUFFER_COMPLETE) {
            close();
            throw new UserInputException("offscreen OpenGL framebuffer incomplete (0x" + Integer.toHexString(status)
                    + ")");
        }
        glReadBuffer(GL_COLOR_ATTACHMENT0);
    }

    /** Opens a context and a width x height framebuffer, or says why this machine cannot. */
    static EglOffscreenContext open(int width, int height) {
        List<String> tried = new ArrayList<>();
        String missing = EglLibrary.load();
        if (missing != null) {
            throw new UserInputException(missing);
        }
        String ext = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
        for (long d : candidateDisplays(ext)) {
            int[] major = new int[1];
            int[] minor = new int[1];
            if (d == EGL_NO_DISPLAY || !eglInitialize(d, major, minor)) {
                tried.add("eglInitialize failed 0x" + Integer.toHexString(eglGetError()));
                continue;
            }
            EGL.createDisplayCapabilities(d, major[0], minor[0]);
            long ctx = coreContext(d);
            if (ctx == EGL_NO_CONTEXT || !eglMakeCurrent(d, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
                tried.add(eglQueryString(d, EGL_VENDOR) + ": no OpenGL 3.3 core context");
                if (ctx != EGL_NO_CONTEXT) {
                    eglDestroyContext(d, ctx);
                }
                eglTerminate(d);
                continue;
            }
            GLCapabilities caps;
            try {
                caps = GlFunctions.forCurrentEglContext();
            } catch (UserInputException | LinkageError e) {
                // a context older than 3.3 (or no GL entry points): this display cannot draw the splats
                tried.add(eglQueryString(d, EGL_VENDOR) + ": " + EglLibrary.oneLine(e));
                eglMakeCurrent(d, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
                eglDestroyContext(d, ctx);
                eglTerminate(d);
                continue;
            }
            return new EglOffscreenContext(d, ctx, caps, width, height);
        }
        throw new UserInputException(NO_OPENGL + "no EGL display gave an OpenGL 3.3 core "
                + "context (" + String.join("; ", tried) + ")");
    }

    /** GPU devices first (headless NVIDIA), then Mesa surfaceless, then the default display. */
    private static List<Long> candidateDisplays(String ext) {
        List<Long> out = new ArrayList<>();
        if (ext != null && ext.contains("EGL_EXT_platform_device") && ext.contains("EGL_EXT_device_enumeration")) {
            PointerBuffer devices = PointerBuffer.allocateDirect(16);
            int[] n = new int[1];
            if (EXTDeviceEnumeration.eglQueryDevicesEXT(devices, n)) {
                for (int i = 0; i < n[0]; i++) {
                    out.add(EXTPlatformBase.eglGetPlatformDisplayEXT(EXTPlatformDevice.EGL_PLATFORM_DEVICE_EXT,
                            devices.get(i), (int[]) null));
                }
            }
        }
        if (ext != null && ext.contains("EGL_MESA_platform_surfaceless")) {
            // raw call: the binding rejects the null native display that the surfaceless platform requires
            out.add(JNI.callPPP(EGL_PLATFORM_SURFACELESS_MESA, 0L, 0L, EGL.getCapabilities().eglGetPlatformDisplayEXT));
        }
        out.add(eglGetDisplay(0L));
        return out;
    }

    private static long coreContext(long display) {
        if (!eglBindAPI(EGL_OPENGL_API)) {
            return EGL_NO_CONTEXT;
        }
        int[] contextAttributes = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
        int[][] configAttributes = {
                {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8, EGL_NONE},
                {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE}};
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer config = stack.mallocPointer(1);
            int[] count = new int[1];
            for (int[] attributes : configAttributes) {
                if (eglChooseConfig(display, attributes, config, count) && count[0] > 0) {
                    long ctx = eglCreateContext(display, config.get(0), EGL_NO_CONTEXT, contextAttributes);
                    if (ctx != EGL_NO_CONTEXT) {
                        return ctx;
                    }
                }
            }
            // EGL_KHR_no_config_context (surfaceless platforms may list no OpenGL configs); raw call because the
            // binding rejects a null config
            return JNI.callPPPPP(display, 0L, EGL_NO_CONTEXT, MemoryUtil.memAddress(stack.ints(contextAttributes)),
                    EGL.getCapabilities().eglCreateContext);
        }
    }

    @Override
    public void close() {
        GL.setCapabilities(caps);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glDeleteFramebuffers(framebuffer);
        glDeleteRenderbuffers(colour);
        glDeleteRenderbuffers(depth);
        GL.setCapabilities(null);
        eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        eglDestroyContext(display, context);
        eglTerminate(display);
    }
}
