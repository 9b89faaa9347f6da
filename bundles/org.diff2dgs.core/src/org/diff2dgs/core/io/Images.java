package org.diff2dgs.core.io;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.ImageInputStreamImpl;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.diff2dgs.core.api.DatasetException;
import org.diff2dgs.core.model.FloatImage;

/**
 * PNG reading and writing through the JDK's own codec (javax.imageio, see docs/decisions/0002-image-io.md). Samples
 * are taken straight from the decoded raster: no colour-space or gamma conversion, the values are the stored ones
 * scaled to [0,1], as the published EndoNeRF loaders use them. Safe to call from many threads at once.
 */
public final class Images {

    private Images() {
    }

    /**
     * Reads a PNG of any colour type (gray, gray+alpha, RGB, RGBA, palette) and bit depth as 3-channel [0,1] colour.
     * Gray is replicated to three channels; alpha is dropped.
     */
    public static FloatImage readColor(Path png) {
        byte[] bytes = readChecked(png);
        DirectPng.Pixels direct = DirectPng.decode(bytes);
        if (direct != null && direct.bitDepth() == 8) {
            return colour8(direct);
        }
        BufferedImage img = decode(png, bytes);
        Raster raster = img.getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int n = w * h;
        float[] out = new float[3 * n];
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            float[][] lut = paletteTable(icm);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int idx = Math.min(row[x], lut[0].length - 1);
                    int p = y * w + x;
                    out[p] = lut[0][idx];
                    out[n + p] = lut[1][idx];
                    out[2 * n + p] = lut[2][idx];
                }
            }
            return new FloatImage(w, h, 3, out);
        }
        int bands = raster.getNumBands();
        float scale = 1f / ((1 << raster.getSampleModel().getSampleSize(0)) - 1);
        for (int c = 0; c < 3; c++) {
            // gray (+alpha) files have fewer than 3 colour bands: repeat the first
            copyBand(raster, bands >= 3 ? c : 0, scale, out, c * n);
        }
        return new FloatImage(w, h, 3, out);
    }

    /**
     * Reads the first channel of a PNG as raw integer sample values (no scaling), with its bit depth and channel
     * count. Palette and 1/2/4-bit files give their palette's red value on the 0..255 scale and count as 1 channel
     * when the palette is gray, 3 otherwise.
     */
    public static GrayPng readGray(Path png) {
        byte[] bytes = readChecked(png);
        float[] fast = DirectPng.gray16(bytes);
        if (fast != null) {
            return new GrayPng(new FloatImage(readInt(bytes, 16), readInt(bytes, 20), 1, fast), 16, 1);
        }
        if ((bytes[24] & 0xFF) == 8 && (bytes[25] & 0xFF) == 0) {
            DirectPng.Pixels p = DirectPng.decode(bytes);
            if (p != null) {
                byte[] s = p.samples();
                float[] out = new float[s.length];
                for (int i = 0; i < s.length; i++) {
                    out[i] = s[i] & 0xFF;
                }
                return new GrayPng(new FloatImage(p.width(), p.height(), 1, out), 8, 1);
            }
        }
        BufferedImage img = decode(png, bytes);
        Raster raster = img.getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        float[] out = new float[w * h];
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            float[][] lut = paletteTable(icm);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = Math.round(lut[0][Math.min(row[x], lut[0].length - 1)] * 255f);
                }
            }
            return new GrayPng(new FloatImage(w, h, 1, out), 8, isGrayPalette(icm) ? 1 : 3);
        }
        copyBand(raster, 0, 1f, out, 0);
        return new GrayPng(new FloatImage(w, h, 1, out), raster.getSampleModel().getSampleSize(0),
                raster.getNumBands());
    }

    /** Planar [0,1] colour from 8-bit samples: the JDK path's values exactly (sample * (1f / 255)). */
    private static FloatImage colour8(DirectPng.Pixels p) {
        int n = p.width() * p.height();
        int ch = p.channels();
        byte[] s = p.samples();
        float scale = 1f / 255;
        float[] out = new float[3 * n];
        if (ch >= 3) {
            for (int i = 0, k = 0; i < n; i++, k += ch) {
                out[i] = (s[k] & 0xFF) * scale;
                out[n + i] = (s[k + 1] & 0xFF) * scale;
                out[2 * n + i] = (s[k + 2] & 0xFF) * scale;
            }
        } else {
            // gray (+alpha): the gray value in all three channels
            for (int i = 0, k = 0; i < n; i++, k += ch) {
                float v = (s[k] & 0xFF) * scale;
                out[i] = v;
                out[n + i] = v;
                out[2 * n + i] = v;
            }
        }
        return new FloatImage(p.width(), p.height(), 3, out);
    }

    /** Writes 3-channel [0,1] colour as an 8-bit RGB PNG; values are clamped and rounded. */
    public static void writeColor(Path png, FloatImage rgb) {
        if (rgb.channels() != 3) {
            throw new IllegalArgumentException("writeColor needs 3 channels, got " + rgb.channels());
        }
        int w = rgb.width();
        int h = rgb.height();
        int n = w * h;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        float[] src = rgb.data();
        for (int p = 0; p < n; p++) {
            dst[3 * p] = to8(src[2 * n + p]);
            dst[3 * p + 1] = to8(src[n + p]);
            dst[3 * p + 2] = to8(src[p]);
        }
        encode(png, img);
    }

    /** Writes a 1-channel [0,1] image as an 8-bit gray PNG (masks, previews); values are clamped and rounded. */
    public static void writeGray8(Path png, FloatImage gray01) {
        if (gray01.channels() != 1) {
            throw new IllegalArgumentException("writeGray8 needs 1 channel, got " + gray01.channels());
        }
        BufferedImage img = new BufferedImage(gray01.width(), gray01.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        float[] src = gray01.data();
        for (int p = 0; p < dst.length; p++) {
            dst[p] = to8(src[p]);
        }
        encode(png, img);
    }

    /**
     * Writes a 1-channel image as a 16-bit gray PNG storing round(value * scale) clamped to 0..65535 (NaN stores 0),
     * e.g. depth in millimetres with scale 1000 for metres.
     */
    public static void writeGray16(Path png, FloatImage values, double scale) {
        if (values.channels() != 1) {
            throw new IllegalArgumentException("writeGray16 needs 1 channel, got " + values.channels());
        }
        BufferedImage img = new BufferedImage(values.width(), values.height(), BufferedImage.TYPE_USHORT_GRAY);
        short[] dst = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
        float[] src = values.data();
        for (int p = 0; p < dst.length; p++) {
            double v = Math.rint(src[p] * scale);
            dst[p] = (short) (v >= 65535 ? 65535 : v > 0 ? (int) v : 0);
        }
        encode(png, img);
    }

    // ---------------------------------------------------------------- internals

    private static int readInt(byte[] b, int at) {
        return (int) readUInt(b, at);
    }

    /** The file's bytes, after checking the signature and the declared size. */
    private static byte[] readChecked(Path png) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(png);
        } catch (NoSuchFileException e) {
            throw new DatasetException(png, "file not found");
        } catch (IOException e) {
            throw new DatasetException(png, "cannot read: " + e.getMessage(), e);
        }
        if (bytes.length < 8 || (bytes[0] & 0xFF) != 0x89 || bytes[1] != 'P' || bytes[2] != 'N' || bytes[3] != 'G') {
            throw new DatasetException(png, "not a PNG file (" + bytes.length + " bytes, no PNG signature)");
        }
        checkDeclaredSize(png, bytes);
        return bytes;
    }

    private static BufferedImage decode(Path png, byte[] bytes) {
        ImageReader reader = pngReader();
        // read from the array itself: ImageIO's default stream would cache to a temporary file, its memory cache
        // would copy the whole file once more
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(in, true, true);
            BufferedImage img = reader.read(0);
            if (img == null) {
                throw new DatasetException(png, "PNG decoder returned no image");
            }
            return img;
        } catch (IOException e) {
            throw new DatasetException(png, "corrupt or truncated PNG: " + describe(e), e);
        } catch (RuntimeException e) {
            if (e instanceof DatasetException d) {
                throw d;
            }
            // the JDK decoder signals some malformed chunks with unchecked exceptions
            throw new DatasetException(png, "corrupt PNG: " + describe(e), e);
        } finally {
            reader.dispose();
        }
    }

    /** Largest frame we decode: far above any endoscope (4K is 8.3 megapixels), far below what exhausts memory. */
    private static final long MAX_PIXELS = 1L << 26;

    /**
     * A corrupt or hostile IHDR can claim billions of pixels in a file of a few bytes; the decoder would try to
     * allocate them. Check the claim first.
     */
    private static void checkDeclaredSize(Path png, byte[] b) {
        // signature 8, chunk length and type 8, IHDR data 13, CRC 4
        if (b.length < 33 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new DatasetException(png, "corrupt PNG: the IHDR chunk is missing or cut short");
        }
        long w = readUInt(b, 16);
        long h = readUInt(b, 20);
        if (w == 0 || h == 0 || w * h > MAX_PIXELS) {
            throw new DatasetException(png, "corrupt PNG: the header claims " + w + "x" + h
                    + " pixels (limit " + MAX_PIXELS / 1_000_000 + " megapixels)");
        }
        // the decoder allocates the whole image before it inflates a byte: the compressed data must be able to fill it
        long rawBytes = w * h * Math.max(1, bitsPerPixel(b[24] & 0xFF, b[25] & 0xFF)) / 8;
        long compressed = idatBytes(b);
        if (compressed * MAX_DEFLATE_RATIO + 1024 < rawBytes) {
            throw new DatasetException(png, "corrupt or truncated PNG: " + compressed + " bytes of image data cannot "
                    + "hold the " + w + "x" + h + " pixels the header claims");
        }
    }

    /** Deflate encodes at best 258 bytes in about 2 bits, a ratio of 1032:1 (RFC 1951, section 3.2.5). */
    private static final long MAX_DEFLATE_RATIO = 1032;

    /** Bits per pixel of a colour type and bit depth (PNG specification, table 11.1); unknown ones count as 1. */
    private static int bitsPerPixel(int bitDepth, int colourType) {
        int channels = switch (colourType) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
        return bitDepth * channels;
    }

    /** Total length of the IDAT chunks present in the file; a chunk cut by the end of the file counts what is there. */
    private static long idatBytes(byte[] b) {
        long total = 0;
        long pos = 8;
        while (pos + 8 <= b.length) {
            long length = readUInt(b, (int) pos);
            int t = (int) pos + 4;
            boolean idat = b[t] == 'I' && b[t + 1] == 'D' && b[t + 2] == 'A' && b[t + 3] == 'T';
            long available = Math.min(length, b.length - pos - 8);
            if (idat) {
                total += available;
            }
            if (available < length) {
                break;
            }
            pos += 12 + length;
        }
        return total;
    }

    private static long readUInt(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
            sb.append(" (").append(c.getClass().getSimpleName()).append(c.getMessage() == null ? "" : ": "
                    + c.getMessage()).append(')');
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    private static ImageReader pngReader() {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
        if (!readers.hasNext()) {
            throw new IllegalStateException("this Java runtime has no PNG reader");
        }
        return readers.next();
    }

    private static void encode(Path png, BufferedImage img) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this Java runtime has no PNG writer");
        }
        ImageWriter writer = writers.next();
        try {
            AtomicFiles.write(png, out -> {
                try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                    writer.setOutput(ios);
                    writer.write(img);
                }
            });
        } finally {
            writer.dispose();
        }
    }

    /**
     * Copies one band of the raster into {@code out[offset ...]} times {@code scale}. Byte and ushort interleaved
     * rasters (what the PNG decoder produces for 8- and 16-bit files) are read straight from their buffer; packed
     * low-bit-depth rasters go through the generic per-row path.
     */
    private static void copyBand(Raster raster, int band, float scale, float[] out, int offset) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        SampleModel sm = raster.getSampleModel();
        DataBuffer db = raster.getDataBuffer();
        if (sm instanceof ComponentSampleModel csm && db.getNumBanks() == 1
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && (db instanceof DataBufferByte || db instanceof DataBufferUShort)) {
            int pixelStride = csm.getPixelStride();
            int scanline = csm.getScanlineStride();
            int base = db.getOffset() + csm.getBandOffsets()[band];
            if (db instanceof DataBufferByte bb) {
                byte[] src = bb.getData();
                for (int y = 0; y < h; y++) {
                    int s = base + y * scanline;
                    int d = offset + y * w;
                    for (int x = 0; x < w; x++, s += pixelStride) {
                        out[d + x] = (src[s] & 0xFF) * scale;
                    }
                }
            } else {
                short[] src = ((DataBufferUShort) db).getData();
                for (int y = 0; y < h; y++) {
                    int s = base + y * scanline;
                    int d = offset + y * w;
                    for (int x = 0; x < w; x++, s += pixelStride) {
                        out[d + x] = (src[s] & 0xFFFF) * scale;
                    }
                }
            }
            return;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, band, row);
            int d = offset + y * w;
            for (int x = 0; x < w; x++) {
                out[d + x] = row[x] * scale;
            }
        }
    }

    /** Palette as three [0,1] lookup tables (red, green, blue). */
    private static float[][] paletteTable(IndexColorModel icm) {
        int size = icm.getMapSize();
        float[][] lut = new float[3][size];
        for (int i = 0; i < size; i++) {
            lut[0][i] = icm.getRed(i) / 255f;
            lut[1][i] = icm.getGreen(i) / 255f;
            lut[2][i] = icm.getBlue(i) / 255f;
        }
        return lut;
    }

    private static boolean isGrayPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            if (icm.getRed(i) != icm.getGreen(i) || icm.getRed(i) != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte to8(float v) {
        // NaN compares false everywhere and ends at 0
        int q = v >= 1f ? 255 : v > 0f ? (int) (v * 255f + 0.5f) : 0;
        return (byte) q;
    }

    /** A seekable image stream over a byte array, without the copies of ImageIO's general-purpose streams. */
    private static final class ByteArrayImageInputStream extends ImageInputStreamImpl {
        private final byte[] bytes;

        ByteArrayImageInputStream(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            bitOffset = 0;
            return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            bitOffset = 0;
            if (len == 0) {
                return 0;
            }
            if (streamPos >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(len, bytes.length - streamPos);
            System.arraycopy(bytes, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return bytes.length;
        }
    }
}
