// Stage 2 of a render (Java twin: TileBinning): every visible surfel joins the list of each tile its rectangle
// touches, each list in centre-depth order with ties by index, as the original's stable (tile, depth) key sort.
//
// Instead of one 64-bit (tile | depth) key sort over all duplicated entries, a stable sort by tile alone (ceil(log2
// tiles) bits, usually one pass) groups the entries, and the depth order inside each tile comes from one of:
// - per tile (DeviceRasterizer.DepthOrder.TILES, the default): entries generated in surfel-index
//   order, then each tile's list sorted by depth in a warp or a block of its own (binning_tile_depth_sort_warp,
//   binning_tile_depth_sort; the stable tile sort kept index order inside a tile, so ties go by index);
// - global (-Dd2dgs.raster.depthOrder=global): the surfels sorted by depth once (31-bit keys, N entries, 3 radix
//   passes of 3 launches each), the entries generated in depth order, which the stable tile sort keeps inside each
//   tile.
//
// The radix sort is an LSD reduce-then-scan sort of up to 11 bits per pass: per-block digit histograms (upsweep),
// a scan per digit across blocks (spine), then each block ranks its keys stably with cub::BlockRadixSort and scatters
// them (downsweep). Only block-level CUB is used: the module is loaded through the driver API.
#include <cub/block/block_load.cuh>
#include <cub/block/block_radix_sort.cuh>
#include <cub/block/block_scan.cuh>

#include "raster_common.cuh"
#include "tile_order.cuh"

#define RADIX_THREADS 256
#define RADIX_ITEMS 8
#define RADIX_TILE (RADIX_THREADS * RADIX_ITEMS)
#define RADIX_MAX_BITS 11
#define RADIX_MAX_BINS (1 << RADIX_MAX_BITS)
#define RADIX_BINS_PER_THREAD (RADIX_MAX_BINS / RADIX_THREADS)

#define SCAN_THREADS 256
#define SCAN_ITEMS 4
#define SCAN_TILE (SCAN_THREADS * SCAN_ITEMS)

// Step 1 of the exclusive scan of the tile counts: each block takes SCAN_TILE ranks and scans their surfels' tile
// counts locally, writing its total. A rank is a place in the global depth order (sortedIndex) or, with per-tile
// depth order (sortedIndex null), the surfel index itself.
//
// The records stay where project_forward wrote them (by surfel index): the entries name their surfel, and the render
// kernels read a record through that index. Copying the records into depth order first (run 5: 8 threads per
// 128-byte record, coalesced) cost 0.15 ms at 1M surfels on the H100 and bought nothing: a tile's list visits its
// surfels far apart in either order.
extern "C" __global__ void binning_count_scan(int n, const int* __restrict__ sortedIndex,
        const float4* __restrict__ records, int* __restrict__ localOffsets, int* __restrict__ blockSums) {
    typedef cub::BlockScan<int, SCAN_THREADS> Scan;
    __shared__ typename Scan::TempStorage temp;
    const int perRecord = REC_FLOATS / 4;
    int base = blockIdx.x * SCAN_TILE + threadIdx.x * SCAN_ITEMS;
    int v[SCAN_ITEMS];
#pragma unroll
    for (int j = 0; j < SCAN_ITEMS; j++) {
        int k = base + j;
        v[j] = 0;
        if (k < n) {
            int i = sortedIndex != nullptr ? __ldg(sortedIndex + k) : k;
            int4 rect = __ldg(reinterpret_cast<const int4*>(records + (size_t) i * perRecord) + REC_RECT / 4);
            int tiles = (rect.z - rect.x) * (rect.w - rect.y);
            v[j] = tiles > 0 ? tiles : 0;
        }
    }
    int total;
    Scan(temp).ExclusiveSum(v, v, total);
#pragma unroll
    for (int j = 0; j < SCAN_ITEMS; j++) {
        if (base + j < n) {
            localOffsets[base + j] = v[j];
        }
    }
    if (threadIdx.x == 0) {
        blockSums[blockIdx.x] = total;
    }
}

