package dev.cachescope.export;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.alerts.AlertBackend;
import dev.cachescope.export.config.BackendConfig;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.export.files.HistogramLogFiles;
import dev.cachescope.export.files.OperationLog;
import dev.cachescope.export.files.SnapshotFiles;
import dev.cachescope.export.http.HttpApi;
import dev.cachescope.export.http.MetricsHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The backends a {@link MonitoringConfig} asks for, running over one aggregator: the logger, the
 * snapshot files, the alert rules and the HTTP API, whose {@code /health} reports all of them.
 * Nothing runs when the configuration is disabled. {@link #close()} stops them, the snapshot files
 * after a last round.
 */
public final class Monitoring implements AutoCloseable {
  private final MetricsAggregator aggregator;
  private final List<MonitoringBackend> backends;
  private final @Nullable MetricsHttpServer server;
  private final @Nullable AlertBackend alerts;

  private Monitoring(
      MetricsAggregator aggregator,
      List<MonitoringBackend> backends,
      @Nullable MetricsHttpServer server,
      @Nullable AlertBackend alerts) {
    this.aggregator = aggregator;
    this.backends = backends;
    this.server = server;
    this.alerts = alerts;
  }

  /**
   * Starts every enabled backend of {@code config}.
   *
   * @throws UncheckedIOException if the API's address cannot be bound (a port in use); backends
   *     already started are stopped first
   */
  public static Monitoring start(MonitoringConfig config, MetricsAggregator aggregator) {
    List<MonitoringBackend> started = new ArrayList<>();
    if (!config.enabled()) {
      return new Monitoring(aggregator, started, null, null);
    }
    config.logger().ifPresent(b -> started.add(OperationLog.start(aggregator, b)));
    config
        .json()
        .ifPresent(
            b -> {
              started.add(SnapshotFiles.start(aggregator, b));
              started.add(HistogramLogFiles.start(aggregator, b));
            });
    AlertBackend alerts = null;
    if (!config.alerts().rules().isEmpty()) {
      alerts = AlertBackend.start(aggregator, config.alerts());
      started.add(alerts);
    }
    MetricsHttpServer server = null;
    Optional<BackendConfig.Api> api = config.api();
    if (api.isPresent()) {
      BackendConfig.Api b = api.get();
      List<MonitoringBackend> others = List.copyOf(started);
      try {
        MetricsHttpServer.Builder builder =
            MetricsHttpServer.builder(aggregator)
                .bindAddress(b.bindAddress())
                .port(b.port())
                .token(b.token())
                .threads(b.threads())
                .allowedHosts(b.allowedHosts())
                .health(() -> others.stream().map(MonitoringBackend::health).toList());
        if (alerts != null) {
          builder.alerts(alerts::report);
        }
        server = builder.start();
      } catch (IOException e) {
        started.forEach(MonitoringBackend::close);
        throw new UncheckedIOException(
            "cannot serve the API on " + b.bindAddress() + ":" + b.port() + ": " + e.getMessage(),
            e);
      }
      started.add(server);
    }
    return new Monitoring(aggregator, List.copyOf(started), server, alerts);
  }

  /** The HTTP server, when the api backend runs. */
  public Optional<MetricsHttpServer> server() {
    return Optional.ofNullable(server);
  }

  /**
   * The API and dashboard for a server the application already runs (see {@link HttpApi}), with
   * these backends' health and alerts, whether or not the api backend runs too.
   *
   * @param token the bearer token its data requires, or null for none
   */
  public HttpApi httpApi(@Nullable String token) {
    AlertBackend alertBackend = alerts;
    return HttpApi.builder(aggregator)
        .token(token)
        .health(this::health)
        .alerts(alertBackend == null ? null : alertBackend::report)
        .build();
  }

  /** Every running backend's state. */
  public List<BackendHealth> health() {
    return backends.stream().map(MonitoringBackend::health).toList();
  }

  /** The running backends. */
  public List<MonitoringBackend> backends() {
    return backends;
  }

  @Override
  public void close() {
    for (MonitoringBackend backend : backends) {
      backend.close();
    }
  }
}
