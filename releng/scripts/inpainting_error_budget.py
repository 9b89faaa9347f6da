#!/usr/bin/env python3
"""Where stage 1 and the reconstruction lose PSNR on a synthetic scene (docs/benchmarks/inpainting.md).

Reads PNGs with numpy and zlib only (8/16-bit grey, RGB, RGBA; no interlacing), so it runs wherever numpy does.

  inpainting_error_budget.py shadow SCENE
      observed frame against gt/images over the tissue, by distance (px) to the instrument mask: how far the
      instruments' shadows and blurred edges reach (every third frame)
  inpainting_error_budget.py stage1 SCENE INPAINTED
      PSNR of the inpainted frames against gt/images inside the instrument masks (all frames, one MSE), split into
      specular highlights (smallest channel > 0.75 in the truth or the result, grown by 1 px), tissue visible
      somewhere in the clip (outside the mask dilated by 8 px in some frame) and tissue never visible
  inpainting_error_budget.py depth SCENE INPAINTED [FIRST LAST]
      per frame (FIRST..LAST, default all) and over the clip: RMSE in mm of INPAINTED/depth against gt/depth inside
      the instrument masks (masks > 127 and gt depth > 0; 16-bit samples x 0.005 mm)
  inpainting_error_budget.py highlights SCENE MATTE_SCENE
      how far the tissue's specular highlights inside the instrument masks can be predicted from other frames.
      MATTE_SCENE is SCENE generated again with `-o specular=0` (same seed, size and frames): its gt/images are the
      tissue without highlights, and SCENE's gt/images minus them are the highlights. Prints the PSNR inside the
      masks of the matte tissue alone, of the matte tissue plus the highlights copied from the nearest frame in which
      that pixel shows tissue, and plus the (hidden, so oracle) highlights of the frame K frames away, and how many
      frames away the nearest sighting of each hidden pixel is
  inpainting_error_budget.py correspondence SCENE [INPAINTED]
      what propagation with perfect motion would give: SCENE made with `-o correspondence=true` (gt/surface/). Each
      instrument pixel takes the colour of its own tissue point from the nearest frame that shows that point outside
      its restored region (mask dilated by 8 px, as `propagate`'s sources), bilinear at the exact position. PSNR
      inside the masks over the pixels so found, from the observed frames and from gt/images (no noise, no shadow),
      by frames between target and source; with INPAINTED, that result on the same pixels
  inpainting_error_budget.py ring SCENE INPAINTED
      the hidden tissue that no frame shows outside its restored region (SCENE with gt/surface/): what the frames show
      of it closer to the instruments (outside the mask grown by 2, 3, 4, 6 px), copied with perfect motion from the
      observed (shadowed) frames and from gt/images, beside INPAINTED on the same pixels
  inpainting_error_budget.py render SCENE RUN...
      a run's test renders (RUN/renders/test/color) against the observed frame and gt/images: tissue, the 8-px ring
      around the instruments, the tissue beyond it, and the instrument region (one MSE over the test frames)

SCENE is a folder written by `d2dgs synth` (images/, masks/ with white = instrument, gt/images/).
"""
import os
import struct
import sys
import zlib

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def read_png(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise SystemExit(f'{path}: not a PNG file')
    pos, idat = 8, b''
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b'IHDR':
            width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
    if interlace:
        raise SystemExit(f'{path}: interlaced PNGs are not supported')
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    bpp = channels * depth // 8
    stride = width * bpp
    raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), np.int32)
    prev = np.zeros(stride, np.int32)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        if kind == 0:
            cur = line
        elif kind == 1:
            cur = line.copy()
            for x in range(bpp, stride):
                cur[x] = (cur[x] + cur[x - bpp]) & 255
        elif kind == 2:
            cur = (line + prev) & 255
        else:
            cur = np.zeros(stride, np.int32)
            for x in range(stride):
                a = cur[x - bpp] if x >= bpp else 0
                c = prev[x - bpp] if x >= bpp else 0
                b = prev[x]
                if kind == 3:
                    p = (a + b) // 2
                else:
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (line[x] + p) & 255
        out[y] = cur
        prev = cur
    if depth == 16:
        out = (out[:, 0::2] << 8) | out[:, 1::2]
    out = out.reshape(height, width, channels)
    return out[..., 0] if channels == 1 else out


def pngs(folder):
    return sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith('.png'))


def colour(path):
    return read_png(path)[..., :3] / 255.0


def dilate(mask, r):
    if r == 0:
        return mask
    padded = np.pad(mask.astype(np.uint8), r)
    return sliding_window_view(padded, (2 * r + 1, 2 * r + 1)).max(axis=(2, 3)).astype(bool)