// Exclusive scan, step 2 (one block of 1024 threads): block totals to block offsets in place; the grand total too.
extern "C" __global__ void binning_scan_spine(int numBlocks, int* __restrict__ blockSums, int* __restrict__ total) {
    typedef cub::BlockScan<int, 1024> Scan;
    __shared__ typename Scan::TempStorage temp;
    __shared__ int carry;
    if (threadIdx.x == 0) {
        carry = 0;
    }
    __syncthreads();
    for (int base = 0; base < numBlocks; base += 1024) {
        int i = base + threadIdx.x;
        int v = i < numBlocks ? blockSums[i] : 0;
        int sum;
        Scan(temp).ExclusiveSum(v, v, sum);
        int c = carry;
        if (i < numBlocks) {
            blockSums[i] = v + c;
        }
        __syncthreads();
        if (threadIdx.x == 0) {
            carry = c + sum;
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        total[0] = carry;
    }
}

// The duplicated entries, generated in rank order (depth order, or index order with sortedIndex null): entry e =
// (first entry of rank k) + (its tile's row-major index in the surfel's rectangle) gets key = tile and
// entrySurfel[e] = i, the surfel of rank k; firstEntry[i] is
// that first entry. The tile sort's values are the entries e themselves (generated on load, not stored). The
// backward's per-entry gradient slots use the same e, so a surfel's slots are contiguous and in GradientReduction's
// order. Entries at or beyond `capacity` are not written: the host launched this before it knew the total (no
// synchronization), reads the total afterwards and redoes the binning with larger buffers in the rare case it did
// not fit.
//
// A warp expands its 32 ranks together: their entries are one contiguous run, and lane j writes every 32nd entry of
// it, finding the rank that owns it by a binary search over the lanes' first entries (shuffles). One thread per rank
// writing its own tiles instead stored 32 scattered runs per warp instruction and left the warp to its largest
// rectangle: 0.070 ms at 1M surfels (1.7M entries) on the H100, for 14 MB written.
extern "C" __global__ void binning_pairs(int n, const int* __restrict__ localOffsets,
        const int* __restrict__ blockOffsets, const int* __restrict__ sortedIndex,
        const float4* __restrict__ records, int tilesX, unsigned* __restrict__ pairKeys,
        int* __restrict__ entrySurfel, int* __restrict__ firstEntry, int capacity) {
    const unsigned full = 0xffffffffu;
    int k = blockIdx.x * blockDim.x + threadIdx.x;
    int lane = threadIdx.x & 31;
    if (k - lane >= n) {
        return;  // the whole warp is past the ranks
    }
    bool valid = k < n;
    int first = INT_MAX;
    int count = 0, width = 1, x0 = 0, y0 = 0, i = 0;
    if (valid) {
        first = localOffsets[k] + blockOffsets[k / SCAN_TILE];
        i = sortedIndex != nullptr ? sortedIndex[k] : k;
        firstEntry[i] = first;
        int4 rect = __ldg(reinterpret_cast<const int4*>(records + (size_t) i * (REC_FLOATS / 4)) + REC_RECT / 4);
        int w = rect.z - rect.x;
        int h = rect.w - rect.y;
        if (w > 0 && h > 0) {
            count = w * h;
            width = w;
            x0 = rect.x;
            y0 = rect.y;
        }
    }
    int start = __shfl_sync(full, first, 0);
    int end = __reduce_max_sync(full, valid ? first + count : 0);
    end = min(end, capacity);
    for (int base = start; base < end; base += 32) {
        int e = base + lane;
        // the last lane whose first entry is at or before e owns it (lanes past n hold INT_MAX)
        int owner = 0;
#pragma unroll
        for (int step = 16; step > 0; step >>= 1) {
            if (__shfl_sync(full, first, owner + step) <= e) {
                owner += step;
            }
        }
        int ownerFirst = __shfl_sync(full, first, owner);
        int ownerWidth = __shfl_sync(full, width, owner);
        int ownerX = __shfl_sync(full, x0, owner);
        int ownerY = __shfl_sync(full, y0, owner);
        int ownerSurfel = __shfl_sync(full, i, owner);
        if (e < end) {
            int local = e - ownerFirst;
            int ty = ownerY + local / ownerWidth;
            int tx = ownerX + local % ownerWidth;
            pairKeys[e] = (unsigned) (ty * tilesX + tx);
            entrySurfel[e] = ownerSurfel;
        }
    }
}

// The number of keys to sort: the launch's n, or (count non-null) the device-side total clamped to n, for sorts
// launched before the host knows the total (the grid then covers the buffers' capacity n).
__device__ __forceinline__ int keys_to_sort(int n, const int* count) {
    return count != nullptr ? min(n, max(0, *count)) : n;
}

__device__ __forceinline__ unsigned radix_digit(unsigned key, int shift, unsigned mask) {
    return (key >> shift) & mask;
}

// Radix passes: `bins` digits are counted, 1 << bits in general; fewer when every key's digit is known to be below
// it (the one-pass sort by tile: bins = tiles, 1280 of 2048 at 640x512), which shortens the histogram's rows.
//
// Radix pass, step 1: per-block digit counts, stored digit-major: hist[digit * numBlocks + block].
extern "C" __global__ void binning_radix_upsweep(int n, const unsigned* __restrict__ keys, int shift, int bits,
        int bins, unsigned* __restrict__ hist, int numBlocks, const int* __restrict__ count) {
    n = keys_to_sort(n, count);
    __shared__ unsigned counts[RADIX_MAX_BINS];
    unsigned mask = (1u << bits) - 1u;
    for (int d = threadIdx.x; d < bins; d += RADIX_THREADS) {
        counts[d] = 0;
    }
    __syncthreads();
    int base = blockIdx.x * RADIX_TILE;
    int end = min(n, base + RADIX_TILE);
    for (int i = base + threadIdx.x; i < end; i += RADIX_THREADS) {
        atomicAdd(&counts[radix_digit(keys[i], shift, mask)], 1u);
    }
    __syncthreads();
    for (int d = threadIdx.x; d < bins; d += RADIX_THREADS) {
        hist[(size_t) d * numBlocks + blockIdx.x] = counts[d];
    }
}

// Radix pass, step 2: one warp per digit scans its row across blocks in place (exclusive) and writes the row total.
extern "C" __global__ void binning_radix_spine(unsigned* __restrict__ hist, int numBlocks, int bins,
        unsigned* __restrict__ rowTotals) {
    int warp = threadIdx.x >> 5;
    int lane = threadIdx.x & 31;
    int d = blockIdx.x * (blockDim.x >> 5) + warp;
    if (d >= bins) {
        return;
    }
    unsigned* row = hist + (size_t) d * numBlocks;
    unsigned carry = 0;
    for (int base = 0; base < numBlocks; base += 32) {
        int b = base + lane;
        unsigned v = b < numBlocks ? row[b] : 0u;
        unsigned incl = v;
#pragma unroll
        for (int o = 1; o < 32; o <<= 1) {
            unsigned t = __shfl_up_sync(0xffffffffu, incl, o);
            if (lane >= o) {
                incl += t;
            }
        }
        if (b < numBlocks) {
            row[b] = carry + incl - v;
        }
        carry += __shfl_sync(0xffffffffu, incl, 31);
    }
    if (lane == 0) {
        rowTotals[d] = carry;
    }
}

// Radix pass, step 3 (binning_radix_downsweep): the block sorts its RADIX_TILE keys stably on this
// pass's digit and scatters them: a key of rank r in the block with digit d goes to (start of d over all blocks) +
// (keys of d in earlier blocks, from the scanned histogram hist[d * numBlocks + block]) + (r - first rank of d in
// this block). When the pass sorts by the whole tile index (ranges non-null), block 0 also writes every tile's
// [start, end), which saves zeroing the ranges and the binning_ranges launch. valuesIn null: each key's value is its
// position 0, 1, 2, ... (the first pass: the depth sort's surfel indices, the tile sort's entries, neither stored).
__device__ __forceinline__ void radix_pass(int n, const unsigned* __restrict__ keysIn,
        const int* __restrict__ valuesIn, unsigned* __restrict__ keysOut, int* __restrict__ valuesOut, int shift,
        int bits, int bins, const unsigned* __restrict__ hist, const unsigned* __restrict__ rowTotals, int numBlocks,
        int2* __restrict__ ranges, int rangeCount) {
    const int tile = RADIX_TILE;
    const int block = blockIdx.x;
    typedef cub::BlockLoad<unsigned, RADIX_THREADS, RADIX_ITEMS, cub::BLOCK_LOAD_WARP_TRANSPOSE> LoadKeys;
    typedef cub::BlockLoad<int, RADIX_THREADS, RADIX_ITEMS, cub::BLOCK_LOAD_WARP_TRANSPOSE> LoadValues;
    typedef cub::BlockRadixSort<unsigned, RADIX_THREADS, RADIX_ITEMS, int> Sort;
    typedef cub::BlockScan<unsigned, RADIX_THREADS> Scan;
    __shared__ union {
        typename LoadKeys::TempStorage loadKeys;
        typename LoadValues::TempStorage loadValues;
        typename Sort::TempStorage sort;
        typename Scan::TempStorage scan;
    } temp;
    __shared__ unsigned localCount[RADIX_MAX_BINS];
    __shared__ unsigned scatterBase[RADIX_MAX_BINS];

    unsigned mask = (1u << bits) - 1u;
    int base = block * tile;
    int valid = min(tile, n - base);
    // Blocks past the keys (a grid sized for the capacity) have nothing to do; block 0 always writes the ranges.
    if (valid <= 0 && block != 0) {
        return;
    }
    valid = max(valid, 0);
    for (int d = threadIdx.x; d < RADIX_MAX_BINS; d += RADIX_THREADS) {
        localCount[d] = 0;
    }
    unsigned keys[RADIX_ITEMS];
    int values[RADIX_ITEMS];
    LoadKeys(temp.loadKeys).Load(keysIn + base, keys, valid, 0xffffffffu);
    __syncthreads();
    if (valuesIn != nullptr) {
        LoadValues(temp.loadValues).Load(valuesIn + base, values, valid, 0);
    } else {
        // each key's value is its own position, in the blocked arrangement of the loads
#pragma unroll
        for (int j = 0; j < RADIX_ITEMS; j++) {
            values[j] = base + threadIdx.x * RADIX_ITEMS + j;
        }
    }
    // Blocked arrangement: thread t holds items t * RADIX_ITEMS + j.
#pragma unroll
    for (int j = 0; j < RADIX_ITEMS; j++) {
        if (threadIdx.x * RADIX_ITEMS + j < valid) {
            atomicAdd(&localCount[radix_digit(keys[j], shift, mask)], 1u);
        }
    }
    __syncthreads();

    // Exclusive scans over the bins: first rank of each digit in this block, and first position over all blocks.
    unsigned local[RADIX_BINS_PER_THREAD];
    unsigned global[RADIX_BINS_PER_THREAD];
#pragma unroll
    for (int j = 0; j < RADIX_BINS_PER_THREAD; j++) {
        int d = threadIdx.x * RADIX_BINS_PER_THREAD + j;
        local[j] = d < bins ? localCount[d] : 0u;
        global[j] = d < bins ? rowTotals[d] : 0u;
    }
    Scan(temp.scan).ExclusiveSum(local, local);
    __syncthreads();
    Scan(temp.scan).ExclusiveSum(global, global);
#pragma unroll
    for (int j = 0; j < RADIX_BINS_PER_THREAD; j++) {
        int d = threadIdx.x * RADIX_BINS_PER_THREAD + j;
        if (d < bins) {
            // reduce-then-scan reads the scanned histogram here, not earlier: fewer values live across the scans
            unsigned earlier = hist[(size_t) d * numBlocks + block];
            scatterBase[d] = global[j] + earlier - local[j];
        }
        // A one-pass sort by tile: digit = tile, so the digit's place in the output is the tile's range.
        if (ranges != nullptr && block == 0 && d < rangeCount) {
            unsigned rows = d < bins ? rowTotals[d] : 0u;
            ranges[d] = make_int2((int) global[j], (int) (global[j] + rows));
        }
    }
    __syncthreads();

    // Padding keys (all ones) carry the largest digit and come after every real key: they take ranks >= valid.
    Sort(temp.sort).SortBlockedToStriped(keys, values, shift, shift + bits);
    // Striped: thread t holds ranks j * RADIX_THREADS + t, so the writes of a warp are mostly contiguous.
#pragma unroll
    for (int j = 0; j < RADIX_ITEMS; j++) {
        int r = j * RADIX_THREADS + threadIdx.x;
        if (r < valid) {
            unsigned pos = scatterBase[radix_digit(keys[j], shift, mask)] + (unsigned) r;
            keysOut[pos] = keys[j];
            valuesOut[pos] = values[j];
        }
    }
}

// Radix pass, step 3 (radix_pass).
extern "C" __global__ void __launch_bounds__(RADIX_THREADS) binning_radix_downsweep(int n,
        const unsigned* __restrict__ keysIn, const int* __restrict__ valuesIn, unsigned* __restrict__ keysOut,
        int* __restrict__ valuesOut, int shift, int bits, int bins, const unsigned* __restrict__ hist,
        const unsigned* __restrict__ rowTotals, int numBlocks, int2* __restrict__ ranges, int rangeCount,
        const int* __restrict__ count) {
    radix_pass(keys_to_sort(n, count), keysIn, valuesIn, keysOut, valuesOut, shift, bits, bins, hist, rowTotals,
            numBlocks, ranges, rangeCount);
}

// Tile ranges [start, end) in the tile-sorted entries; ranges must be zeroed before (empty tiles stay 0, 0).
extern "C" __global__ void binning_ranges(int pairs, const unsigned* __restrict__ keys, int2* __restrict__ ranges,
        const int* __restrict__ count) {
    pairs = keys_to_sort(pairs, count);
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= pairs) {
        return;
    }
    unsigned t = keys[i];
    if (i == 0 || keys[i - 1] != t) {
        ranges[t].x = i;
    }
    if (i == pairs - 1 || keys[i + 1] != t) {
        ranges[t].y = i + 1;
    }
}

