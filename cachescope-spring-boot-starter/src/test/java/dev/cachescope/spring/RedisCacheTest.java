package dev.cachescope.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.testing.SystemTools;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Spring Boot's Redis cache manager against a real {@code redis-server} (Debian's package; CI
 * installs it): {@code @Cacheable} methods over Redis are counted, and their hits are remote.
 */
class RedisCacheTest {
  private static @Nullable Process redis;
  private static int port;

  @BeforeAll
  static void startRedis(@TempDir Path dir) throws Exception {
    Path server = SystemTools.require("redis-server", "redis-server");
    port = SystemTools.freePort();
    redis =
        new ProcessBuilder(
                server.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
              }
            });
  }

  @AfterAll
  static void stopRedis() throws InterruptedException {
    Process process = redis;
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void cacheableMethodsOverRedisAreCountedAsRemoteHits() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                BootLines.autoConfiguration(
                    "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
                    "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration"),
                BootLines.autoConfiguration(
                    "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
                    "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration"),
                CachescopeAutoConfiguration.class))
        .withUserConfiguration(QuoteConfiguration.class)
        .withPropertyValues(
            "spring.cache.type=redis",
            "spring.cache.cache-names=quotes",
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + port)
        .run(
            context -> {
              Quotes quotes = context.getBean(Quotes.class);
              for (int id : new int[] {1, 2, 1, 1}) {
                assertThat(quotes.quote(id)).isEqualTo("Quote " + id);
              }
              assertThat(quotes.calls()).isEqualTo(2);
              assertThat(
                      Objects.requireNonNull(
                          context.getBean(StringRedisTemplate.class).keys("quotes::*")))
                  .as("the values really are in Redis")
                  .containsExactlyInAnyOrder("quotes::1", "quotes::2");

              CacheSnapshot snapshot =
                  context.getBean(MetricsAggregator.class).snapshot("quotes").orElseThrow();
              assertThat(List.of(snapshot.hits(), snapshot.misses(), snapshot.puts()))
                  .containsExactly(2L, 2L, 2L);
              assertThat(snapshot.loads()).isEqualTo(2);
              assertThat(snapshot.sources()).containsEntry("remote", 2L);
            });
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class QuoteConfiguration {
    @Bean
    Quotes quotes() {
      return new Quotes();
    }
  }

  static class Quotes {
    private final AtomicInteger calls = new AtomicInteger();

    @Cacheable("quotes")
    public String quote(int id) {
      calls.incrementAndGet();
      return "Quote " + id;
    }

    public int calls() {
      return calls.get();
    }
  }
}
