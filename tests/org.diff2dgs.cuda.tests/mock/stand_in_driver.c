/*
 * A CPU stand-in for libcuda.so.1, for the tests of the Java host layer (CudaContext, DeviceBuffer, Kernel) on
 * machines without an NVIDIA driver. Device memory is host memory (malloc), capped at STAND_IN_TOTAL bytes so that
 * the out-of-memory path can be tested; the stream runs everything at once; cuLaunchKernel runs host versions of the
 * util_ kernels of bundles/org.diff2dgs.cuda/cuda/util.cu with the same grid-stride decomposition, the fused Adam and
 * the density control's kernels but the split children's placement (densify_candidates, _select, _classify, _scan_tiles,
 * _scan_top, _map, _gather: plain host loops with the results of the device's, so that a training session's density
 * control runs here), and the rasterizer's binning_tile_order (its bucket function from tile_order.cuh, the scatter
 * re-written here as the Java twin's stable counting sort, so only the device parity row checks binning.cu's scatter)
 * and fwd_footprint_probe (footprint.cuh itself). Every other kernel of the bundle's modules is found but refuses to run
 * (CUDA_ERROR_NOT_SUPPORTED), so a session can open here.
 * Only the entry points the host layer calls exist: libJCudaDriver binds lazily, so others are never looked up.
 * Not CUDA: no other kernels run here (their parity is checked on the GPU, d2dgs selftest --backend cuda).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

/* the fused Adam of cuda/adam.cu runs here from its own source (plain C there), so the host-layer test checks the
   kernel's arithmetic and group table against the Java twin */
#include "adam_fused.cuh"
/* the rasterizer's heavy-tiles-first buckets and warp-level footprint bound run here from their own sources too
   (binning_tile_order, fwd_footprint_probe), against the Java twins TileOrder and FootprintBound */
#include "tile_order.cuh"
#include "footprint.cuh"

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
enum {
    OK = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NOT_INITIALIZED = 3, INVALID_DEVICE = 101, INVALID_IMAGE = 200,
    INVALID_CONTEXT = 201, INVALID_HANDLE = 400, NOT_FOUND = 500
};
#define STAND_IN_TOTAL (256ull << 20)

static int ready;
static size_t used;
static int context_token, stream_token, module_token;

CUresult cuInit(unsigned flags) { (void)flags; ready = 1; return OK; }
CUresult cuDriverGetVersion(int *v) { *v = 13000; return OK; }
CUresult cuDeviceGetCount(int *c) { if (!ready) return NOT_INITIALIZED; *c = 1; return OK; }
CUresult cuDeviceGet(int *d, int ordinal) {
    if (!ready) return NOT_INITIALIZED;
    if (ordinal != 0) return INVALID_DEVICE;
    *d = 0;
    return OK;
}
CUresult cuDeviceGetName(char *name, int len, int dev) { (void)dev; snprintf(name, (size_t)len, "stand-in driver (CPU)"); return OK; }
CUresult cuDeviceTotalMem_v2(size_t *bytes, int dev) { (void)dev; *bytes = STAND_IN_TOTAL; return OK; }
CUresult cuDeviceGetAttribute(int *v, int attribute, int dev) {
    (void)dev;
    switch (attribute) {
    case 75: *v = 9; return OK; /* compute capability major */
    case 76: *v = 0; return OK; /* minor */
    default: return INVALID_VALUE;
    }
}
CUresult cuDevicePrimaryCtxRetain(void **ctx, int dev) { (void)dev; *ctx = &context_token; return OK; }
CUresult cuDevicePrimaryCtxRelease_v2(int dev) { (void)dev; return OK; }
CUresult cuCtxSetCurrent(void *ctx) { return ctx == &context_token ? OK : INVALID_CONTEXT; }
CUresult cuStreamCreate(void **stream, unsigned flags) { (void)flags; *stream = &stream_token; return OK; }
CUresult cuStreamDestroy_v2(void *stream) { return stream == &stream_token ? OK : INVALID_HANDLE; }
CUresult cuStreamSynchronize(void *stream) { return stream == &stream_token ? OK : INVALID_HANDLE; }