def psnr(squared_errors):
    return 10 * np.log10(1.0 / squared_errors.mean())


def shadow(scene):
    images, truth, masks = pngs(f'{scene}/images'), pngs(f'{scene}/gt/images'), pngs(f'{scene}/masks')
    edges = [0, 2, 4, 8, 12, 16, 24, 32, 48]
    errors = {b: [] for b in edges[1:]}
    for t in range(0, len(images), 3):
        m = read_png(masks[t]) > 127
        e = ((colour(images[t]) - colour(truth[t])) ** 2).mean(-1)
        for a, b in zip(edges, edges[1:]):
            errors[b].append(e[dilate(m, b) & ~dilate(m, a)])
    tissue, ring = [], []
    for t in range(0, len(images), 3):
        m = read_png(masks[t]) > 127
        e = ((colour(images[t]) - colour(truth[t])) ** 2).mean(-1)
        tissue.append(e[~m])
        ring.append(e[dilate(m, 8) & ~m])
    tissue, ring = np.concatenate(tissue), np.concatenate(ring)
    print(f'all tissue: observed vs truth {psnr(tissue):.2f} dB; the 8-px ring: {psnr(ring):.2f} dB, '
          f'{ring.size / tissue.size:.3f} of the tissue pixels, {ring.sum() / tissue.sum():.2f} of the squared difference')
    for a, b in zip(edges, edges[1:]):
        print(f'tissue {a:2d}-{b:2d} px from an instrument: observed vs truth {psnr(np.concatenate(errors[b])):.2f} dB')


def stage1(scene, inpainted):
    masks = np.array([read_png(f) > 127 for f in pngs(f'{scene}/masks')])
    truth = np.array([colour(f) for f in pngs(f'{scene}/gt/images')])
    result = np.array([colour(f) for f in pngs(f'{inpainted}/images')])
    e = ((result - truth) ** 2).mean(-1)
    bright = (truth.min(-1) > 0.75) | (result.min(-1) > 0.75)
    highlight = np.array([dilate(h, 1) for h in bright])
    seen = (~np.array([dilate(m, 8) for m in masks])).any(0)[None]
    total = e[masks].sum()
    print(f'all instrument pixels: {psnr(e[masks]):.2f} dB')
    for name, part in [('highlights', masks & highlight), ('visible somewhere, no highlight', masks & seen & ~highlight),
                       ('never visible, no highlight', masks & ~seen & ~highlight)]:
        print(f'{name}: {psnr(e[part]):.2f} dB, {part.sum() / masks.sum():.3f} of the pixels, '
              f'{e[part].sum() / total:.2f} of the squared error')


def depth(scene, inpainted, first=None, last=None):
    masks, truth, result = pngs(f'{scene}/masks'), pngs(f'{scene}/gt/depth'), pngs(f'{inpainted}/depth')
    first = 0 if first is None else first
    last = len(masks) - 1 if last is None else last
    squares = []
    for t in range(len(masks)):
        g = read_png(truth[t]).astype(np.float64) * 0.005
        sel = (read_png(masks[t]) > 127) & (g > 0)
        e = (read_png(result[t]).astype(np.float64) * 0.005 - g)[sel] ** 2
        squares.append(e)
        if first <= t <= last:
            print(f'frame {t}: {np.sqrt(e.mean()):.2f} mm')
    print(f'clip: {np.sqrt(np.concatenate(squares).mean()):.2f} mm')


def highlights(scene, matte_scene):
    masks = np.array([read_png(f) > 127 for f in pngs(f'{scene}/masks')])
    if not np.array_equal(masks, np.array([read_png(f) > 127 for f in pngs(f'{matte_scene}/masks')])):
        raise SystemExit(f'{matte_scene}: its masks differ from those of {scene}; generate it with the same options')
    truth = np.array([colour(f) for f in pngs(f'{scene}/gt/images')])
    matte = np.array([colour(f) for f in pngs(f'{matte_scene}/gt/images')])
    spec = truth - matte
    n = len(masks)
    frames = np.arange(n)[:, None, None]
    print(f'matte tissue alone: {psnr(((matte - truth) ** 2).mean(-1)[masks]):.2f} dB inside the masks')
    nearest = np.zeros_like(spec)
    distance = np.full(masks.shape, np.inf)
    for t in range(n):
        gap = np.where(~masks, np.abs(frames - t), np.inf)
        gap[t] = np.inf
        u = gap.argmin(0)
        distance[t] = gap.min(0)
        nearest[t] = np.take_along_axis(spec, u[None, :, :, None], 0)[0]
    seen = np.isfinite(distance[masks])
    print(f'matte + highlights of the nearest frame showing the pixel: '
          f'{psnr(((matte + nearest - truth) ** 2).mean(-1)[masks]):.2f} dB')
    for k in (1, 2, 4, 8, 16):
        shifted = np.array([spec[t + k] if t + k < n else spec[t - k] for t in range(n)])
        print(f'matte + highlights of frame t+-{k} (hidden there too: an oracle): '
              f'{psnr(((matte + shifted - truth) ** 2).mean(-1)[masks]):.2f} dB')
    q = np.percentile(distance[masks][seen], [10, 25, 50, 75, 90])
    print(f'frames to the nearest sighting of a hidden pixel: 10/25/50/75/90th percentile {q[0]:.0f}/{q[1]:.0f}/'
          f'{q[2]:.0f}/{q[3]:.0f}/{q[4]:.0f}; never shown: {1 - seen.mean():.4f}')


