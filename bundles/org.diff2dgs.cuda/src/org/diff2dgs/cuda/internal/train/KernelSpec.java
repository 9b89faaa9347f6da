package org.diff2dgs.cuda.internal.train;

import java.util.Arrays;
import java.util.List;

import org.diff2dgs.cuda.internal.driver.CudaContext;
import org.diff2dgs.cuda.internal.driver.KernelArguments;
import org.diff2dgs.cuda.internal.driver.KernelArguments.Kind;

/**
 * A kernel's name and the C types of its parameters, as the wrapper passes them. The driver takes any argument list
 * and a wrong one (an int where the kernel reads a long long, a missing pointer) corrupts memory silently, so every
 * launch is checked against the spec here, and a test checks every spec against the signature in the .cu source.
 */
public record KernelSpec(String name, List<Kind> parameters) {

    public static final Kind P = Kind.POINTER;
    public static final Kind I = Kind.INT;
    public static final Kind L = Kind.LONG;
    public static final Kind F = Kind.FLOAT;
    public static final Kind D = Kind.DOUBLE;

    public KernelSpec {
        parameters = List.copyOf(parameters);
    }

    public static KernelSpec of(String name, Kind... parameters) {
        return new KernelSpec(name, Arrays.asList(parameters));
    }

    /** Queues a one-dimensional launch after checking the arguments against the spec. */
    public void launch(CudaContext cuda, int grid, int block, Object... args) {
        check(args);
        cuda.kernel(name).launch(grid, 1, 1, block, 1, 1, 0, args);
    }

    /** Throws when the argument list does not fit the parameter list. */
    public void check(Object... args) {
        List<Kind> actual = Arrays.asList(KernelArguments.kinds(args));
        if (!actual.equals(parameters)) {
            throw new IllegalArgumentException("kernel " + name + " takes " + parameters + " but was given " + actual);
        }
    }
}
