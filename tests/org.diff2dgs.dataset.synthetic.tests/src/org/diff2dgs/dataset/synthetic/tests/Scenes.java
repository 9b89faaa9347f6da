package org.diff2dgs.dataset.synthetic.tests;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.diff2dgs.core.api.Progress;
import org.diff2dgs.core.api.SceneSpec;
import org.diff2dgs.core.io.GrayPng;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.Json;
import org.diff2dgs.core.model.FloatImage;
import org.diff2dgs.dataset.synthetic.internal.TissueSceneGenerator;

import com.google.gson.JsonObject;

/** Writes small scenes into test folders and reads their files back the way a dataset reader would. */
final class Scenes {

    private Scenes() {
    }

    static Path generate(Path folder, long seed, int frames, int width, int height, Map<String, String> options) {
        new TissueSceneGenerator().write(folder, new SceneSpec(seed, frames, width, height, options), Progress.NONE);
        return folder;
    }

    static String name(int frame) {
        return String.format(Locale.ROOT, "frame-%06d", frame);
    }

    static JsonObject sceneJson(Path scene) {
        return Json.readTree(scene.resolve("scene.json")).getAsJsonObject();
    }

    /** "images" or "gt/images". */
    static FloatImage color(Path scene, String folder, int frame) {
        return Images.readColor(scene.resolve(folder).resolve(name(frame) + ".color.png"));
    }

    static GrayPng maskPng(Path scene, int frame) {
        return Images.readGray(scene.resolve("masks").resolve(name(frame) + ".mask.png"));
    }

    /** "depth" or "gt/depth", in millimetres, using the factor the scene declares for readers. */
    static FloatImage depthMm(Path scene, String folder, int frame) {
        GrayPng png = Images.readGray(scene.resolve(folder).resolve(name(frame) + ".depth.png"));
        double factor = sceneJson(scene).get("read_depth_scale").getAsDouble();
        float[] d = png.values().data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (d[i] * factor);
        }
        return new FloatImage(png.values().width(), png.values().height(), 1, d);
    }

    /** Instrument pixels of a mask PNG grown by {@code radius} pixels (square neighbourhood). */
    static boolean[] grownMask(GrayPng mask, int radius) {
        FloatImage m = mask.values();
        int w = m.width();
        int h = m.height();
        boolean[] out = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (m.get(0, x, y) < 128) {
                    continue;
                }
                for (int dy = -radius; dy <= radius; dy++) {
                    for (int dx = -radius; dx <= radius; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
                            out[yy * w + xx] = true;
                        }
                    }
                }
            }
        }
        return out;
    }
}
