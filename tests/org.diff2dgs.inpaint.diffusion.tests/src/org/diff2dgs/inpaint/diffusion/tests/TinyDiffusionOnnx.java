package org.diff2dgs.inpaint.diffusion.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

/**
 * Stand-ins for the three exported graphs with the same input and output names and static shapes, random weights,
 * small sizes, written as ONNX by encoding the protobuf messages by field number (onnx.proto), so the tests need
 * neither Python nor the onnx package:
 * <ul>
 * <li>VAE encoder: image [B,3,H,W] -> 8x8 average pooling -> 1x1 convolution to 2C channels -> moments;</li>
 * <li>VAE decoder: latent [B,C,h,w] -> 8x8 stride-8 transposed convolution to 3 channels -> tanh -> image;</li>
 * <li>denoiser: concat(sample, brushnet_cond) -> 3x3 convolution to C channels, plus a weighted mean over the
 * window's frames (a stand-in for temporal attention, so windows matter) plus timestep / 1000 -> noise_pred.</li>
 * </ul>
 */
final class TinyDiffusionOnnx {

    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int ATTR_INT = 2;
    private static final int ATTR_INTS = 7;

    final int width;
    final int height;
    final int frames;
    final int channels;
    final int batch;
    private final Random random;

    TinyDiffusionOnnx(int width, int height, int frames, int channels, int batch, long seed) {
        this.width = width;
        this.height = height;
        this.frames = frames;
        this.channels = channels;
        this.batch = batch;
        this.random = new Random(seed);
    }

    /** Writes the three graphs and manifest.json into {@code folder}. */
    void writeAll(Path folder) throws IOException {
        writeAll(folder, false);
    }

    /** Writes the three graphs and manifest.json; the decoder's weights in an external file when asked. */
    void writeAll(Path folder, boolean externalDecoder) throws IOException {
        Files.createDirectories(folder);
        writeEncoder(folder.resolve("vae_encoder.onnx"), batch);
        writeDecoder(folder.resolve("vae_decoder.onnx"), externalDecoder);
        writeDenoiser(folder.resolve("unet_brushnet.onnx"), frames);
        Files.writeString(folder.resolve("manifest.json"), manifest(frames));
    }

    String manifest(int declaredFrames) {
        int h = height / 8;
        int w = width / 8;
        int c = channels;
        int f = declaredFrames;
        return String.format(Locale.ROOT, """
                {
                  "format": "diff2dgs-diffusion-onnx/1",
                  "width": %d, "height": %d, "frames": %d, "latentChannels": %d, "vaeScalingFactor": 0.18215,
                  "vaeEncoder": {"file": "vae_encoder.onnx",
                    "inputs": {"image": [%d, 3, %d, %d]}, "outputs": {"moments": [%d, %d, %d, %d]}},
                  "vaeDecoder": {"file": "vae_decoder.onnx",
                    "inputs": {"latent": [%d, %d, %d, %d]}, "outputs": {"image": [%d, 3, %d, %d]}},
                  "denoiser": {"file": "unet_brushnet.onnx",
                    "inputs": {"sample": [%d, %d, %d, %d], "timestep": [1], "brushnet_cond": [%d, %d, %d, %d]},
                    "outputs": {"noise_pred": [%d, %d, %d, %d]}}
                }
                """, width, height, f, c, batch, height, width, batch, 2 * c, h, w, batch, c, h, w, batch, height,
                width, f, c, h, w, f, c + 1, h, w, f, c, h, w);
    }

