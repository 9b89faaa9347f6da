package org.diff2dgs.app.headless.tests;

import org.diff2dgs.core.api.ServiceCatalog;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/** Waits for the DS-provided catalog in the running test framework. */
final class Services {

    private Services() {
    }

    static ServiceCatalog catalog() throws InterruptedException {
        BundleContext bc = FrameworkUtil.getBundle(Services.class).getBundleContext();
        ServiceTracker<ServiceCatalog, ServiceCatalog> t = new ServiceTracker<>(bc, ServiceCatalog.class, null);
        t.open();
        ServiceCatalog c = t.waitForService(20_000);
        if (c == null) {
            throw new AssertionError("ServiceCatalog not registered: is org.apache.felix.scr started?");
        }
        return c;
    }
}
