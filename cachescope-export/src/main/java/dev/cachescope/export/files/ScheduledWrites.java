package dev.cachescope.export.files;

import dev.cachescope.export.BackendHealth;
import dev.cachescope.export.internal.Daemon;
import dev.cachescope.export.internal.HealthTracker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * A file backend's periodic writing: runs its write every interval on a daemon thread of its own
 * (or never, for a backend that writes only when asked), keeps each outcome in the backend's
 * health, and writes a last time when closed. A write that fails marks the backend failing, with
 * the directory and the cause, and is tried again at the next interval; it never throws to the
 * schedule. Thread-safe.
 */
final class ScheduledWrites {
  /** One round of writing. */
  interface Write {
    void run() throws IOException;
  }

  private final HealthTracker health;
  private final String whatFailed;
  private final String fine;
  private final Write write;
  private final @Nullable ScheduledExecutorService scheduler;

  /**
   * Starts the schedule, the first write one interval from now.
   *
   * @param backend the backend's name in {@code /health}
   * @param thread the schedule's thread name
   * @param what what is written, for the failure message ("snapshots")
   * @param interval how often; null writes only when {@link #close} does
   */
  ScheduledWrites(
      String backend,
      String thread,
      String what,
      Path directory,
      @Nullable Duration interval,
      Write write) {
    this.fine = "writing to " + directory;
    this.whatFailed = "writing " + what + " to " + directory;
    this.health = new HealthTracker(backend, fine);
    this.write = write;
    this.scheduler = interval == null ? null : Daemon.every(thread, interval, this::runQuietly);
  }

  private void runQuietly() {
    try {
      write.run();
      health.ok(fine);
    } catch (IOException | RuntimeException e) {
      health.failed(whatFailed, e);
    }
  }

  BackendHealth health() {
    return health.health();
  }

  /** Stops the schedule and, if there was one, writes a last round. */
  void close() {
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      s.shutdownNow();
      runQuietly();
    }
  }
}
