package dev.cachescope.agent;

import dev.cachescope.CacheMonitor;
import org.jspecify.annotations.Nullable;

/**
 * What the agent does with a host's cache library, implemented by the glue that {@link
 * BridgeLoader} defines beside each host class loader, so that it links against the host's own
 * Caffeine, Guava, JCache and Spring. Parameters are {@code Object} because this interface lives in
 * the agent's loader, which sees none of them. Implementations never throw for a host's cache: they
 * return null (or the argument) when they cannot monitor it.
 */
public interface HostGlue {
  /**
   * Why the agent does not monitor this host's copy of {@code library} (a version whose interfaces
   * the adapters do not fully implement, absent, or already monitored by cachescope's starter), as
   * one sentence that says what happens instead; null when it does.
   */
  @Nullable String incompatibility(Library library);

  /**
   * Builds the monitored form of the cache a Caffeine builder was asked for.
   *
   * @param builder the {@code Caffeine} builder
   * @param loader the {@code CacheLoader} or {@code AsyncCacheLoader}, or null
   * @param async whether {@code buildAsync} was called
   * @param name the cache's name
   */
  Object caffeine(Object builder, @Nullable Object loader, boolean async, String name);

  /**
   * The cache a monitored Caffeine or Guava cache wraps (to count it once), or {@code cache}
   * itself.
   */
  Object unwrap(Library library, Object cache);

  /**
   * Registers a Caffeine, Guava or JCache cache the agent meets after it was built (an attach): its
   * monitor, with the cache bound for entries (Caffeine: memory and sizing advice; Ehcache: tiers
   * and evictions).
   */
  CacheMonitor existing(Library library, Object cache, String name);

  /** Builds the monitored form of the cache a Guava {@code CacheBuilder} was asked for. */
  Object guava(Object builder, @Nullable Object loader, String name);

  /**
   * The monitoring form of a JCache {@code CachingProvider}: the same one for the same provider.
   */
  Object jcacheProvider(Object provider);

  /** The monitored form of the Spring cache {@code manager.getCache(..)} returned. */
  Object springCache(Object manager, Object cache);

  /** The cache libraries the agent instruments. */
  enum Library {
    CAFFEINE,
    GUAVA,
    JCACHE,
    SPRING
  }
}
