package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.diff2dgs.cuda.internal.driver.CudaOutOfMemoryException;
import org.junit.jupiter.api.Test;

/** An allocation that does not fit says what it was for, how much was asked, and what the device had free. */
class OutOfMemoryMessageTest {

    @Test
    void messageNamesWhatSizeAndFreeMemory() {
        long asked = 3L * 1024 * 1024 * 1024 / 2;
        CudaOutOfMemoryException e = new CudaOutOfMemoryException("surfel positions", asked, 200L << 20, 79L << 30);
        assertEquals("out of GPU memory allocating surfel positions: asked 1.5 GB (1610612736 bytes), free 200 MB"
                + " of 79 GB", e.getMessage());
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.resultName());
        assertEquals(asked, e.bytesAsked());
    }

    @Test
    void unknownFreeMemoryIsSaidSo() {
        assertEquals("out of GPU memory allocating tile keys: asked 812 bytes (812 bytes), free memory unknown",
                CudaOutOfMemoryException.message("tile keys", 812, -1, 16L << 30));
    }
}