def bilinear(image, x, y):
    h, w = image.shape[:2]
    x = np.clip(x, 0, w - 1.001)
    y = np.clip(y, 0, h - 1.001)
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0
    if image.ndim == 3:
        fx, fy = fx[:, None], fy[:, None]
    return ((image[y0, x0] * (1 - fx) + image[y0, x0 + 1] * fx) * (1 - fy)
            + (image[y0 + 1, x0] * (1 - fx) + image[y0 + 1, x0 + 1] * fx) * fy)


def locate(uv, target, x, y):
    """Where the coordinate map uv shows the tissue points target: Newton's method from (x, y); residual in mm."""
    for _ in range(8):
        m = bilinear(uv, x, y)
        dx = bilinear(uv, x + 0.5, y) - bilinear(uv, x - 0.5, y)
        dy = bilinear(uv, x, y + 0.5) - bilinear(uv, x, y - 0.5)
        r = target - m
        det = dx[:, 0] * dy[:, 1] - dx[:, 1] * dy[:, 0]
        det = np.where(np.abs(det) < 1e-12, 1e-12, det)
        x = x + np.clip((dy[:, 1] * r[:, 0] - dy[:, 0] * r[:, 1]) / det, -5, 5)
        y = y + np.clip((-dx[:, 1] * r[:, 0] + dx[:, 0] * r[:, 1]) / det, -5, 5)
    return x, y, np.abs(target - bilinear(uv, x, y)).max(-1)


def surface_scene(scene):
    """Masks, gt/surface coordinates, gt/images and observed frames of a scene made with -o correspondence=true."""
    masks = np.array([read_png(f) > 127 for f in pngs(f'{scene}/masks')])
    surface = sorted(f for f in os.listdir(f'{scene}/gt/surface') if f.endswith('.npy')) \
        if os.path.isdir(f'{scene}/gt/surface') else []
    if len(surface) != len(masks):
        raise SystemExit(f'{scene}: gt/surface/ missing or incomplete; generate the scene with -o correspondence=true')
    uv = np.array([np.load(f'{scene}/gt/surface/{f}').astype(np.float64) for f in surface])
    truth = np.array([colour(f) for f in pngs(f'{scene}/gt/images')])
    observed = np.array([colour(f) for f in pngs(f'{scene}/images')])
    return masks, uv, truth, observed


def copy_with_true_motion(masks, uv, images, source_margin, targets):
    """Each target pixel's own tissue point, read (bilinear) from every image stack in the nearest frame that shows it
    outside the instrument mask grown by source_margin; NaN where no frame does. Also the frame distance used."""
    n, h, w = masks.shape
    source = ~np.array([dilate(m, source_margin) for m in masks])
    tolerance = 0.05 * np.median(np.abs(np.diff(uv[0, :, :, 0], axis=1)))
    copies = [np.full(im.shape, np.nan) for im in images]
    gap = np.zeros(masks.shape, int)
    for t in range(n):
        ys, xs = np.nonzero(targets[t])
        target = uv[t, ys, xs]
        todo = np.ones(len(ys), bool)
        for k in range(1, n):
            for s in (t - k, t + k):
                if not 0 <= s < n or not todo.any():
                    continue
                i = np.nonzero(todo)[0]
                x, y, residual = locate(uv[s], target[i], xs[i].astype(float), ys[i].astype(float))
                ok = (residual < tolerance) & (x >= 0) & (x <= w - 1) & (y >= 0) & (y <= h - 1)
                ok &= source[s, np.clip(np.round(y).astype(int), 0, h - 1), np.clip(np.round(x).astype(int), 0, w - 1)]
                j = i[ok]
                for im, out in zip(images, copies):
                    out[t, ys[j], xs[j]] = bilinear(im[s], x[ok], y[ok])
                gap[t, ys[j], xs[j]] = k
                todo[j] = False
    return copies, gap


