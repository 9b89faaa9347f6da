package org.diff2dgs.dataset.endonerf.internal;

import java.nio.file.Path;

/** The files of one frame, matched across folders by position; null where the folder or file is absent. */
record FrameFiles(int index, String name, Path image, Path depth, Path mask, Path gtMask, Path truthImage,
        Path truthDepth) {

    static FrameFiles of(ClipFiles clip, int i) {
        Path image = clip.images().get(i);
        return new FrameFiles(i, ClipFiles.frameName(image), image, at(clip.depths(), i), at(clip.masks(), i),
                at(clip.gtMasks(), i), clip.hasTruth() ? at(clip.truthImages(), i) : null,
                clip.hasTruth() ? at(clip.truthDepths(), i) : null);
    }

    private static Path at(java.util.List<Path> files, int i) {
        return files != null && i < files.size() ? files.get(i) : null;
    }
}