CUresult cuModuleLoadData(void **module, const void *image) {
    const unsigned char *p = image;
    if (!(p[0] == 0x50 && p[1] == 0xed && p[2] == 0x55 && p[3] == 0xba)) return INVALID_IMAGE; /* fatbin only */
    *module = &module_token;
    return OK;
}
CUresult cuModuleUnload(void *module) { return module == &module_token ? OK : INVALID_HANDLE; }

typedef enum {
    FILL = 1, AXPY, SUM_PARTIALS, ADAM_DESCRIBE, ADAM_FUSED, DENSIFY_CANDIDATES, DENSIFY_SELECT, DENSIFY_CLASSIFY,
    DENSIFY_SCAN_TILES, DENSIFY_SCAN_TOP, DENSIFY_MAP, DENSIFY_GATHER, TILE_ORDER, FOOTPRINT_PROBE, NOT_HERE
} kernel_id;
static const struct { const char *name; kernel_id id; } kernels[] = {
    {"util_fill_f32", FILL}, {"util_axpy_f32", AXPY}, {"util_sum_partials_f32", SUM_PARTIALS},
    {"adam_describe", ADAM_DESCRIBE}, {"adam_fused", ADAM_FUSED}, {"densify_candidates", DENSIFY_CANDIDATES},
    {"densify_select", DENSIFY_SELECT}, {"densify_classify", DENSIFY_CLASSIFY},
    {"densify_scan_tiles", DENSIFY_SCAN_TILES}, {"densify_scan_top", DENSIFY_SCAN_TOP}, {"densify_map", DENSIFY_MAP},
    {"densify_gather", DENSIFY_GATHER}, {"binning_tile_order", TILE_ORDER},
    {"fwd_footprint_probe", FOOTPRINT_PROBE}};
static kernel_id kernel_ids[NOT_HERE + 1];
/* the per-file prefixes of the bundle's kernels (docs: one prefix per .cu file) */
static const char *prefixes[] = {"util_", "adam_", "densify_", "project_", "binning_", "fwd_", "bwd_", "deform_",
                                 "shading_", "loss_"};
CUresult cuModuleGetFunction(void **f, void *module, const char *name) {
    if (module != &module_token) return INVALID_HANDLE;
    for (size_t k = 0; k < sizeof kernels / sizeof kernels[0]; k++) {
        if (strcmp(name, kernels[k].name) == 0) {
            kernel_ids[kernels[k].id] = kernels[k].id;
            *f = &kernel_ids[kernels[k].id];
            return OK;
        }
    }
    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        if (strncmp(name, prefixes[k], strlen(prefixes[k])) == 0) {
            kernel_ids[NOT_HERE] = NOT_HERE;
            *f = &kernel_ids[NOT_HERE];
            return OK;
        }
    }
    return NOT_FOUND;
}

/* densify.cu's constants and helpers, for the host versions of its kernels below */
#define DENSIFY_SCAN_TILE 2048
#define DENSIFY_MAX_SCREEN_RADIUS 20
typedef struct { int x, y, z, w; } int4_t;
static int4_t add4(int4_t a, int4_t b) { int4_t r = {a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w}; return r; }
static unsigned densify_key(float f) {
    unsigned b;
    memcpy(&b, &f, sizeof b);
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}
static const float *select_means;
/* decreasing mean, ties lower index first: the order of the twin's greedy walk */
static int hotter_first(const void *a, const void *b) {
    int i = *(const int *)a, j = *(const int *)b;
    unsigned ki = densify_key(select_means[i]), kj = densify_key(select_means[j]);
    if (ki != kj) return ki > kj ? -1 : 1;
    return i < j ? -1 : (i > j);
}

