#!/usr/bin/env python3
"""Export the DiffuEraser video-diffusion inpainter as the three static-shape ONNX graphs the Diff2DGS Workbench
runs in Java (method `diffusion`, bundle org.diff2dgs.inpaint.diffusion), plus manifest.json.

Run this once, on a machine that has the weights and the Python code of the published pipeline:

  * PyTorch and diffusers (the published pipeline pins diffusers 0.29.2, see its requirements.txt), transformers,
    peft (to fuse the PCM LoRA), onnx;
  * the Diff2DGS / DiffuEraser source tree (for libs/brushnet_CA.py and libs/unet_motion_model.py), given with
    --code (it is put on sys.path);
  * the weights folder of the published run (inpainting/run.py, --weights): stable-diffusion-v1-5/, sd-vae-ft-mse/,
    diffinpaint/ (brushnet/, unet_main/), PCM_Weights/sd15/pcm_sd15_smallcfg_2step_converted.safetensors.

Example (the published size, 22 frames of 640x512, i.e. latents of 64x80):

  python3 export_diffusion_onnx.py --code ~/Diff2DGS --weights ~/Diff2DGS/weights --out ~/.diff2dgs/models/diffusion

then point the workbench at the folder (setting modelDir, system property d2dgs.diffusion.models, environment
variable D2DGS_DIFFUSION_MODELS, or the default ~/.diff2dgs/models/diffusion/) and run
`d2dgs inpaint <clip> --out <dir> --inpaint diffusion` (see docs/inpainting.md).

What is exported (names and shapes are the contract with the Java side; do not rename):

  vae_encoder.onnx    image [B,3,H,W] in [-1,1]            -> moments [B,8,H/8,W/8]  (mean, log-variance)
  vae_decoder.onnx    latent [B,4,H/8,W/8] (unscaled)      -> image [B,3,H,W] in [-1,1]
  unet_brushnet.onnx  sample [F,4,H/8,W/8], timestep [1] int64, brushnet_cond [F,5,H/8,W/8]
                                                           -> noise_pred [F,4,H/8,W/8]

The denoiser graph is the BrushNet branch and the motion UNet (temporal attention) in one graph, called as the
published pipeline calls them (inpainting/pipeline_diffueraser.py, the denoising loop): BrushNet gets the per-frame
repeated text embedding and the condition, its down/mid/up residuals are added inside the UNet, conditioning scale 1,
no classifier-free guidance (guidance 0 for the PCM "2-Step" checkpoint). The text embedding of the empty prompt is
computed here once and baked into the graph as a constant. The PCM LoRA is fused into the UNet weights before export.
Everything else (scheduler, noise, windows, key frames, latent scaling, composite) is Java.

Shapes are static: the Java side checks every graph against manifest.json before loading it, and reports a mismatch
naming the file and the expected shape. Graphs larger than 2 GB keep their weights in a sidecar file
(<name>.onnx.data, ONNX external data) that must stay next to the .onnx file.
"""

import argparse
import json
import os
import sys


FORMAT = "diff2dgs-diffusion-onnx/1"
PCM_FILE = "pcm_sd15_smallcfg_2step_converted.safetensors"  # checkpoint "2-Step" (diffueraser.py)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--code", required=True, help="Diff2DGS/DiffuEraser source tree (holds libs/)")
    p.add_argument("--weights", required=True, help="weights folder of the published run")
    p.add_argument("--out", required=True, help="folder to write the graphs and manifest.json into")
    p.add_argument("--width", type=int, default=640, help="frame width in pixels, a multiple of 8 (default 640)")
    p.add_argument("--height", type=int, default=512, help="frame height in pixels, a multiple of 8 (default 512)")
    p.add_argument("--frames", type=int, default=22, help="frames per denoiser window (published: 22)")
    p.add_argument("--vae-batch", type=int, default=1, help="frames per VAE call (static batch, default 1)")
    p.add_argument("--pcm", default=PCM_FILE, help="PCM LoRA file under PCM_Weights/sd15 (default: the 2-step one)")
    p.add_argument("--opset", type=int, default=17)
    p.add_argument("--fp16", action="store_true",
                   help="export the denoiser in float16 weights with float32 inputs/outputs (half the size; the "
                        "Java side always feeds float32)")
    args = p.parse_args(argv)
    if args.width % 8 or args.height % 8 or args.width < 8 or args.height < 8:
        p.error("--width and --height must be positive multiples of 8")
    if args.frames < 1 or args.vae_batch < 1:
        p.error("--frames and --vae-batch must be >= 1")
    return args


