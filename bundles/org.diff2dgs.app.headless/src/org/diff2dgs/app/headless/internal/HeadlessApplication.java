package org.diff2dgs.app.headless.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.diff2dgs.core.api.ServiceCatalog;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Equinox entry point of the headless product (`d2dgs`). Installs lab extension bundles, waits for the service
 * catalog, runs one command and returns its exit code. Ctrl-C asks the running work to stop at its next safe point
 * (a checkpoint), and the JVM waits for that before exiting.
 */
public class HeadlessApplication implements IApplication {

    private static final long SERVICE_WAIT_MS = 20_000;
    private static final long CANCEL_GRACE_SECONDS = 60;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        if (args == null) {
            args = new String[0];
        }
        context.applicationRunning();
        BundleContext bc = FrameworkUtil.getBundle(getClass()).getBundleContext();
        int installed = new ExtensionInstaller(bc, System.err).installAll();
        ServiceTracker<ServiceCatalog, ServiceCatalog> tracker = new ServiceTracker<>(bc, ServiceCatalog.class, null);
        tracker.open();
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                finished.await(CANCEL_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "d2dgs-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        UncaughtErrors threadErrors = new UncaughtErrors(System.err);
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(threadErrors);
        try {
            ServiceCatalog catalog = tracker.waitForService(SERVICE_WAIT_MS);
            if (catalog == null) {
                System.err.println("d2dgs: internal error: the service catalog did not start (is org.apache.felix.scr "
                        + "in the product and started?)");
                return Integer.valueOf(Cli.INTERNAL_ERROR);
            }
            if (installed > 0) {
                // give DS a moment to activate components of freshly started extension bundles
                Thread.sleep(200);
            }
            int code = new Cli(catalog, System.out, System.err, cancelled, System.console() != null, threadErrors)
                    .execute(args);
            System.out.flush();
            return Integer.valueOf(code);
        } catch (Throwable e) {
            // Equinox would log an error leaving start() to a file and exit with 0: never end like that
            System.err.println("d2dgs: internal error: " + e);
            return Integer.valueOf(e instanceof OutOfMemoryError ? Cli.USER_ERROR : Cli.INTERNAL_ERROR);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
            finished.countDown();
            tracker.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running because of Ctrl-C; it returns now that the work has finished
            }
        }
    }

    @Override
    public void stop() {
        // commands end on their own; cancellation goes through the shutdown hook
    }
}
