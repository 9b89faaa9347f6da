package org.diff2dgs.viewer.internal;

import static org.lwjgl.opengl.GL33C.*;

import org.diff2dgs.core.api.UserInputException;

/** GLSL 330 programs of the viewer and their compilation. */
final class Shaders {

    private Shaders() {
    }

    /**
     * One instanced quad per surfel. Each splat's data is 4 RGBA32F texels of a buffer texture: centre + opacity,
     * scaled tangent u, scaled tangent v, colour. The quad spans +-3 standard deviations in the surfel's own plane, so
     * the projection is exact for the planar disc (the 2DGS ray-splat intersection, done here by the rasterizer's
     * perspective interpolation instead of per pixel).
     */
    static final String SPLAT_VS = """
            #version 330 core
            layout(location = 0) in int splatIndex;
            uniform samplerBuffer splats;
            uniform mat4 view;
            uniform mat4 projection;
            uniform float sizeScale;
            uniform int mode;
            uniform vec2 depthRange;
            out vec2 local;
            out vec4 colour;

            vec3 heat(float s) {
                // dark blue (near) -> cyan -> yellow -> dark red (far)
                vec3 a = vec3(0.05, 0.05, 0.45), b = vec3(0.1, 0.8, 0.9), c = vec3(0.95, 0.9, 0.15), d = vec3(0.55, 0.0, 0.0);
                if (s < 1.0 / 3.0) return mix(a, b, s * 3.0);
                if (s < 2.0 / 3.0) return mix(b, c, s * 3.0 - 1.0);
                return mix(c, d, s * 3.0 - 2.0);
            }

            void main() {
                int base = splatIndex * 4;
                vec4 t0 = texelFetch(splats, base);
                vec3 u = texelFetch(splats, base + 1).xyz;
                vec3 v = texelFetch(splats, base + 2).xyz;
                vec3 rgb = texelFetch(splats, base + 3).rgb;
                vec2 corner = vec2((gl_VertexID & 1) == 0 ? -1.0 : 1.0, (gl_VertexID & 2) == 0 ? -1.0 : 1.0);
                local = corner * 3.0;
                vec3 world = t0.xyz + (u * local.x + v * local.y) * sizeScale;
                vec4 eyePos = view * vec4(world, 1.0);
                gl_Position = projection * eyePos;
                vec3 c = rgb;
                if (mode == 1) {
                    float d = -(view * vec4(t0.xyz, 1.0)).z;
                    c = heat(clamp((d - depthRange.x) / max(depthRange.y - depthRange.x, 1e-9), 0.0, 1.0));
                } else if (mode == 2) {
                    vec3 n = mat3(view) * cross(u, v);
                    float len = length(n);
                    n = len > 0.0 ? n / len : vec3(0.0, 0.0, 1.0);
                    if (n.z < 0.0) n = -n;
                    // camera-space normal as colour: x right, y up, z towards the eye
                    c = n * 0.5 + 0.5;
                }
                colour = vec4(c, t0.w);
            }
            """;

    static final String SPLAT_FS = """
            #version 330 core
            in vec2 local;
            in vec4 colour;
            out vec4 frag;
            void main() {
                float alpha = colour.a * exp(-0.5 * dot(local, local));
                if (alpha < 1.0 / 255.0) discard;
                frag = vec4(colour.rgb, alpha);
            }
            """;

    static final String LINE_VS = """
            #version 330 core
            layout(location = 0) in vec3 position;
            uniform mat4 view;
            uniform mat4 projection;
            void main() { gl_Position = projection * view * vec4(position, 1.0); }
            """;

    static final String LINE_FS = """
            #version 330 core
            uniform vec4 lineColour;
            out vec4 frag;
            void main() { frag = lineColour; }
            """;

    static int program(String vs, String fs) {
        int v = compile(GL_VERTEX_SHADER, vs);
        int f = compile(GL_FRAGMENT_SHADER, fs);
        int p = glCreateProgram();
        glAttachShader(p, v);
        glAttachShader(p, f);
        glLinkProgram(p);
        glDeleteShader(v);
        glDeleteShader(f);
        if (glGetProgrami(p, GL_LINK_STATUS) == GL_FALSE) {
            String log = glGetProgramInfoLog(p);
            glDeleteProgram(p);
            throw new UserInputException("the OpenGL driver cannot link the viewer's shaders: " + log.strip());
        }
        return p;
    }

    private static int compile(int type, String source) {
        int s = glCreateShader(type);
        glShaderSource(s, source);
        glCompileShader(s);
        if (glGetShaderi(s, GL_COMPILE_STATUS) == GL_FALSE) {
            String log = glGetShaderInfoLog(s);
            glDeleteShader(s);
            throw new UserInputException("the OpenGL driver cannot compile the viewer's shaders (GLSL 330 needed): "
                    + log.strip());
        }
        return s;
    }
}
