package org.diff2dgs.core.tests.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.diff2dgs.core.model.CompactFrames;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.core.model.Frame;
import org.diff2dgs.core.model.PaletteImage;
import org.diff2dgs.core.model.Sequence;
import org.junit.jupiter.api.Test;

/** Coded frames give back the very same float bits, and as few bytes as their distinct values allow. */
class CompactFramesTest {

    private static final int W = 37;
    private static final int H = 23;

    private static float[] bits(float[] v) {
        return v;
    }

    private static void assertSameBits(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "sample " + i);
        }
    }

    /** 8-bit colour as some loader might scale it (not k / 255f: the code must not rely on one formula). */
    private static FloatImage colour(Random r) {
        float[] d = new float[3 * W * H];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextInt(256) * (1f / 255f);
        }
        return new FloatImage(W, H, 3, d);
    }

    /** 16-bit samples times a float scale, some clipped to a fractional limit, some invalid (0). */
    private static FloatImage depth(Random r, int levels) {
        float[] d = new float[W * H];
        float scale = 0.005f;
        for (int i = 0; i < d.length; i++) {
            int q = r.nextInt(levels);
            d[i] = q == 0 ? 0 : Math.min(q, levels - 1.5f) * scale;
        }
        return new FloatImage(W, H, 1, d);
    }

    @Test
    void eightBitColourTakesOneBytePerSampleAndComesBackBitForBit() {
        FloatImage c = colour(new Random(6666));
        PaletteImage p = PaletteImage.of(c);
        assertTrue(p.bytes() <= 3L * W * H + 4 * 256, "bytes " + p.bytes());
        assertSameBits(c.data(), p.toFloatImage().data());
        for (int i = 0; i < c.data().length; i++) {
            assertEquals(Float.floatToRawIntBits(c.data()[i]), Float.floatToRawIntBits(p.get(i)));
        }
    }

    @Test
    void sixteenBitDepthTakesTwoBytesAndManyDistinctValuesStayFloats() {
        Random r = new Random(6667);
        FloatImage d16 = depth(r, 3000);
        PaletteImage p = PaletteImage.of(d16);
        assertTrue(p.bytes() <= 2L * W * H + 4 * 3000, "bytes " + p.bytes());
        assertSameBits(d16.data(), p.toFloatImage().data());
        float[] any = new float[W * H];
        for (int i = 0; i < any.length; i++) {
            any[i] = r.nextFloat() * 100;
        }
        PaletteImage f = PaletteImage.of(new FloatImage(W, H, 1, any));
        assertEquals(4L * W * H, f.bytes());
        assertSameBits(any, f.toFloatImage().data());
    }

    @Test
    void framesExpandToFreshEqualCopiesAndSequenceKeepsThemCoded() {
        Random r = new Random(6668);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] m = new float[W * H];
            for (int k = 0; k < m.length; k++) {
                m[k] = r.nextInt(5) == 0 ? 1 : 0;
            }
            frames.add(new Frame(i, i / 4.0, "f" + i, null, colour(r), i == 2 ? null : depth(r, 70000),
                    new FloatImage(W, H, 1, m), colour(r), depth(r, 500)));
        }
        CompactFrames c = CompactFrames.of(frames);
        Sequence s = new Sequence("clip", null, c, null, null);
        assertSame(c, s.frames());
        assertEquals(W, s.width());
        assertEquals(H, s.height());
        for (int i = 0; i < frames.size(); i++) {
            Frame a = frames.get(i);
            Frame b = s.frame(i);
            assertEquals(a.name(), b.name());
            assertSameBits(a.image().data(), b.image().data());
            assertSameBits(a.instrumentMask().data(), b.instrumentMask().data());
            assertSameBits(a.truthImage().data(), b.truthImage().data());
            assertSameBits(a.truthDepth().data(), b.truthDepth().data());
            if (a.depth() == null) {
                assertNull(b.depth());
                assertNull(c.depth(i));
            } else {
                assertSameBits(a.depth().data(), b.depth().data());
            }
            assertNotSame(b.image().data(), s.frame(i).image().data());
        }
        // colour, mask and truth colour coded in bytes; depth of 70000 levels stays floats, truth depth 2 bytes
        long expected = 0;
        for (Frame f : frames) {
            expected += 3L * W * H + 3L * W * H + W * H + 2L * W * H + (f.depth() == null ? 0 : 4L * W * H);
        }
        assertTrue(c.bytes() <= expected + frames.size() * 4L * (256 * 3 + 500), c.bytes() + " > " + expected);
    }

    @Test
    void mappedValuesKeepTheIndices() {
        float[] raw = {0, 255, 128, 255, 0, 3};
        PaletteImage p = PaletteImage.of(new FloatImage(6, 1, 1, raw));
        PaletteImage m = p.mapValues(v -> {
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] > 127.5f ? 1 : 0;
            }
            return v;
        });
        assertArrayEquals(new float[] {0, 1, 1, 1, 0, 0}, m.toFloatImage().data());
        assertSameBits(bits(raw), p.toFloatImage().data());
    }
}
