#!/usr/bin/env python3
"""Export the LPIPS network (Zhang et al., CVPR 2018) to ONNX for the workbench's "lpips" metric.

Run once on a machine with PyTorch and the `lpips` package (it ships the calibrated linear layers and loads
torchvision's pretrained AlexNet or VGG16):

    pip install torch torchvision lpips            # add onnxruntime to check the export
    python export_lpips_onnx.py                    # -> ~/.diff2dgs/models/lpips_alex.onnx
    python export_lpips_onnx.py --net vgg --out /some/dir/lpips_vgg.onnx

Then copy the file to ~/.diff2dgs/models/lpips_alex.onnx on the machine that evaluates, or point the workbench at
it with -Dd2dgs.lpips.model=FILE or D2DGS_LPIPS_MODEL=FILE.

The exported model takes two images a, b of shape [1,3,H,W] in [-1,1] (H and W dynamic, at least 32 for AlexNet)
and returns their distance, shape [1,1,1,1] (lpips' spatial average).
"""
import argparse
import inspect
import os

import torch
import lpips


class TwoImageLpips(torch.nn.Module):
    """lpips.LPIPS with its two images as two plain inputs; no [0,1] -> [-1,1] mapping inside (the caller does it)."""

    def __init__(self, net):
        super().__init__()
        self.lpips = lpips.LPIPS(net=net, verbose=False)

    def forward(self, a, b):
        return self.lpips(a, b, normalize=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--net", choices=["alex", "vgg"], default="alex")
    parser.add_argument("--out", help="output file (default ~/.diff2dgs/models/lpips_<net>.onnx)")
    parser.add_argument("--opset", type=int, default=17)
    args = parser.parse_args()
    out = args.out or os.path.join(os.path.expanduser("~"), ".diff2dgs", "models", f"lpips_{args.net}.onnx")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)

    model = TwoImageLpips(args.net).eval()
    torch.manual_seed(0)
    a = torch.rand(1, 3, 96, 128) * 2 - 1
    b = torch.rand(1, 3, 96, 128) * 2 - 1
    dynamic = {2: "H", 3: "W"}
    # newer PyTorch exports through dynamo by default; the TorchScript exporter handles dynamic_axes directly
    extra = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    with torch.no_grad():
        expected = model(a, b).item()
        torch.onnx.export(model, (a, b), out, input_names=["a", "b"], output_names=["distance"],
                          dynamic_axes={"a": dynamic, "b": dynamic}, opset_version=args.opset, **extra)
    print(f"wrote {out} (LPIPS-{args.net}, PyTorch distance on the probe images {expected:.6f})")

    try:
        import onnxruntime
    except ImportError:
        return
    session = onnxruntime.InferenceSession(out, providers=["CPUExecutionProvider"])
    got = float(session.run(None, {"a": a.numpy(), "b": b.numpy()})[0].reshape(-1)[0])
    print(f"onnxruntime gives {got:.6f} (difference {abs(got - expected):.2e})")
    if abs(got - expected) > 1e-4 * max(1.0, abs(expected)):
        raise SystemExit("the exported model disagrees with PyTorch")


if __name__ == "__main__":
    main()
