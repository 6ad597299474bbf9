package dev.cachescope;

import java.util.Locale;

/** Where the value an operation returned came from. */
public enum Source {
  /** An in-memory (heap or off-heap) tier. */
  MEMORY,
  /** A disk tier or a file. */
  DISK,
  /** Computed now, because the cache had no value. */
  FRESH,
  /** Another process or host (a distributed cache). */
  REMOTE;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The lowercase name used in JSON, logs and metric tags, e.g. {@code "disk"}. */
  @Override
  public String toString() {
    return wireName;
  }
}
