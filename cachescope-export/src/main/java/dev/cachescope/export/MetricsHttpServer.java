package dev.cachescope.export;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.webjars.WebJarVersionLocator;

/**
 * The design's API backend (§5.3) on the JDK's {@link HttpServer}: JSON endpoints, {@code /health}
 * and Prometheus {@code /metrics}.
 *
 * <table>
 *   <caption>Endpoints (GET or HEAD)</caption>
 *   <tr><td>{@code /api/metrics/cache/summary}</td><td>{@link MetricsAggregator#summary()}</td></tr>
 *   <tr><td>{@code /api/metrics/cache/{name}/snapshot}</td><td>one cache's snapshot</td></tr>
 *   <tr><td>{@code /api/metrics/cache/{name}/operations?limit=N&operation=O&result=R}</td>
 *       <td>recent operations, oldest first; N from 1 to the history size, default 100; the
 *       optional {@code operation} (get, set, ...) and {@code result} (hit, miss, ...) keep only
 *       the last N that match, searched over the whole history</td></tr>
 *   <tr><td>{@code /health}</td><td>each backend's state; status 503 while one is failing</td></tr>
 *   <tr><td>{@code /metrics}</td><td>Prometheus text, Micrometer's cache meter names</td></tr>
 *   <tr><td>{@code /api/metrics/cache/series?after=T}</td><td>every cache's time series
 *       ({@link MetricsAggregator#series}): points ending after epoch second T, default the whole
 *       last hour</td></tr>
 *   <tr><td>{@code /api/alerts}</td><td>alert rules, their state per cache, recent transitions,
 *       and caches whose trends are anomalous now</td></tr>
 *   <tr><td>{@code /api}</td><td>the list of endpoints</td></tr>
 *   <tr><td>{@code /}</td><td>the dashboard: an HTML page, with its script and style under {@code
 *       /dashboard/} and Chart.js from its WebJar under {@code /webjars/}; nothing from another
 *       host</td></tr>
 * </table>
 *
 * Errors are JSON {@code {"error": ..., "status": ...}}: 404 for an unknown cache or path, 400 for
 * a bad {@code limit}, {@code after}, {@code operation} or {@code result}, 405 for another method,
 * 401 without the bearer token when one is set, 413 for a request body, 414 for a URI over 2,048
 * characters, 503 when the bounded request queue is full. Bad input never gets a 500. With a token
 * set, the dashboard's page and assets (which hold no data) are served without it, and the page
 * sends the token it finds in its URL's fragment ({@code /#token=...}) with each API call.
 *
 * <p>Binds 127.0.0.1 unless told otherwise; port 0 takes a free port ({@link #port()}). Requests
 * run on a fixed pool of daemon threads with a bounded queue. Thread-safe; {@link #close()} stops
 * it.
 */
public final class MetricsHttpServer implements MonitoringBackend {
  private static final Logger LOG = LoggerFactory.getLogger("dev.cachescope.export");
  private static final String API = "/api/metrics/cache/";
  private static final int MAX_URI = 2_048;
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final String DASHBOARD = "dev/cachescope/export/dashboard/";
  private static final String DASHBOARD_PATH = "/dashboard/";
  private static final String WEBJARS_PATH = "/webjars/";
  private static final WebJarVersionLocator WEBJARS = new WebJarVersionLocator();

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, a keep-alive
    // client's delayed ACK then holds every response ~40 ms (measured: p50 44 ms at 40 req/s).
    // Read once when the JDK's server config loads, so set before the first server; a value the
    // user set wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final MetricsAggregator aggregator;
  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final byte @Nullable [] token;
  private final Supplier<List<BackendHealth>> otherBackends;
  private final HealthTracker health;
  private final Map<String, Handler> routes = new LinkedHashMap<>();
  private final @Nullable Supplier<Map<String, Object>> alerts;