def correspondence(scene, inpainted=None):
    masks, uv, truth, observed = surface_scene(scene)
    (from_observed, from_truth), gap = copy_with_true_motion(masks, uv, [observed, truth], 8, masks)
    found = masks & np.isfinite(from_observed[..., 0])
    eo = ((from_observed - truth) ** 2).mean(-1)
    et = ((from_truth - truth) ** 2).mean(-1)
    print(f'instrument pixels whose tissue another frame shows outside its restored region: '
          f'{found.sum() / masks.sum():.3f}')
    line = f'on them, copied with perfect motion: from the observed frames {psnr(eo[found]):.2f} dB, from gt/images ' \
           f'{psnr(et[found]):.2f} dB'
    if inpainted:
        result = np.array([colour(f) for f in pngs(f'{inpainted}/images')])
        line += f'; {inpainted}: {psnr(((result - truth) ** 2).mean(-1)[found]):.2f} dB'
    print(line)
    for a, b in [(1, 4), (4, 8), (8, 16), (16, 32), (32, len(masks))]:
        part = found & (gap >= a) & (gap < b)
        if part.any():
            print(f'source {a}-{b - 1} frames away: {part.sum() / masks.sum():.3f} of the pixels, observed '
                  f'{psnr(eo[part]):.2f} dB, gt/images {psnr(et[part]):.2f} dB')


def ring(scene, inpainted):
    masks, uv, truth, observed = surface_scene(scene)
    result = np.array([colour(f) for f in pngs(f'{inpainted}/images')])
    (seen,), _ = copy_with_true_motion(masks, uv, [observed], 8, masks)
    never = masks & ~np.isfinite(seen[..., 0])
    print(f'instrument pixels that no frame shows outside its restored region: {never.sum() / masks.sum():.3f}; '
          f'{inpainted} on them: {psnr(((result - truth) ** 2).mean(-1)[never]):.2f} dB')
    for margin in (2, 3, 4, 6):
        (o, g), _ = copy_with_true_motion(masks, uv, [observed, truth], margin, never)
        found = never & np.isfinite(o[..., 0])
        print(f'shown within {margin}-8 px of an instrument: {found.sum() / never.sum():.3f} of them; copied with '
              f'perfect motion from the observed (shadowed) frames {psnr(((o - truth) ** 2).mean(-1)[found]):.2f} dB, '
              f'from gt/images {psnr(((g - truth) ** 2).mean(-1)[found]):.2f} dB, {inpainted} '
              f'{psnr(((result - truth) ** 2).mean(-1)[found]):.2f} dB')


def render(scene, runs):
    for run in runs:
        folder = f'{run}/renders/test/color'
        parts = {k: [] for k in ['tissue vs observed', 'ring vs observed', 'beyond ring vs observed',
                                 'tissue vs truth', 'ring vs truth', 'instrument vs truth']}
        for name in sorted(f for f in os.listdir(folder) if f.endswith('.png')):
            r = colour(f'{folder}/{name}')
            o = colour(f'{scene}/images/{name}')
            g = colour(f'{scene}/gt/images/{name}')
            m = read_png(f'{scene}/masks/{name.replace(".color.", ".mask.")}') > 127
            ring = dilate(m, 8) & ~m
            eo, eg = ((r - o) ** 2).mean(-1), ((r - g) ** 2).mean(-1)
            for key, e, sel in [('tissue vs observed', eo, ~m), ('ring vs observed', eo, ring),
                                ('beyond ring vs observed', eo, ~dilate(m, 8)), ('tissue vs truth', eg, ~m),
                                ('ring vs truth', eg, ring), ('instrument vs truth', eg, m)]:
                parts[key].append(e[sel])
        print(os.path.basename(run.rstrip('/')) + ': ' + ', '.join(
            f'{k} {psnr(np.concatenate(v)):.2f}' for k, v in parts.items()))


# command: (function, numbers of arguments it takes after the command's name; None = one or more)
COMMANDS = {
    'shadow': (shadow, (1,)),
    'stage1': (stage1, (2,)),
    'depth': (lambda scene, inpainted, *frames: depth(scene, inpainted, *(int(f) for f in frames)), (2, 4)),
    'highlights': (highlights, (2,)),
    'correspondence': (correspondence, (1, 2)),
    'ring': (ring, (2,)),
    'render': (lambda scene, *runs: render(scene, runs), None),
}

if __name__ == '__main__':
    command = COMMANDS.get(sys.argv[1]) if len(sys.argv) > 2 else None
    if command is None or (command[1] is not None and len(sys.argv) - 2 not in command[1]):
        raise SystemExit(__doc__)
    command[0](*sys.argv[2:])
