package org.diff2dgs.dataset.synthetic.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.diff2dgs.core.io.GrayPng;
import org.diff2dgs.core.io.Images;
import org.diff2dgs.core.io.Npy;
import org.diff2dgs.core.io.NpyArray;
import org.diff2dgs.core.model.FloatImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

class SceneLayoutTest {

    @TempDir
    Path dir;

    @Test
    void writesTheEndoNerfLayoutWithGroundTruthAndSceneJson() throws IOException {
        Path scene = Scenes.generate(dir.resolve("clip"), 11, 3, 96, 80, Map.of("camera", "moving"));
        for (String folder : List.of("images", "depth", "masks", "gt/images", "gt/depth")) {
            try (Stream<Path> files = Files.list(scene.resolve(folder))) {
                List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
                String suffix = folder.endsWith("images") ? ".color.png" : folder.endsWith("depth") ? ".depth.png"
                        : ".mask.png";
                assertEquals(List.of("frame-000000" + suffix, "frame-000001" + suffix, "frame-000002" + suffix),
                        names, folder);
            }
        }
        try (Stream<Path> top = Files.list(scene)) {
            assertEquals(List.of("depth", "gt", "images", "masks", "poses_bounds.npy", "scene.json"),
                    top.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left behind");
        }
        FloatImage colour = Scenes.color(scene, "images", 2);
        assertEquals(96, colour.width());
        assertEquals(80, colour.height());
        GrayPng depth = Images.readGray(scene.resolve("depth/frame-000001.depth.png"));
        assertEquals(16, depth.bitDepth());
        assertEquals(1, depth.channels());
        GrayPng truthDepth = Images.readGray(scene.resolve("gt/depth/frame-000001.depth.png"));
        assertEquals(16, truthDepth.bitDepth());
        GrayPng mask = Scenes.maskPng(scene, 0);
        assertEquals(8, mask.bitDepth());
        assertEquals(1, mask.channels());

        NpyArray poses = Npy.read(scene.resolve("poses_bounds.npy"));
        assertArrayEquals(new long[] {3, 17}, poses.shape());
        assertEquals("<f8", poses.dtype());

        JsonObject json = Scenes.sceneJson(scene);
        assertEquals("tissue", json.get("generator").getAsString());
        assertEquals(11, json.get("seed").getAsLong());
        assertEquals(3, json.get("frames").getAsInt());
        assertEquals("millimetre", json.get("units").getAsString());
        double depthScale = json.get("depth_scale").getAsDouble();
        assertEquals(1 / depthScale, json.get("read_depth_scale").getAsDouble(), 1e-15);
        assertTrue(65535 / depthScale > json.get("far").getAsDouble(), "the far bound fits the 16-bit depth range");
        JsonObject k = json.getAsJsonObject("intrinsics");
        assertEquals(569.468 * 96 / 640, k.get("fx").getAsDouble(), 1e-9);
        assertEquals(48, k.get("cx").getAsDouble(), 0);
        assertEquals(40, k.get("cy").getAsDouble(), 0);
        assertEquals(k.get("fx").getAsDouble(), poses.get(0, 14), 1e-12, "focal in poses_bounds");
        assertEquals(80, poses.get(0, 4), 0, "H in poses_bounds");
        assertEquals(96, poses.get(0, 9), 0, "W in poses_bounds");
        JsonObject options = json.getAsJsonObject("options");
        assertEquals("moving", options.get("camera").getAsString());
        assertEquals(2, options.get("instruments").getAsInt(), "defaults are written out");
        assertEquals("white-is-instrument", json.get("mask_convention").getAsString());
        assertEquals("endonerf", json.get("camera_convention").getAsString());
        assertTrue(json.getAsJsonObject("parameters").has("lighting"), "every fixed parameter is recorded");
    }
}
