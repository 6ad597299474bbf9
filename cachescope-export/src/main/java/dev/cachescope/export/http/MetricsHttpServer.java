package dev.cachescope.export.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.BackendHealth;
import dev.cachescope.export.MonitoringBackend;
import dev.cachescope.export.internal.HealthTracker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The seed design's API backend (see docs/exporters.md) on the JDK's {@link HttpServer}: JSON
 * endpoints, {@code /health} and Prometheus {@code /metrics}.
 *
 * <p>What it serves is {@link HttpApi}'s route table: {@code GET /api} lists the endpoints, and
 * docs/exporters.md describes each.
 *
 * <p>Errors are JSON {@code {"error": ..., "status": ...}}: 404 for an unknown cache or path, 400
 * for a bad {@code limit}, {@code after}, {@code operation} or {@code result}, 405 for another
 * method, 401 without the bearer token when one is set, 413 for a request body, 414 for a URI over
 * 2,048 characters, 503 when the bounded request queue is full. Bad input never gets a 500. With a
 * token set, the dashboard's page and assets (which hold no data) are served without it, and the
 * page sends the token it finds in its URL's fragment ({@code /#token=...}) with each API call.
 *
 * <p>Binds 127.0.0.1 unless told otherwise; port 0 takes a free port ({@link #port()}). Requests
 * run on a fixed pool of daemon threads with a bounded queue. Thread-safe; {@link #close()} stops
 * it.
 */
public final class MetricsHttpServer implements MonitoringBackend {
  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, a keep-alive
    // client's delayed ACK then holds every response ~40 ms (measured: p50 44 ms at 40 req/s).
    // Read once when the JDK's server config loads, so set before the first server; a value the
    // user set wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final HealthTracker health;
  private final HttpApi api;

  private MetricsHttpServer(Builder builder) throws IOException {
    AtomicInteger threadNumber = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            builder.threads,
            builder.threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(builder.queue),
            runnable -> {
              Thread t = new Thread(runnable, "cachescope-http-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            (runnable, pool) -> {
              throw new java.util.concurrent.RejectedExecutionException("request queue full");
            });
    this.server =
        HttpServer.create(
            new InetSocketAddress(builder.bindAddress, builder.port), builder.backlog);
    server.setExecutor(executor);
    this.health =
        new HealthTracker(
            "api",
            "serving on http://" + builder.bindAddress + ":" + server.getAddress().getPort());
    Supplier<List<BackendHealth>> others = builder.otherBackends;
    HttpApi.Builder handler = HttpApi.builder(builder.aggregator);
    if (server.getAddress().getAddress().isLoopbackAddress()) {
      handler.allowedHosts(builder.allowedHosts);
    }
    this.api =
        handler
            .token(builder.token)
            .health(
                () -> {
                  List<BackendHealth> all = new ArrayList<>(others.get());
                  all.add(health.health());
                  return all;
                })
            .alerts(builder.alerts)
            .failures(e -> health.failed("serving a request", e))
            .build();
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts configuring a server over {@code aggregator}. */
  public static Builder builder(MetricsAggregator aggregator) {
    return new Builder(aggregator);
  }

  /** The port it is bound to; useful after {@code port(0)}. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Its base URL, such as {@code http://127.0.0.1:8080}. */
  public String url() {
    InetSocketAddress address = server.getAddress();
    String host = address.getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    Headers headers = exchange.getRequestHeaders();
    URI uri = exchange.getRequestURI();
    send(
        exchange,
        api.handle(
            HttpApi.Request.of(
                exchange.getRequestMethod(),
                uri.getRawPath(),
                uri.getRawQuery(),
                headers::getFirst)));
  }

  private static void send(HttpExchange exchange, HttpApi.Response response) throws IOException {
    try (exchange) {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Type", response.contentType());
      headers.set("Cache-Control", response.cacheControl());
      response.headers().forEach(headers::set);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    }
  }

  @Override
  public BackendHealth health() {
    return health.health();
  }

  /** Stops serving; requests in flight get a second to finish. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }

  /** Configures a {@link MetricsHttpServer}. */
  public static final class Builder {
    private final MetricsAggregator aggregator;
    private String bindAddress = "127.0.0.1";
    private List<String> allowedHosts = List.of();
    private int port = 8080;
    private @Nullable String token;
    private int threads = 4;
    private int queue = 64;
    private int backlog = 64;
    private Supplier<List<BackendHealth>> otherBackends = List::of;
    private @Nullable Supplier<Map<String, Object>> alerts;

    private Builder(MetricsAggregator aggregator) {
      this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
    }

    /** The address to bind; default 127.0.0.1. */
    public Builder bindAddress(String address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The port; 0 takes a free one. Default 8080. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be from 0 to 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** Require {@code Authorization: Bearer <token>}; null (the default) requires nothing. */
    public Builder token(@Nullable String token) {
      this.token = token == null || token.isBlank() ? null : token;
      return this;
    }

    /** Request threads; default 4. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Where {@code /health} finds the other backends' states. */
    public Builder health(Supplier<List<BackendHealth>> otherBackends) {
      this.otherBackends = Objects.requireNonNull(otherBackends, "otherBackends");
      return this;
    }

    /**
     * Names besides {@code localhost}, {@code 127.0.0.1} and {@code [::1]} that the server answers
     * to while it is bound to a loopback address; requests whose {@code Host} names another host
     * get a JSON 421, and cross-origin reads from other hosts a 403 (DNS rebinding). A server bound
     * to another address answers to any name.
     */
    public Builder allowedHosts(List<String> hosts) {
      this.allowedHosts = List.copyOf(hosts);
      return this;
    }

    /** Where {@code /api/alerts} finds the alert rules' states (set by {@link Monitoring}). */
    public Builder alerts(Supplier<Map<String, Object>> alerts) {
      this.alerts = Objects.requireNonNull(alerts, "alerts");
      return this;
    }

    /**
     * Binds and starts the server.
     *
     * @throws IOException if the address cannot be bound (a port in use, say)
     */
    public MetricsHttpServer start() throws IOException {
      return new MetricsHttpServer(this);
    }
  }
}
