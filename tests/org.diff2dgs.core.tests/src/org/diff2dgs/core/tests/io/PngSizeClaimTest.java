package org.diff2dgs.core.tests.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.io.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PNG of a few dozen bytes may claim a size the JDK decoder allocates in full before it inflates anything (8192 x
 * 8192 RGBA at 16 bits is 512 MiB). The reader must refuse the claim from the file's own length instead.
 */
class PngSizeClaimTest {

    @TempDir
    Path dir;

    @Test
    void tinyFileClaimingAHugeImageIsRefusedBeforeDecoding() throws IOException {
        Path f = dir.resolve("huge.png");
        Files.write(f, png(8192, 8192, 16, 6, new byte[] {0, 1, 2, 3}));
        for (boolean gray : new boolean[] {false, true}) {
            DatasetException e = assertThrows(DatasetException.class,
                    () -> { if (gray) { Images.readGray(f); } else { Images.readColor(f); } });
            assertTrue(e.getMessage().contains("cannot hold the 8192x8192 pixels"), e.getMessage());
        }
    }

    @Test
    void sixteenBitGrayClaimIsRefusedBeforeTheDirectDecoderAllocates() throws IOException {
        Path f = dir.resolve("depth.png");
        Files.write(f, png(8000, 8000, 16, 0, new byte[] {0, 0}));
        DatasetException e = assertThrows(DatasetException.class, () -> Images.readGray(f));
        assertTrue(e.getMessage().contains("cannot hold"), e.getMessage());
    }

    @Test
    void highlyCompressibleImageWithinTheDeflateLimitStillReads() throws IOException {
        // 2000 x 1500 of zeros at 16 bits compresses about 1000:1, the best deflate does; it must still be accepted
        int w = 2000;
        int h = 1500;
        byte[] raw = new byte[(2 * w + 1) * h];
        Path f = dir.resolve("flat.png");
        Files.write(f, png(w, h, 16, 0, raw));
        assertTrue(Files.size(f) < raw.length / 500, "test image not compressed enough: " + Files.size(f));
        assertTrue(Images.readGray(f).values().data().length == w * h);
    }

    /** A PNG with the given header and the raw (filtered) rows deflated into one IDAT chunk. */
    static byte[] png(int w, int h, int bitDepth, int colourType, byte[] rawRows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) bitDepth).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater deflater = new Deflater(9);
        deflater.setInput(rawRows);
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            z.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
