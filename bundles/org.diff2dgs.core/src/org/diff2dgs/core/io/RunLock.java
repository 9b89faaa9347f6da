package org.diff2dgs.core.io;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.diff2dgs.core.api.UserInputException;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * One writer per run folder. {@code run.lock} in the folder is locked with the operating system's file lock for as
 * long as a command writes there, and holds who that is (process id, host, start time, command). A second writer is
 * refused with that information. The OS releases the lock when its process dies however it dies (kill -9, a crashed
 * node), so a lock left behind is recognized by being free and taken over, with a note saying whose it was.
 *
 * <p>Where the file system has no working locks (some network file systems), the recorded holder decides: a live
 * process on this host, or any process on another host, keeps the folder; a dead process on this host does not.
 *
 * <p>The same thread may take the lock of a folder again (a batch cell, then its pipeline run); other threads of this
 * process are refused like other processes. The file stays when released, emptied, so that no two processes can ever
 * lock two different files of the same name.
 */
public final class RunLock implements AutoCloseable {

    public static final String FILE = "run.lock";

    private static final Map<Path, RunLock> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final Thread owner;
    private final FileChannel channel;
    private final FileLock lock;
    private int depth = 1;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.owner = Thread.currentThread();
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code runFolder} (creating the folder), for {@code command}; {@code notes} hears about a
     * stale lock taken over. Throws a {@link UserInputException} naming the holder when another writer has it.
     */
    public static RunLock acquire(Path runFolder, String command, Consumer<String> notes) {
        Path file = runFolder.toAbsolutePath().normalize().resolve(FILE);
        synchronized (HELD) {
            RunLock mine = HELD.get(file);
            if (mine != null) {
                if (mine.owner == Thread.currentThread()) {
                    mine.depth++;
                    return mine;
                }
                throw busy(runFolder, holder(mine.channel), "another thread of this process");
            }
            FileChannel ch = null;
            try {
                Files.createDirectories(file.getParent());
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                } catch (IOException unsupported) {
                    lock = infoOnly(runFolder, ch, unsupported);
                }
                if (lock == null) {
                    throw busy(runFolder, holder(ch), null);
                }
                JsonObject previous = holder(ch);
                if (previous != null) {
                    notes.accept("took over the lock of " + runFolder + " left by " + describe(previous)
                            + " (that process is gone)");
                }
                write(ch, command);
                RunLock l = new RunLock(file, ch, lock);
                HELD.put(file, l);
                ch = null;
                return l;
            } catch (IOException e) {
                throw new UserInputException(file, "cannot lock the run folder: " + e.getMessage(), e);
            } finally {
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // already failing with a better message
                    }
                }
            }
        }
    }

    /** This process's d2dgs command line when it is the product ("d2dgs run --out R"), else {@code fallback}. */
    public static String commandLine(String fallback) {
        String[] args = ProcessHandle.current().info().arguments().orElse(new String[0]);
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("-application") && args[i + 1].startsWith("org.diff2dgs.app.headless")) {
                StringBuilder sb = new StringBuilder("d2dgs");
                for (int j = i + 2; j < args.length; j++) {
                    sb.append(' ').append(args[j]);
                }
                return sb.toString();
            }
        }
        return fallback;
    }

    /** Without OS locks: the recorded holder decides (see the class comment); returns a stand-in lock or null. */
    private static FileLock infoOnly(Path runFolder, FileChannel ch, IOException why) throws IOException {
        JsonObject h = holder(ch);
        if (h != null && (!sameHost(h) || ProcessHandle.of(h.get("pid").getAsLong()).map(ProcessHandle::isAlive)
                .orElse(false))) {
            throw busy(runFolder, h, "this file system has no file locks (" + why.getMessage() + "); if that process"
                    + " is gone, delete " + runFolder.resolve(FILE));
        }
        return new InfoOnlyLock(ch);
    }

    private static UserInputException busy(Path runFolder, JsonObject holder, String extra) {
        return new UserInputException(runFolder, "this run folder is in use by "
                + (holder == null ? "another d2dgs process" : describe(holder)) + (extra == null ? "" : "; " + extra)
                + ". Wait for it to finish, stop it, or use another folder");
    }

    private static String describe(JsonObject h) {
        return "process " + str(h, "pid") + " on " + str(h, "host") + " since " + str(h, "startedAt") + " ("
                + str(h, "command") + ")";
    }

    private static String str(JsonObject h, String key) {
        return h.has(key) && !h.get(key).isJsonNull() ? h.get(key).getAsString() : "?";
    }

    /** The recorded holder, or null when the file is empty (free) or unreadable. */
    static JsonObject holder(FileChannel ch) {
        try {
            long size = ch.size();
            if (size == 0 || size > 1 << 16) {
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // read until the buffer is full
            }
            String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? null : JsonParser.parseString(text).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void write(FileChannel ch, String command) throws IOException {
        JsonObject me = new JsonObject();
        ProcessHandle self = ProcessHandle.current();
        me.addProperty("pid", self.pid());
        me.addProperty("host", host());
        me.addProperty("startedAt", self.info().startInstant().orElse(Instant.now()).toString());
        me.addProperty("command", command);
        byte[] bytes = (Json.gson().toJson(me) + "\n").getBytes(StandardCharsets.UTF_8);
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(bytes), 0);
        ch.force(true);
    }

    private static boolean sameHost(JsonObject h) {
        return host().equals(str(h, "host"));
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "unknown-host";
        }
    }

    /** Releases the lock (once every nested acquire of this thread has released it) and empties the file. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (--depth > 0) {
                return;
            }
            HELD.remove(file);
            try {
                channel.truncate(0);
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases the lock anyway
            } finally {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing left to do
                }
            }
        }
    }

    /** Stands in for an OS lock where the file system has none: the recorded holder is the lock. */
    private static final class InfoOnlyLock extends FileLock {
        private boolean valid = true;

        InfoOnlyLock(FileChannel ch) {
            super(ch, 0, Long.MAX_VALUE, false);
        }

        @Override
        public boolean isValid() {
            return valid;
        }

        @Override
        public void release() {
            valid = false;
        }
    }
}
