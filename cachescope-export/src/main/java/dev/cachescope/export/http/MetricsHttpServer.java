package dev.cachescope.export.http;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.BackendHealth;
import dev.cachescope.export.MonitoringBackend;
import dev.cachescope.export.internal.HealthTracker;
import dev.cachescope.shaded.jetty.http.HttpException;
import dev.cachescope.shaded.jetty.http.HttpFields;
import dev.cachescope.shaded.jetty.http.HttpHeader;
import dev.cachescope.shaded.jetty.http.HttpURI;
import dev.cachescope.shaded.jetty.http.UriCompliance;
import dev.cachescope.shaded.jetty.io.ByteBufferPool;
import dev.cachescope.shaded.jetty.server.Handler;
import dev.cachescope.shaded.jetty.server.HttpConfiguration;
import dev.cachescope.shaded.jetty.server.HttpConnectionFactory;
import dev.cachescope.shaded.jetty.server.NetworkConnectionLimit;
import dev.cachescope.shaded.jetty.server.Request;
import dev.cachescope.shaded.jetty.server.Response;
import dev.cachescope.shaded.jetty.server.Server;
import dev.cachescope.shaded.jetty.server.ServerConnector;
import dev.cachescope.shaded.jetty.server.handler.ErrorHandler;
import dev.cachescope.shaded.jetty.util.Callback;
import dev.cachescope.shaded.jetty.util.thread.QueuedThreadPool;
import dev.cachescope.shaded.jetty.util.thread.ScheduledExecutorScheduler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The seed design's API backend (see docs/exporters.md): JSON endpoints, {@code /health},
 * Prometheus {@code /metrics} and the dashboard, on an embedded Jetty that cachescope carries
 * relocated (package {@code dev.cachescope.shaded.jetty}), so it never meets a server the
 * application brings.
 *
 * <p>What it serves is {@link HttpApi}'s route table: {@code GET /api} lists the endpoints, and
 * docs/exporters.md describes each.
 *
 * <p>Every error is JSON {@code {"error": ..., "status": ...}}: 404 for an unknown cache or path,
 * 400 for a bad {@code limit}, {@code after}, {@code operation} or {@code result} and for a request
 * that is not HTTP (a malformed request line, bad percent-encoding, an unknown version), 405 for
 * another method, 401 without the bearer token when one is set, 413 for a request body, 414 for a
 * URI over 2,048 characters or a request line over the header limit, 431 for headers over 8 KiB,
 * 421 or 403 for a foreign {@code Host} or {@code Origin} (see {@link Builder#allowedHosts}), and
 * 503 with {@code Retry-After} when the bounded request queue is full. Bad input never gets a 500.
 * With a token set, the dashboard's page and assets (which hold no data) are served without it, and
 * the page sends the token it finds in its URL's fragment ({@code /#token=...}) with each API call.
 *
 * <p>Slow and many clients: a connection that makes no progress reading or writing for {@link
 * Builder#idleTimeout} is closed; at most {@link Builder#maxConnections} are open at once (past
 * that, new ones wait in the listen backlog and idle ones are closed after a second); a connection
 * holds no thread while it waits. Requests run on {@link Builder#threads} daemon threads behind a
 * queue of 64; past that a request gets the 503 at once.
 *
 * <p>Binds 127.0.0.1 unless told otherwise; port 0 takes a free port ({@link #port()}).
 * Thread-safe; {@link #close()} stops it.
 */
public final class MetricsHttpServer implements MonitoringBackend {
  /** Header bytes a request may send, request line included; past it, a 431 or 414. */
  static final int MAX_HEADER_BYTES = 8_192;

  private static final int QUEUE = 64;
  private static final int BACKLOG = 128;
  private static final long IDLE_UNDER_PRESSURE_MS = 1_000;

  private final Server server;
  private final ServerConnector connector;
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
            new ArrayBlockingQueue<>(QUEUE),
            runnable -> {
              Thread t = new Thread(runnable, "cachescope-http-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    // Jetty's own threads only accept, parse and hand over, so a few suffice; the API's work runs
    // on the executor above, whose queue is what bounds it.
    QueuedThreadPool jettyThreads = new QueuedThreadPool(8, 2);
    jettyThreads.setName("cachescope-http-io");
    jettyThreads.setDaemon(true);
    jettyThreads.setReservedThreads(0);
    // No pooled buffers: in Jetty 12.1.14 a connection refused for an oversized request (a 414)
    // can give its request buffer back to the pool while it still uses it, and the connection that
    // takes it next is closed unanswered or parses another client's bytes (HostileClientsTest
    // shows both). Each connection allocates its own heap buffers instead: a few KB of young
    // garbage a request, which the API's rates never notice.
    this.server =
        new Server(
            jettyThreads,
            new ScheduledExecutorScheduler("cachescope-http-timer", true),
            new ByteBufferPool.NonPooling());
    // close() lets requests in flight finish first; Jetty itself then stops at once.
    server.setStopTimeout(0);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(MAX_HEADER_BYTES);
    http.setUseInputDirectByteBuffers(false);
    http.setUseOutputDirectByteBuffers(false);
    http.setIdleTimeout(builder.idleTimeout.toMillis());
    // Paths are decoded by HttpApi, which answers what it cannot decode with a JSON 400; Jetty
    // would otherwise refuse encoded slashes in cache names.
    http.setUriCompliance(UriCompliance.UNSAFE);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(builder.bindAddress);
    connector.setPort(builder.port);
    connector.setIdleTimeout(builder.idleTimeout.toMillis());
    connector.setAcceptQueueSize(BACKLOG);
    server.addConnector(connector);
    NetworkConnectionLimit limit = new NetworkConnectionLimit(builder.maxConnections, connector);
    limit.setEndPointIdleTimeout(IDLE_UNDER_PRESSURE_MS);
    server.addBean(limit);
    server.setErrorHandler(new JsonErrors());

    Supplier<List<BackendHealth>> others = builder.otherBackends;
    HttpApi.Builder handler = HttpApi.builder(builder.aggregator);
    if (InetAddress.getByName(builder.bindAddress).isLoopbackAddress()) {
      handler.allowedHosts(builder.allowedHosts);
    }
    this.health = new HealthTracker("api", "starting");
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
    server.setHandler(new ApiHandler());
    start();
    health.ok("serving on " + url());
  }

  private void start() throws IOException {
    try {
      server.start();
    } catch (IOException e) {
      stopQuietly();
      // "Address already in use" and its kind, as a plain bind would report them.
      throw e.getCause() instanceof BindException bind ? bind : e;
    } catch (Exception e) {
      stopQuietly();
      throw new IOException("cannot start the API server: " + e.getMessage(), e);
    }
  }

  private void stopQuietly() {
    try {
      server.stop();
    } catch (Exception e) {
      // It did not start; there is nothing left to stop.
    } finally {
      executor.shutdownNow();
    }
  }

  /** Starts configuring a server over {@code aggregator}. */
  public static Builder builder(MetricsAggregator aggregator) {
    return new Builder(aggregator);
  }

  /** The port it is bound to; useful after {@code port(0)}. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Its base URL, such as {@code http://127.0.0.1:8080}. */
  public String url() {
    String host = connector.getHost();
    try {
      host = InetAddress.getByName(host).getHostAddress();
    } catch (IOException e) {
      // Keep the name it was given.
    }
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** Hands each request to the executor; answers a full queue with a JSON 503 at once. */
  private final class ApiHandler extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      try {
        executor.execute(() -> answer(request, response, callback));
      } catch (RejectedExecutionException e) {
        HttpApi.Response busy =
            HttpApi.errorResponse(
                503,
                executor.isShutdown()
                    ? "the API is stopping"
                    : "the API is busy (request queue full); retry in a second");
        send(request, response, callback, busy, Map.of("Retry-After", "1"));
      }
      return true;
    }
  }

  private void answer(Request request, Response response, Callback callback) {
    try {
      HttpURI uri = request.getHttpURI();
      HttpFields headers = request.getHeaders();
      String path = uri.getPath();
      HttpApi.Response answer =
          api.handle(
              HttpApi.Request.of(
                  request.getMethod(), path == null ? "/" : path, uri.getQuery(), headers::get));
      send(request, response, callback, answer, Map.of());
    } catch (RuntimeException e) {
      health.failed("serving a request", e);
      callback.failed(e);
    }
  }

  private static void send(
      Request request,
      Response response,
      Callback callback,
      HttpApi.Response answer,
      Map<String, String> extra) {
    response.setStatus(answer.status());
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
    headers.put(HttpHeader.CACHE_CONTROL, answer.cacheControl());
    answer.headers().forEach(headers::put);
    extra.forEach(headers::put);
    headers.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
    boolean head = request.getMethod().equals("HEAD");
    response.write(true, head ? null : ByteBuffer.wrap(answer.body()), callback);
  }

  /**
   * What Jetty answers itself (a request that is not HTTP, headers or a request line too large)
   * goes out as the API's JSON errors. A version Jetty does not speak is the client's error: a 400,
   * not a 505.
   */
  private static final class JsonErrors implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus();
      Object cause = request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
      if (cause instanceof HttpException http) {
        status = http.getCode();
      }
      String reason = cause instanceof HttpException http ? http.getReason() : null;
      HttpApi.Response answer =
          HttpApi.errorResponse(clientStatus(status), message(status, reason));
      send(
          request,
          response,
          callback,
          answer,
          status == 503 ? Map.of("Retry-After", "1") : Map.of());
      return true;
    }

    private static int clientStatus(int status) {
      return status == 505 || status < 400 ? 400 : status;
    }

    private static String message(int status, @Nullable String reason) {
      switch (status) {
        case 414:
          return "request line too long: the API's URIs are at most 2,048 characters";
        case 431:
          return "request headers too large: at most " + MAX_HEADER_BYTES + " bytes in all";
        case 505:
          return "HTTP version not supported; send HTTP/1.1";
        case 503:
          return "the API is not available; retry in a second";
        default:
          return "bad request"
              + (reason == null || reason.isBlank() ? "" : ": " + reason)
              + "; send an HTTP/1.1 GET such as GET /api HTTP/1.1";
      }
    }
  }

  @Override
  public BackendHealth health() {
    return health.health();
  }

  /**
   * Stops serving: requests already taken get a second to finish (new ones get the 503 meanwhile),
   * then every connection is closed.
   */
  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      server.stop();
    } catch (Exception e) {
      health.failed("stopping", e instanceof RuntimeException r ? r : new IllegalStateException(e));
    } finally {
      executor.shutdownNow();
    }
  }

  /** Configures a {@link MetricsHttpServer}. */
  public static final class Builder {
    private final MetricsAggregator aggregator;
    private String bindAddress = "127.0.0.1";
    private List<String> allowedHosts = List.of();
    private int port = 8080;
    private @Nullable String token;
    private int threads = 4;
    private int maxConnections = 512;
    private Duration idleTimeout = Duration.ofSeconds(10);
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

    /**
     * Connections open at once; default 512. Past it, new connections wait in the listen backlog
     * and the open ones that are idle are closed after a second.
     */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException(
            "maxConnections must be at least 1, was " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /**
     * How long a connection may make no progress, reading a request or writing a response, before
     * it is closed; default 10 seconds.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      if (idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
      }
      this.idleTimeout = idleTimeout;
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
     * @throws IOException if the address cannot be bound (a port in use, say: a {@link
     *     BindException})
     */
    public MetricsHttpServer start() throws IOException {
      return new MetricsHttpServer(this);
    }
  }
}
