// Adaptive density control on the device. Twin: org.diff2dgs.train.internal.Densifier (3DGS Sec. 5.2 as 2DGS uses
// it): statistics, clone/split candidates (hottest first under a surfel cap), prune, and the new rows built by stream
// compaction: survivors in index order, then clones, then split children (two per parent), each group without its
// pruned rows. Every per-surfel tensor (parameters, Adam moments, deformation coefficients) is gathered through one
// row map (source row, kind); fresh rows get zero Adam moments.
//
// Split children are placed with the random numbers of java.util.SplittableRandom(seed), which is counter-based: its
// k-th nextDouble() is (mix64(seed + (k + 1) * GOLDEN_GAMMA) >>> 11) * 2^-53, so child c (counted over all children
// before pruning, as the twin draws them) uses draws 4c .. 4c + 3 (two Box-Muller normals) and the placement is
// independent of thread order. org.diff2dgs.cuda.internal.train.CounterRandom is the Java side of the same formula.

#define DENSIFY_MAX_SCREEN_RADIUS 20
#define SCAN_THREADS 256
#define SCAN_ITEMS 8
#define SCAN_TILE (SCAN_THREADS * SCAN_ITEMS)
#define SELECT_THREADS 1024

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15ULL

// kinds of a new row (the map's second array); values >= 0 are split children with their ordinal
#define ROW_SURVIVOR -1
#define ROW_CLONE -2

// Screen-gradient sums, visible counts and maximum radii over the iterations since the last densification.
extern "C" __global__ void densify_accumulate(int n,
                                              const float* __restrict__ screenGradient,
                                              const int* __restrict__ radii,
                                              float* __restrict__ gradientSum,
                                              int* __restrict__ visibleCount,
                                              int* __restrict__ maxRadius)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    int r = radii[i];
    if (r > 0) {
        gradientSum[i] = __fadd_rn(gradientSum[i], screenGradient[i]);
        visibleCount[i] += 1;
        maxRadius[i] = max(maxRadius[i], r);
    }
}

// Mean gradient per surfel (0 when never visible) and whether it reaches the threshold.
extern "C" __global__ void densify_candidates(int n,
                                              const float* __restrict__ gradientSum,
                                              const int* __restrict__ visibleCount,
                                              double threshold,
                                              float* __restrict__ mean,
                                              int* __restrict__ candidate)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    int count = visibleCount[i];
    float m = count == 0 ? 0.0f : __fdiv_rn(gradientSum[i], (float)count);
    mean[i] = m;
    candidate[i] = (double)m >= threshold ? 1 : 0;
}

// Float bits in an unsigned order that agrees with Float.compare for non-NaN values.
__device__ __forceinline__ unsigned int densify_key(float f)
{
    unsigned int b = __float_as_uint(f);
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}