    void writeEncoder(Path file, int b) throws IOException {
        int c2 = 2 * channels;
        Msg g = new Msg();
        g.msg(1, node("AveragePool", "pool", new String[] {"image"}, new String[] {"pooled"},
                ints("kernel_shape", 8, 8), ints("strides", 8, 8)));
        g.msg(1, node("Conv", "proj", new String[] {"pooled", "We", "Be"}, new String[] {"moments"},
                ints("kernel_shape", 1, 1)));
        g.str(2, "tiny_vae_encoder");
        g.msg(5, floatTensor("We", new long[] {c2, 3, 1, 1}, gaussian(c2 * 3, 0.8)));
        float[] bias = new float[c2];
        for (int i = 0; i < c2; i++) {
            // mean channels around 0, log-variance channels around -6 (small posterior noise, as a trained VAE)
            bias[i] = i < channels ? (float) (random.nextGaussian() * 0.1) : -6f;
        }
        g.msg(5, floatTensor("Be", new long[] {c2}, bias));
        g.msg(11, valueInfo("image", FLOAT, b, 3, height, width));
        g.msg(12, valueInfo("moments", FLOAT, b, c2, height / 8, width / 8));
        Files.write(file, model(g));
    }

    void writeDecoder(Path file) throws IOException {
        writeDecoder(file, false);
    }

    /**
     * @param external keep the transposed-convolution weights in {@code <file>.data} (ONNX external data), as the
     *                 export script does for graphs over 2 GB
     */
    void writeDecoder(Path file, boolean external) throws IOException {
        Msg g = new Msg();
        g.msg(1, node("ConvTranspose", "up", new String[] {"latent", "Wd", "Bd"}, new String[] {"raw"},
                ints("kernel_shape", 8, 8), ints("strides", 8, 8)));
        g.msg(1, node("Tanh", "squash", new String[] {"raw"}, new String[] {"image"}));
        g.str(2, "tiny_vae_decoder");
        float[] wd = gaussian(channels * 3 * 64, 0.6);
        if (external) {
            Path data = file.resolveSibling(file.getFileName() + ".data");
            Files.write(data, littleEndian(wd));
            Msg t = new Msg();
            for (long d : new long[] {channels, 3, 8, 8}) {
                t.i64(1, d);
            }
            t.i32(2, FLOAT).str(8, "Wd");
            // TensorProto.external_data (13): StringStringEntryProto{key 1, value 2}; data_location (14) EXTERNAL = 1
            t.msg(13, new Msg().str(1, "location").str(2, data.getFileName().toString()));
            t.msg(13, new Msg().str(1, "offset").str(2, "0"));
            t.msg(13, new Msg().str(1, "length").str(2, String.valueOf(wd.length * 4)));
            t.i32(14, 1);
            g.msg(5, t);
        } else {
            g.msg(5, floatTensor("Wd", new long[] {channels, 3, 8, 8}, wd));
        }
        g.msg(5, floatTensor("Bd", new long[] {3}, gaussian(3, 0.1)));
        g.msg(11, valueInfo("latent", FLOAT, batch, channels, height / 8, width / 8));
        g.msg(12, valueInfo("image", FLOAT, batch, 3, height, width));
        Files.write(file, model(g));
    }

    void writeDenoiser(Path file, int f) throws IOException {
        int in = 2 * channels + 1;
        int h = height / 8;
        int w = width / 8;
        Msg g = new Msg();
        g.msg(1, node("Concat", "join", new String[] {"sample", "brushnet_cond"}, new String[] {"x"},
                intAttr("axis", 1)));
        g.msg(1, node("Conv", "conv", new String[] {"x", "Wu", "Bu"}, new String[] {"y"}, ints("kernel_shape", 3, 3),
                ints("pads", 1, 1, 1, 1)));
        g.msg(1, node("ReduceMean", "temporal", new String[] {"y"}, new String[] {"ym"}, ints("axes", 0),
                intAttr("keepdims", 1)));
        g.msg(1, node("Mul", "mix", new String[] {"ym", "Tm"}, new String[] {"yt"}));
        g.msg(1, node("Cast", "tcast", new String[] {"timestep"}, new String[] {"tf"}, intAttr("to", FLOAT)));
        g.msg(1, node("Mul", "tscale", new String[] {"tf", "Ts"}, new String[] {"tt"}));
        g.msg(1, node("Add", "add1", new String[] {"y", "yt"}, new String[] {"y2"}));
        g.msg(1, node("Add", "add2", new String[] {"y2", "tt"}, new String[] {"noise_pred"}));
        g.str(2, "tiny_unet_brushnet");
        g.msg(5, floatTensor("Wu", new long[] {channels, in, 3, 3}, gaussian(channels * in * 9, 0.15)));
        g.msg(5, floatTensor("Bu", new long[] {channels}, gaussian(channels, 0.05)));
        g.msg(5, floatTensor("Tm", new long[] {1}, new float[] {0.7f}));
        g.msg(5, floatTensor("Ts", new long[] {1}, new float[] {0.001f}));
        g.msg(11, valueInfo("sample", FLOAT, f, channels, h, w));
        g.msg(11, valueInfo("timestep", INT64, 1));
        g.msg(11, valueInfo("brushnet_cond", FLOAT, f, channels + 1, h, w));
        g.msg(12, valueInfo("noise_pred", FLOAT, f, channels, h, w));
        Files.write(file, model(g));
    }

