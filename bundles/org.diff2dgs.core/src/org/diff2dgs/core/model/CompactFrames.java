package org.diff2dgs.core.model;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The frames of a clip held once, compactly ({@link PaletteImage}: as stored, 8-bit colour and 16-bit depth take 5
 * bytes per pixel), and turned into float {@link Frame}s only when asked for, a fresh copy on every {@link #get}.
 * Readers return it for consumers that visit a few frames at a time (stage 1), so that a long clip is not held at
 * full float resolution; {@link Sequence} keeps it as it is. Per-sample access ({@link #image(int)}) reads without
 * expanding.
 */
public final class CompactFrames extends AbstractList<Frame> implements RandomAccess {

    /** One frame's fields, pixels coded. */
    public record Entry(int index, double time, String name, Camera camera, PaletteImage image, PaletteImage depth,
            PaletteImage instrumentMask, PaletteImage truthImage, PaletteImage truthDepth) {

        public static Entry of(Frame f) {
            return new Entry(f.index(), f.time(), f.name(), f.camera(), PaletteImage.of(f.image()),
                    PaletteImage.of(f.depth()), PaletteImage.of(f.instrumentMask()), PaletteImage.of(f.truthImage()),
                    PaletteImage.of(f.truthDepth()));
        }

        Frame expand() {
            return new Frame(index, time, name, camera, image.toFloatImage(), floats(depth), floats(instrumentMask),
                    floats(truthImage), floats(truthDepth));
        }

        long bytes() {
            long b = 0;
            for (PaletteImage p : new PaletteImage[] {image, depth, instrumentMask, truthImage, truthDepth}) {
                b += p == null ? 0 : p.bytes();
            }
            return b;
        }

        private static FloatImage floats(PaletteImage p) {
            return p == null ? null : p.toFloatImage();
        }
    }

    private final Entry[] entries;

    public CompactFrames(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no frames");
        }
        this.entries = entries.toArray(new Entry[0]);
        for (Entry e : this.entries) {
            if (e == null || e.image() == null) {
                throw new IllegalArgumentException("every frame needs its image");
            }
        }
    }

    /** Codes frames already in memory (tests, tools). */
    public static CompactFrames of(List<Frame> frames) {
        return new CompactFrames(frames.stream().map(Entry::of).toList());
    }

    @Override
    public Frame get(int i) {
        return entries[i].expand();
    }

    @Override
    public int size() {
        return entries.length;
    }

    /** Frame i's colour, coded: {@code image(i).get(k)} equals {@code get(i).image().data()[k]}. */
    public PaletteImage image(int i) {
        return entries[i].image();
    }

    /** Frame i's name, without expanding it. */
    public String name(int i) {
        return entries[i].name();
    }

    /** Frame i's instrument mask, coded; null without one. */
    public PaletteImage instrumentMask(int i) {
        return entries[i].instrumentMask();
    }

    /** Frame i's depth, coded; null without depth. */
    public PaletteImage depth(int i) {
        return entries[i].depth();
    }

    /** True when frame i has ground-truth colour (was read with gt/). */
    public boolean hasGroundTruth(int i) {
        return entries[i].truthImage() != null;
    }

    public int width() {
        return entries[0].image().width();
    }

    public int height() {
        return entries[0].image().height();
    }

    /** Bytes held by the pixels of all frames. */
    public long bytes() {
        long b = 0;
        for (Entry e : entries) {
            b += e.bytes();
        }
        return b;
    }
}
