package dev.cachescope;

import java.util.Locale;

/** Why a cache dropped an entry by itself. Explicit removals and replacements are not evictions. */
public enum EvictionCause {
  /** The cache was over its maximum size or weight. */
  SIZE,
  /** The entry's time to live or idle time ran out. */
  EXPIRED,
  /** The garbage collector cleared a weakly or softly held key or value. */
  COLLECTED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The lowercase name used in JSON, logs and metric tags, e.g. {@code "size"}. */
  @Override
  public String toString() {
    return wireName;
  }
}