  private MetricsHttpServer(Builder builder) throws IOException {
    this.aggregator = builder.aggregator;
    this.token =
        builder.token == null ? null : ("Bearer " + builder.token).getBytes(StandardCharsets.UTF_8);
    this.otherBackends = builder.otherBackends;
    this.alerts = builder.alerts;
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
    routes.put("/health", this::health);
    routes.put("/metrics", this::metrics);
    routes.put("/api", this::index);
    routes.put("/api/alerts", this::alerts);
    server.createContext("/", this::handle);
    server.start();
    this.health =
        new HealthTracker("api", "serving on http://" + builder.bindAddress + ":" + port());
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

  @FunctionalInterface
  private interface Handler {
    Response handle(HttpExchange exchange) throws IOException;
  }

  private record Response(int status, String contentType, byte[] body, String cacheControl) {
    Response(int status, String contentType, byte[] body) {
      this(status, contentType, body, "no-store");
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    Response response;
    try {
      response = route(exchange);
    } catch (RuntimeException e) {
      LOG.warn("cachescope: API request {} failed", exchange.getRequestURI(), e);
      health.failed("serving " + exchange.getRequestURI().getRawPath(), e);
      response = error(500, "internal error; see the application log");
    }
    send(exchange, response);
  }

  private Response route(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    if (uri.toString().length() > MAX_URI) {
      return error(414, "request URI longer than " + MAX_URI + " characters");
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      return error(405, method + " is not allowed; use GET");
    }
    Headers headers = exchange.getRequestHeaders();
    String length = headers.getFirst("Content-Length");
    if ((length != null && !length.trim().equals("0"))
        || headers.containsKey("Transfer-Encoding")) {
      return error(413, "GET requests take no body");
    }
    String path = uri.getRawPath();
    Response asset = asset(path);
    if (asset != null) {
      return asset;
    }
    byte[] expected = token;
    if (expected != null) {
      String given = headers.getFirst("Authorization");
      if (given == null
          || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        return error(401, "missing or wrong token; send Authorization: Bearer <token>");
      }
    }
    Handler handler = routes.get(path);
    if (handler != null) {
      return handler.handle(exchange);
    }
    if (path.startsWith(API)) {
      return api(path.substring(API.length()), uri.getRawQuery());
    }
    return error(404, "no such endpoint: " + path + "; GET /api lists them");
  }

  private Response api(String rest, @Nullable String query) throws IOException {
    if (rest.equals("summary")) {
      return json(200, aggregator.summary());
    }
    if (rest.equals("series")) {
      return series(query);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return error(404, "no such endpoint: " + API + rest + "; GET /api lists them");
    }
    String name = decode(rest.substring(0, slash));
    String what = rest.substring(slash + 1);
    Optional<CacheMonitor> monitor = aggregator.monitor(name);
    if (monitor.isEmpty()) {
      return error(404, "no cache named '" + name + "'; known caches: " + aggregator.cacheNames());
    }
    return switch (what) {
      case "snapshot" -> json(200, monitor.get().snapshot());
      case "operations" -> operations(monitor.get(), query);
      default -> error(404, "no such endpoint: " + what + "; use snapshot or operations");
    };
  }

  private Response operations(CacheMonitor monitor, @Nullable String query) throws IOException {
    try {
      return json(
          200,
          ApiViews.operations(
              monitor,
              queryParameter(query, "limit"),
              queryParameter(query, "operation"),
              queryParameter(query, "result")));
    } catch (IllegalArgumentException e) {
      return error(400, String.valueOf(e.getMessage()));
    }
  }

  private Response series(@Nullable String query) throws IOException {
    String raw = queryParameter(query, "after");
    double after = 0;
    if (raw != null) {
      try {
        after = Double.parseDouble(raw);
      } catch (NumberFormatException e) {
        after = Double.NaN;
      }
      if (!Double.isFinite(after) || after < 0) {
        return error(
            400, "after must be a Unix time in seconds, such as 1764000000.5, got '" + raw + "'");
      }
    }
    return json(200, aggregator.series(after));
  }

  /**
   * The dashboard's page or one of its assets, or {@code null} if {@code path} names none of them.
   */
  private static @Nullable Response asset(String path) throws IOException {
    String resource = null;
    if (path.equals("/")) {
      resource = DASHBOARD + "index.html";
    } else if (path.startsWith(DASHBOARD_PATH)) {
      String file = path.substring(DASHBOARD_PATH.length());
      if (!file.matches("[a-z0-9-]+\\.(html|js|css|svg)")) {
        return error(404, "no such dashboard file: " + path);
      }
      resource = DASHBOARD + file;
    } else if (path.startsWith(WEBJARS_PATH)) {
      String rest = path.substring(WEBJARS_PATH.length());
      int slash = rest.indexOf('/');
      if (slash > 0 && !rest.contains("..")) {
        resource = WEBJARS.fullPath(rest.substring(0, slash), rest.substring(slash + 1));
      }
      if (resource == null) {
        return error(404, "no such WebJar asset: " + path);
      }
    } else {
      return null;
    }
    byte[] body;
    try (InputStream in = MetricsHttpServer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return error(404, "no such dashboard file: " + path);
      }
      body = in.readAllBytes();
    }
    return new Response(200, contentType(resource), body, "no-cache");
  }

  private static String contentType(String resource) {
    String extension = resource.substring(resource.lastIndexOf('.') + 1);
    return switch (extension) {
      case "html" -> "text/html; charset=utf-8";
      case "js" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "json", "map" -> JSON_TYPE;
      default -> "application/octet-stream";
    };
  }

  private Response alerts(HttpExchange exchange) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    Supplier<Map<String, Object>> source = alerts;
    if (source != null) {
      body.putAll(source.get());
    } else {
      body.put("rules", List.of());
      body.put("alerts", List.of());
      body.put("events", List.of());
    }
    body.put("anomalies", AlertBackend.anomalies(aggregator.snapshots()));
    return json(200, body);
  }

