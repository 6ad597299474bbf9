package dev.cachescope.export.config;

/**
 * One entry of {@code cache_monitoring.caches}: the seed design's per-cache switches.
 *
 * @param enabled whether the cache is monitored at all
 * @param trackTiming whether its operations are timed
 * @param trackMemory whether its memory is measured
 */
public record CacheSettings(boolean enabled, boolean trackTiming, boolean trackMemory) {
  /** All on: what a cache not named in the configuration gets. */
  public static final CacheSettings DEFAULT = new CacheSettings(true, true, true);
}
