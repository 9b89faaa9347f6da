package org.diff2dgs.metrics.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

/**
 * A stand-in for an exported LPIPS network, small enough to recompute in Java: both images go through the same 3x3
 * convolution (3 -> 4 channels, zero padding 1, random weights and bias) and a ReLU, and the output is the mean
 * squared difference of the two feature maps. Written as ONNX by encoding the protobuf messages by field number
 * (onnx.proto), so the tests need neither Python nor the onnx package.
 */
final class TinyLpipsOnnx {

    static final int FEATURES = 4;
    private static final int FLOAT = 1; // TensorProto.DataType
    private static final int INT64 = 7;
    private static final int ATTR_INT = 2; // AttributeProto.AttributeType
    private static final int ATTR_INTS = 7;

    /** How the distance leaves the network: [1,1,1,1] as lpips.LPIPS gives it, or flattened to [1]. */
    enum OutputShape { NCHW, FLAT }

    final float[] weights = new float[FEATURES * 3 * 3 * 3];
    final float[] bias = new float[FEATURES];

    TinyLpipsOnnx(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextGaussian() * 0.4);
        }
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) (random.nextGaussian() * 0.2);
        }
    }

    /** The network's output recomputed in double precision; inputs planar [3,H,W], already in [-1,1]. */
    double distance(float[] a, float[] b, int width, int height) {
        double[] fa = features(a, width, height);
        double[] fb = features(b, width, height);
        double sum = 0;
        for (int i = 0; i < fa.length; i++) {
            double d = fa[i] - fb[i];
            sum += d * d;
        }
        return sum / fa.length;
    }

    private double[] features(float[] x, int width, int height) {
        int plane = width * height;
        double[] out = new double[FEATURES * plane];
        for (int o = 0; o < FEATURES; o++) {
            for (int y = 0; y < height; y++) {
                for (int xx = 0; xx < width; xx++) {
                    double s = bias[o];
                    for (int c = 0; c < 3; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int sy = y + ky - 1;
                                int sx = xx + kx - 1;
                                if (sy >= 0 && sy < height && sx >= 0 && sx < width) {
                                    s += weights[((o * 3 + c) * 3 + ky) * 3 + kx] * (double) x[c * plane + sy * width + sx];
                                }
                            }
                        }
                    }
                    out[o * plane + y * width + xx] = Math.max(0, s);
                }
            }
        }
        return out;
    }

    void write(Path file, OutputShape shape) throws IOException {
        Msg graph = new Msg();
        for (String in : new String[] {"a", "b"}) {
            graph.msg(1, node("Conv", "conv_" + in, new String[] {in, "W", "B"}, new String[] {"c_" + in},
                    intsAttribute("kernel_shape", 3, 3), intsAttribute("pads", 1, 1, 1, 1)));
            graph.msg(1, node("Relu", "relu_" + in, new String[] {"c_" + in}, new String[] {"f_" + in}));
        }
        graph.msg(1, node("Sub", "sub", new String[] {"f_a", "f_b"}, new String[] {"diff"}));
        graph.msg(1, node("Mul", "square", new String[] {"diff", "diff"}, new String[] {"sq"}));
        if (shape == OutputShape.NCHW) {
            graph.msg(1, node("ReduceMean", "mean", new String[] {"sq"}, new String[] {"distance"},
                    intAttribute("keepdims", 1)));
        } else {
            graph.msg(1, node("ReduceMean", "mean", new String[] {"sq"}, new String[] {"scalar"},
                    intAttribute("keepdims", 0)));
            graph.msg(1, node("Reshape", "flat", new String[] {"scalar", "one"}, new String[] {"distance"}));
        }
        graph.str(2, "tiny_lpips");
        graph.msg(5, floatTensor("W", new long[] {FEATURES, 3, 3, 3}, weights));
        graph.msg(5, floatTensor("B", new long[] {FEATURES}, bias));
        if (shape == OutputShape.FLAT) {
            graph.msg(5, int64Tensor("one", new long[] {1}, new long[] {1}));
        }
        graph.msg(11, valueInfo("a", 1, 3, "H", "W"));
        graph.msg(11, valueInfo("b", 1, 3, "H", "W"));
        graph.msg(12, shape == OutputShape.NCHW ? valueInfo("distance", 1, 1, 1, 1) : valueInfo("distance", 1));
        Files.write(file, model(graph));
    }

    /** A valid ONNX file with a single input, which an LPIPS metric must refuse. */
    static void writeSingleInput(Path file) throws IOException {
        Msg graph = new Msg();
        graph.msg(1, node("Relu", "relu", new String[] {"a"}, new String[] {"out"}));
        graph.str(2, "one_input");
        graph.msg(11, valueInfo("a", 1, 3, "H", "W"));
        graph.msg(12, valueInfo("out", 1, 3, "H", "W"));
        Files.write(file, model(graph));
    }

    private static byte[] model(Msg graph) throws IOException {
        Msg model = new Msg();
        model.i64(1, 8); // ir_version
        model.str(2, "diff2dgs-metrics-tests"); // producer_name
        model.msg(7, graph);
        model.msg(8, new Msg().str(1, "").i64(2, 17)); // opset_import: default domain, opset 17
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

        Msg raw(int field, byte[] value) throws IOException {
            out.writeBytes(field, ByteString.copyFrom(value));
            return this;
        }

        Msg msg(int field, Msg value) throws IOException {
            return raw(field, value.bytes());
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
        for (String in : inputs) {
            node.str(1, in);
        }
        for (String o : outputs) {
            node.str(2, o);
        }
        node.str(3, name).str(4, op);
        for (Msg a : attributes) {
            node.msg(5, a);
        }
        return node;
    }

    // AttributeProto: name 1, i 3, ints 8, type 20
    private static Msg intsAttribute(String name, long... values) throws IOException {
        Msg a = new Msg().str(1, name);
        for (long v : values) {
            a.i64(8, v);
        }
        return a.i32(20, ATTR_INTS);
    }

    private static Msg intAttribute(String name, long value) throws IOException {
        return new Msg().str(1, name).i64(3, value).i32(20, ATTR_INT);
    }

    // TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little endian)
    private static Msg floatTensor(String name, long[] dims, float[] data) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            bytes.putFloat(f);
        }
        return tensor(name, dims, FLOAT, bytes.array());
    }

    private static Msg int64Tensor(String name, long[] dims, long[] data) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : data) {
            bytes.putLong(v);
        }
        return tensor(name, dims, INT64, bytes.array());
    }

    private static Msg tensor(String name, long[] dims, int type, byte[] raw) throws IOException {
        Msg t = new Msg();
        for (long d : dims) {
            t.i64(1, d);
        }
        return t.i32(2, type).str(8, name).raw(9, raw);
    }

    // ValueInfoProto{name 1, type 2}; TypeProto{tensor_type 1}; Tensor{elem_type 1, shape 2};
    // TensorShapeProto{dim 1}; Dimension{dim_value 1 | dim_param 2}
    private static Msg valueInfo(String name, Object... dims) throws IOException {
        Msg shape = new Msg();
        for (Object d : dims) {
            Msg dim = new Msg();
            if (d instanceof String symbol) {
                dim.str(2, symbol);
            } else {
                dim.i64(1, ((Number) d).longValue());
            }
            shape.msg(1, dim);
        }
        Msg tensorType = new Msg().i32(1, FLOAT).msg(2, shape);
        return new Msg().str(1, name).msg(2, new Msg().msg(1, tensorType));
    }
}