def manifest(args, scaling):
    h, w, f, b = args.height // 8, args.width // 8, args.frames, args.vae_batch
    return {
        "format": FORMAT,
        "width": args.width,
        "height": args.height,
        "frames": f,
        "latentChannels": 4,
        "vaeScalingFactor": scaling,
        "vaeEncoder": {"file": "vae_encoder.onnx",
                       "inputs": {"image": [b, 3, args.height, args.width]},
                       "outputs": {"moments": [b, 8, h, w]}},
        "vaeDecoder": {"file": "vae_decoder.onnx",
                       "inputs": {"latent": [b, 4, h, w]},
                       "outputs": {"image": [b, 3, args.height, args.width]}},
        "denoiser": {"file": "unet_brushnet.onnx",
                     "inputs": {"sample": [f, 4, h, w], "timestep": [1], "brushnet_cond": [f, 5, h, w]},
                     "outputs": {"noise_pred": [f, 4, h, w]}},
    }


def require(path, what):
    if not os.path.exists(path):
        sys.exit(f"missing {what}: {path}")
    return path


def main(argv=None):
    args = parse_args(argv)
    # heavy imports only after the arguments are checked, so --help works anywhere
    import torch
    from diffusers import AutoencoderKL
    from transformers import AutoTokenizer, CLIPTextModel

    sys.path.insert(0, os.path.abspath(args.code))
    from libs.brushnet_CA import BrushNetModel
    from libs.unet_motion_model import UNetMotionModel
    from inpainting.pipeline_diffueraser import StableDiffusionDiffuEraserPipeline

    base = require(os.path.join(args.weights, "stable-diffusion-v1-5"), "base model")
    vae_dir = require(os.path.join(args.weights, "sd-vae-ft-mse"), "VAE")
    inpaint_dir = require(os.path.join(args.weights, "diffinpaint"), "DiffuEraser weights")
    pcm_dir = os.path.join(args.weights, "PCM_Weights")
    require(os.path.join(pcm_dir, "sd15", args.pcm), "PCM LoRA")
    os.makedirs(args.out, exist_ok=True)
    torch.set_grad_enabled(False)

    # assembled as the published code does (inpainting/diffueraser.py, DiffuEraser.__init__), in float32 on the CPU
    vae = AutoencoderKL.from_pretrained(vae_dir)
    tokenizer = AutoTokenizer.from_pretrained(base, subfolder="tokenizer", use_fast=False)
    text_encoder = CLIPTextModel.from_pretrained(base, subfolder="text_encoder")
    brushnet = BrushNetModel.from_pretrained(inpaint_dir, subfolder="brushnet")
    unet = UNetMotionModel.from_pretrained(inpaint_dir, subfolder="unet_main")
    pipeline = StableDiffusionDiffuEraserPipeline.from_pretrained(
        base, vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet, brushnet=brushnet)
    pipeline.load_lora_weights(pcm_dir, weight_name=args.pcm, subfolder="sd15")
    pipeline.fuse_lora()  # the PCM LoRA becomes part of the UNet weights
    pipeline.to("cpu", torch.float32)

    scaling = float(pipeline.vae.config.scaling_factor)
    h, w, f, b = args.height // 8, args.width // 8, args.frames, args.vae_batch

    class Encoder(torch.nn.Module):
        """image in [-1,1] -> the posterior's moments (mean and log-variance); Java draws the sample."""

        def __init__(self, vae):
            super().__init__()
            self.vae = vae

        def forward(self, image):
            return self.vae.quant_conv(self.vae.encoder(image))

    class Decoder(torch.nn.Module):
        """unscaled latent -> image in [-1,1]."""

        def __init__(self, vae):
            super().__init__()
            self.vae = vae

        def forward(self, latent):
            return self.vae.decode(latent).sample

    export(Encoder(pipeline.vae).eval(), (torch.zeros(b, 3, args.height, args.width),), ["image"], ["moments"],
           os.path.join(args.out, "vae_encoder.onnx"), args.opset)
    export(Decoder(pipeline.vae).eval(), (torch.zeros(b, 4, h, w),), ["latent"], ["image"],
           os.path.join(args.out, "vae_decoder.onnx"), args.opset)

    # the empty prompt's CLIP embedding, as the pipeline computes it (encode_prompt with prompt "", no guidance)
    ids = tokenizer("", padding="max_length", max_length=tokenizer.model_max_length, truncation=True,
                    return_tensors="pt").input_ids
    empty = pipeline.text_encoder(ids)[0].float()  # [1, 77, 768]

    class Denoiser(torch.nn.Module):
        """BrushNet + motion UNet in one call, as one window of the published denoising loop."""

        def __init__(self, brushnet, unet, embedding, frames):
            super().__init__()
            self.brushnet = brushnet
            self.unet = unet
            self.frames = frames
            self.register_buffer("embedding", embedding)

        def forward(self, sample, timestep, brushnet_cond):
            t = timestep[0]
            per_frame = self.embedding.repeat(self.frames, 1, 1)
            down, mid, up = self.brushnet(sample, t, encoder_hidden_states=per_frame, brushnet_cond=brushnet_cond,
                                          conditioning_scale=1.0, guess_mode=False, return_dict=False)
            return self.unet(sample, t, encoder_hidden_states=self.embedding, timestep_cond=None,
                             down_block_add_samples=down, mid_block_add_sample=mid, up_block_add_samples=up,
                             return_dict=False, num_frames=self.frames)[0]

    denoiser = Denoiser(pipeline.brushnet, pipeline.unet, empty, f).eval()
    if args.fp16:
        denoiser = half_inside(denoiser)
    export(denoiser, (torch.zeros(f, 4, h, w), torch.tensor([999], dtype=torch.int64), torch.zeros(f, 5, h, w)),
           ["sample", "timestep", "brushnet_cond"], ["noise_pred"], os.path.join(args.out, "unet_brushnet.onnx"),
           args.opset)

    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as out:
        json.dump(manifest(args, scaling), out, indent=2)
        out.write("\n")
    print(f"wrote {args.out}: vae_encoder.onnx, vae_decoder.onnx, unet_brushnet.onnx, manifest.json "
          f"({f} frames of {args.width}x{args.height})")


