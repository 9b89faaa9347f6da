package org.diff2dgs.dataset.synthetic.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.diff2dgs.core.model.Intrinsics;

/** The content of scene.json: enough to regenerate the clip and to read it without guessing. */
final class SceneDescription {

    private SceneDescription() {
    }

    static Map<String, Object> of(TissueScene scene, String version, double near, double far) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generator", TissueSceneGenerator.NAME);
        m.put("version", version);
        m.put("seed", scene.spec().seed());
        m.put("frames", scene.spec().frames());
        m.put("width", scene.spec().width());
        m.put("height", scene.spec().height());
        m.put("units", "millimetre");
        double depthScale = scene.params().camera().depthScale();
        m.put("depth_scale", depthScale);
        m.put("read_depth_scale", 1 / depthScale);
        m.put("depth_format", "16-bit PNG storing round(depth_mm * depth_scale); divide by depth_scale (or multiply "
                + "by read_depth_scale, the value for ReadOptions.depthScale) to get millimetres; 0 = invalid");
        Intrinsics k = scene.intrinsics();
        Map<String, Object> intrinsics = new LinkedHashMap<>();
        intrinsics.put("fx", k.fx());
        intrinsics.put("fy", k.fy());
        intrinsics.put("cx", k.cx());
        intrinsics.put("cy", k.cy());
        intrinsics.put("width", k.width());
        intrinsics.put("height", k.height());
        m.put("intrinsics", intrinsics);
        m.put("camera_convention", "endonerf");
        m.put("poses", "poses_bounds.npy (N,17) float64, LLFF camera-to-world, rotation columns down/right/back; "
                + "frame 0 of a static camera is the identity");
        m.put("near", near);
        m.put("far", far);
        m.put("mask_convention", "white-is-instrument");
        m.put("frame_time", "t = i / frames");
        Map<String, Object> layout = new LinkedHashMap<>();
        layout.put("images", "images/frame-NNNNNN.color.png");
        layout.put("depth", "depth/frame-NNNNNN.depth.png");
        layout.put("masks", "masks/frame-NNNNNN.mask.png");
        layout.put("gt_images", "gt/images/frame-NNNNNN.color.png (tissue without instruments, no sensor noise)");
        layout.put("gt_depth", "gt/depth/frame-NNNNNN.depth.png (exact tissue depth without instruments)");
        if (scene.options().correspondence()) {
            layout.put("gt_surface", "gt/surface/frame-NNNNNN.surface.npy (H,W,2) float32: rest-state coordinates "
                    + "(u, v) in mm of the tissue point each pixel centre sees, instruments ignored; equal "
                    + "coordinates in two frames mean the same tissue point");
        }
        m.put("layout", layout);
        m.put("options", scene.options().toMap());
        Map<String, Object> texture = new LinkedHashMap<>();
        texture.put("texel_mm", scene.texture().texel());
        texture.put("texels", scene.texture().texels());
        Bounds area = scene.area();
        texture.put("area_mm", new double[] {area.xMin(), area.xMax(), area.yMin(), area.yMax()});
        m.put("texture", texture);
        m.put("parameters", scene.params());
        return m;
    }
}
