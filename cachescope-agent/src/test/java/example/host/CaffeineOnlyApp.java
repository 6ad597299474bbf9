package example.host;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A host with Caffeine and nothing else on its class path (no Guava, JCache or Spring): on {@code
 * use}, one cache, 1 put, 1 hit, 1 miss.
 */
public final class CaffeineOnlyApp {
  private CaffeineOnlyApp() {}

  public static void main(String[] args) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Cache<String, String> kept = null;
    System.out.println("READY");
    for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
      Cache<String, String> cache = Caffeine.newBuilder().build(); // site: only
      cache.put("a", "A");
      System.out.println("DONE only " + cache.getIfPresent("a") + " " + cache.getIfPresent("b"));
      kept = cache;
      System.out.println("READY");
    }
    System.out.println(kept == null ? "unused" : "bye");
  }
}