// One block. Every candidate costs one row of the budget (a clone adds one, a split replaces one row by two), so the
// twin's greedy walk in decreasing mean (ties: lower index first) keeps exactly the `budget` hottest candidates. When
// there are more, find the budget-th largest key by an 8-bit radix select and keep the candidates above it plus the
// lowest-index ones equal to it. *selected = how many were kept.
extern "C" __global__ void densify_select(int n, int budget,
                                          const float* __restrict__ mean,
                                          int* __restrict__ candidate,
                                          int* __restrict__ selected)
{
    __shared__ int histogram[256];
    __shared__ int scan[SELECT_THREADS];
    __shared__ int shared[3];
    int tid = threadIdx.x;
    int local = 0;
    for (int i = tid; i < n; i += SELECT_THREADS) {
        local += candidate[i];
    }
    scan[tid] = local;
    __syncthreads();
    for (int half = SELECT_THREADS / 2; half > 0; half >>= 1) {
        if (tid < half) {
            scan[tid] += scan[tid + half];
        }
        __syncthreads();
    }
    int total = scan[0];
    __syncthreads();
    if (tid == 0) {
        *selected = min(total, max(budget, 0));
    }
    if (total <= budget) {
        return;
    }
    if (budget <= 0) {
        for (int i = tid; i < n; i += SELECT_THREADS) {
            candidate[i] = 0;
        }
        return;
    }
    unsigned int prefix = 0;
    unsigned int prefixMask = 0;
    int remaining = budget; // how many still to take among keys matching the prefix
    for (int shift = 24; shift >= 0; shift -= 8) {
        for (int d = tid; d < 256; d += SELECT_THREADS) {
            histogram[d] = 0;
        }
        __syncthreads();
        for (int i = tid; i < n; i += SELECT_THREADS) {
            if (candidate[i]) {
                unsigned int key = densify_key(mean[i]);
                if ((key & prefixMask) == prefix) {
                    atomicAdd(&histogram[(key >> shift) & 0xff], 1);
                }
            }
        }
        __syncthreads();
        if (tid == 0) {
            int above = 0;
            int digit = 0;
            for (int d = 255; d >= 0; d--) {
                if (above + histogram[d] >= remaining) {
                    digit = d;
                    break;
                }
                above += histogram[d];
            }
            shared[0] = digit;
            shared[1] = remaining - above;
        }
        __syncthreads();
        prefix |= (unsigned int)shared[0] << shift;
        prefixMask |= 0xffu << shift;
        remaining = shared[1];
        __syncthreads();
    }
    // prefix is the key of the budget-th largest; take `remaining` of its ties, lowest indices first
    int chunk = (n + SELECT_THREADS - 1) / SELECT_THREADS;
    int begin = min(n, tid * chunk);
    int end = min(n, begin + chunk);
    int ties = 0;
    for (int i = begin; i < end; i++) {
        if (candidate[i] && densify_key(mean[i]) == prefix) {
            ties++;
        }
    }
    scan[tid] = ties;
    __syncthreads();
    if (tid == 0) {
        int run = 0;
        for (int t = 0; t < SELECT_THREADS; t++) {
            int v = scan[t];
            scan[t] = run;
            run += v;
        }
    }
    __syncthreads();
    int rank = scan[tid];
    for (int i = begin; i < end; i++) {
        if (!candidate[i]) {
            continue;
        }
        unsigned int key = densify_key(mean[i]);
        bool keep = key > prefix;
        if (key == prefix) {
            keep = rank < remaining;
            rank++;
        }
        if (!keep) {
            candidate[i] = 0;
        }
    }
}

// Per old surfel: clone or split (max scale against percentDense x extent), and which of its new rows survive the
// prune (opacity below the minimum; once opacities were reset also larger than 0.1 x extent, and for original rows a
// screen radius above 20). counts[i] = (survivor kept, clone kept, split children kept (0 or 2), split 0/1).
extern "C" __global__ void densify_classify(int n,
                                            const int* __restrict__ candidate,
                                            const float* __restrict__ logScales,
                                            const float* __restrict__ logits,
                                            const int* __restrict__ maxRadius,
                                            double cloneMaxScale, double extent,
                                            float opacityLogitMin, int pruneLarge, float shrink,
                                            int4* __restrict__ counts)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    float ls0 = logScales[2 * i];
    float ls1 = logScales[2 * i + 1];
    double maxScale = exp((double)fmaxf(ls0, ls1));
    bool clone = false;
    bool split = false;
    if (candidate[i]) {
        clone = maxScale <= cloneMaxScale;
        split = !clone;
    }
    bool transparent = logits[i] < opacityLogitMin;
    bool large = pruneLarge && maxScale > 0.1 * extent;
    bool survivor = !split && !transparent && !large
                    && !(pruneLarge && maxRadius[i] > DENSIFY_MAX_SCREEN_RADIUS);
    bool cloneKept = clone && !transparent && !large;
    bool childrenKept = false;
    if (split && !transparent) {
        double childMax = exp((double)fmaxf(__fsub_rn(ls0, shrink), __fsub_rn(ls1, shrink)));
        childrenKept = !(pruneLarge && childMax > 0.1 * extent);
    }
    counts[i] = make_int4(survivor ? 1 : 0, cloneKept ? 1 : 0, childrenKept ? 2 : 0, split ? 1 : 0);
}

__device__ __forceinline__ int4 add4(int4 a, int4 b)
{
    return make_int4(a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w);
}

// Exclusive scan of the per-thread totals of one block (Hillis-Steele on shared memory); returns this thread's offset.
__device__ int4 densify_block_exclusive(int4 v)
{
    __shared__ int4 buffer[SCAN_THREADS];
    int tid = threadIdx.x;
    buffer[tid] = v;
    __syncthreads();
    for (int offset = 1; offset < SCAN_THREADS; offset <<= 1) {
        int4 add = tid >= offset ? buffer[tid - offset] : make_int4(0, 0, 0, 0);
        __syncthreads();
        buffer[tid] = add4(buffer[tid], add);
        __syncthreads();
    }
    int4 inclusive = buffer[tid];
    __syncthreads();
    return make_int4(inclusive.x - v.x, inclusive.y - v.y, inclusive.z - v.z, inclusive.w - v.w);
}

