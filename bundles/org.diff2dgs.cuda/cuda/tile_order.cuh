// Heavy tiles first (binning_tile_order in binning.cu, RenderTuning.tileOrderHeavy): the render kernels' blocks take
// their tile from a per-frame order in which the tiles with the most (tile, surfel) entries come first. Blocks start
// roughly in blockIdx order, so the longest tiles start in the first wave and the short ones fill the tail of the
// last wave (longest-processing-time-first list scheduling). The order only moves which block renders a tile: each
// tile's output depends on its own list alone, so images are bit-identical and the backward's per-entry slots too.
//
// Buckets by the entry count on a quarter-octave scale: level = 4 floor(log2 c) + the two bits after the leading one
// (tiles within a bucket differ by at most a factor 2^(1/4) = 1.19); bucket 0 is the heaviest level, empty tiles go
// to the last bucket. Order within a bucket is unspecified (the device scatters with shared atomics).
//
// Plain C as well as CUDA: the CPU stand-in driver of the host-layer tests (tests/org.diff2dgs.cuda.tests/mock/
// stand_in_driver.c) runs this very bucket function; Java twin: org.diff2dgs.cuda.internal.raster.TileOrder.
#ifndef TILE_ORDER_CUH
#define TILE_ORDER_CUH

#define TILE_ORDER_LEVELS 128
#define TILE_ORDER_BUCKETS (TILE_ORDER_LEVELS + 1)

#ifdef __CUDACC__
#define TILE_ORDER_FN __device__ __forceinline__
#define TILE_ORDER_CLZ(x) __clz(x)
#else
#define TILE_ORDER_FN static inline
#define TILE_ORDER_CLZ(x) __builtin_clz((unsigned) (x))
#endif

// The bucket of a tile with `count` entries: 0 for the heaviest (2^31 - 1 entries), TILE_ORDER_BUCKETS - 1 for none.
TILE_ORDER_FN int tile_order_bucket(int count)
{
    if (count <= 0) {
        return TILE_ORDER_BUCKETS - 1;
    }
    int e = 31 - TILE_ORDER_CLZ(count);
    // the two bits after the leading one (zeros below 4 entries)
    int frac = e >= 2 ? (count >> (e - 2)) & 3 : (count << (2 - e)) & 3;
    return TILE_ORDER_LEVELS - 1 - (4 * e + frac);
}

#endif
