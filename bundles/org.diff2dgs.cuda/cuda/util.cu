// Small building blocks for the host code: fill, axpy and a deterministic two-pass sum.
// Device code only; every kernel is extern "C" with the prefix util_ (see docs/decisions/0005-cuda-kernels.md).

// Threads of a block: the host launches these kernels with UTIL_BLOCK threads.
#define UTIL_BLOCK 256

extern "C" __global__ void util_fill_f32(float* __restrict__ x, float value, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        x[i] = value;
    }
}

// y = a * x + y
extern "C" __global__ void util_axpy_f32(float a, const float* __restrict__ x, float* __restrict__ y, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        y[i] = fmaf(a, x[i], y[i]);
    }
}

// Sum of the block's values, valid in thread 0. Warp shuffles, then one shared slot per warp: a fixed tree, so the
// result does not depend on scheduling (no atomics), which keeps parity runs repeatable.
__device__ float util_block_sum(float v) {
    __shared__ float warp_sums[32];
    const unsigned lane = threadIdx.x & 31u;
    const unsigned warp = threadIdx.x >> 5;
    for (int offset = 16; offset > 0; offset >>= 1) {
        v += __shfl_down_sync(0xffffffffu, v, offset);
    }
    if (lane == 0) {
        warp_sums[warp] = v;
    }
    __syncthreads();
    const unsigned warps = (blockDim.x + 31u) >> 5;
    v = threadIdx.x < warps ? warp_sums[threadIdx.x] : 0.0f;
    if (warp == 0) {
        for (int offset = 16; offset > 0; offset >>= 1) {
            v += __shfl_down_sync(0xffffffffu, v, offset);
        }
    }
    return v;
}

// partials[blockIdx.x] = sum of the block's grid-stride slice of x. Run again on the partials with one block to
// finish the sum (the host does both launches).
extern "C" __global__ void util_sum_partials_f32(const float* __restrict__ x, int n, float* __restrict__ partials) {
    float v = 0.0f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        v += x[i];
    }
    v = util_block_sum(v);
    if (threadIdx.x == 0) {
        partials[blockIdx.x] = v;
    }
}
