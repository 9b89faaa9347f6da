package org.diff2dgs.core.model;

import java.nio.file.Path;
import java.util.List;

/** A loaded clip: frames in time order, the split and what the reader decided. */
public record Sequence(String name, Path source, List<Frame> frames, Split split, DatasetInfo info) {

    public Sequence {
        // compact frames stay as they are: copying would expand every frame to floats at once
        frames = frames instanceof CompactFrames ? frames : List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("sequence " + name + " has no frames");
        }
    }

    public int width() {
        return frames instanceof CompactFrames c ? c.width() : frames.get(0).image().width();
    }

    public int height() {
        return frames instanceof CompactFrames c ? c.height() : frames.get(0).image().height();
    }

    public Frame frame(int i) {
        return frames.get(i);
    }

    public int size() {
        return frames.size();
    }

    /** Frame i's name; on compact frames without expanding the frame. */
    public String frameName(int i) {
        return frames instanceof CompactFrames c ? c.name(i) : frames.get(i).name();
    }

    /** Frame i's colour; on compact frames a fresh copy, expanding nothing else. */
    public FloatImage image(int i) {
        return frames instanceof CompactFrames c ? c.image(i).toFloatImage() : frames.get(i).image();
    }

    /** Frame i's instrument mask or null; on compact frames a fresh copy, expanding nothing else. */
    public FloatImage instrumentMask(int i) {
        if (frames instanceof CompactFrames c) {
            PaletteImage m = c.instrumentMask(i);
            return m == null ? null : m.toFloatImage();
        }
        return frames.get(i).instrumentMask();
    }
}
