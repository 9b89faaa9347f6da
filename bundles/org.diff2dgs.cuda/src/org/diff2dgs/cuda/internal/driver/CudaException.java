package org.diff2dgs.cuda.internal.driver;

/**
 * A CUDA driver call failed. The message names the call and the driver's result (e.g. CUDA_ERROR_ILLEGAL_ADDRESS);
 * {@link #resultName()} keeps the result name for code that reacts to a specific failure.
 */
public class CudaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String resultName;

    public CudaException(String message) {
        this(message, null, null);
    }

    public CudaException(String message, String resultName, Throwable cause) {
        super(message, cause);
        this.resultName = resultName;
    }

    /** The driver's result name (CUresult), or null when the failure did not come from a driver call. */
    public String resultName() {
        return resultName;
    }
}