def half_inside(module):
    """float16 weights, float32 inputs and outputs (the Java side always feeds float32)."""
    import torch

    class Half(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner.half()

        def forward(self, sample, timestep, brushnet_cond):
            return self.inner(sample.half(), timestep, brushnet_cond.half()).float()

    return Half(module)


def export(module, inputs, input_names, output_names, path, opset):
    """Static-shape export; weights go to a sidecar file (<name>.onnx.data) when the graph passes ~1.8 GB, the
    protobuf limit being 2 GB."""
    import shutil
    import tempfile

    import onnx
    import torch

    folder = os.path.dirname(os.path.abspath(path))
    scratch = tempfile.mkdtemp(prefix=".export-", dir=folder)
    try:
        tmp = os.path.join(scratch, "graph.onnx")
        torch.onnx.export(module, inputs, tmp, input_names=input_names, output_names=output_names,
                          opset_version=opset, do_constant_folding=True, dynamic_axes=None)
        size = sum(os.path.getsize(os.path.join(scratch, n)) for n in os.listdir(scratch))
        big = size > 1_800_000_000
        model = onnx.load(tmp, load_external_data=True)
        data = os.path.basename(path) + ".data"
        for stale in (path, os.path.join(folder, data)):
            if os.path.exists(stale):
                os.remove(stale)
        onnx.save_model(model, path, save_as_external_data=big, all_tensors_to_one_file=True, location=data)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    onnx.checker.check_model(path)
    print(f"  {os.path.basename(path)}: inputs {input_names}, outputs {output_names}"
          + (f", weights in {data}" if big else ""))


if __name__ == "__main__":
    main()
