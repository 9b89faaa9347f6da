package org.diff2dgs.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.diff2dgs.core.api.DatasetException;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0; see numpy.lib.format). Reading checks
 * every header field against the file length before allocating anything, so a corrupt or hostile header yields a
 * {@link DatasetException} naming the file, never an out-of-memory error or another exception.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Headers beyond this are not NumPy files we wrote or would meet (NumPy itself refuses headers above 10 kB). */
    private static final int MAX_HEADER_BYTES = 1 << 20;

    /** Element count and byte limits: values land in one double[] after passing through one byte buffer. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Npy() {
    }

    /** Reads a whole {@code .npy} file; every problem is a {@link DatasetException} naming the file. */
    public static NpyArray read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            ByteBuffer prefix = readFully(ch, 0, (int) Math.min(length, 12), file);
            Header header = parsePrefix(prefix, length, file);
            ByteBuffer headerBytes = readFully(ch, header.textStart, header.textLength, file);
            Layout layout = parseHeader(headerBytes, header, file);
            long dataStart = header.textStart + header.textLength;
            checkDataLength(layout, length - dataStart, file);
            ByteBuffer data = readFully(ch, dataStart, (int) (layout.count * layout.type.size), file);
            return decode(layout, data);
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, "file not found");
        } catch (IOException e) {
            throw new DatasetException(file, "cannot read NumPy file: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a {@code .npy} file without reading its values: the header parses and the file holds exactly the data
     * it declares (a cut or padded file fails). Returns the shape; every problem is a {@link DatasetException}.
     */
    public static long[] checkComplete(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            ByteBuffer prefix = readFully(ch, 0, (int) Math.min(length, 12), file);
            Header header = parsePrefix(prefix, length, file);
            ByteBuffer headerBytes = readFully(ch, header.textStart, header.textLength, file);
            Layout layout = parseHeader(headerBytes, header, file);
            checkDataLength(layout, length - (header.textStart + header.textLength), file);
            return layout.shape.clone();
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, "file not found");
        } catch (IOException e) {
            throw new DatasetException(file, "cannot read NumPy file: " + e.getMessage(), e);
        }
    }

    /** Parses the bytes of a {@code .npy} file; {@code nameForErrors} is what error messages call it. */
    public static NpyArray parse(byte[] bytes, Path nameForErrors) {
        ByteBuffer all = ByteBuffer.wrap(bytes);
        Header header = parsePrefix(all.slice(0, Math.min(bytes.length, 12)), bytes.length, nameForErrors);
        Layout layout = parseHeader(all.slice((int) header.textStart, header.textLength), header, nameForErrors);
        long dataStart = header.textStart + header.textLength;
        checkDataLength(layout, bytes.length - dataStart, nameForErrors);
        return decode(layout, all.slice((int) dataStart, (int) (layout.count * layout.type.size)));
    }

    /** Writes float32 values ("&lt;f4"), C order, format 1.0, atomically. */
    public static void write(Path file, long[] shape, float[] data) {
        checkShape(shape, data.length);
        byte[] header = header("<f4", shape);
        AtomicFiles.write(file, out -> {
            out.write(header);
            // bulk puts through a little-endian view: a checkpoint holds hundreds of MB of floats
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            java.nio.FloatBuffer floats = buf.asFloatBuffer();
            int chunk = buf.capacity() / Float.BYTES;
            for (int off = 0; off < data.length; off += chunk) {
                int n = Math.min(chunk, data.length - off);
                floats.clear();
                floats.put(data, off, n);
                out.write(buf.array(), 0, n * Float.BYTES);
            }
        });
    }

    /** Writes float64 values ("&lt;f8"), C order, format 1.0, atomically. */
    public static void write(Path file, long[] shape, double[] data) {
        checkShape(shape, data.length);
        byte[] header = header("<f8", shape);
        AtomicFiles.write(file, out -> {
            out.write(header);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : data) {
                if (buf.remaining() < 8) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putDouble(v);
            }
            out.write(buf.array(), 0, buf.position());
        });
    }

    private static void checkShape(long[] shape, int length) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + length);
        }
    }

    /** Version 1.0 header, padded with spaces so the data starts at a multiple of 64 bytes as NumPy does. */
    private static byte[] header(String descr, long[] shape) {
        StringBuilder dims = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            dims.append(shape[k]).append(shape.length == 1 ? "," : (k + 1 < shape.length ? ", " : ""));
        }
        dims.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        if (total - 10 > 0xFFFF) {
            throw new IllegalArgumentException("shape too long for a version 1.0 header: " + Arrays.toString(shape));
        }
        byte[] out = new byte[total];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        int textLength = total - 10;
        out[8] = (byte) (textLength & 0xFF);
        out[9] = (byte) (textLength >>> 8);
        byte[] text = dict.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, out, 10, text.length);
        Arrays.fill(out, 10 + text.length, total - 1, (byte) ' ');
        out[total - 1] = '\n';
        return out;
    }

    // ---------------------------------------------------------------- reading

    /** Where the header text sits and how it is encoded. */
    private record Header(int major, long textStart, int textLength) {
    }

    /** What the header says about the data. */
    private record Layout(DType type, long[] shape, boolean fortranOrder, String descr, long count) {
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new DatasetException(file, "NumPy file is truncated: expected " + length + " bytes at offset "
                        + position + ", the file has " + ch.size());
            }
            pos += n;
        }
        return buf.flip();
    }

    private static Header parsePrefix(ByteBuffer prefix, long fileLength, Path file) {
        if (fileLength < 10) {
            throw new DatasetException(file, "not a NumPy .npy file: only " + fileLength + " bytes");
        }
        for (int k = 0; k < MAGIC.length; k++) {
            if (prefix.get(k) != MAGIC[k]) {
                throw new DatasetException(file, "not a NumPy .npy file: the magic string \\x93NUMPY is missing");
            }
        }
        int major = prefix.get(6) & 0xFF;
        int minor = prefix.get(7) & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new DatasetException(file, "unsupported NumPy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        long textLength;
        long textStart;
        if (major == 1) {
            textLength = (prefix.get(8) & 0xFF) | ((prefix.get(9) & 0xFF) << 8);
            textStart = 10;
        } else {
            if (fileLength < 12) {
                throw new DatasetException(file, "NumPy file is truncated inside its header length field");
            }
            textLength = (prefix.get(8) & 0xFFL) | ((prefix.get(9) & 0xFFL) << 8) | ((prefix.get(10) & 0xFFL) << 16)
                    | ((prefix.get(11) & 0xFFL) << 24);
            textStart = 12;
        }
        if (textLength > fileLength - textStart) {
            throw new DatasetException(file, "NumPy file is truncated: header says " + textLength
                    + " header bytes but only " + (fileLength - textStart) + " bytes follow");
        }
        if (textLength > MAX_HEADER_BYTES) {
            throw new DatasetException(file, "NumPy header of " + textLength + " bytes is implausibly long");
        }
        return new Header(major, textStart, (int) textLength);
    }

    private static Layout parseHeader(ByteBuffer text, Header header, Path file) {
        byte[] raw = new byte[text.remaining()];
        text.get(raw);
        // 1.0 and 2.0 headers are latin-1; 3.0 allows UTF-8 (only for field names we do not support anyway)
        String s = new String(raw, header.major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict;
        try {
            dict = new DictParser(s).parse();
        } catch (IllegalStateException e) {
            throw new DatasetException(file, "NumPy header is not a valid dictionary (" + e.getMessage() + "): "
                    + abbreviate(s));
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw new DatasetException(file, "NumPy header lacks '" + key + "': " + abbreviate(s));
            }
        }
        if (dict.size() != 3) {
            throw new DatasetException(file, "NumPy header has unexpected keys " + dict.keySet() + ": "
                    + abbreviate(s));
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new DatasetException(file, "unsupported NumPy dtype " + dict.get("descr")
                    + " (structured arrays are not supported)");
        }
        DType type = DType.of(descr);
        if (type == null) {
            throw new DatasetException(file, "unsupported NumPy dtype '" + descr
                    + "' (supported: float16/32/64 and 8/16/32/64-bit integers, either byte order, and bool)");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new DatasetException(file, "NumPy header 'fortran_order' must be True or False, got "
                    + dict.get("fortran_order"));
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw new DatasetException(file, "NumPy header 'shape' must be a tuple of integers, got "
                    + dict.get("shape"));
        }
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new DatasetException(file, "NumPy header has a negative dimension: " + abbreviate(s));
            }
            if (d != 0 && count > MAX_ELEMENTS / d) {
                throw new DatasetException(file, "NumPy array of shape " + Arrays.toString(shape)
                        + " is too large to load");
            }
            count *= d;
        }
        if (count * type.size > MAX_ELEMENTS) {
            throw new DatasetException(file, "NumPy array of shape " + Arrays.toString(shape) + " of '" + descr
                    + "' is too large to load (over 2 GiB)");
        }
        return new Layout(type, shape, fortran, descr, count);
    }

    private static void checkDataLength(Layout layout, long available, Path file) {
        long needed = layout.count * layout.type.size;
        if (available < needed) {
            throw new DatasetException(file, "NumPy file is truncated: shape " + Arrays.toString(layout.shape)
                    + " of '" + layout.descr + "' needs " + needed + " data bytes, the file has " + available);
        }
        if (available > needed) {
            throw new DatasetException(file, "NumPy file has " + (available - needed)
                    + " bytes after the data of shape " + Arrays.toString(layout.shape) + " of '" + layout.descr
                    + "' (wrong dtype or shape in the header?)");
        }
    }

    private static NpyArray decode(Layout layout, ByteBuffer bytes) {
        ByteBuffer b = bytes.order(layout.type.order);
        int n = (int) layout.count;
        double[] out = new double[n];
        switch (layout.type.kind) {
            case 'f' -> {
                switch (layout.type.size) {
                    case 2 -> {
                        for (int k = 0; k < n; k++) {
                            out[k] = Float.float16ToFloat(b.getShort());
                        }
                    }
                    case 4 -> {
                        java.nio.FloatBuffer f = b.asFloatBuffer();
                        for (int k = 0; k < n; k++) {
                            out[k] = f.get(k);
                        }
                    }
                    default -> b.asDoubleBuffer().get(out);
                }
            }
            case 'i', 'b' -> {
                for (int k = 0; k < n; k++) {
                    out[k] = switch (layout.type.size) {
                        case 1 -> b.get();
                        case 2 -> b.getShort();
                        case 4 -> b.getInt();
                        default -> b.getLong();
                    };
                }
            }
            default -> { // 'u'
                for (int k = 0; k < n; k++) {
                    out[k] = switch (layout.type.size) {
                        case 1 -> b.get() & 0xFF;
                        case 2 -> b.getShort() & 0xFFFF;
                        case 4 -> b.getInt() & 0xFFFFFFFFL;
                        default -> unsignedToDouble(b.getLong());
                    };
                }
            }
        }
        return new NpyArray(layout.shape, layout.fortranOrder, layout.descr, out);
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 120 ? t : t.substring(0, 117) + "...";
    }

    /** The element types we accept: kind f/i/u/b, size in bytes and byte order. */
    private record DType(char kind, int size, ByteOrder order) {

        static DType of(String descr) {
            if (descr.length() < 3) {
                return null;
            }
            char endian = descr.charAt(0);
            char kind = descr.charAt(1);
            String digits = descr.substring(2);
            if (digits.length() != 1 || digits.charAt(0) < '1' || digits.charAt(0) > '8') {
                return null;
            }
            int size = digits.charAt(0) - '0';
            boolean ok = switch (kind) {
                case 'f' -> size == 2 || size == 4 || size == 8;
                case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
                case 'b' -> size == 1;
                default -> false;
            };
            if (!ok) {
                return null;
            }
            ByteOrder order = switch (endian) {
                case '<' -> ByteOrder.LITTLE_ENDIAN;
                case '>' -> ByteOrder.BIG_ENDIAN;
                case '=' -> ByteOrder.nativeOrder();
                case '|' -> size == 1 ? ByteOrder.LITTLE_ENDIAN : null;
                default -> null;
            };
            return order == null ? null : new DType(kind, size, order);
        }
    }

    /**
     * The header is a Python dict literal such as {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}.
     * This parser accepts exactly the literals NumPy writes: quoted strings, True/False, integers, tuples and lists.
     * Errors are IllegalStateException, turned into DatasetException by the caller.
     */
    private static final class DictParser {
        private final String s;
        private int pos;
        private int depth;

        DictParser(String s) {
            this.s = s;
        }

        Map<String, Object> parse() {
            skipSpace();
            expect('{');
            Map<String, Object> map = new LinkedHashMap<>();
            skipSpace();
            while (peek() != '}') {
                Object key = value();
                if (!(key instanceof String k)) {
                    throw new IllegalStateException("keys must be strings at offset " + pos);
                }
                skipSpace();
                expect(':');
                Object v = value();
                if (map.put(k, v) != null) {
                    throw new IllegalStateException("duplicate key '" + k + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw new IllegalStateException("expected ',' or '}' at offset " + pos);
                }
            }
            pos++;
            skipSpace();
            if (pos != s.length()) {
                throw new IllegalStateException("unexpected text after the dictionary at offset " + pos);
            }
            return map;
        }

        private Object value() {
            skipSpace();
            char c = peek();
            if (c == '\'' || c == '"') {
                return string(c);
            }
            if (c == '(' || c == '[') {
                return sequence(c == '(' ? ')' : ']');
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return integer();
            }
            throw new IllegalStateException("unexpected '" + c + "' at offset " + pos);
        }

        private String string(char quote) {
            pos++;
            int end = s.indexOf(quote, pos);
            if (end < 0) {
                throw new IllegalStateException("unterminated string at offset " + pos);
            }
            String v = s.substring(pos, end);
            pos = end + 1;
            return v;
        }

        /** A tuple of integers becomes long[]; anything else (structured dtypes) becomes a List. */
        private Object sequence(char close) {
            if (++depth > 8) {
                throw new IllegalStateException("nesting too deep");
            }
            pos++;
            List<Object> items = new ArrayList<>();
            skipSpace();
            while (peek() != close) {
                items.add(value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != close) {
                    throw new IllegalStateException("expected ',' or '" + close + "' at offset " + pos);
                }
            }
            pos++;
            depth--;
            if (items.stream().allMatch(Long.class::isInstance)) {
                return items.stream().mapToLong(Long.class::cast).toArray();
            }
            return items;
        }

        private Long integer() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            if (pos < s.length() && s.charAt(pos) == 'L') { // Python 2 long suffix in old files
                pos++;
            }
            String digits = s.substring(start, pos).replace("L", "");
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("bad integer '" + digits + "' at offset " + start);
            }
        }

        private char peek() {
            if (pos >= s.length()) {
                throw new IllegalStateException("header ends unexpectedly");
            }
            return s.charAt(pos);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalStateException("expected '" + c + "' at offset " + pos);
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