// Scan, pass 1: the sum of each tile of SCAN_TILE counts.
extern "C" __global__ void densify_scan_tiles(int n, const int4* __restrict__ counts, int4* __restrict__ tileSums)
{
    int base = blockIdx.x * SCAN_TILE + threadIdx.x * SCAN_ITEMS;
    int4 s = make_int4(0, 0, 0, 0);
    for (int k = 0; k < SCAN_ITEMS; k++) {
        if (base + k < n) {
            s = add4(s, counts[base + k]);
        }
    }
    int4 offset = densify_block_exclusive(s);
    if (threadIdx.x == SCAN_THREADS - 1) {
        tileSums[blockIdx.x] = add4(offset, s);
    }
}

// Scan, pass 2 (one block): exclusive offsets of the tiles, and the grand totals in totals[0].
extern "C" __global__ void densify_scan_top(int tiles, int4* __restrict__ tileSums, int4* __restrict__ totals)
{
    int per = (tiles + SCAN_THREADS - 1) / SCAN_THREADS;
    int begin = min(tiles, (int)threadIdx.x * per);
    int end = min(tiles, begin + per);
    int4 s = make_int4(0, 0, 0, 0);
    for (int t = begin; t < end; t++) {
        s = add4(s, tileSums[t]);
    }
    int4 run = densify_block_exclusive(s);
    for (int t = begin; t < end; t++) {
        int4 v = tileSums[t];
        tileSums[t] = run;
        run = add4(run, v);
    }
    if (threadIdx.x == SCAN_THREADS - 1) {
        totals[0] = run;
    }
}

// Scan, pass 3 and the row map: each old surfel writes its kept rows (survivor, clone, children) at their
// compacted positions. source[j] is the old row of new row j, kind[j] ROW_SURVIVOR, ROW_CLONE or the child ordinal
// 2 * (splits before i) + k that selects its random numbers.
extern "C" __global__ void densify_map(int n,
                                       const int4* __restrict__ counts,
                                       const int4* __restrict__ tileOffsets,
                                       const int4* __restrict__ totals,
                                       int* __restrict__ source,
                                       int* __restrict__ kind)
{
    int base = blockIdx.x * SCAN_TILE + threadIdx.x * SCAN_ITEMS;
    int4 s = make_int4(0, 0, 0, 0);
    for (int k = 0; k < SCAN_ITEMS; k++) {
        if (base + k < n) {
            s = add4(s, counts[base + k]);
        }
    }
    int4 run = add4(densify_block_exclusive(s), tileOffsets[blockIdx.x]);
    int4 t = totals[0];
    for (int k = 0; k < SCAN_ITEMS; k++) {
        int i = base + k;
        if (i >= n) {
            break;
        }
        int4 c = counts[i];
        if (c.x) {
            source[run.x] = i;
            kind[run.x] = ROW_SURVIVOR;
        }
        if (c.y) {
            int j = t.x + run.y;
            source[j] = i;
            kind[j] = ROW_CLONE;
        }
        if (c.z) {
            int j = t.x + t.y + run.z;
            source[j] = i;
            kind[j] = 2 * run.w;
            source[j + 1] = i;
            kind[j + 1] = 2 * run.w + 1;
        }
        run = add4(run, c);
    }
}

// dst row j = src row source[j] (width floats a row); with zeroFresh, rows that are not survivors get zeros (Adam
// moments of new surfels).
extern "C" __global__ void densify_gather(int rows, int width,
                                          const float* __restrict__ src,
                                          float* __restrict__ dst,
                                          const int* __restrict__ source,
                                          const int* __restrict__ kind,
                                          int zeroFresh)
{
    long long total = (long long)rows * width;
    long long stride = (long long)gridDim.x * blockDim.x;
    for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < total; e += stride) {
        int j = (int)(e / width);
        int col = (int)(e - (long long)j * width);
        dst[e] = zeroFresh && kind[j] != ROW_SURVIVOR ? 0.0f : src[(long long)source[j] * width + col];
    }
}

