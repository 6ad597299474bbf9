package dev.cachescope.export.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Single daemon threads for backends' periodic work, named after the backend. */
public final class Daemon {
  private Daemon() {}

  public static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }
}
