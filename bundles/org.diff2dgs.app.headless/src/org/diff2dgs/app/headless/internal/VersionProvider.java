package org.diff2dgs.app.headless.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import picocli.CommandLine.IVersionProvider;

/** The version is the bundle's own, so a build stamps it once. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        Bundle b = FrameworkUtil.getBundle(VersionProvider.class);
        String v = b == null ? "development" : b.getVersion().toString();
        return new String[] {"d2dgs " + v, "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
