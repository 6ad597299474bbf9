package dev.cachescope.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.MetricsSummary;
import dev.cachescope.app.demo.DefinitionGenerator;
import dev.cachescope.app.demo.DefinitionStore;
import dev.cachescope.app.demo.RuleCache;
import dev.cachescope.app.demo.ServiceContainer;
import dev.cachescope.app.demo.Workload;
import dev.cachescope.export.Monitoring;
import dev.cachescope.export.config.BackendConfig;
import dev.cachescope.export.config.ConfigException;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.instrument.Memoized;
import dev.cachescope.instrument.MemoizedSupplier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cachescope demo}: the seed design's caches, in Java, under load, monitored end to end. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a small definitions application on real Java caches - RuleCache (Caffeine),"
          + " ServiceContainer (memoized), FileCache and CacheManager (Ehcache 3, heap + disk,"
          + " through JCache), generateDefinition (memoized function) - under a Zipf workload,"
          + " with the logger, json and api backends on.",
      "Open the dashboard URL it prints in a browser.",
      "Stop with Ctrl-C, or let --duration end it; either way the last snapshots are written."
    })
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--duration",
      description = "How long to run, e.g. 30s, 5m, 1h; default: until Ctrl-C.",
      converter = DurationConverter.class)
  @Nullable Duration duration;

  @Option(
      names = "--rate",
      defaultValue = "200",
      description = "Requests per second the workload makes (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--port",
      description = "API and dashboard port; 0 takes any free port (default: the config's, 8080).")
  @Nullable Integer port;

  @Option(
      names = "--config",
      description = "monitoring.yaml to use (default: config/monitoring.yaml if present).")
  @Nullable Path config;

  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description =
          "Where the demo keeps its rules and Ehcache's disk tier (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--summary-every",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How often to print the one-line summary (default: ${DEFAULT-VALUE}).")
  Duration summaryEvery;

  /** Counted down once the caches are closed and the last snapshots written. */
  private final CountDownLatch finished = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    try {
      return runDemo();
    } finally {
      finished.countDown();
    }
  }

  private Integer runDemo() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (rate < 1 || rate > 100_000) {
      throw new UserError("--rate must be from 1 to 100000 requests per second, got " + rate);
    }
    prepareDataDir(dataDir);
    MonitoringConfig configuration = loadConfig();
    configureLogFile(configuration);
    try (MetricsAggregator aggregator = MetricsAggregator.create()) {
      Monitoring monitoring;
      try {
        monitoring = Monitoring.start(configuration, aggregator);
      } catch (UncheckedIOException e) {
        throw new UserError(
            e.getMessage()
                + "; the port is probably in use: pass --port <another> or --port 0 for any free"
                + " port");
      }
      try (monitoring;
          DefinitionStore store =
              new DefinitionStore(dataDir.resolve("ehcache"), aggregator, configuration)) {
        RuleCache.installShippedRules(dataDir.resolve("rules"));
        RuleCache rules =
            new RuleCache(
                dataDir.resolve("rules"), aggregator, configuration.monitorOptions("RuleCache"));
        MemoizedSupplier<ServiceContainer> container =
            Memoized.supplier(ServiceContainer::new, aggregator, "ServiceContainer");
        DefinitionGenerator generator = new DefinitionGenerator(aggregator);
        List<Workload> workloads = new ArrayList<>();
        for (int i = 0; i < workersFor(rate); i++) {
          workloads.add(new Workload(container, rules, generator, store, 2_000, 42 + i));
        }

        banner(out, configuration, monitoring, workloads.size());
        run(out, aggregator, workloads, generator);
        out.println();
        out.printf(
            Locale.ROOT,
            "Stopped after %,d requests; the last snapshots are being written.%n",
            requests(workloads));
        out.flush();
      }
    }
    return 0;
  }

  private MonitoringConfig loadConfig() {
    Path file = config;
    if (file != null && !Files.isReadable(file)) {
      throw new UserError(
          "cannot read config file "
              + file
              + "; check the path, or leave out --config to use the"
              + " defaults");
    }
    if (file == null && Files.isReadable(Path.of("config/monitoring.yaml"))) {
      file = Path.of("config/monitoring.yaml");
    }
    MonitoringConfig loaded;
    try {
      loaded = file == null ? demoDefaults() : MonitoringConfig.load(file);
    } catch (ConfigException e) {
      throw new UserError(e.getMessage() + " (fix the file, or leave out --config)");
    }
    return port == null ? loaded : withPort(loaded, port);
  }

  /** Less free space than this under {@code --data-dir} refuses the start. */
  static final long MIN_FREE_BYTES = 1 << 20;

  /** The data directory exists, is writable and has room, or one line says what to pass instead. */
  private static void prepareDataDir(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError(
          "--data-dir "
              + dir
              + " is a file, not a directory; pass a directory (created if missing)");
    }
    long usable;
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".cachescope-write-test", "");
      Files.delete(probe);
      usable = Files.getFileStore(dir).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      throw new UserError(
          "--data-dir "
              + dir
              + " cannot be written ("
              + e.getMessage()
              + "); pass a directory this user can write, or free some space");
    }
    if (usable < MIN_FREE_BYTES) {
      throw new UserError(
          String.format(
              Locale.ROOT,
              "--data-dir %s has %,d KiB free; the demo needs at least %,d KiB (its snapshots,"
                  + " rules and disk tier): free some space or pass another directory",
              dir,
              usable / 1024,
              MIN_FREE_BYTES / 1024));
    }
  }

  /** With no file, the demo turns on all three backends, snapshots every 10 s. */
  private static MonitoringConfig demoDefaults() {
    MonitoringConfig base = MonitoringConfig.load(null, System.getenv());
    if (System.getenv(MonitoringConfig.ENV_BACKENDS) != null) {
      return base;
    }
    List<BackendConfig> backends = new ArrayList<>();
    for (BackendConfig b : base.backends()) {
      BackendConfig on = b.withEnabled(true);
      backends.add(
          on instanceof BackendConfig.Json json ? json.withDirectory(json.dataDir(), 10) : on);
    }
    return base.withBackends(backends);
  }

  private static MonitoringConfig withPort(MonitoringConfig config, int port) {
    if (port < 0 || port > 65_535) {
      throw new UserError("--port must be from 0 to 65535 (0 = any free port), got " + port);
    }
    List<BackendConfig> backends = new ArrayList<>();
    for (BackendConfig b : config.backends()) {
      backends.add(b instanceof BackendConfig.Api api ? api.withPort(port) : b);
    }
    return config.withBackends(backends);
  }

  /**
   * Points Logback's metrics file at the logger backend's {@code log_file}, once it is known to be
   * writable: Logback itself would print its whole status (some 90 lines) and run on without it.
   */
  private static void configureLogFile(MonitoringConfig config) {
    config
        .logger()
        .ifPresent(
            logger -> {
              requireWritable(Path.of(logger.logFile()));
              System.setProperty("cachescope.log.file", logger.logFile());
              if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
                context.reset();
                try {
                  new ContextInitializer(context).autoConfig();
                } catch (ch.qos.logback.core.joran.spi.JoranException e) {
                  throw new UserError(
                      "cannot configure logging for " + logger.logFile() + ": " + e);
                }
              }
            });
  }

  /** The log file can be created or appended to, or one line says which key to change. */
  private static void requireWritable(Path logFile) {
    Path file = logFile.toAbsolutePath();
    Path directory = file.getParent();
    String problem;
    try {
      if (directory != null) {
        Files.createDirectories(directory);
      }
      problem =
          Files.isDirectory(file)
              ? "it is a directory"
              : Files.exists(file) ? (Files.isWritable(file) ? null : "it is read-only") : null;
      if (problem == null && !Files.exists(file) && directory != null) {
        problem = Files.isWritable(directory) ? null : directory + " is read-only";
      }
    } catch (FileAlreadyExistsException e) {
      problem = e.getFile() + " is a file, not a directory";
    } catch (IOException | RuntimeException e) {
      problem = String.valueOf(e.getMessage());
    }
    if (problem != null) {
      throw new UserError(
          "log_file "
              + logFile
              + " cannot be written ("
              + problem
              + "); set the logger backend's log_file to a writable path in the config file, or"
              + " turn that backend off");
    }
  }

  /**
   * Workload threads for {@code rate} requests/s: one per 500 (a request's slowest step, the
   * FileCache's disk tier, takes up to a millisecond), at most two per core.
   */
  static int workersFor(int rate) {
    int cores = Runtime.getRuntime().availableProcessors();
    return Math.min((rate + 499) / 500, Math.max(2, 2 * cores));
  }

  private static long requests(List<Workload> workloads) {
    return workloads.stream().mapToLong(Workload::requests).sum();
  }

  private void banner(
      PrintWriter out, MonitoringConfig config, Monitoring monitoring, int workers) {
    out.println(
        "cachescope demo: a definitions application's caches under a Zipf workload of "
            + rate
            + " requests/s"
            + (workers == 1 ? "" : " on " + workers + " threads"));
    monitoring
        .server()
        .ifPresent(
            server -> {
              out.println("  dashboard: " + server.url() + "/");
              out.println("  API:       " + server.url() + "/api/metrics/cache/summary");
              out.println("  health:    " + server.url() + "/health");
              out.println("  metrics:   " + server.url() + "/metrics");
            });
    config.logger().ifPresent(b -> out.println("  log:       " + b.logFile()));
    config
        .json()
        .ifPresent(
            b ->
                out.println(
                    "  snapshots: "
                        + b.dataDir()
                        + "/ every "
                        + b.snapshotIntervalSeconds()
                        + " s"));
    out.println(
        duration == null
            ? "Press Ctrl-C to stop."
            : "Running for " + duration.toSeconds() + " s (Ctrl-C stops sooner).");
    out.flush();
  }

  private void run(
      PrintWriter out,
      MetricsAggregator aggregator,
      List<Workload> workloads,
      DefinitionGenerator generator)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    // On Ctrl-C the JVM halts when the hooks return: wait for the last snapshots first.
    Thread hook =
        new Thread(
            () -> {
              stopped.countDown();
              try {
                finished.await(15, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "cachescope-demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    long start = System.nanoTime();
    long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> threads = new ArrayList<>();
    int workers = workloads.size();
    // Each thread makes every workers-th request, offset so that together they are evenly spaced.
    long interval = workers * 1_000_000_000L / rate;
    for (int i = 0; i < workers; i++) {
      Workload workload = workloads.get(i);
      long first = start + i * (1_000_000_000L / rate);
      Thread thread =
          new Thread(() -> pace(workload, first, interval, running), "cachescope-demo-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    boolean interrupted = false;
    try {
      RateWatch watch = new RateWatch(rate, workers, start);
      long nextSummary = start + summaryEvery.toNanos();
      while (stopped.getCount() > 0) {
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        if (now >= nextSummary) {
          out.println(summaryLine(aggregator.summary(), now - start, generator));
          String shortfall = watch.check(requests(workloads), now);
          if (shortfall != null) {
            out.println(shortfall);
          }
          out.flush();
          nextSummary += summaryEvery.toNanos();
        }
        try {
          stopped.await(Math.min(nextSummary, end) - now, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
      }
    } finally {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(5_000);
      }
      if (interrupted) {
        // Stopped like Ctrl-C; the caller still closes the caches and writes the last snapshots.
        Thread.currentThread().interrupt();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down (Ctrl-C): the caller's try-with-resources still closes.
      }
    }
  }

  /**
   * One workload thread: a request every {@code interval} ns from {@code first}. Behind by more
   * than a second (the machine cannot keep up), it starts counting again from now rather than
   * bursting; {@link RateWatch} reports the shortfall.
   */
  private static void pace(Workload workload, long first, long interval, AtomicBoolean running) {
    long next = first;
    while (running.get()) {
      long now = System.nanoTime();
      if (next > now) {
        LockSupport.parkNanos(next - now);
        continue;
      }
      workload.request();
      next += interval;
      if (now - next > 1_000_000_000L) {
        next = now;
      }
    }
  }

  /**
   * Compares the requests made with the rate asked, once per summary: says so when the machine
   * reaches less than 90% of it, at the first such summary and then at most once a minute.
   */
  static final class RateWatch {
    private final int rate;
    private final int workers;
    private long lastRequests;
    private long lastNanos;
    private boolean warned;
    private long lastWarning;

    RateWatch(int rate, int workers, long startNanos) {
      this.rate = rate;
      this.workers = workers;
      this.lastNanos = startNanos;
    }

    /** The line to print about the rate reached since the last call, or null when it is met. */
    @Nullable String check(long requests, long nanos) {
      double seconds = (nanos - lastNanos) / 1e9;
      double reached = seconds <= 0 ? rate : (requests - lastRequests) / seconds;
      lastRequests = requests;
      lastNanos = nanos;
      if (reached >= 0.9 * rate || (warned && nanos - lastWarning < 60_000_000_000L)) {
        return null;
      }
      warned = true;
      lastWarning = nanos;
      return String.format(
          Locale.ROOT,
          "cachescope demo: reaching %,.0f requests/s of the %,d asked on %d workload thread%s;"
              + " this machine allows no more (ask for a lower --rate to keep the pace)",
          reached,
          rate,
          workers,
          workers == 1 ? "" : "s");
    }
  }

  static String summaryLine(
      MetricsSummary summary, long elapsedNanos, DefinitionGenerator generator) {
    StringBuilder line = new StringBuilder();
    long seconds = elapsedNanos / 1_000_000_000L;
    line.append(
        String.format(
            Locale.ROOT,
            "[%02d:%02d] %,d lookups, hit rate %.1f%% |",
            seconds / 60,
            seconds % 60,
            summary.totalRequests(),
            summary.overallHitRate() * 100));
    for (Map.Entry<String, CacheSnapshot> e : summary.caches().entrySet()) {
      CacheSnapshot s = e.getValue();
      line.append(String.format(Locale.ROOT, " %s %.0f%%", e.getKey(), s.hitRate() * 100));
      Long disk = s.sources().get("disk");
      if (disk != null && disk > 0) {
        line.append(String.format(Locale.ROOT, " (disk %,d)", disk));
      }
      line.append(',');
    }
    line.setLength(line.length() - 1);
    line.append(
        String.format(
            Locale.ROOT,
            " | tokens spent %,d, saved %,d",
            generator.tokensSpent(),
            generator.tokensSaved()));
    return line.toString();
  }

  /** Parses 30s, 5m, 1h, 250ms, or ISO-8601 (PT30S). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        Duration d;
        if (v.startsWith("pt") || v.startsWith("p")) {
          d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } else if (v.endsWith("ms")) {
          d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        } else if (v.endsWith("s")) {
          d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        } else if (v.endsWith("m")) {
          d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        } else if (v.endsWith("h")) {
          d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
        } else {
          throw new NumberFormatException();
        }
        if (d.isNegative() || d.isZero()) {
          throw new NumberFormatException();
        }
        return d;
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration; write it like 30s, 5m, 1h or 250ms");
      }
    }
  }
}