// Per-tile depth order (DeviceRasterizer.DepthOrder.TILES, the default): the alternative to the
// global depth sort.
// The entries are generated in surfel-index order, the stable sort by tile keeps that order inside each tile, and
// then one block per tile sorts its list stably by the surfels' depth keys: each tile's list comes out in centre-
// depth order with ties by index, the same lists as the global sort gives (and TileBinning), without its nine
// launches over all surfels. Keys are rebased on the tile's smallest (positive floats: the bits order like the
// values), so the sort runs over the bits in which the tile's depths differ, often 20 of 31.
//
// A list of up to TILE_DEPTH_CHUNK entries is sorted in registers by one cub::BlockRadixSort (1, 4 or 8 items per
// thread by length). A longer one (heavy tiles of dense scenes) takes an LSD sort over global memory in 8-bit
// digits: per pass, a digit histogram of the whole list, then its chunks in order, each ranked stably in the block
// and scattered after the chunks before it; keys go through keysA/keysB (free after the tile sort), values through
// spareValues, and back into values at the end.
#define TILE_DEPTH_THREADS 256
#define TILE_DEPTH_ITEMS 8
#define TILE_DEPTH_CHUNK (TILE_DEPTH_THREADS * TILE_DEPTH_ITEMS)
#define TILE_DEPTH_DIGIT_BITS 8
#define TILE_DEPTH_BINS (1 << TILE_DEPTH_DIGIT_BITS)
static_assert(TILE_DEPTH_BINS == TILE_DEPTH_THREADS, "one digit per thread in the long lists' scans");

