package org.diff2dgs.core.tests.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds .npy byte streams with any header text, version and payload, for tests of the reader. */
final class NpyBytes {

    private NpyBytes() {
    }

    static byte[] file(int major, String headerText, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(major);
        out.write(0);
        byte[] text = headerText.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (major == 1) {
            out.write(text.length & 0xFF);
            out.write(text.length >>> 8);
        } else {
            ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(text.length);
            out.writeBytes(len.array());
        }
        out.writeBytes(text);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape
                + ", }\n";
    }

    /** Encodes values in the given dtype ("<f4", ">i2", "|u1", ...). */
    static byte[] payload(String descr, double[] values) {
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = descr.charAt(1);
        int size = descr.charAt(2) - '0';
        ByteBuffer b = ByteBuffer.allocate(values.length * size).order(order);
        for (double v : values) {
            switch (kind) {
                case 'f' -> {
                    if (size == 2) {
                        b.putShort(Float.floatToFloat16((float) v));
                    } else if (size == 4) {
                        b.putFloat((float) v);
                    } else {
                        b.putDouble(v);
                    }
                }
                default -> {
                    long l = (long) v;
                    switch (size) {
                        case 1 -> b.put((byte) l);
                        case 2 -> b.putShort((short) l);
                        case 4 -> b.putInt((int) l);
                        default -> b.putLong(l);
                    }
                }
            }
        }
        return b.array();
    }
}
