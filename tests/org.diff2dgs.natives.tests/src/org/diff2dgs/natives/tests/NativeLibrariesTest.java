package org.diff2dgs.natives.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Every native library of the product loads from its OSGi bundle: natives live in fragments of the wrapped Java
 * bundles (JCuda, LWJGL), ONNX Runtime extracts its own from its jar, DJL needs its engine registered explicitly.
 */
class NativeLibrariesTest {

    @Test
    void lwjglLoadsItsNativeFromTheFragment() {
        ByteBuffer b = org.lwjgl.system.MemoryUtil.memAlloc(256);
        try {
            int value = new Random(7).nextInt();
            b.putInt(12, value);
            assertEquals(value, b.getInt(12));
            assertNotEquals(0L, org.lwjgl.system.MemoryUtil.memAddress(b));
        } finally {
            org.lwjgl.system.MemoryUtil.memFree(b);
        }
        assertTrue(org.lwjgl.Version.getVersion().startsWith("3.4.3"), org.lwjgl.Version.getVersion());
    }

    @Test
    void jcudaDriverLoadsAndCallsTheDriver() {
        // libJCudaDriver links libcuda.so.1: the GPU machine has the real one; elsewhere the build compiles a
        // stand-in (mock/cuda_stub_driver.c) and puts it on LD_LIBRARY_PATH of the test JVM.
        jcuda.driver.JCudaDriver.setExceptionsEnabled(true);
        assertEquals(0, jcuda.driver.JCudaDriver.cuInit(0));
        int[] count = {-1};
        jcuda.driver.JCudaDriver.cuDeviceGetCount(count);
        assertTrue(count[0] >= 1, "devices: " + count[0]);
        jcuda.driver.CUdevice device = new jcuda.driver.CUdevice();
        jcuda.driver.JCudaDriver.cuDeviceGet(device, 0);
        byte[] name = new byte[128];
        jcuda.driver.JCudaDriver.cuDeviceGetName(name, name.length, device);
        String deviceName = new String(name).trim();
        assertFalse(deviceName.isEmpty());
        System.out.println("JCuda driver loaded inside OSGi; device 0: " + deviceName);
    }

    @Test
    void onnxRuntimeLoadsItsCpuNatives() {
        var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        assertTrue(ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CPU));
        assertFalse(env.getVersion().isEmpty());
    }

    @Test
    void djlRunsOnTheOnnxRuntimeEngine() {
        // ServiceLoader cannot see across bundles: the engine provider is registered explicitly (as our LPIPS
        // metric does).
        ai.djl.engine.Engine.registerEngine(new ai.djl.onnxruntime.engine.OrtEngineProvider());
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("OnnxRuntime");
        assertEquals("OnnxRuntime", engine.getEngineName());
        float[] values = new float[5];
        Random r = new Random(11);
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextFloat();
        }
        try (ai.djl.ndarray.NDManager m = engine.newBaseManager()) {
            assertArrayEquals(values, m.create(values).toFloatArray());
        }
    }
}
