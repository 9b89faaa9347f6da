package org.diff2dgs.cuda.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.diff2dgs.cuda.internal.train.Deformation;
import org.diff2dgs.cuda.internal.train.DensifyKernels;
import org.diff2dgs.cuda.internal.train.Launch;
import org.diff2dgs.cuda.internal.train.LossScalars;
import org.diff2dgs.cuda.internal.train.Losses;
import org.junit.jupiter.api.Test;

/**
 * Host-side bookkeeping of the training kernels: launch geometry, the constants the wrappers share with the .cu
 * sources, and the decoding of the device's double scalars.
 */
class TrainLaunchTest {

    @Test
    void blocksCoverEveryItem() {
        assertEquals(1, Launch.blocks(0, 256));
        assertEquals(1, Launch.blocks(256, 256));
        assertEquals(2, Launch.blocks(257, 256));
        assertEquals(Launch.MAX_GRID, Launch.strideBlocks(1L << 40, 256));
        assertThrows(IllegalArgumentException.class, () -> Launch.blocks(1L << 45, 1));
        assertEquals(4, DensifyKernels.tiles(3 * DensifyKernels.SCAN_TILE + 1));
    }

    /**
     * deform.cu runs one warp per (surfel, channel) row: a warp past the last row returns as a whole and the rows'
     * ballots and shuffles name all 32 lanes, so the block must hold whole warps and the grid must reach every row,
     * also where 9 x 32 threads per surfel pass 2^31 (7.5 million surfels).
     */
    @Test
    void deformationGridIsWholeWarpsOverEveryRow() {
        assertEquals(0, Launch.BLOCK % 32);
        for (int n : new int[] {1, 7, 20_011, 1_000_000, 7_456_541, 7_456_541 + 1, 50_000_003}) {
            long rows = (long) n * Deformation.CHANNELS;
            assertEquals(32 * rows, Deformation.rowThreads(n), n + " surfels");
            long threads = (long) Deformation.grid(n) * Launch.BLOCK;
            assertTrue(threads >= 32 * rows && threads - Launch.BLOCK < 32 * rows, n + " surfels: " + threads
                    + " threads for " + rows + " rows");
        }
    }

    @Test
    void constantsAgreeWithTheSources() throws Exception {
        String losses = Files.readString(CudaBundleFiles.bundle().resolve("cuda/losses.cu"));
        assertEquals(Losses.THREADS, define(losses, "LOSS_THREADS"));
        assertEquals(Losses.BLOCKS, define(losses, "LOSS_BLOCKS"));
        assertEquals(LossScalars.QUANTITIES, define(losses, "LOSS_QUANTITIES"));
        assertEquals(LossScalars.COUNT, define(losses, "LOSS_SCALARS"));
        assertEquals(LossScalars.L1, define(losses, "S_L1_VALUE"));
        assertEquals(LossScalars.PSNR, define(losses, "S_PSNR"));
        assertEquals(LossScalars.DEPTH, define(losses, "S_DEPTH_VALUE"));
        assertEquals(LossScalars.DEPTH_GRADIENT_SCALE, define(losses, "S_DEPTH_SCALE"));
        assertEquals(LossScalars.DEPTH_WEIGHT, define(losses, "S_DEPTH_WEIGHT"));
        assertEquals(LossScalars.SSIM, define(losses, "S_SSIM_VALUE"));
        assertEquals(LossScalars.NORMAL, define(losses, "S_NORMAL_VALUE"));
        assertEquals(LossScalars.DISTORTION, define(losses, "S_DISTORTION_VALUE"));
        assertEquals(LossScalars.L1_SUM, define(losses, "Q_L1"));
        assertEquals(LossScalars.SSIM_SUM, define(losses, "Q_SSIM"));
        assertEquals(LossScalars.DISTORTION_SUM, define(losses, "Q_DISTORTION"));
        String densify = Files.readString(CudaBundleFiles.bundle().resolve("cuda/densify.cu"));
        assertEquals(DensifyKernels.SCAN_THREADS, define(densify, "SCAN_THREADS"));
        assertEquals(DensifyKernels.SCAN_TILE, define(densify, "SCAN_THREADS") * define(densify, "SCAN_ITEMS"));
    }

    private static int define(String source, String name) {
        Matcher m = Pattern.compile("#define\\s+" + name + "\\s+(\\d+)").matcher(source);
        if (!m.find()) {
            throw new AssertionError("no #define " + name);
        }
        return Integer.parseInt(m.group(1));
    }

    @Test
    void scalarsDecodeFromLittleEndianWords() {
        double[] values = {1.5, -2.25e-300, Double.MAX_VALUE, 0.1, Double.NaN};
        ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            bytes.putDouble(v);
        }
        bytes.flip();
        int[] words = new int[2 * values.length];
        bytes.asIntBuffer().get(words);
        assertArrayEquals(values, LossScalars.fromWords(words));
    }

    @Test
    void splitShrinkIsTheDensifiersFloat() {
        assertEquals((float) Math.log(1.6), DensifyKernels.SPLIT_SHRINK);
    }
}
