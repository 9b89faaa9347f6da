package org.diff2dgs.cuda.internal.driver;

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

    /** The driver's kernelParams: a pointer to an array of pointers to each value. */
    static Pointer pack(Object... args) {
        Kind[] kinds = kinds(args);
        Pointer[] slots = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            slots[i] = switch (kinds[i]) {
                case POINTER -> a == null ? Pointer.to(new long[] {0L})
                        : Pointer.to(a instanceof DeviceBuffer b ? b.pointer() : (CUdeviceptr) a);
                case INT -> Pointer.to(new int[] {(Integer) a});
                case LONG -> Pointer.to(new long[] {(Long) a});
                case FLOAT -> Pointer.to(new float[] {(Float) a});
                case DOUBLE -> Pointer.to(new double[] {(Double) a});
            };
        }
        return Pointer.to(slots);
    }
}