    private float[] gaussian(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    private static byte[] model(Msg graph) throws IOException {
        Msg model = new Msg();
        model.i64(1, 8); // ir_version
        model.str(2, "diff2dgs-diffusion-tests");
        model.msg(7, graph);
        model.msg(8, new Msg().str(1, "").i64(2, 17)); // opset 17
        return model.bytes();
    }

    /** Fields of one protobuf message, encoded as they are added. */
    private static final class Msg {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

        Msg str(int field, String value) throws IOException {
            out.writeString(field, value);
            return this;
        }

        Msg i64(int field, long value) throws IOException {
            out.writeInt64(field, value);
            return this;
        }

        Msg i32(int field, int value) throws IOException {
            out.writeInt32(field, value);
            return this;
        }

        Msg msg(int field, Msg value) throws IOException {
            out.writeBytes(field, ByteString.copyFrom(value.bytes()));
            return this;
        }

        byte[] bytes() throws IOException {
            out.flush();
            return buffer.toByteArray();
        }
    }

    // NodeProto: input 1, output 2, name 3, op_type 4, attribute 5
    private static Msg node(String op, String name, String[] inputs, String[] outputs, Msg... attributes)
            throws IOException {
        Msg node = new Msg();
        for (String s : inputs) {
            node.str(1, s);
        }
        for (String s : outputs) {
            node.str(2, s);
        }
        node.str(3, name).str(4, op);
        for (Msg a : attributes) {
            node.msg(5, a);
        }
        return node;
    }

    // AttributeProto: name 1, i 3, ints 8, type 20
    private static Msg ints(String name, long... values) throws IOException {
        Msg a = new Msg().str(1, name);
        for (long v : values) {
            a.i64(8, v);
        }
        return a.i32(20, ATTR_INTS);
    }

    private static Msg intAttr(String name, long value) throws IOException {
        return new Msg().str(1, name).i64(3, value).i32(20, ATTR_INT);
    }

    private static byte[] littleEndian(float[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            bytes.putFloat(v);
        }
        return bytes.array();
    }

    // TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little endian)
    private static Msg floatTensor(String name, long[] dims, float[] data) throws IOException {
        Msg t = new Msg();
        for (long d : dims) {
            t.i64(1, d);
        }
        t.i32(2, FLOAT).str(8, name);
        t.out.writeBytes(9, ByteString.copyFrom(littleEndian(data)));
        return t;
    }

    // ValueInfoProto{name 1, type 2}; TypeProto{tensor_type 1}; Tensor{elem_type 1, shape 2}; TensorShapeProto{dim 1};
    // Dimension{dim_value 1}
    private static Msg valueInfo(String name, int type, long... dims) throws IOException {
        Msg shape = new Msg();
        for (long d : dims) {
            shape.msg(1, new Msg().i64(1, d));
        }
        Msg tensorType = new Msg().i32(1, type).msg(2, shape);
        return new Msg().str(1, name).msg(2, new Msg().msg(1, tensorType));
    }
}
