package com.example.books;

import java.util.concurrent.TimeUnit;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** Slow lookups, cached in the "books" and "authors" caches that application.yaml declares. */
@Service
public class Catalog {

  @Cacheable("books")
  public String title(int id) {
    pause(20);
    return "Book " + id;
  }

  @Cacheable("authors")
  public String author(int id) {
    pause(10);
    return "Author " + (id % 7);
  }

  @CacheEvict(cacheNames = "books", key = "#id")
  public void retitle(int id) {}

  private static void pause(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
