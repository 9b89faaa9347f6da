package org.diff2dgs.viewer.internal;

import static org.lwjgl.opengl.GL33C.*;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Arrays;

import org.diff2dgs.core.model.Camera;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Intrinsics;
import org.diff2dgs.viewer.api.OrbitView;
import org.diff2dgs.viewer.api.SplatRenderer;
import org.diff2dgs.viewer.api.SplatScene;
import org.diff2dgs.viewer.api.ViewSettings;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GLCapabilities;
import org.lwjgl.system.MemoryUtil;

/**
 * Draws splats with OpenGL 3.3: splat data in a buffer texture, one instanced quad per splat, the instances ordered
 * back to front by a per-draw sort of an index buffer (only 4 bytes per splat move per frame).
 */
final class SplatGlRenderer implements SplatRenderer {

    private static final float[] CAMERA_COLOUR = {1f, 0.8f, 0.2f, 1f};

    private final GLCapabilities caps;
    private final int splatProgram;
    private final int lineProgram;
    private final int splatVao;
    private final int indexBuffer;
    private final int dataBuffer;
    private final int dataTexture;
    private final int lineVao;
    private final int lineBuffer;
    private final DepthSort sort = new DepthSort();
    private SplatScene scene;
    private double[] bounds = {0, 0, 0, 1};
    private int[] order = new int[0];
    private IntBuffer orderBuffer;
    private int lineVertices;
    private double[] lastEye;
    private double[] lastForward;

    SplatGlRenderer(GLCapabilities caps) {
        this.caps = caps;
        splatProgram = Shaders.program(Shaders.SPLAT_VS, Shaders.SPLAT_FS);
        lineProgram = Shaders.program(Shaders.LINE_VS, Shaders.LINE_FS);
        splatVao = glGenVertexArrays();
        indexBuffer = glGenBuffers();
        glBindVertexArray(splatVao);
        glBindBuffer(GL_ARRAY_BUFFER, indexBuffer);
        glVertexAttribIPointer(0, 1, GL_INT, 4, 0);
        glEnableVertexAttribArray(0);
        glVertexAttribDivisor(0, 1);
        glBindVertexArray(0);
        dataBuffer = glGenBuffers();
        dataTexture = glGenTextures();
        lineVao = glGenVertexArrays();
        lineBuffer = glGenBuffers();
        glBindVertexArray(lineVao);
        glBindBuffer(GL_ARRAY_BUFFER, lineBuffer);
        glVertexAttribPointer(0, 3, GL_FLOAT, false, 12, 0);
        glEnableVertexAttribArray(0);
        glBindVertexArray(0);
        glBindBuffer(GL_ARRAY_BUFFER, 0);
    }

    @Override
    public void setScene(SplatScene s) {
        GL.setCapabilities(caps);
        this.scene = s;
        this.bounds = SplatSceneBuilder.bounds(s);
        int n = s.count();
        FloatBuffer data = MemoryUtil.memAllocFloat(Math.max(1, 16 * n));
        try {
            for (int i = 0; i < n; i++) {
                data.put(s.centres(), 3 * i, 3).put(s.opacities()[i]);
                data.put(s.axesU(), 3 * i, 3).put(0f);
                data.put(s.axesV(), 3 * i, 3).put(0f);
                data.put(s.colours(), 3 * i, 3).put(1f);
            }
            data.flip();
            glBindBuffer(GL_TEXTURE_BUFFER, dataBuffer);
            glBufferData(GL_TEXTURE_BUFFER, data, GL_STATIC_DRAW);
            glBindBuffer(GL_TEXTURE_BUFFER, 0);
        } finally {
            MemoryUtil.memFree(data);
        }
        glBindTexture(GL_TEXTURE_BUFFER, dataTexture);
        glTexBuffer(GL_TEXTURE_BUFFER, GL_RGBA32F, dataBuffer);
        glBindTexture(GL_TEXTURE_BUFFER, 0);
        order = new int[n];
        if (orderBuffer != null) {
            MemoryUtil.memFree(orderBuffer);
        }
        orderBuffer = MemoryUtil.memAllocInt(Math.max(1, n));
        glBindBuffer(GL_ARRAY_BUFFER, indexBuffer);
        glBufferData(GL_ARRAY_BUFFER, 4L * Math.max(1, n), GL_STREAM_DRAW);
        glBindBuffer(GL_ARRAY_BUFFER, 0);
        lastEye = null;
        uploadCameras(s);
    }

    /** Frusta of the dataset's cameras: centre to the four image corners at a depth of a tenth of the scene. */
    private void uploadCameras(SplatScene s) {
        double depth = 0.15 * bounds[3];
        FloatBuffer v = MemoryUtil.memAllocFloat(Math.max(1, s.cameras().size() * 16 * 3));
        try {
            double[] c = new double[3];
            double[][] corners = new double[4][3];
            for (Camera cam : s.cameras()) {
                Intrinsics k = cam.intrinsics();
                double[] px = {0, k.width(), k.width(), 0};
                double[] py = {0, 0, k.height(), k.height()};
                cam.pose().toWorld(0, 0, 0, c);
                for (int j = 0; j < 4; j++) {
                    cam.pose().toWorld((px[j] - k.cx()) / k.fx() * depth, (py[j] - k.cy()) / k.fy() * depth, depth,
                            corners[j]);
                }
                for (int j = 0; j < 4; j++) {
                    put(v, c);
                    put(v, corners[j]);
                    put(v, corners[j]);
                    put(v, corners[(j + 1) % 4]);
                }
            }
            v.flip();
            lineVertices = v.remaining() / 3;
            glBindBuffer(GL_ARRAY_BUFFER, lineBuffer);
            glBufferData(GL_ARRAY_BUFFER, v, GL_STATIC_DRAW);
            glBindBuffer(GL_ARRAY_BUFFER, 0);
        } finally {
            MemoryUtil.memFree(v);
        }
    }

