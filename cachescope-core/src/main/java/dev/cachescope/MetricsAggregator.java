package dev.cachescope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The monitors of one application, and the one place their numbers are read: the seed design's
 * {@code MetricsAggregator} (see docs/data-model.md).
 *
 * <p>It owns one daemon publisher thread that does the deferred work of every registered monitor:
 * draining the staging rings into the histories and histograms, handing drained operations to
 * {@link MetricsListener}s, rolling the windows, and dropping monitors whose cache was garbage
 * collected. {@link #close()} stops it after a last drain. With {@code publishInterval(ZERO)} there
 * is no thread and {@link #flush()} does the same work on the caller's thread.
 *
 * <p>Thread-safe. Monitors hold their caches weakly, so registering one keeps no cache alive.
 */
public final class MetricsAggregator implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.cachescope");

  private final ConcurrentSkipListMap<String, CacheMonitor> monitors =
      new ConcurrentSkipListMap<>();
  private final CopyOnWriteArrayList<MetricsListener> listeners = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<RegistrationListener> registrations =
      new CopyOnWriteArrayList<>();
  private final long intervalNanos;
  private final @Nullable Thread publisher;
  private volatile boolean closed;

  private MetricsAggregator(Builder builder) {
    intervalNanos = builder.publishInterval.toNanos();
    if (intervalNanos > 0) {
      Thread thread = new Thread(this::publishLoop, builder.threadName);
      thread.setDaemon(true);
      publisher = thread;
      thread.start();
    } else {
      publisher = null;
    }
  }

  /**
   * The process-wide aggregator, created with the defaults on first use and never closed (its
   * publisher thread is a daemon). For integrations that a framework instantiates by class name,
   * such as the JCache {@code MonitoringCachingProvider}; code that can pass an aggregator around
   * should create its own.
   */
  public static MetricsAggregator global() {
    return GlobalHolder.INSTANCE;
  }

  private static final class GlobalHolder {
    static final MetricsAggregator INSTANCE =
        builder().threadName("cachescope-publisher-global").build();
  }

  /** An aggregator with the defaults: a publisher thread that runs every 100 ms. */
  public static MetricsAggregator create() {
    return builder().build();
  }

  /** Starts configuring an aggregator. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers {@code monitor} under its name and returns it.
   *
   * @throws IllegalArgumentException if another monitor has that name
   * @throws IllegalStateException if the aggregator is closed, or the monitor belongs to another
   */
  public CacheMonitor register(CacheMonitor monitor) {
    if (closed) {
      throw new IllegalStateException("this aggregator is closed; create a new one");
    }
    CacheMonitor existing = monitors.putIfAbsent(monitor.name(), monitor);
    if (existing != null && existing != monitor) {
      throw new IllegalArgumentException(
          "a cache named '"
              + monitor.name()
              + "' is already registered; unregister it first or choose another name");
    }
    try {
      monitor.attach(this);
    } catch (IllegalStateException e) {
      monitors.remove(monitor.name(), monitor);
      throw e;
    }
    if (existing == null) {
      for (RegistrationListener listener : registrations) {
        notifyRegistered(listener, monitor);
      }
    }
    return monitor;
  }

  /**
   * Stops reporting the cache called {@code name}. Its pending operations are drained to the
   * listeners first.
   *
   * @return whether such a cache was registered
   */
  public boolean unregister(String name) {
    CacheMonitor removed = monitors.remove(name);
    if (removed == null) {
      return false;
    }
    removed.publish();
    removed.detach(this);
    notifyUnregistered(name);
    return true;
  }

  /** The monitor registered as {@code name}. */
  public Optional<CacheMonitor> monitor(String name) {
    return Optional.ofNullable(monitors.get(name));
  }

  /** The names of the registered caches, in order. */
  public List<String> cacheNames() {
    return List.copyOf(monitors.keySet());
  }

  /** The snapshot of the cache called {@code name}, if it is registered. */
  public Optional<CacheSnapshot> snapshot(String name) {
    CacheMonitor monitor = monitors.get(name);
    return monitor == null ? Optional.empty() : Optional.of(monitor.snapshot());
  }

  /** A snapshot of every registered cache, in name order. */
  public List<CacheSnapshot> snapshots() {
    List<CacheSnapshot> snapshots = new ArrayList<>(monitors.size());
    for (CacheMonitor monitor : monitors.values()) {
      snapshots.add(monitor.snapshot());
    }
    return snapshots;
  }

  /**
   * Every registered cache's time series ({@link CacheMonitor#series}), by name in name order: the
   * points that end after {@code afterEpochSeconds}, 0 for the whole last hour.
   */
  public Map<String, List<SeriesPoint>> series(double afterEpochSeconds) {
    Map<String, List<SeriesPoint>> series = new LinkedHashMap<>();
    for (CacheMonitor monitor : monitors.values()) {
      series.put(monitor.name(), monitor.series(afterEpochSeconds));
    }
    return series;
  }

  /** All caches at once: totals, both hit rates, and each cache's snapshot. */
  public MetricsSummary summary() {
    List<CacheSnapshot> snapshots = snapshots();
    long memory = 0;
    long entries = 0;
    long hits = 0;
    long gets = 0;
    double hitRates = 0;
    double timeSaved = 0;
    Long tokensSaved = null;
    Map<String, CacheSnapshot> byName = new LinkedHashMap<>();
    for (CacheSnapshot s : snapshots) {
      timeSaved += s.timeSavedMs();
      Long tokens = s.tokensSaved();
      if (tokens != null) {
        tokensSaved = (tokensSaved == null ? 0 : tokensSaved) + tokens;
      }
      memory += s.memoryUsageBytes();
      entries += s.totalEntries();
      hits += s.hits();
      gets += s.gets();
      hitRates += s.hitRate();
      byName.put(s.cacheName(), s);
    }
    return new MetricsSummary(
        System.currentTimeMillis() / 1000.0,
        snapshots.size(),
        memory,
        memory / (1024.0 * 1024.0),
        entries,
        snapshots.isEmpty() ? 0.0 : hitRates / snapshots.size(),
        gets,
        gets == 0 ? 0.0 : (double) hits / gets,
        timeSaved,
        tokensSaved,
        Collections.unmodifiableMap(byName));
  }

  /** Adds a listener for drained operations. */
  public void addListener(MetricsListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added before. */
  public void removeListener(MetricsListener listener) {
    listeners.remove(listener);
  }

  /**
   * Adds a listener for registrations; it hears about every monitor registered now, at once, and
   * every later registration and removal.
   */
  public void addRegistrationListener(RegistrationListener listener) {
    registrations.add(Objects.requireNonNull(listener, "listener"));
    for (CacheMonitor monitor : monitors.values()) {
      notifyRegistered(listener, monitor);
    }
  }

  /** Removes a registration listener added before. */
  public void removeRegistrationListener(RegistrationListener listener) {
    registrations.remove(listener);
  }

  private static void notifyRegistered(RegistrationListener listener, CacheMonitor monitor) {
    try {
      listener.registered(monitor);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cachescope: registration listener failed", e);
    }
  }

  private void notifyUnregistered(String name) {
    for (RegistrationListener listener : registrations) {
      try {
        listener.unregistered(name);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "cachescope: registration listener failed", e);
      }
    }
  }

  /**
   * Does the publisher's work now, on this thread: drains every monitor, rolls the windows, and
   * drops monitors whose cache was garbage collected.
   */
  public void flush() {
    for (CacheMonitor monitor : monitors.values()) {
      try {
        monitor.publish();
        if (monitor.isCacheCollected() && monitors.remove(monitor.name(), monitor)) {
          monitor.detach(this);
          notifyUnregistered(monitor.name());
          LOG.log(
              System.Logger.Level.INFO,
              "cachescope: cache '" + monitor.name() + "' was garbage collected; unregistered");
        }
      } catch (Throwable t) {
        monitor.fault(t);
      }
    }
  }

  /** Stops the publisher thread after a last drain. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Thread thread = publisher;
    if (thread != null) {
      LockSupport.unpark(thread);
      try {
        thread.join(Duration.ofSeconds(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    flush();
  }

  boolean hasListeners() {
    return !listeners.isEmpty();
  }

  void dispatch(CacheMonitor monitor, List<CacheOperation> operations) {
    List<CacheOperation> view = Collections.unmodifiableList(operations);
    for (MetricsListener listener : listeners) {
      try {
        listener.onOperations(monitor.name(), view);
      } catch (Throwable t) {
        monitor.fault(t);
      }
    }
  }

  private void publishLoop() {
    while (!closed) {
      LockSupport.parkNanos(this, intervalNanos);
      if (!closed) {
        flush();
      }
    }
  }

  /** Configures a {@link MetricsAggregator}. */
  public static final class Builder {
    private Duration publishInterval = Duration.ofMillis(100);
    private String threadName = "cachescope-publisher";

    private Builder() {}

    /**
     * How often the publisher drains and rolls windows; default 100 ms. {@link Duration#ZERO}
     * starts no thread: call {@link #flush()} yourself.
     */
    public Builder publishInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("publishInterval must not be negative, was " + interval);
      }
      this.publishInterval = interval;
      return this;
    }

    /** The publisher thread's name; default {@code cachescope-publisher}. */
    public Builder threadName(String name) {
      this.threadName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The aggregator, with its publisher thread started. */
    public MetricsAggregator build() {
      return new MetricsAggregator(this);
    }
  }
}
