package org.diff2dgs.cuda.internal.driver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * Boxed kernel arguments to the driver's parameter array (one pointer per parameter, each pointing at the value).
 * The Java types map to the C types of the kernel's signature: DeviceBuffer/null -> pointer, Integer -> int,
 * Long -> long long, Float -> float, Double -> double.
 */
public final class KernelArguments {

    /** The C type a boxed argument becomes. */
    public enum Kind {
        POINTER, INT, LONG, FLOAT, DOUBLE
    }

    /**
     * One thread's scalar slots, reused by every launch of that thread: cuLaunchKernel copies the parameter values
     * before it returns, so the next launch may overwrite them.
     */
    private record ScalarSlots(ByteBuffer values, Pointer base) {
        ScalarSlots(int bytes) {
            this(ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder()));
        }

        private ScalarSlots(ByteBuffer values) {
            this(values, Pointer.to(values));
        }
    }

    private static final ThreadLocal<ScalarSlots> SCALARS = ThreadLocal.withInitial(() -> new ScalarSlots(8 * 64));

    private KernelArguments() {
    }

    /** The kind of argument {@code index}; anything else (a host array, a Short, a freed buffer) is refused. */
    public static Kind kind(Object arg, int index) {
        if (arg == null || arg instanceof CUdeviceptr) {
            return Kind.POINTER;
        }
        if (arg instanceof DeviceBuffer b) {
            if (b.isClosed()) {
                throw new IllegalArgumentException("kernel argument " + index + ": device buffer '" + b.what()
                        + "' was already freed");
            }
            return Kind.POINTER;
        }
        if (arg instanceof Integer) {
            return Kind.INT;
        }
        if (arg instanceof Long) {
            return Kind.LONG;
        }
        if (arg instanceof Float) {
            return Kind.FLOAT;
        }
        if (arg instanceof Double) {
            return Kind.DOUBLE;
        }
        throw new IllegalArgumentException("kernel argument " + index + " has type " + arg.getClass().getName()
                + ": use DeviceBuffer, Integer, Long, Float or Double (host arrays must be uploaded first)");
    }

    /** The kinds of all arguments, in order (what {@link #pack} will pass). */
    public static Kind[] kinds(Object... args) {
        Kind[] kinds = new Kind[args.length];
        for (int i = 0; i < args.length; i++) {
            kinds[i] = kind(args[i], i);
        }
        return kinds;
    }

    /**
     * The driver's kernelParams: a pointer to an array of pointers to each value. Scalars (and null pointers) sit in
     * one direct buffer per thread, 8 bytes per argument, and their slots point into it: the JNI side resolves them
     * from the buffer's address instead of pinning one small Java array per scalar (the launch is on the path of
     * every kernel, about a hundred per training iteration).
     */
    static Pointer pack(Object... args) {
        Kind[] kinds = kinds(args);
        ScalarSlots scalars = SCALARS.get();
        if (scalars.values.capacity() < 8 * args.length) {
            scalars = new ScalarSlots(8 * args.length);
            SCALARS.set(scalars);
        }
        ByteBuffer values = scalars.values;
        Pointer base = scalars.base;
        Pointer[] slots = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            int at = 8 * i;
            if (kinds[i] == Kind.POINTER && a != null) {
                // JCuda reads a device pointer's value from the object itself
                slots[i] = Pointer.to(a instanceof DeviceBuffer b ? b.pointer() : (CUdeviceptr) a);
                continue;
            }
            switch (kinds[i]) {
                case POINTER -> values.putLong(at, 0L);
                case INT -> values.putInt(at, (Integer) a);
                case LONG -> values.putLong(at, (Long) a);
                case FLOAT -> values.putFloat(at, (Float) a);
                case DOUBLE -> values.putDouble(at, (Double) a);
            }
            slots[i] = base.withByteOffset(at);
        }
        return Pointer.to(slots);
    }
}
