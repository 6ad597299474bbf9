package dev.cachescope.instrument.jcache;

import dev.cachescope.MetricsAggregator;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;
import org.jspecify.annotations.Nullable;

/**
 * A JCache {@link CachingProvider} that delegates to another provider and monitors every cache it
 * hands out, registering each with {@link MetricsAggregator#global()} under the cache's name. One
 * property monitors every JCache cache of an application:
 *
 * <pre>
 * -Djavax.cache.spi.CachingProvider=dev.cachescope.instrument.jcache.MonitoringCachingProvider
 * </pre>
 *
 * The real provider is the one named by {@code -Dcachescope.jcache.delegate=<class>}, or else the
 * only other provider on the class path. It is not registered as a {@code ServiceLoader} service,
 * so adding cachescope to an application changes nothing until the property asks for it.
 *
 * <p>Everything but the caches themselves is the delegate's: configuration, statistics and
 * management beans, events, {@code unwrap} to provider classes. A cache whose name another manager
 * already registered is registered as {@code name#2}, {@code name#3}, ...
 */
public final class MonitoringCachingProvider implements CachingProvider {
  /** The system property naming the provider to delegate to. */
  public static final String DELEGATE_PROPERTY = "cachescope.jcache.delegate";

  private final CachingProvider delegate;
  private final MetricsAggregator aggregator;
  private final ConcurrentMap<CacheManager, MonitoringCacheManager> managers =
      new ConcurrentHashMap<>();

  /**
   * The provider {@code Caching} creates: delegates as described above, registers with the global
   * aggregator.
   *
   * @throws CacheException if there is no provider to delegate to, or several and no property
   */
  public MonitoringCachingProvider() {
    this(findDelegate(), MetricsAggregator.global());
  }

  /** A provider over {@code delegate} that registers its caches with {@code aggregator}. */
  public MonitoringCachingProvider(CachingProvider delegate, MetricsAggregator aggregator) {
    this.delegate = delegate;
    this.aggregator = aggregator;
  }

  private static CachingProvider findDelegate() {
    String named = System.getProperty(DELEGATE_PROPERTY);
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (named != null && !named.isBlank()) {
      try {
        Class<?> type = Class.forName(named.trim(), true, loader);
        return (CachingProvider) type.getConstructor().newInstance();
      } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
        throw new CacheException(
            "cachescope: -D"
                + DELEGATE_PROPERTY
                + "="
                + named
                + " is not a JCache CachingProvider class on the class path",
            e);
      }
    }
    List<CachingProvider> others = new ArrayList<>();
    for (CachingProvider provider : ServiceLoader.load(CachingProvider.class, loader)) {
      if (!(provider instanceof MonitoringCachingProvider)) {
        others.add(provider);
      }
    }
    if (others.size() == 1) {
      return others.get(0);
    }
    List<String> names = others.stream().map(p -> p.getClass().getName()).toList();
    throw new CacheException(
        others.isEmpty()
            ? "cachescope: no JCache provider to monitor; add one (Ehcache 3, Caffeine's jcache, ...)"
                + " or name it with -D"
                + DELEGATE_PROPERTY
                + "=<class>"
            : "cachescope: several JCache providers "
                + names
                + "; choose one with -D"
                + DELEGATE_PROPERTY
                + "=<class>");
  }

  /** The provider every call is delegated to. */
  public CachingProvider delegate() {
    return delegate;
  }

  @Override
  public CacheManager getCacheManager(
      @Nullable URI uri, @Nullable ClassLoader classLoader, @Nullable Properties properties) {
    CacheManager manager = delegate.getCacheManager(uri, classLoader, properties);
    return managers.computeIfAbsent(manager, m -> new MonitoringCacheManager(this, m, aggregator));
  }

  @Override
  public CacheManager getCacheManager(@Nullable URI uri, @Nullable ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader(), getDefaultProperties());
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    return delegate.getDefaultClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return delegate.getDefaultURI();
  }

  @Override
  public Properties getDefaultProperties() {
    return delegate.getDefaultProperties();
  }

  @Override
  public void close() {
    delegate.close();
    forgetClosedManagers();
  }

  @Override
  public void close(ClassLoader classLoader) {
    delegate.close(classLoader);
    forgetClosedManagers();
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    delegate.close(uri, classLoader);
    forgetClosedManagers();
  }

  @Override
  public boolean isSupported(OptionalFeature optionalFeature) {
    return delegate.isSupported(optionalFeature);
  }

  void closed(MonitoringCacheManager manager) {
    managers.remove(manager.delegate(), manager);
  }

  private void forgetClosedManagers() {
    for (MonitoringCacheManager manager : List.copyOf(managers.values())) {
      if (manager.delegate().isClosed()) {
        manager.close();
      }
    }
  }
}
