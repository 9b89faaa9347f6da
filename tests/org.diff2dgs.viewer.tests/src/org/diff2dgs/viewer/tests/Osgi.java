package org.diff2dgs.viewer.tests;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/** Services of the running test framework, as DS provides them. */
final class Osgi {

    private Osgi() {
    }

    static <T> T service(Class<T> type) {
        BundleContext bc = FrameworkUtil.getBundle(Osgi.class).getBundleContext();
        ServiceTracker<T, T> t = new ServiceTracker<>(bc, type, null);
        t.open();
        try {
            T s = t.waitForService(20_000);
            if (s == null) {
                throw new AssertionError(type.getName() + " not registered");
            }
            return s;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