typedef cub::BlockRadixSort<unsigned, TILE_DEPTH_THREADS, 1, int> TileDepthSort1;
typedef cub::BlockRadixSort<unsigned, TILE_DEPTH_THREADS, 4, int> TileDepthSort4;
typedef cub::BlockRadixSort<unsigned, TILE_DEPTH_THREADS, TILE_DEPTH_ITEMS, int> TileDepthSort8;
typedef cub::BlockScan<unsigned, TILE_DEPTH_THREADS> TileDepthScan;

union TileDepthTemp {
    typename TileDepthSort1::TempStorage sort1;
    typename TileDepthSort4::TempStorage sort4;
    typename TileDepthSort8::TempStorage sort8;
    typename TileDepthScan::TempStorage scan;
};

// The depth key of entry e's surfel (project_forward's key: the float bits of its camera-space depth).
__device__ __forceinline__ unsigned entry_depth_key(const int* __restrict__ entrySurfel,
        const unsigned* __restrict__ depthKeys, int e) {
    return __ldg(depthKeys + __ldg(entrySurfel + e));
}

// The bits in which keys in [lo, hi] differ after rebasing on lo (0: all equal).
__device__ __forceinline__ int tile_depth_bits(unsigned lo, unsigned hi) {
    return hi > lo ? 32 - __clz((int) (hi - lo)) : 0;
}

