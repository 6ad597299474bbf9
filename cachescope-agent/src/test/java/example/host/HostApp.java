package example.host;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.google.common.cache.CacheBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application with no cachescope code: it builds Caffeine, Guava, JCache (Ehcache) and Spring
 * caches and uses each a known number of times, so the agent's tests can check exact counts. It
 * reads commands from standard input: {@code use} builds and uses every cache once more (a new set
 * each time), {@code again} uses the first round's caches once more (the Spring cache: 1 hit, 1
 * miss with its load and put; {@code orders}: 1 put, 2 hits, 2 misses, 1 load; {@code squares}: 1
 * hit, 1 miss and load; {@code guava}: 1 put, 1 hit, 2 misses, 1 load; {@code jc1}: 1 put, 1 hit, 1
 * miss), {@code quit} ends it. It prints {@code READY} when it waits for a command, {@code USED}
 * after each round, and {@code DONE <what it saw>} lines the test compares with its own
 * expectations.
 *
 * <p>Each round, per cache (hits, misses, puts/loads):
 *
 * <ul>
 *   <li>{@code orders} (Caffeine, size 100): 3 puts, 3 hits, 2 misses;
 *   <li>{@code squares} (Caffeine loading): 2 misses and loads, 1 hit;
 *   <li>{@code async} (Caffeine async): 1 miss, 1 hit;
 *   <li>{@code tiny} (Caffeine, size 2): 10 puts, 8 evictions by size;
 *   <li>{@code guava} (Guava, size 10): 1 put, 1 hit, 1 miss;
 *   <li>JCache {@code jc<round>} (the default provider, Ehcache): 1 put, 1 hit, 1 miss;
 *   <li>Spring {@code books} (@Cacheable, a new ConcurrentMapCacheManager each round): 2 misses
 *       (each a load and a put), 1 hit.
 * </ul>
 */
public final class HostApp {
  private static final List<Object> KEEP = new ArrayList<>();
  private static Books firstBooks;
  private static Cache<String, String> firstOrders;
  private static LoadingCache<Integer, Integer> firstSquares;
  private static com.google.common.cache.Cache<String, String> firstGuava;
  private static javax.cache.Cache<String, String> firstJcache;

  private HostApp() {}

  public static void main(String[] args) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int round = 0;
    System.out.println("READY");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("quit")) {
        return;
      }
      if (line.equals("use")) {
        round++;
        use(round);
        System.out.println("USED " + round);
        System.out.println("READY");
      }
      if (line.equals("again") && firstBooks != null) {
        System.out.println("DONE again " + firstBooks.find(1) + " " + firstBooks.find(3));
        firstOrders.put("d", "D"); // site: orders-again
        String a = firstOrders.getIfPresent("a");
        String z = firstOrders.getIfPresent("z");
        String e1 = firstOrders.get("e", k -> "E");
        String e2 = firstOrders.get("e", k -> "F");
        System.out.println("DONE again-orders " + a + " " + z + " " + e1 + " " + e2);
        int square = firstSquares.get(2); // site: squares-again
        System.out.println("DONE again-squares " + square + " " + firstSquares.get(7));
        firstGuava.put("k", "K"); // site: guava-again
        String g = firstGuava.getIfPresent("g");
        String q = firstGuava.getIfPresent("q");
        String r;
        try {
          r = firstGuava.get("r", () -> "R");
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e);
        }
        System.out.println("DONE again-guava " + g + " " + q + " " + r);
        firstJcache.put("m", "M"); // site: jcache-again
        System.out.println(
            "DONE again-jcache " + firstJcache.get("j") + " " + firstJcache.get("n"));
        System.out.println("READY");
      }
    }
  }

  private static void use(int round) {
    Cache<String, String> orders = orders();
    if (firstOrders == null) {
      firstOrders = orders;
    }
    orders.put("a", "A");
    orders.put("b", "B");
    orders.put("c", "C");
    int found = 0;
    for (String key : List.of("a", "b", "c", "x", "y")) {
      found += orders.getIfPresent(key) == null ? 0 : 1;
    }
    System.out.println("DONE orders found " + found);

    LoadingCache<Integer, Integer> squares = squares();
    if (firstSquares == null) {
      firstSquares = squares;
    }
    int sum = squares.get(2) + squares.get(3) + squares.get(2);
    System.out.println("DONE squares sum " + sum);

    AsyncCache<String, String> async = async();
    String value = async.get("k", k -> "V").join() + async.get("k", k -> "W").join();
    System.out.println("DONE async " + value);

    Cache<Integer, Integer> tiny = tiny();
    for (int i = 0; i < 10; i++) {
      tiny.put(i, i);
    }
    tiny.cleanUp();
    System.out.println("DONE tiny size " + tiny.estimatedSize());

    com.google.common.cache.Cache<String, String> guava = guava();
    if (firstGuava == null) {
      firstGuava = guava;
    }
    guava.put("g", "G");
    System.out.println("DONE guava " + guava.getIfPresent("g") + " " + guava.getIfPresent("h"));

    javax.cache.CacheManager manager = Caching.getCachingProvider().getCacheManager();
    javax.cache.Cache<String, String> jc =
        manager.createCache("jc" + round, new MutableConfiguration<String, String>());
    jc.put("j", "J");
    if (firstJcache == null) {
      firstJcache = jc;
    }
    System.out.println("DONE jcache " + jc.get("j") + " " + jc.get("z"));

    AnnotationConfigApplicationContext spring =
        new AnnotationConfigApplicationContext(SpringConfig.class);
    Books books = spring.getBean(Books.class);
    if (firstBooks == null) {
      firstBooks = books;
    }
    System.out.println("DONE spring " + books.find(1) + " " + books.find(1) + " " + books.find(2));
    KEEP.addAll(List.of(orders, squares, async, tiny, guava, jc, spring));
  }

  private static Cache<String, String> orders() {
    Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(100);
    return builder.build(); // site: orders
  }

  private static LoadingCache<Integer, Integer> squares() {
    Caffeine<Object, Object> builder = Caffeine.newBuilder();
    return builder.build(k -> k * k); // site: squares
  }

  private static AsyncCache<String, String> async() {
    Caffeine<Object, Object> builder = Caffeine.newBuilder();
    return builder.buildAsync(); // site: async
  }

  private static Cache<Integer, Integer> tiny() {
    Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(2).executor(Runnable::run);
    return builder.build(); // site: tiny
  }

  private static com.google.common.cache.Cache<String, String> guava() {
    CacheBuilder<Object, Object> builder = CacheBuilder.newBuilder().maximumSize(10);
    return builder.build(); // site: guava
  }

  /** A Spring context per round, each with its own cache name. */
  @Configuration
  @EnableCaching
  static class SpringConfig {
    @Bean
    ConcurrentMapCacheManager cacheManager() {
      return new ConcurrentMapCacheManager();
    }

    @Bean
    Books books() {
      return new Books();
    }
  }

  /** A bean with a cached method. */
  static class Books {
    @Cacheable("books")
    public String find(int id) {
      return "book-" + id;
    }
  }
}