  private Response health(HttpExchange exchange) throws IOException {
    List<BackendHealth> backends = new ArrayList<>(otherBackends.get());
    backends.add(health());
    boolean ok = backends.stream().allMatch(BackendHealth::ok);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ok ? "ok" : "degraded");
    body.put("caches", aggregator.cacheNames().size());
    body.put("backends", backends);
    return json(ok ? 200 : 503, body);
  }

  private Response metrics(HttpExchange exchange) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8_192);
    PrometheusExposition.write(out, aggregator.snapshots());
    return new Response(200, PrometheusExposition.CONTENT_TYPE, out.toByteArray());
  }

  private Response index(HttpExchange exchange) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "endpoints",
        List.of(
            API + "summary",
            API + "{name}/snapshot",
            API + "{name}/operations?limit=100",
            API + "series?after=0",
            "/api/alerts",
            "/health",
            "/metrics"));
    body.put("caches", aggregator.cacheNames());
    return json(200, body);
  }

  private static @Nullable String queryParameter(@Nullable String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (key.equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  private static Response json(int status, Object body) throws IOException {
    return new Response(status, JSON_TYPE, Json.MAPPER.writeValueAsBytes(body));
  }

  private static Response error(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    try {
      return json(status, body);
    } catch (IOException e) {
      return new Response(status, JSON_TYPE, new byte[0]);
    }
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      Headers headers = exchange.getResponseHeaders();
      headers.set("Cache-Control", response.cacheControl());
      headers.set("X-Content-Type-Options", "nosniff");
      if (response.contentType().startsWith("text/html")) {
        headers.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:");
      }
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

    /** Where {@code /api/alerts} finds the alert rules' states (set by {@link Monitoring}). */
    Builder alerts(Supplier<Map<String, Object>> alerts) {
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