// A list of at most ITEMS * TILE_DEPTH_THREADS entries, sorted in place in registers.
template <int ITEMS, typename Sort>
__device__ void tile_depth_sort_short(int start, int len, int* values,
        const int* __restrict__ entrySurfel, const unsigned* __restrict__ depthKeys,
        typename Sort::TempStorage& temp, unsigned* range) {
    unsigned keys[ITEMS];
    int vals[ITEMS];
    unsigned lo = 0xffffffffu, hi = 0u;
#pragma unroll
    for (int j = 0; j < ITEMS; j++) {
        int idx = threadIdx.x * ITEMS + j;  // blocked: the sort ranks (thread, item) in this order
        vals[j] = 0;
        keys[j] = 0xffffffffu;
        if (idx < len) {
            vals[j] = values[start + idx];
            keys[j] = entry_depth_key(entrySurfel, depthKeys, vals[j]);
            lo = min(lo, keys[j]);
            hi = max(hi, keys[j]);
        }
    }
    atomicMin(range, lo);
    atomicMax(range + 1, hi);
    __syncthreads();
    lo = range[0];
    int bits = tile_depth_bits(lo, range[1]);
    if (bits == 0) {
        return;  // one depth: the index order is already the order
    }
#pragma unroll
    for (int j = 0; j < ITEMS; j++) {
        // padding stays all ones: in the sorted bits it is at least every real key, and stable after them
        keys[j] = threadIdx.x * ITEMS + j < len ? keys[j] - lo : 0xffffffffu;
    }
    Sort(temp).SortBlockedToStriped(keys, vals, 0, bits);
#pragma unroll
    for (int j = 0; j < ITEMS; j++) {
        int r = j * TILE_DEPTH_THREADS + threadIdx.x;
        if (r < len) {
            values[start + r] = vals[j];
        }
    }
}

