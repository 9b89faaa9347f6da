package org.diff2dgs.inpaint.diffusion.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.diff2dgs.core.api.UserInputException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * The inputs and outputs an ONNX file declares (names, element types, shapes) and the external weight files it
 * refers to, read from the protobuf without loading the network: checking a multi-gigabyte UNet this way takes
 * milliseconds, so {@code unavailableReason()} can afford it. Field numbers from onnx.proto (ModelProto.graph 7;
 * GraphProto initializer 5, input 11, output 12; ValueInfoProto name 1, type 2; TypeProto.tensor_type 1;
 * Tensor elem_type 1, shape 2; TensorShapeProto.dim 1; Dimension dim_value 1, dim_param 2; TensorProto name 8,
 * external_data 13; StringStringEntryProto key 1, value 2).
 */
public record OnnxSignature(Map<String, Tensor> inputs, Map<String, Tensor> outputs, Set<String> externalFiles) {

    public static final int FLOAT = 1;
    public static final int INT64 = 7;

    /** One declared tensor: element type (TensorProto.DataType) and shape, -1 for a symbolic dimension. */
    public record Tensor(int elementType, long[] shape) {

        @Override
        public String toString() {
            return typeName(elementType) + Arrays.toString(shape);
        }
    }

    public static String typeName(int type) {
        return switch (type) {
            case FLOAT -> "float32";
            case INT64 -> "int64";
            case 10 -> "float16";
            case 11 -> "float64";
            case 6 -> "int32";
            default -> "type" + type;
        };
    }

    public static OnnxSignature read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream model = CodedInputStream.newInstance(in, 1 << 16);
            model.setSizeLimit(Integer.MAX_VALUE);
            OnnxSignature found = null;
            while (true) {
                int tag = model.readTag();
                if (tag == 0) {
                    break;
                }
                if (WireFormat.getTagFieldNumber(tag) == 7 && wireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = model.pushLimit(model.readRawVarint32());
                    found = graph(model);
                    model.popLimit(limit);
                } else {
                    model.skipField(tag);
                }
            }
            if (found == null) {
                throw new UserInputException(file, "not an ONNX model: no graph found");
            }
            return found;
        } catch (IOException e) {
            throw new UserInputException(file, "cannot read the ONNX file (" + e.getMessage() + ")", e);
        }
    }

    private static OnnxSignature graph(CodedInputStream in) throws IOException {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        Set<String> initializers = new HashSet<>();
        Set<String> external = new LinkedHashSet<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            if (wireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED || (field != 5 && field != 11 && field != 12)) {
                in.skipField(tag);
                continue;
            }
            int limit = in.pushLimit(in.readRawVarint32());
            if (field == 5) {
                initializer(in, initializers, external);
            } else {
                Object[] v = valueInfo(in);
                (field == 11 ? inputs : outputs).put((String) v[0], (Tensor) v[1]);
            }
            in.popLimit(limit);
        }
        // older exports list the weights among the inputs too; they are not inputs to feed
        inputs.keySet().removeAll(initializers);
        return new OnnxSignature(inputs, outputs, external);
    }

    private static void initializer(CodedInputStream in, Set<String> names, Set<String> external) throws IOException {
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 8 && wireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                names.add(in.readStringRequireUtf8());
            } else if (field == 13 && wireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                String key = null;
                String value = null;
                while (!in.isAtEnd()) {
                    int t = in.readTag();
                    if (WireFormat.getTagFieldNumber(t) == 1) {
                        key = in.readStringRequireUtf8();
                    } else if (WireFormat.getTagFieldNumber(t) == 2) {
                        value = in.readStringRequireUtf8();
                    } else {
                        in.skipField(t);
                    }
                }
                in.popLimit(limit);
                if ("location".equals(key) && value != null) {
                    external.add(value);
                }
            } else {
                in.skipField(tag);
            }
        }
    }

    /** {name, Tensor} of a ValueInfoProto. */
    private static Object[] valueInfo(CodedInputStream in) throws IOException {
        String name = "";
        int type = 0;
        List<Long> dims = new ArrayList<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == 1) {
                name = in.readStringRequireUtf8();
            } else if (field == 2) {
                CodedInputStream typeProto = in.readBytes().newCodedInput();
                while (!typeProto.isAtEnd()) {
                    int t = typeProto.readTag();
                    if (WireFormat.getTagFieldNumber(t) != 1) {
                        typeProto.skipField(t);
                        continue;
                    }
                    CodedInputStream tensor = typeProto.readBytes().newCodedInput();
                    while (!tensor.isAtEnd()) {
                        int tt = tensor.readTag();
                        if (WireFormat.getTagFieldNumber(tt) == 1) {
                            type = tensor.readInt32();
                        } else if (WireFormat.getTagFieldNumber(tt) == 2) {
                            CodedInputStream shape = tensor.readBytes().newCodedInput();
                            while (!shape.isAtEnd()) {
                                int st = shape.readTag();
                                if (WireFormat.getTagFieldNumber(st) != 1) {
                                    shape.skipField(st);
                                    continue;
                                }
                                CodedInputStream dim = shape.readBytes().newCodedInput();
                                long value = -1;
                                while (!dim.isAtEnd()) {
                                    int dt = dim.readTag();
                                    if (WireFormat.getTagFieldNumber(dt) == 1) {
                                        value = dim.readInt64();
                                    } else {
                                        dim.skipField(dt);
                                    }
                                }
                                dims.add(value);
                            }
                        } else {
                            tensor.skipField(tt);
                        }
                    }
                }
            } else {
                in.skipField(tag);
            }
        }
        return new Object[] {name, new Tensor(type, dims.stream().mapToLong(Long::longValue).toArray())};
    }

    private static int wireType(int tag) {
        return tag & 7;
    }
}
