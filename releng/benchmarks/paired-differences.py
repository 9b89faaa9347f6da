#!/usr/bin/env python3
# Paired differences of a batch report against one method: per scene and seed, method minus base; mean and
# population std of the differences. Usage: paired-differences.py <results.csv> [base method (published-cpu)]
import csv, sys, statistics as st, collections, os, json
rows = list(csv.DictReader(open(sys.argv[1])))
base = sys.argv[2] if len(sys.argv) > 2 else 'published-cpu'
val = {}
meta = {}
for r in rows:
    if r['status'] != 'ok' or not r['metric']:
        continue
    key = (r['method'], r['scene'], r['seed'])
    val[(r['protocol'], r['metric']) + key] = float(r['mean'])
    meta[key] = (float(r['training_seconds'] or 'nan'), float(r['surfels'] or 'nan'))
# train psnr: from cell folders result.json
methods = sorted({k[0] for k in meta}, key=lambda m: (m != base, m))
cols = [('masked-mean','psnr'),('occluded','psnr'),('masked-mean','ssim'),('masked-mean','depth-rmse')]
print('| method | ' + ' | '.join(f'Δ {p} {m}' for p,m in cols) + ' | cells |')
print('| --- |' + ' ---: |' * (len(cols)+1))
for m in methods:
    if m == base: continue
    out = []
    n = 0
    for p, me in cols:
        d = []
        for (mm, sc, sd) in meta:
            if mm != m: continue
            a = val.get((p, me, m, sc, sd)); b = val.get((p, me, base, sc, sd))
            if a is not None and b is not None: d.append(a - b)
        n = len(d)
        fmt = '%+.3f ± %.3f' if me != 'ssim' else '%+.4f ± %.4f'
        out.append(fmt % (st.mean(d), st.pstdev(d)) if d else '-')
    print(f'| {m} | ' + ' | '.join(out) + f' | {n} |')