// A longer list: LSD passes of TILE_DEPTH_DIGIT_BITS over global memory, chunk by chunk.
__device__ void tile_depth_sort_long(int start, int len, int* values, int* spareValues, unsigned* keysA,
        unsigned* keysB, const int* __restrict__ entrySurfel,
        const unsigned* __restrict__ depthKeys, TileDepthTemp& temp, unsigned* range) {
    __shared__ unsigned offset[TILE_DEPTH_BINS];
    __shared__ unsigned chunkCount[TILE_DEPTH_BINS];
    __shared__ unsigned chunkStart[TILE_DEPTH_BINS];
    unsigned lo = 0xffffffffu, hi = 0u;
    for (int i = threadIdx.x; i < len; i += TILE_DEPTH_THREADS) {
        unsigned k = entry_depth_key(entrySurfel, depthKeys, values[start + i]);
        lo = min(lo, k);
        hi = max(hi, k);
    }
    atomicMin(range, lo);
    atomicMax(range + 1, hi);
    __syncthreads();
    lo = range[0];
    int bits = tile_depth_bits(lo, range[1]);
    int passes = (bits + TILE_DEPTH_DIGIT_BITS - 1) / TILE_DEPTH_DIGIT_BITS;
    const unsigned mask = TILE_DEPTH_BINS - 1;
    for (int p = 0; p < passes; p++) {
        int shift = p * TILE_DEPTH_DIGIT_BITS;
        // pass 0 reads values and gathers the keys; then (keysA, spareValues) and (keysB, values) alternate
        const int* vin = p % 2 == 0 ? values : spareValues;
        int* vout = p % 2 == 0 ? spareValues : values;
        const unsigned* kin = p == 0 ? nullptr : p % 2 == 1 ? keysA : keysB;
        unsigned* kout = p % 2 == 0 ? keysA : keysB;
        chunkCount[threadIdx.x] = 0;
        __syncthreads();
        for (int i = threadIdx.x; i < len; i += TILE_DEPTH_THREADS) {
            unsigned k = kin != nullptr ? kin[start + i] : entry_depth_key(entrySurfel, depthKeys, vin[start + i]) - lo;
            atomicAdd(&chunkCount[(k >> shift) & mask], 1u);
        }
        __syncthreads();
        unsigned c = chunkCount[threadIdx.x];
        TileDepthScan(temp.scan).ExclusiveSum(c, c);
        offset[threadIdx.x] = (unsigned) start + c;
        __syncthreads();
        for (int base = 0; base < len; base += TILE_DEPTH_CHUNK) {
            int valid = min(TILE_DEPTH_CHUNK, len - base);
            unsigned keys[TILE_DEPTH_ITEMS];
            int vals[TILE_DEPTH_ITEMS];
            chunkCount[threadIdx.x] = 0;
            __syncthreads();
#pragma unroll
            for (int j = 0; j < TILE_DEPTH_ITEMS; j++) {
                int idx = threadIdx.x * TILE_DEPTH_ITEMS + j;
                keys[j] = 0xffffffffu;  // padding: digit all ones, ranked after the real keys of that digit
                vals[j] = 0;
                if (idx < valid) {
                    vals[j] = vin[start + base + idx];
                    keys[j] = kin != nullptr ? kin[start + base + idx]
                            : entry_depth_key(entrySurfel, depthKeys, vals[j]) - lo;
                    atomicAdd(&chunkCount[(keys[j] >> shift) & mask], 1u);
                }
            }
            __syncthreads();
            unsigned cc = chunkCount[threadIdx.x];
            TileDepthScan(temp.scan).ExclusiveSum(cc, cc);
            chunkStart[threadIdx.x] = cc;
            __syncthreads();
            TileDepthSort8(temp.sort8).SortBlockedToStriped(keys, vals, shift, shift + TILE_DEPTH_DIGIT_BITS);
#pragma unroll
            for (int j = 0; j < TILE_DEPTH_ITEMS; j++) {
                int r = j * TILE_DEPTH_THREADS + threadIdx.x;
                if (r < valid) {
                    unsigned d = (keys[j] >> shift) & mask;
                    unsigned pos = offset[d] + (unsigned) r - chunkStart[d];
                    kout[pos] = keys[j];
                    vout[pos] = vals[j];
                }
            }
            __syncthreads();
            offset[threadIdx.x] += chunkCount[threadIdx.x];
            __syncthreads();
        }
        // the next pass reads what this one wrote (global memory, same block)
        __threadfence_block();
    }
    if (passes % 2 == 1) {
        for (int i = threadIdx.x; i < len; i += TILE_DEPTH_THREADS) {
            values[start + i] = spareValues[start + i];
        }
    }
}

