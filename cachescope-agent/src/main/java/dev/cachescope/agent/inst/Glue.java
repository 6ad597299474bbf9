package dev.cachescope.agent.inst;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.agent.HostGlue;
import dev.cachescope.export.config.MonitoringConfig;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.security.CodeSource;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.jspecify.annotations.Nullable;

/**
 * The agent's glue in one host class loader: defined by the agent's bridge loader, it links against
 * the host's own cache libraries and hands each cache to the one-line adapters, exactly as an
 * application using them would. Each library's part is a class of its own ({@link CaffeineGlue},
 * {@link GuavaGlue}, {@link JCacheGlue}, {@link SpringGlue}), loaded only when that library calls
 * in: a host need not have the others. Thread-safe; the agent serializes builds.
 */
public final class Glue implements HostGlue {
  static final String ADAPTERS = "dev.cachescope.instrument.";

  private final MetricsAggregator aggregator;
  private final MonitoringConfig config;

  /** Glue that registers every cache with {@code aggregator}, with {@code config}'s options. */
  public Glue(MetricsAggregator aggregator, MonitoringConfig config) {
    this.aggregator = aggregator;
    this.config = config;
  }

  @Override
  public @Nullable String incompatibility(Library library) {
    String display =
        library.name().charAt(0) + library.name().substring(1).toLowerCase(Locale.ROOT);
    Class<?> probe =
        load(
            switch (library) {
              case CAFFEINE -> "com.github.benmanes.caffeine.cache.Caffeine";
              case GUAVA -> "com.google.common.cache.CacheBuilder";
              case JCACHE -> "javax.cache.spi.CachingProvider";
              case SPRING -> "org.springframework.cache.Cache";
            });
    if (probe == null) {
      return display + " is not on this class loader's path; nothing to monitor";
    }
    if (library == Library.SPRING && hostHas("dev.cachescope.spring.CachescopeAutoConfiguration")) {
      return "the application has cachescope's Spring Boot starter, which monitors its Spring"
          + " caches; the agent leaves them to it";
    }
    if (library == Library.CAFFEINE
        && load("com.github.benmanes.caffeine.cache.Policy$CacheEntry") == null) {
      return "Caffeine "
          + version(probe)
          + " is a version the agent does not know (it knows 3.1 and later); its caches run"
          + " unmonitored";
    }
    String[] wrappers =
        switch (library) {
          case CAFFEINE ->
              new String[] {
                "caffeine.MonitoredCache",
                "caffeine.MonitoredLoadingCache",
                "caffeine.MonitoredAsyncCache",
                "caffeine.MonitoredAsyncLoadingCache"
              };
          case GUAVA ->
              new String[] {"guava.MonitoredGuavaCache", "guava.MonitoredGuavaLoadingCache"};
          case JCACHE -> new String[] {"jcache.MonitoredJCache", "jcache.MonitoringCacheManager"};
          case SPRING -> new String[] {};
        };
    for (String wrapper : wrappers) {
      String why = incomplete(ADAPTERS + wrapper);
      if (why != null) {
        return display
            + " "
            + version(probe)
            + " is a version the agent does not know ("
            + why
            + "); its caches run unmonitored";
      }
    }
    return null;
  }

  /** Whether the host's own class loader (not the agent's bridge) has the class {@code name}. */
  private static boolean hostHas(String name) {
    ClassLoader host = Glue.class.getClassLoader().getParent();
    try {
      Class.forName(name, false, host);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static @Nullable Class<?> load(String name) {
    try {
      return Class.forName(name, false, Glue.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  /**
   * Why the adapter class {@code name} cannot stand in for the host's interfaces: it does not load
   * against them, or one of their abstract methods has no implementation in it (a method a newer
   * version added would throw {@code AbstractMethodError} in the host's code).
   */
  private static @Nullable String incomplete(String name) {
    try {
      Class<?> type = Class.forName(name, false, Glue.class.getClassLoader());
      for (Method method : type.getMethods()) {
        if (Modifier.isAbstract(method.getModifiers())) {
          return method.getDeclaringClass().getSimpleName() + "." + method.getName() + " is new";
        }
      }
      return null;
    } catch (ClassNotFoundException | LinkageError e) {
      return e.toString();
    }
  }

  /** The library's version: its manifest's implementation or bundle version. */
  private static String version(Class<?> probe) {
    Package p = probe.getPackage();
    String version = p == null ? null : p.getImplementationVersion();
    if (version != null) {
      return version;
    }
    try {
      CodeSource source = probe.getProtectionDomain().getCodeSource();
      if (source != null) {
        try (JarFile jar = new JarFile(new File(source.getLocation().toURI()))) {
          Manifest manifest = jar.getManifest();
          String bundle =
              manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-Version");
          if (bundle != null) {
            return bundle;
          }
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // fall through: the version is only for the message
    }
    return "(version unknown)";
  }

  @Override
  public Object caffeine(Object builder, @Nullable Object loader, boolean async, String name) {
    return CaffeineGlue.build(aggregator, config, builder, loader, async, name);
  }

  @Override
  public Object unwrap(Library library, Object cache) {
    return library == Library.CAFFEINE ? CaffeineGlue.unwrap(cache) : GuavaGlue.unwrap(cache);
  }

  @Override
  public CacheMonitor existing(Library library, Object cache, String name) {
    return switch (library) {
      case CAFFEINE -> CaffeineGlue.existing(aggregator, config, cache, name);
      case GUAVA -> GuavaGlue.existing(aggregator, config, cache, name);
      case JCACHE -> JCacheGlue.existing(aggregator, config, cache, name);
      case SPRING -> throw new IllegalArgumentException("Spring caches are met by getCache");
    };
  }

  @Override
  public Object guava(Object builder, @Nullable Object loader, String name) {
    return GuavaGlue.build(aggregator, config, builder, loader, name);
  }

  @Override
  public Object jcacheProvider(Object provider) {
    return JCacheGlue.provider(aggregator, provider);
  }

  @Override
  public Object springCache(Object manager, Object cache) {
    return SpringGlue.cache(aggregator, config, manager, cache);
  }
}
