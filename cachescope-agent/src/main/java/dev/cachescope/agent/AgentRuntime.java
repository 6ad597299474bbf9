package dev.cachescope.agent;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.Monitoring;
import dev.cachescope.export.config.BackendConfig;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.export.http.MetricsHttpServer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's state in one JVM: the options, the configuration, the one aggregator every
 * instrumented cache registers with, the server, and the glue per host class loader. Created once
 * by {@link CachescopeAgent}; {@link Hooks} reach it through {@link #current()}.
 */
final class AgentRuntime {
  private static final Logger LOG = LoggerFactory.getLogger("cachescope.agent");
  private static volatile @Nullable AgentRuntime current;
  private static volatile @Nullable CountDownLatch starting;

  private final AgentOptions options;
  private final MonitoringConfig config;
  private final MetricsAggregator aggregator;
  private final Map<ClassLoader, Optional<HostGlue>> glues = new WeakHashMap<>();
  private final Set<String> refused = new HashSet<>();
  private final Map<HostGlue.Library, ClassValue<Optional<HostGlue>>> byClass =
      new EnumMap<>(HostGlue.Library.class);
  private volatile @Nullable Monitoring monitoring;
  private volatile @Nullable ExistingCaches existing;

  private AgentRuntime(AgentOptions options, MonitoringConfig config) {
    this.options = options;
    this.config = config;
    this.aggregator = MetricsAggregator.create();
    for (HostGlue.Library library : HostGlue.Library.values()) {
      byClass.put(
          library,
          new ClassValue<>() {
            @Override
            protected Optional<HostGlue> computeValue(Class<?> type) {
              return Optional.ofNullable(glue(type.getClassLoader(), library));
            }
          });
    }
  }

  /**
   * The running agent, or null when none is (never started, failed, or detached). While the agent
   * is still starting (reading its configuration, off the host's start-up path) this waits for it,
   * at most 10 s: a cache built meanwhile is monitored like any other.
   */
  static @Nullable AgentRuntime current() {
    AgentRuntime running = current;
    CountDownLatch latch = starting;
    if (running != null || latch == null) {
      return running;
    }
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return current;
  }

  /** The running agent, or null, without waiting for one that is starting: for hot paths. */
  static @Nullable AgentRuntime running() {
    return current;
  }

  /** From now until {@link #started()}, {@link #current()} waits for the agent to start. */
  static void starting() {
    starting = new CountDownLatch(1);
  }

  /** The agent started, or failed to: {@link #current()} waits no more. */
  static void started() {
    CountDownLatch latch = starting;
    starting = null;
    if (latch != null) {
      latch.countDown();
    }
  }

  /**
   * Creates the runtime, with the API on 127.0.0.1 at the options' port (the file's {@code api}
   * backend gives the rest: token, allowed hosts, threads) and the file's other backends.
   *
   * @throws dev.cachescope.export.config.ConfigException if the configuration file is wrong
   */
  static AgentRuntime create(AgentOptions options) {
    MonitoringConfig loaded = MonitoringConfig.load(options.config(), System.getenv());
    boolean chosen =
        options.config() != null || System.getenv(MonitoringConfig.ENV_BACKENDS) != null;
    AgentRuntime runtime = new AgentRuntime(options, withApi(loaded, options.port(), chosen));
    current = runtime;
    return runtime;
  }

  /** Starts the backends; the caller logs the URL. */
  MetricsHttpServer startServer() {
    Monitoring started = Monitoring.start(config, aggregator);
    monitoring = started;
    return started.server().orElseThrow(() -> new IllegalStateException("the API is off"));
  }

  /** Stops the server and unregisters every cache; hooks do nothing from now on. */
  void stop() {
    current = null;
    Monitoring running = monitoring;
    if (running != null) {
      running.close();
    }
    aggregator.close();
  }

  /** From now on, Caffeine caches met from below (after an attach) are monitored. */
  void watchExisting() {
    existing = new ExistingCaches();
  }

  /** The caches met from below, or null when the agent did not attach (premain). */
  @Nullable ExistingCaches existing() {
    return existing;
  }

  AgentOptions options() {
    return options;
  }

  MonitoringConfig config() {
    return config;
  }

  MetricsAggregator aggregator() {
    return aggregator;
  }

  /**
   * The glue for {@code type}'s class loader, or null when its {@code library} cannot be monitored:
   * looked up once per class, so hooks on hot paths (Spring's {@code getCache}) pay a {@code
   * ClassValue} read.
   */
  @Nullable HostGlue glue(Class<?> type, HostGlue.Library library) {
    return byClass.get(library).get(type).orElse(null);
  }

  /**
   * The glue for classes of {@code host}, or null when its {@code library} cannot be monitored
   * (logged once per library and loader).
   */
  synchronized @Nullable HostGlue glue(@Nullable ClassLoader host, HostGlue.Library library) {
    if (host == null) {
      return null;
    }
    Optional<HostGlue> glue = glues.computeIfAbsent(host, this::newGlue);
    if (glue.isEmpty()) {
      return null;
    }
    String why = glue.get().incompatibility(library);
    if (why != null) {
      if (refused.add(library + "@" + System.identityHashCode(host))) {
        LOG.warn("cachescope agent: {}", why);
      }
      return null;
    }
    return glue.get();
  }

  private Optional<HostGlue> newGlue(ClassLoader host) {
    try {
      BridgeLoader bridge = new BridgeLoader(host, AgentRuntime.class.getClassLoader());
      Class<?> type = Class.forName("dev.cachescope.agent.inst.Glue", true, bridge);
      return Optional.of(
          (HostGlue)
              type.getConstructor(MetricsAggregator.class, MonitoringConfig.class)
                  .newInstance(aggregator, config));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.warn("cachescope agent: cannot link to the caches of class loader {}: {}", host, e);
      return Optional.empty();
    }
  }

  /**
   * {@code config} with its API on at {@code port} (127.0.0.1 unless the file says otherwise).
   * Unless a file or {@code CACHE_MONITORING_BACKENDS} chose the backends, the API is the only one:
   * the default logger backend would write into the host's console.
   */
  private static MonitoringConfig withApi(MonitoringConfig config, int port, boolean chosen) {
    List<BackendConfig> backends = new ArrayList<>();
    BackendConfig.Api api = null;
    for (BackendConfig b : config.backends()) {
      if (b instanceof BackendConfig.Api a) {
        api = a;
      } else if (chosen) {
        backends.add(b);
      }
    }
    if (api == null) {
      api =
          MonitoringConfig.defaults().backends().stream()
              .filter(BackendConfig.Api.class::isInstance)
              .map(BackendConfig.Api.class::cast)
              .findFirst()
              .orElseThrow();
    }
    backends.add(api.withEnabled(true).withPort(port));
    return config.withBackends(backends);
  }
}
