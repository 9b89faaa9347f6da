package org.diff2dgs.viewer.api;

/** What the splats show: their colour, their distance to the eye, or their surface normal in camera space. */
public enum ViewMode {
    COLOR, DEPTH, NORMAL
}
