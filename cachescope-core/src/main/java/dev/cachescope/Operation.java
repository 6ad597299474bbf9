package dev.cachescope;

import java.util.Locale;

/**
 * The kind of a cache operation. The first four are the seed design's ({@code get, set, delete,
 * clear}); {@link #LOAD} and {@link #EVICT} are cachescope's additions.
 */
public enum Operation {
  /** A lookup: its result is {@link Result#HIT} or {@link Result#MISS}. */
  GET,
  /** A write of one entry: result {@link Result#STORE}. */
  SET,
  /** An explicit removal of one entry: result {@link Result#REMOVE}. */
  DELETE,
  /** Removal of all entries: result {@link Result#CLEAR}. */
  CLEAR,
  /**
   * Computing or fetching a value after a miss: result {@link Result#SUCCESS} or {@link
   * Result#FAILURE}.
   */
  LOAD,
  /** An entry the cache dropped by itself (size, expiry, garbage collection): result EVICT. */
  EVICT;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The lowercase name used in JSON, logs and metric tags, e.g. {@code "get"}. */
  @Override
  public String toString() {
    return wireName;
  }
}
