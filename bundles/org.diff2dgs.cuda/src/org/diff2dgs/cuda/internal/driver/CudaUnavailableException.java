package org.diff2dgs.cuda.internal.driver;

/**
 * CUDA cannot be used on this machine: no driver library, no device, a driver too old for the shipped kernels, or
 * kernels missing. The message is one sentence a user can act on; the backend shows it as its unavailable reason.
 */
public class CudaUnavailableException extends CudaException {

    private static final long serialVersionUID = 1L;

    public CudaUnavailableException(String message) {
        super(message);
    }

    public CudaUnavailableException(String message, String resultName, Throwable cause) {
        super(message, resultName, cause);
    }
}
