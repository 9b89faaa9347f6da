/*
 * A CPU-only stand-in for the few CUDA driver entry points the native-loading test calls, built as libcuda.so.1 so
 * that libJCudaDriver (which links libcuda.so.1) can be loaded and called on machines without an NVIDIA driver (CI).
 * Functions the test does not call stay unresolved: JNI libraries are bound lazily.
 * On a GPU machine the real driver is found first and this file is not used.
 */
#include <stdio.h>

typedef int CUresult;
enum { CU_OK = 0, CU_NOT_INITIALIZED = 3, CU_INVALID_DEVICE = 101 };

static int ready;

CUresult cuInit(unsigned int flags) { (void)flags; ready = 1; return CU_OK; }
CUresult cuDriverGetVersion(int *version) { *version = 13000; return CU_OK; }
CUresult cuDeviceGetCount(int *count) { if (!ready) return CU_NOT_INITIALIZED; *count = 1; return CU_OK; }
CUresult cuDeviceGet(int *device, int ordinal) {
    if (!ready) return CU_NOT_INITIALIZED;
    if (ordinal != 0) return CU_INVALID_DEVICE;
    *device = 0;
    return CU_OK;
}
CUresult cuDeviceGetName(char *name, int length, int device) {
    (void)device;
    snprintf(name, (size_t)length, "stand-in driver (no GPU)");
    return CU_OK;
}
CUresult cuGetErrorName(CUresult error, const char **text) {
    static char buffer[48];
    snprintf(buffer, sizeof buffer, "CUDA_ERROR_%d", error);
    *text = buffer;
    return CU_OK;
}
CUresult cuGetErrorString(CUresult error, const char **text) { return cuGetErrorName(error, text); }
