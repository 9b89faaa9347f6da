package org.diff2dgs.splat.internal;

/**
 * What {@link CpuRasterizer#forward} leaves in {@code RenderOutput.saved}: the owning rasterizer's workspace and the
 * generation that filled it. The workspace is reused by the next forward, after which this state is stale.
 */
record SavedRender(CpuRasterizer owner, Workspace workspace, long generation) {
}
