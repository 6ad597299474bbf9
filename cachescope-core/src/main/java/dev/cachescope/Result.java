package dev.cachescope;

import java.util.Locale;

/**
 * The outcome of an operation. {@code hit, miss, store, evict} are the seed design's; the others
 * are cachescope's additions.
 */
public enum Result {
  /** A lookup found a value. */
  HIT,
  /** A lookup found nothing. */
  MISS,
  /** A value was written. */
  STORE,
  /** An entry was removed on request. */
  REMOVE,
  /** All entries were removed. */
  CLEAR,
  /** The cache dropped an entry by itself. */
  EVICT,
  /** A load produced a value. */
  SUCCESS,
  /** A load threw or produced no value. */
  FAILURE,
  /** The cache itself threw while serving the operation; the exception reached the caller. */
  ERROR;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The lowercase name used in JSON, logs and metric tags, e.g. {@code "hit"}. */
  @Override
  public String toString() {
    return wireName;
  }
}
