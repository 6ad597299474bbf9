package dev.cachescope.agent;

import dev.cachescope.CacheMonitor;
import dev.cachescope.Source;
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
  private static final ThreadLocal<TimedLoader> CURRENT_LOAD = new ThreadLocal<>();

  private Hooks() {}

  /**
   * The monitored cache for {@code Caffeine.build…(args)}, or null to let the builder build as if
   * there were no agent (the agent's own inner build, a framework's build, an unknown version).
   */
  public static @Nullable Object caffeineBuild(Object builder, Object[] args, boolean async) {
    return build(
        builder,
        HostGlue.Library.CAFFEINE,
        (runtime, glue, name) -> {
          Object built = glue.caffeine(builder, args.length == 0 ? null : args[0], async, name);
          ExistingCaches existing = runtime.existing();
          if (existing != null && !async) {
            // After an attach Caffeine's own cache class reports too: count the wrapped one once.
            existing.put(glue.unwrap(HostGlue.Library.CAFFEINE, built), ExistingCaches.SKIP);
          }
          return built;
        });
  }

  /** The monitored cache for {@code CacheBuilder.build(args)}, or null as for Caffeine. */
  public static @Nullable Object guavaBuild(Object builder, Object[] args) {
    return build(
        builder,
        HostGlue.Library.GUAVA,
        (runtime, glue, name) -> {
          Object built = glue.guava(builder, args.length == 0 ? null : args[0], name);
          ExistingCaches existing = runtime.existing();
          if (existing != null) {
            existing.put(glue.unwrap(HostGlue.Library.GUAVA, built), ExistingCaches.SKIP);
          }
          return built;
        });
  }

  /** Builds a monitored cache through {@code glue}: what the two builder hooks share. */
  private interface Build {
    Object run(AgentRuntime runtime, HostGlue glue, String name);
  }

  private static @Nullable Object build(Object builder, HostGlue.Library library, Build build) {
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
      HostGlue glue = runtime.glue(builder.getClass(), library);
      if (glue == null) {
        return null;
      }
      synchronized (runtime) {
        return build.run(runtime, glue, name(runtime, site));
      }
    } catch (RuntimeException | LinkageError e) {
      failed(library == HostGlue.Library.CAFFEINE ? "a Caffeine cache" : "a Guava cache", e);
      return null;
    } finally {
      BUILDING.remove();
    }
  }

  /**
   * After an attach, every Caffeine {@code getIfPresent} reports here ({@code cache} is Caffeine's
   * own cache, {@code result} what it returns): a hit or a miss on the cache's monitor, made the
   * first time the agent meets the cache, named where it was first used ({@code used at
   * OrderService.java:57}). Lookups are not timed. A cache the agent built is skipped (its wrapper
   * counts it). Returns {@code result}.
   */
  public static @Nullable Object caffeineLookup(
      Object cache, @Nullable Object result, @Nullable Object key) {
    return lookup(HostGlue.Library.CAFFEINE, cache, result, key);
  }

  /** After an attach, a JCache provider's {@code get(key)}, as {@link #caffeineLookup}. */
  public static @Nullable Object jcacheLookup(
      Object cache, @Nullable Object result, @Nullable Object key) {
    return lookup(HostGlue.Library.JCACHE, cache, result, key);
  }

  /** After an attach, a JCache provider's {@code put} reports its key here. */
  public static void jcachePut(Object cache, @Nullable Object key) {
    put(HostGlue.Library.JCACHE, cache, key);
  }

  /** After an attach, Guava's {@code getIfPresent}, as {@link #caffeineLookup}. */
  public static @Nullable Object guavaLookup(
      Object cache, @Nullable Object result, @Nullable Object key) {
    return lookup(HostGlue.Library.GUAVA, cache, result, key);
  }

  private static @Nullable Object lookup(
      HostGlue.Library library, Object cache, @Nullable Object result, @Nullable Object key) {
    CacheMonitor monitor = existingMonitor(library, cache);
    if (monitor != null) {
      try {
        if (result != null) {
          monitor.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, key);
        } else {
          monitor.recordMiss(CacheMonitor.NOT_TIMED, null, key);
        }
      } catch (RuntimeException e) {
        failed("a lookup", e);
      }
    }
    return result;
  }

  /**
   * After an attach, Caffeine's {@code get(key, function)} and {@code LoadingCache.get(key)} start
   * here: the function to run on a miss, wrapped ({@link TimedLoader}) when the cache is monitored
   * from below. The wrapper is also this thread's current call, for {@link #caffeineLoaded}.
   */
  public static @Nullable Object caffeineLoader(
      Object cache, @Nullable Object key, @Nullable Object function) {
    return loader(HostGlue.Library.CAFFEINE, cache, key, function);
  }

  /**
   * After an attach, Guava's {@code get(key, callable)} starts here, as {@link #caffeineLoader}.
   */
  public static @Nullable Object guavaLoader(
      Object cache, @Nullable Object key, @Nullable Object callable) {
    return loader(HostGlue.Library.GUAVA, cache, key, callable);
  }

  private static @Nullable Object loader(
      HostGlue.Library library, Object cache, @Nullable Object key, @Nullable Object loader) {
    CacheMonitor monitor = existingMonitor(library, cache);
    if (monitor == null || loader == null) {
      return loader;
    }
    TimedLoader timed = new TimedLoader(monitor, cache, key, loader);
    CURRENT_LOAD.set(timed);
    return timed;
  }

  /** After an attach, Guava's {@code get(key, callable)} ends here, as {@link #caffeineGot}. */
  public static @Nullable Object guavaGot(
      Object cache, @Nullable Object result, @Nullable Object key, @Nullable Object callable) {
    return caffeineGot(cache, result, key, callable);
  }

  /** After an attach, Caffeine's {@code get(key, function)} ends here. Returns {@code result}. */
  public static @Nullable Object caffeineGot(
      Object cache, @Nullable Object result, @Nullable Object key, @Nullable Object function) {
    if (function instanceof TimedLoader loader) {
      CURRENT_LOAD.remove();
      finish(loader, cache, key);
    }
    return result;
  }

  /**
   * After an attach, Caffeine's {@code LoadingCache.get(key)} ends here (its function is not a
   * local of the call, so the thread's current call stands for it: a nested call from inside the
   * load clears it, and the outer call, whose miss its load already recorded, then records
   * nothing). Returns {@code result}.
   */
  public static @Nullable Object caffeineLoaded(
      Object cache, @Nullable Object result, @Nullable Object key) {
    TimedLoader loader = CURRENT_LOAD.get();
    if (loader != null) {
      CURRENT_LOAD.remove();
      finish(loader, cache, key);
    }
    return result;
  }

  private static void finish(TimedLoader loader, Object cache, @Nullable Object key) {
    try {
      loader.finish(cache, key);
    } catch (RuntimeException e) {
      failed("a lookup", e);
    }
  }

  /** After an attach, Caffeine's {@code put} reports its key here. */
  public static void caffeinePut(Object cache, @Nullable Object key) {
    put(HostGlue.Library.CAFFEINE, cache, key);
  }

  /** After an attach, Guava's {@code put} reports its key here. */
  public static void guavaPut(Object cache, @Nullable Object key) {
    put(HostGlue.Library.GUAVA, cache, key);
  }

  private static void put(HostGlue.Library library, Object cache, @Nullable Object key) {
    CacheMonitor monitor = existingMonitor(library, cache);
    if (monitor != null) {
      try {
        monitor.recordPut(CacheMonitor.NOT_TIMED, key, -1);
      } catch (RuntimeException e) {
        failed("a put", e);
      }
    }
  }

  /** The monitor of a cache met from below, made on first sight; null to count nothing. */
  private static @Nullable CacheMonitor existingMonitor(HostGlue.Library library, Object cache) {
    AgentRuntime runtime = AgentRuntime.running();
    ExistingCaches existing = runtime == null ? null : runtime.existing();
    if (existing == null) {
      return null;
    }
    Object known = existing.get(cache);
    if (known != null) {
      return ExistingCaches.monitor(known);
    }
    try {
      synchronized (runtime) {
        known = existing.get(cache);
        if (known == null) {
          HostGlue glue = runtime.glue(cache.getClass(), library);
          // A framework's cache (Spring's CaffeineCache) is counted by the framework's hook, a
          // cache behind one of cachescope's wrappers by the wrapper.
          String site = BuildSite.user(cache.getClass());
          known =
              glue == null || site == null
                  ? ExistingCaches.SKIP
                  : glue.existing(library, cache, name(runtime, "used at " + site));
          existing.put(cache, known);
        }
      }
      return ExistingCaches.monitor(known);
    } catch (RuntimeException | LinkageError e) {
      existing.put(cache, ExistingCaches.SKIP);
      failed("a cache built before the attach", e);
      return null;
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
