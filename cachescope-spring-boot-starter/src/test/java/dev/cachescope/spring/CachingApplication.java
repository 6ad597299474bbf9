package dev.cachescope.spring;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.cache.transaction.TransactionAwareCacheManagerProxy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application as users write them: {@code @Cacheable} services over four cache managers (a
 * dynamic Caffeine one, the {@code simple} map one, Ehcache through JCache, and a transaction-aware
 * proxy), a controller in front, and nothing cachescope-specific but the starter on the class path.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableCaching
@Import({CachingApplication.Catalog.class, CachingApplication.CatalogController.class})
class CachingApplication {

  @Bean
  @Primary
  CaffeineCacheManager cacheManager() {
    CaffeineCacheManager manager = new CaffeineCacheManager();
    manager.setCaffeine(Caffeine.newBuilder().maximumSize(1_000));
    return manager;
  }

  @Bean
  ConcurrentMapCacheManager simpleCacheManager() {
    return new ConcurrentMapCacheManager("prices");
  }

  @Bean
  JCacheCacheManager jcacheCacheManager() {
    javax.cache.CacheManager ehcache =
        Caching.getCachingProvider("org.ehcache.jsr107.EhcacheCachingProvider").getCacheManager();
    if (ehcache.getCache("quotes") == null) {
      ehcache.createCache("quotes", new MutableConfiguration<Object, Object>());
    }
    return new JCacheCacheManager(ehcache);
  }

  @Bean
  CacheManager accountsCacheManager() {
    return new TransactionAwareCacheManagerProxy(new ConcurrentMapCacheManager("accounts"));
  }

  @Bean
  NoResourceTransactionManager transactionManager() {
    return new NoResourceTransactionManager();
  }

  /**
   * The services whose results are cached; each counts how often it really ran. (Read the counts
   * through the methods: the bean is a caching proxy whose own fields are empty.)
   */
  static class Catalog {
    private final AtomicInteger titleCalls = new AtomicInteger();
    private final AtomicInteger priceCalls = new AtomicInteger();
    private final AtomicInteger quoteCalls = new AtomicInteger();

    public int titleCalls() {
      return titleCalls.get();
    }

    public int priceCalls() {
      return priceCalls.get();
    }

    public int quoteCalls() {
      return quoteCalls.get();
    }

    @Cacheable("books")
    public String title(int id) {
      titleCalls.incrementAndGet();
      return "Book " + id;
    }

    @Cacheable(cacheNames = "prices", cacheManager = "simpleCacheManager")
    public Double price(int id) {
      priceCalls.incrementAndGet();
      return 9.99 + id;
    }

    @Cacheable(cacheNames = "quotes", cacheManager = "jcacheCacheManager", sync = true)
    public String quote(int id) {
      quoteCalls.incrementAndGet();
      return "Quote " + id;
    }
  }

  @RestController
  static class CatalogController {
    private final Catalog catalog;

    CatalogController(Catalog catalog) {
      this.catalog = catalog;
    }

    @GetMapping("/books/{id}")
    String book(@PathVariable("id") int id) {
      return catalog.title(id) + " costs " + catalog.price(id) + "; " + catalog.quote(id);
    }
  }

  /**
   * Transactions with synchronisation and no resource, so that transaction-aware caches defer their
   * writes to commit as they would with a database.
   */
  static final class NoResourceTransactionManager extends AbstractPlatformTransactionManager {
    private static final long serialVersionUID = 1L;

    @Override
    protected Object doGetTransaction() {
      return new Object();
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {}

    @Override
    protected void doCommit(DefaultTransactionStatus status) {}

    @Override
    protected void doRollback(DefaultTransactionStatus status) {}
  }
}