// The k-th nextDouble() of java.util.SplittableRandom(seed).
__device__ __forceinline__ double densify_random(unsigned long long seed, unsigned long long k)
{
    unsigned long long z = seed + (k + 1ULL) * GOLDEN_GAMMA;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z = z ^ (z >> 31);
    return (double)(z >> 11) * 0x1.0p-53;
}

// Box-Muller as Densifier.gaussian: sqrt(-2 log max(u, 1e-300)) cos(2 pi v)
__device__ __forceinline__ double densify_gaussian(unsigned long long seed, unsigned long long k)
{
    double u = fmax(densify_random(seed, k), 1e-300);
    double v = densify_random(seed, k + 1);
    return __dmul_rn(sqrt(__dmul_rn(-2.0, log(u))), cos(__dmul_rn(2.0 * 3.141592653589793, v)));
}

// Split children: centre + a t_u + b t_v with (a, b) from the parent's 2D Gaussian in its tangent plane (t_u, t_v the
// first two columns of R(q)), log-scales minus log(1.6) (3DGS densify_and_split, third axis 0 as in 2DGS). Runs on the
// gathered tensors, so the rotation and scales are the parent's.
extern "C" __global__ void densify_place_children(int rows,
                                                  const int* __restrict__ kind,
                                                  long long seed, float shrink,
                                                  float* __restrict__ positions,
                                                  const float* __restrict__ rotations,
                                                  float* __restrict__ logScales)
{
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= rows || kind[j] < 0) {
        return;
    }
    unsigned long long draw = 4ULL * (unsigned long long)kind[j];
    unsigned long long s = (unsigned long long)seed;
    double su = exp((double)logScales[2 * j]);
    double sv = exp((double)logScales[2 * j + 1]);
    double a = __dmul_rn(densify_gaussian(s, draw), su);
    double b = __dmul_rn(densify_gaussian(s, draw + 2), sv);
    double w = rotations[4 * j];
    double x = rotations[4 * j + 1];
    double y = rotations[4 * j + 2];
    double z = rotations[4 * j + 3];
    double norm = __dsqrt_rn(__dadd_rn(__dadd_rn(__dadd_rn(__dmul_rn(w, w), __dmul_rn(x, x)), __dmul_rn(y, y)),
                                       __dmul_rn(z, z)));
    w = __ddiv_rn(w, norm);
    x = __ddiv_rn(x, norm);
    y = __ddiv_rn(y, norm);
    z = __ddiv_rn(z, norm);
    double tux = __dsub_rn(1.0, __dmul_rn(2.0, __dadd_rn(__dmul_rn(y, y), __dmul_rn(z, z))));
    double tuy = __dmul_rn(2.0, __dadd_rn(__dmul_rn(x, y), __dmul_rn(w, z)));
    double tuz = __dmul_rn(2.0, __dsub_rn(__dmul_rn(x, z), __dmul_rn(w, y)));
    double tvx = __dmul_rn(2.0, __dsub_rn(__dmul_rn(x, y), __dmul_rn(w, z)));
    double tvy = __dsub_rn(1.0, __dmul_rn(2.0, __dadd_rn(__dmul_rn(x, x), __dmul_rn(z, z))));
    double tvz = __dmul_rn(2.0, __dadd_rn(__dmul_rn(y, z), __dmul_rn(w, x)));
    positions[3 * j] = __fadd_rn(positions[3 * j], (float)__dadd_rn(__dmul_rn(a, tux), __dmul_rn(b, tvx)));
    positions[3 * j + 1] = __fadd_rn(positions[3 * j + 1], (float)__dadd_rn(__dmul_rn(a, tuy), __dmul_rn(b, tvy)));
    positions[3 * j + 2] = __fadd_rn(positions[3 * j + 2], (float)__dadd_rn(__dmul_rn(a, tuz), __dmul_rn(b, tvz)));
    logScales[2 * j] = __fsub_rn(logScales[2 * j], shrink);
    logScales[2 * j + 1] = __fsub_rn(logScales[2 * j + 1], shrink);
}

// 3DGS opacity reset: logits above logit(0.01) drop to it and the opacity's Adam moments restart.
extern "C" __global__ void densify_reset_opacity(int n, float cap,
                                                 float* __restrict__ logits,
                                                 float* __restrict__ m,
                                                 float* __restrict__ v)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    logits[i] = fminf(logits[i], cap);
    m[i] = 0.0f;
    v[i] = 0.0f;
}
