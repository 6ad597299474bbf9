package dev.cachescope.agent;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry points the agent's rewrites ({@link CacheTransformer}) call from inside the host's
 * cache libraries. Public because the host's classes call it; not an API. Every method returns null
 * (or its argument) rather than throw: monitoring never breaks a host's cache.
 */
public final class Hooks {
  private static final Logger LOG = LoggerFactory.getLogger("cachescope.agent");
  private static final ThreadLocal<Boolean> BUILDING = new ThreadLocal<>();

  private Hooks() {}

  /**
   * The monitored cache for {@code Caffeine.build…(args)}, or null to let the builder build as if
   * there were no agent (the agent's own inner build, a framework's build, an unknown version).
   */
  public static @Nullable Object caffeineBuild(Object builder, Object[] args, boolean async) {
    AgentRuntime runtime = AgentRuntime.current();
    if (runtime == null || BUILDING.get() != null) {
      return null;
    }
    BUILDING.set(Boolean.TRUE);
    try {
      String site = BuildSite.current();
      if (site == null) {
        return null;
      }
      HostGlue glue = runtime.glue(builder.getClass(), HostGlue.Library.CAFFEINE);
      if (glue == null) {
        return null;
      }
      synchronized (runtime) {
        return glue.caffeine(
            builder, args.length == 0 ? null : args[0], async, name(runtime, site));
      }
    } catch (RuntimeException | LinkageError e) {
      failed("a Caffeine cache", e);
      return null;
    } finally {
      BUILDING.remove();
    }
  }

  /** The monitored cache for {@code CacheBuilder.build(args)}, or null as for Caffeine. */
  public static @Nullable Object guavaBuild(Object builder, Object[] args) {
    AgentRuntime runtime = AgentRuntime.current();
    if (runtime == null || BUILDING.get() != null) {
      return null;
    }
    BUILDING.set(Boolean.TRUE);
    try {
      String site = BuildSite.current();
      if (site == null) {
        return null;
      }
      HostGlue glue = runtime.glue(builder.getClass(), HostGlue.Library.GUAVA);
      if (glue == null) {
        return null;
      }
      synchronized (runtime) {
        return glue.guava(builder, args.length == 0 ? null : args[0], name(runtime, site));
      }
    } catch (RuntimeException | LinkageError e) {
      failed("a Guava cache", e);
      return null;
    } finally {
      BUILDING.remove();
    }
  }

  /** The monitoring provider for a provider {@code Caching.getCachingProvider(..)} returned. */
  public static @Nullable Object cachingProvider(@Nullable Object provider) {
    AgentRuntime runtime = AgentRuntime.current();
    if (runtime == null || provider == null) {
      return provider;
    }
    try {
      HostGlue glue = runtime.glue(provider.getClass(), HostGlue.Library.JCACHE);
      return glue == null ? provider : glue.jcacheProvider(provider);
    } catch (RuntimeException | LinkageError e) {
      failed("a JCache provider", e);
      return provider;
    }
  }

  /** The monitored form of the cache a Spring {@code CacheManager.getCache(name)} returned. */
  public static @Nullable Object springCache(Object manager, @Nullable Object cache) {
    AgentRuntime runtime = AgentRuntime.current();
    if (runtime == null || cache == null) {
      return cache;
    }
    try {
      HostGlue glue = runtime.glue(manager.getClass(), HostGlue.Library.SPRING);
      return glue == null ? cache : glue.springCache(manager, cache);
    } catch (RuntimeException | LinkageError e) {
      failed("a Spring cache", e);
      return cache;
    }
  }

  /**
   * The name for a cache built at {@code site}: the {@code name.<site>} option, else the site;
   * {@code #2}, {@code #3}... when a cache of that name exists (a factory method run twice). The
   * caller holds the runtime's lock until the cache registered.
   */
  private static String name(AgentRuntime runtime, String site) {
    String base = runtime.options().names().getOrDefault(site, site);
    String name = base;
    for (int n = 2; runtime.aggregator().monitor(name).isPresent(); n++) {
      name = base + "#" + n;
    }
    return name;
  }

  private static void failed(String what, Throwable e) {
    LOG.warn("cachescope agent: cannot monitor {}; it runs unmonitored: {}", what, e.toString());
  }
}
