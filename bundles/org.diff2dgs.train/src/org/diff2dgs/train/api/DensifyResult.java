package org.diff2dgs.train.api;

/**
 * What one density control did.
 *
 * @param surfels surfels after it
 * @param cloned  small surfels copied
 * @param split   large surfels replaced by two children each
 * @param pruned  surfels removed
 */
public record DensifyResult(int surfels, int cloned, int split, int pruned) {
}