    private static void put(FloatBuffer b, double[] p) {
        b.put((float) p[0]).put((float) p[1]).put((float) p[2]);
    }

    @Override
    public void draw(ViewSettings settings, int width, int height) {
        GL.setCapabilities(caps);
        glViewport(0, 0, Math.max(1, width), Math.max(1, height));
        glClearColor(0.12f, 0.12f, 0.14f, 1f);
        glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
        if (scene == null) {
            return;
        }
        OrbitView v = settings.view();
        double r = bounds[3];
        double near = Math.max(v.distance() * 1e-3, v.distance() - 20 * r);
        double far = v.distance() + 20 * r;
        float[] view = Matrices.view(v);
        float[] projection = Matrices.perspective(v.fovY(), width / (double) Math.max(1, height), near, far);
        sortIfMoved(v);
        glDisable(GL_DEPTH_TEST);
        glDisable(GL_CULL_FACE);
        glEnable(GL_BLEND);
        glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
        glUseProgram(splatProgram);
        glUniformMatrix4fv(glGetUniformLocation(splatProgram, "view"), false, view);
        glUniformMatrix4fv(glGetUniformLocation(splatProgram, "projection"), false, projection);
        glUniform1f(glGetUniformLocation(splatProgram, "sizeScale"), (float) settings.splatScale());
        glUniform1i(glGetUniformLocation(splatProgram, "mode"), settings.mode().ordinal());
        glUniform2f(glGetUniformLocation(splatProgram, "depthRange"), (float) Math.max(near, v.distance() - r),
                (float) (v.distance() + r));
        glUniform1i(glGetUniformLocation(splatProgram, "splats"), 0);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_BUFFER, dataTexture);
        glBindVertexArray(splatVao);
        if (scene.count() > 0) {
            glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, scene.count());
        }
        if (settings.showCameras() && lineVertices > 0) {
            glUseProgram(lineProgram);
            glUniformMatrix4fv(glGetUniformLocation(lineProgram, "view"), false, view);
            glUniformMatrix4fv(glGetUniformLocation(lineProgram, "projection"), false, projection);
            glUniform4fv(glGetUniformLocation(lineProgram, "lineColour"), CAMERA_COLOUR);
            glBindVertexArray(lineVao);
            glDrawArrays(GL_LINES, 0, lineVertices);
        }
        glBindVertexArray(0);
        glBindTexture(GL_TEXTURE_BUFFER, 0);
        glUseProgram(0);
        glDisable(GL_BLEND);
    }

    /** Re-sorts only when the eye moved: orbiting re-sorts every frame, a still view reuses the order. */
    private void sortIfMoved(OrbitView v) {
        double[] eye = v.eye();
        double[] forward = v.forward();
        if (lastEye != null && Arrays.equals(eye, lastEye) && Arrays.equals(forward, lastForward)) {
            return;
        }
        sort.backToFront(scene.centres(), scene.count(), eye, forward, order);
        orderBuffer.clear();
        orderBuffer.put(order, 0, scene.count()).flip();
        glBindBuffer(GL_ARRAY_BUFFER, indexBuffer);
        glBufferSubData(GL_ARRAY_BUFFER, 0, orderBuffer);
        glBindBuffer(GL_ARRAY_BUFFER, 0);
        lastEye = eye;
        lastForward = forward;
    }

    @Override
    public FloatImage readPixels(int width, int height) {
        GL.setCapabilities(caps);
        ByteBuffer px = MemoryUtil.memAlloc(width * height * 4);
        try {
            glFinish();
            glPixelStorei(GL_PACK_ALIGNMENT, 1);
            glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, px);
            int n = width * height;
            float[] out = new float[3 * n];
            for (int y = 0; y < height; y++) {
                int srcRow = (height - 1 - y) * width; // GL rows are bottom-up
                for (int x = 0; x < width; x++) {
                    int s = 4 * (srcRow + x);
                    int d = y * width + x;
                    out[d] = (px.get(s) & 255) / 255f;
                    out[n + d] = (px.get(s + 1) & 255) / 255f;
                    out[2 * n + d] = (px.get(s + 2) & 255) / 255f;
                }
            }
            return new FloatImage(width, height, 3, out);
        } finally {
            MemoryUtil.memFree(px);
        }
    }

    @Override
    public String glInfo() {
        GL.setCapabilities(caps);
        return glGetString(GL_VENDOR) + " | " + glGetString(GL_RENDERER) + " | " + glGetString(GL_VERSION);
    }

    @Override
    public void close() {
        GL.setCapabilities(caps);
        glDeleteProgram(splatProgram);
        glDeleteProgram(lineProgram);
        glDeleteVertexArrays(splatVao);
        glDeleteVertexArrays(lineVao);
        glDeleteBuffers(indexBuffer);
        glDeleteBuffers(dataBuffer);
        glDeleteBuffers(lineBuffer);
        glDeleteTextures(dataTexture);
        if (orderBuffer != null) {
            MemoryUtil.memFree(orderBuffer);
            orderBuffer = null;
        }
    }
}