// One block per tile: the tile's list of entries (values[ranges[t].x .. ranges[t].y), in index order after the
// stable tile sort) in place into depth order; lists of at most skipUpTo entries are left to the warp kernel.
__device__ __forceinline__ void tile_depth_sort(const int2* __restrict__ ranges, int* values, int* spareValues,
        unsigned* keysA, unsigned* keysB, const int* __restrict__ entrySurfel, const unsigned* __restrict__ depthKeys,
        int skipUpTo) {
    __shared__ TileDepthTemp temp;
    __shared__ unsigned range[2];
    int2 r = ranges[blockIdx.x];
    int len = r.y - r.x;
    if (len <= max(1, skipUpTo)) {
        return;  // nothing to order, or binning_tile_depth_sort_warp's
    }
    if (threadIdx.x == 0) {
        range[0] = 0xffffffffu;
        range[1] = 0u;
    }
    __syncthreads();
    if (len <= TILE_DEPTH_THREADS) {
        tile_depth_sort_short<1, TileDepthSort1>(r.x, len, values, entrySurfel, depthKeys, temp.sort1, range);
    } else if (len <= 4 * TILE_DEPTH_THREADS) {
        tile_depth_sort_short<4, TileDepthSort4>(r.x, len, values, entrySurfel, depthKeys, temp.sort4, range);
    } else if (len <= TILE_DEPTH_CHUNK) {
        tile_depth_sort_short<TILE_DEPTH_ITEMS, TileDepthSort8>(r.x, len, values, entrySurfel, depthKeys,
                temp.sort8, range);
    } else {
        tile_depth_sort_long(r.x, len, values, spareValues, keysA, keysB, entrySurfel, depthKeys, temp, range);
    }
}

// Built for 3 resident blocks per SM (73 registers on sm_90). A build for 4 (64 registers, a few spilled in the
// long-list path) was no faster on the H100 (run 9) and is gone.
extern "C" __global__ void __launch_bounds__(TILE_DEPTH_THREADS) binning_tile_depth_sort(
        const int2* __restrict__ ranges, int* values, int* spareValues, unsigned* keysA, unsigned* keysB,
        const int* __restrict__ entrySurfel, const unsigned* __restrict__ depthKeys, int skipUpTo) {
    tile_depth_sort(ranges, values, spareValues, keysA, keysB, entrySurfel, depthKeys, skipUpTo);
}

// Short lists, one warp each (-Dd2dgs.raster.tileDepthWarp=on): a list of at most TILE_DEPTH_WARP_MAX entries is
// sorted in registers by a bitonic network over 64-bit keys (depth key, list position): the positions make every
// key distinct, so the ascending order is the stable one. Lane l holds positions 8 l .. 8 l + 7: pairs closer than 8
// apart meet within a lane, the others through one 64-bit shuffle. No block barrier, and four tiles per block.
// binning_tile_depth_sort then skips these tiles and sorts the longer lists.
#define TILE_DEPTH_WARP_ITEMS 8
#define TILE_DEPTH_WARP_MAX (32 * TILE_DEPTH_WARP_ITEMS)
#define TILE_DEPTH_WARPS 4

// Orders the pair (a, b), a at the lower position: ascending when up.
__device__ __forceinline__ void bitonic_order(unsigned long long& a, unsigned long long& b, bool up) {
    unsigned long long lo = a < b ? a : b;
    unsigned long long hi = a < b ? b : a;
    a = up ? lo : hi;
    b = up ? hi : lo;
}