/* allocations carry their size in front, so that free can give it back to the cap */
CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t n) {
    if (n == 0) return INVALID_VALUE;
    if (used + n > STAND_IN_TOTAL) return OUT_OF_MEMORY;
    size_t *m = malloc(n + 16);
    if (!m) return OUT_OF_MEMORY;
    m[0] = n;
    used += n;
    *p = (CUdeviceptr)(size_t)((char *)m + 16);
    return OK;
}
CUresult cuMemFree_v2(CUdeviceptr p) {
    if (!p) return INVALID_VALUE;
    size_t *m = (size_t *)((char *)(size_t)p - 16);
    used -= m[0];
    free(m);
    return OK;
}
/* page-locked host memory: plain host memory here (the copies are memcpy either way) */
CUresult cuMemAllocHost_v2(void **p, size_t n) {
    if (n == 0) return INVALID_VALUE;
    *p = malloc(n);
    return *p ? OK : OUT_OF_MEMORY;
}
CUresult cuMemFreeHost(void *p) { if (!p) return INVALID_VALUE; free(p); return OK; }
CUresult cuMemGetInfo_v2(size_t *free_bytes, size_t *total) { *free_bytes = STAND_IN_TOTAL - used; *total = STAND_IN_TOTAL; return OK; }
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void *s, size_t n, void *stream) { (void)stream; memcpy((void *)(size_t)d, s, n); return OK; }
CUresult cuMemcpyDtoHAsync_v2(void *d, CUdeviceptr s, size_t n, void *stream) { (void)stream; memcpy(d, (void *)(size_t)s, n); return OK; }
CUresult cuMemsetD8Async(CUdeviceptr d, unsigned char v, size_t n, void *stream) { (void)stream; memset((void *)(size_t)d, v, n); return OK; }

/* events: the stand-in runs work at once, so an event is the host time at which it is recorded */
#include <time.h>
typedef struct { double ms; int recorded; } stand_in_event;
CUresult cuEventCreate(stand_in_event **e, unsigned flags) {
    (void)flags;
    *e = calloc(1, sizeof(stand_in_event));
    return *e ? OK : OUT_OF_MEMORY;
}
CUresult cuEventRecord(stand_in_event *e, void *stream) {
    if (stream != &stream_token) return INVALID_HANDLE;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    e->ms = t.tv_sec * 1e3 + t.tv_nsec / 1e6;
    e->recorded = 1;
    return OK;
}
CUresult cuEventSynchronize(stand_in_event *e) { return e->recorded ? OK : INVALID_HANDLE; }
CUresult cuEventElapsedTime(float *ms, stand_in_event *a, stand_in_event *b) {
    if (!a->recorded || !b->recorded) return INVALID_HANDLE;
    *ms = (float)(b->ms - a->ms);
    return OK;
}
CUresult cuEventDestroy_v2(stand_in_event *e) { free(e); return OK; }

