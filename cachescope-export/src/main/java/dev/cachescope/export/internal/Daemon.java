package dev.cachescope.export.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Single daemon threads for backends' periodic work, named after the backend. */
public final class Daemon {
  private Daemon() {}

  /**
   * A daemon thread named {@code name} that runs {@code task} every {@code interval}, the first
   * time one interval from now, until it is shut down. The task must catch its own failures (one
   * that throws is not run again).
   */
  @SuppressWarnings("FutureReturnValueIgnored") // runs until shut down
  public static ScheduledExecutorService every(String name, Duration interval, Runnable task) {
    ScheduledExecutorService scheduler = scheduler(name);
    long millis = interval.toMillis();
    scheduler.scheduleAtFixedRate(task, millis, millis, TimeUnit.MILLISECONDS);
    return scheduler;
  }

  /** A daemon thread named {@code name} for scheduled work. */
  public static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }
}