extern "C" __global__ void __launch_bounds__(TILE_DEPTH_WARPS * 32) binning_tile_depth_sort_warp(int tiles,
        const int2* __restrict__ ranges, int* values, const int* __restrict__ entrySurfel,
        const unsigned* __restrict__ depthKeys) {
    __shared__ int original[TILE_DEPTH_WARPS][TILE_DEPTH_WARP_MAX];
    const unsigned full = 0xffffffffu;
    int warp = threadIdx.x >> 5;
    int lane = threadIdx.x & 31;
    int tile = blockIdx.x * TILE_DEPTH_WARPS + warp;
    if (tile >= tiles) {
        return;
    }
    int2 r = ranges[tile];
    int len = r.y - r.x;
    if (len <= 1 || len > TILE_DEPTH_WARP_MAX) {
        return;  // whole warps leave together: len is the warp's
    }
    unsigned long long k[TILE_DEPTH_WARP_ITEMS];
#pragma unroll
    for (int e = 0; e < TILE_DEPTH_WARP_ITEMS; e++) {
        int idx = lane * TILE_DEPTH_WARP_ITEMS + e;
        k[e] = ~0ull;  // padding: after every real key
        if (idx < len) {
            int v = values[r.x + idx];
            original[warp][idx] = v;
            k[e] = ((unsigned long long) entry_depth_key(entrySurfel, depthKeys, v) << 32) | (unsigned) idx;
        }
    }
#pragma unroll
    for (int size = 2; size <= TILE_DEPTH_WARP_MAX; size <<= 1) {
#pragma unroll
        for (int stride = size >> 1; stride > 0; stride >>= 1) {
            if (stride >= TILE_DEPTH_WARP_ITEMS) {
                int laneMask = stride / TILE_DEPTH_WARP_ITEMS;
                bool lower = (lane & laneMask) == 0;
#pragma unroll
                for (int e = 0; e < TILE_DEPTH_WARP_ITEMS; e++) {
                    unsigned long long other = __shfl_xor_sync(full, k[e], laneMask);
                    bool up = ((lane * TILE_DEPTH_WARP_ITEMS + e) & size) == 0;
                    unsigned long long lo = k[e] < other ? k[e] : other;
                    unsigned long long hi = k[e] < other ? other : k[e];
                    k[e] = lower == up ? lo : hi;
                }
            } else {
#pragma unroll
                for (int e = 0; e < TILE_DEPTH_WARP_ITEMS; e++) {
                    if ((e & stride) == 0) {
                        bitonic_order(k[e], k[e | stride], ((lane * TILE_DEPTH_WARP_ITEMS + e) & size) == 0);
                    }
                }
            }
        }
    }
    __syncwarp();
#pragma unroll
    for (int e = 0; e < TILE_DEPTH_WARP_ITEMS; e++) {
        int idx = lane * TILE_DEPTH_WARP_ITEMS + e;
        if (idx < len) {
            values[r.x + idx] = original[warp][(unsigned) k[e]];
        }
    }
}

// Heavy tiles first (tile_order.cuh, RenderTuning.tileOrderHeavy): one block writes order[0, tiles), a permutation of
// the tiles by bucket of their entry count, heaviest first (counting sort: shared histogram, scan, scatter with shared
// atomics, so the order within a bucket varies from run to run; no output depends on it). After the ranges.
#define TILE_ORDER_THREADS 256
static_assert(TILE_ORDER_BUCKETS <= TILE_ORDER_THREADS, "one bucket per thread in the scan");

extern "C" __global__ void __launch_bounds__(TILE_ORDER_THREADS) binning_tile_order(int tiles,
        const int2* __restrict__ ranges, int* __restrict__ order) {
    typedef cub::BlockScan<int, TILE_ORDER_THREADS> Scan;
    __shared__ typename Scan::TempStorage temp;
    __shared__ int cursor[TILE_ORDER_BUCKETS];
    if (threadIdx.x < TILE_ORDER_BUCKETS) {
        cursor[threadIdx.x] = 0;
    }
    __syncthreads();
    for (int t = threadIdx.x; t < tiles; t += TILE_ORDER_THREADS) {
        int2 r = ranges[t];
        atomicAdd(&cursor[tile_order_bucket(r.y - r.x)], 1);
    }
    __syncthreads();
    int c = threadIdx.x < TILE_ORDER_BUCKETS ? cursor[threadIdx.x] : 0;
    Scan(temp).ExclusiveSum(c, c);
    // each thread rewrites only the slot it read
    if (threadIdx.x < TILE_ORDER_BUCKETS) {
        cursor[threadIdx.x] = c;
    }
    __syncthreads();
    for (int t = threadIdx.x; t < tiles; t += TILE_ORDER_THREADS) {
        int2 r = ranges[t];
        order[atomicAdd(&cursor[tile_order_bucket(r.y - r.x)], 1)] = t;
    }
}

// Benchmark only: one thread spins for `cycles` clocks, so that the host queues a whole forward (or backward) behind
// it; CUDA events between the stages then time the GPU work alone, not the host's launch pace
// (DeviceRasterizer.queueAheadWhenTiming, RasterBench's "GPU only" stage rows).
extern "C" __global__ void binning_spin(long long cycles) {
    long long start = clock64();
    while (clock64() - start < cycles) {
    }
}