#define ARG(type, i) (*(type *)params[i])
CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, void *stream, void **params, void **extra) {
    (void)shared; (void)extra;
    if (stream != &stream_token || !params) return INVALID_HANDLE;
    if (gy != 1 || gz != 1 || by != 1 || bz != 1 || bx > 1024) return INVALID_VALUE;
    long long threads = (long long)gx * bx;
    switch (*(kernel_id *)f) {
    case FILL: {
        float *x = ARG(float *, 0); float v = ARG(float, 1); int n = ARG(int, 2);
        for (int i = 0; i < n; i++) x[i] = v;
        return OK;
    }
    case AXPY: {
        float a = ARG(float, 0); const float *x = ARG(float *, 1); float *y = ARG(float *, 2); int n = ARG(int, 3);
        for (int i = 0; i < n; i++) y[i] = a * x[i] + y[i];
        return OK;
    }
    case SUM_PARTIALS: {
        const float *x = ARG(float *, 0); int n = ARG(int, 1); float *partials = ARG(float *, 2);
        for (unsigned b = 0; b < gx; b++) {
            float s = 0;
            for (unsigned t = 0; t < bx; t++)
                for (long long i = (long long)b * bx + t; i < n; i += threads) s += x[i];
            partials[b] = s;
        }
        return OK;
    }
    case ADAM_DESCRIBE: {
        AdamGroup *table = ARG(AdamGroup *, 0);
        AdamGroup g;
        g.values = ARG(float *, 2); g.grad = ARG(float *, 3); g.m = ARG(float *, 4); g.v = ARG(float *, 5);
        g.columnScale = ARG(const float *, 6); g.count = ARG(long long, 7); g.firstChunk = ARG(long long, 8);
        g.width = ARG(int, 9); g.pad = 0;
        table[ARG(int, 1)] = g;
        return OK;
    }
    case ADAM_FUSED: {
        const AdamGroup *table = ARG(AdamGroup *, 0);
        int groups = ARG(int, 1);
        long long chunks = ARG(long long, 2);
        int takeStep = ARG(int, 3);
        if (groups < 1 || groups > ADAM_MAX_GROUPS) return INVALID_VALUE;
        AdamGroup g[ADAM_MAX_GROUPS];
        memcpy(g, table, (size_t)groups * sizeof(AdamGroup));
        AdamRates r;
        for (int k = 0; k < ADAM_MAX_GROUPS; k++) {
            r.stepSize[k] = ARG(float, 4 + k);
            r.invBc2[k] = ARG(float, 4 + ADAM_MAX_GROUPS + k);
        }
        r.b1 = ARG(float, 20); r.b2 = ARG(float, 21); r.oneMinusB1 = ARG(float, 22); r.oneMinusB2 = ARG(float, 23);
        r.eps = ARG(float, 24);
        /* chunks are independent: the grid-stride order of the device does not matter */
        for (long long c = 0; c < chunks; c++) adam_chunk(g, adam_group_of(g, groups, c), c, &r, takeStep);
        return OK;
    }
    case DENSIFY_CANDIDATES: {
        int n = ARG(int, 0);
        const float *sum = ARG(float *, 1); const int *count = ARG(int *, 2); double threshold = ARG(double, 3);
        float *mean = ARG(float *, 4); int *candidate = ARG(int *, 5);
        for (int i = 0; i < n; i++) {
            float m = count[i] == 0 ? 0.0f : sum[i] / (float)count[i];
            mean[i] = m;
            candidate[i] = (double)m >= threshold ? 1 : 0;
        }
        return OK;
    }
    case DENSIFY_SELECT: {
        /* the device's radix select keeps the `budget` hottest candidates; here a sort does */
        int n = ARG(int, 0); int budget = ARG(int, 1);
        const float *mean = ARG(float *, 2); int *candidate = ARG(int *, 3); int *selected = ARG(int *, 4);
        int total = 0;
        for (int i = 0; i < n; i++) total += candidate[i];
        *selected = total < (budget > 0 ? budget : 0) ? total : (budget > 0 ? budget : 0);
        if (total <= budget) return OK;
        int *order = malloc(sizeof(int) * (size_t)(total > 0 ? total : 1));
        if (!order) return OUT_OF_MEMORY;
        int k = 0;
        for (int i = 0; i < n; i++) if (candidate[i]) order[k++] = i;
        select_means = mean;
        qsort(order, (size_t)k, sizeof(int), hotter_first);
        for (int r = (budget > 0 ? budget : 0); r < k; r++) candidate[order[r]] = 0;
        free(order);
        return OK;
    }
    case DENSIFY_CLASSIFY: {
        int n = ARG(int, 0);
        const int *candidate = ARG(int *, 1); const float *logScales = ARG(float *, 2);
        const float *logits = ARG(float *, 3); const int *maxRadius = ARG(int *, 4);
        double cloneMaxScale = ARG(double, 5); double extent = ARG(double, 6); float opacityLogitMin = ARG(float, 7);
        int pruneLarge = ARG(int, 8); float shrink = ARG(float, 9); int4_t *counts = ARG(int4_t *, 10);
        for (int i = 0; i < n; i++) {
            float ls0 = logScales[2 * i], ls1 = logScales[2 * i + 1];
            double maxScale = exp((double)fmaxf(ls0, ls1));
            int clone = 0, split = 0;
            if (candidate[i]) {
                clone = maxScale <= cloneMaxScale;
                split = !clone;
            }
            int transparent = logits[i] < opacityLogitMin;
            int large = pruneLarge && maxScale > 0.1 * extent;
            int survivor = !split && !transparent && !large && !(pruneLarge && maxRadius[i] > DENSIFY_MAX_SCREEN_RADIUS);
            int cloneKept = clone && !transparent && !large;
            int childrenKept = 0;
            if (split && !transparent) {
                double childMax = exp((double)fmaxf(ls0 - shrink, ls1 - shrink));
                childrenKept = !(pruneLarge && childMax > 0.1 * extent);
            }
            int4_t c = {survivor, cloneKept, childrenKept ? 2 : 0, split};
            counts[i] = c;
        }
        return OK;
    }
    case DENSIFY_SCAN_TILES: {
        int n = ARG(int, 0); const int4_t *counts = ARG(int4_t *, 1); int4_t *tileSums = ARG(int4_t *, 2);
        for (unsigned t = 0; t < gx; t++) {
            int4_t s = {0, 0, 0, 0};
            for (long long i = (long long)t * DENSIFY_SCAN_TILE; i < n && i < (long long)(t + 1) * DENSIFY_SCAN_TILE; i++)
                s = add4(s, counts[i]);
            tileSums[t] = s;
        }
        return OK;
    }
    case DENSIFY_SCAN_TOP: {
        int tiles = ARG(int, 0); int4_t *tileSums = ARG(int4_t *, 1); int4_t *totals = ARG(int4_t *, 2);
        int4_t run = {0, 0, 0, 0};
        for (int t = 0; t < tiles; t++) {
            int4_t v = tileSums[t];
            tileSums[t] = run;
            run = add4(run, v);
        }
        totals[0] = run;
        return OK;
    }
    case DENSIFY_MAP: {
        int n = ARG(int, 0);
        const int4_t *counts = ARG(int4_t *, 1); const int4_t *tileOffsets = ARG(int4_t *, 2);
        const int4_t *totals = ARG(int4_t *, 3); int *source = ARG(int *, 4); int *kind = ARG(int *, 5);
        int4_t t = totals[0];
        for (unsigned tile = 0; tile < gx; tile++) {
            int4_t run = tileOffsets[tile];
            for (long long i = (long long)tile * DENSIFY_SCAN_TILE; i < n && i < (long long)(tile + 1) * DENSIFY_SCAN_TILE; i++) {
                int4_t c = counts[i];
                if (c.x) { source[run.x] = (int)i; kind[run.x] = -1; }
                if (c.y) { int j = t.x + run.y; source[j] = (int)i; kind[j] = -2; }
                if (c.z) {
                    int j = t.x + t.y + run.z;
                    source[j] = (int)i; kind[j] = 2 * run.w;
                    source[j + 1] = (int)i; kind[j + 1] = 2 * run.w + 1;
                }
                run = add4(run, c);
            }
        }
        return OK;
    }
    case TILE_ORDER: {
        /* one block on the device; here a stable counting sort (ties by tile index, as the Java twin) */
        int tiles = ARG(int, 0); const int *ranges = ARG(int *, 1); int *order = ARG(int *, 2);
        if (gx != 1 || tiles < 0) return INVALID_VALUE;
        int start[TILE_ORDER_BUCKETS + 1];
        memset(start, 0, sizeof start);
        for (int t = 0; t < tiles; t++) start[tile_order_bucket(ranges[2 * t + 1] - ranges[2 * t]) + 1]++;
        for (int b = 0; b < TILE_ORDER_BUCKETS; b++) start[b + 1] += start[b];
        for (int t = 0; t < tiles; t++) order[start[tile_order_bucket(ranges[2 * t + 1] - ranges[2 * t])]++] = t;
        return OK;
    }
    case FOOTPRINT_PROBE: {
        int n = ARG(int, 0); const float *sf = ARG(float *, 1); const int *rc = ARG(int *, 2);
        int *misses = ARG(int *, 3);
        if (threads < n) return INVALID_VALUE;
        for (int i = 0; i < n; i++) {
            const float *q = sf + (size_t)i * 12;
            const int *r = rc + (size_t)i * 4;
            misses[i] = footprint_misses(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11],
                                         r[0], r[1], r[2], r[3]);
        }
        return OK;
    }
    case NOT_HERE:
        return 801; /* CUDA_ERROR_NOT_SUPPORTED: this kernel runs on a device only */
    case DENSIFY_GATHER: {
        /* densify.cu densify_gather: dst row j = src row source[j]; with zeroFresh, rows that are not survivors
           (kind != -1) are 0 */
        int rows = ARG(int, 0); int width = ARG(int, 1);
        const float *src = ARG(float *, 2); float *dst = ARG(float *, 3);
        const int *source = ARG(int *, 4); const int *kind = ARG(int *, 5); int zeroFresh = ARG(int, 6);
        long long total = (long long)rows * width;
        for (long long e = 0; e < total; e++) {
            long long j = e / width;
            long long col = e - j * width;
            dst[e] = zeroFresh && kind[j] != -1 ? 0.0f : src[(long long)source[j] * width + col];
        }
        return OK;
    }
    }
    return INVALID_HANDLE;
}

CUresult cuGetErrorName(CUresult e, const char **s) { static char b[48]; snprintf(b, sizeof b, "CUDA_ERROR_%d", e); *s = b; return OK; }
CUresult cuGetErrorString(CUresult e, const char **s) { return cuGetErrorName(e, s); }
