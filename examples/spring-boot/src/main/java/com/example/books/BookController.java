package com.example.books;

import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class BookController {
  private final Catalog catalog;

  public BookController(Catalog catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/books/{id}")
  public Map<String, Object> book(@PathVariable int id) {
    return Map.of("id", id, "title", catalog.title(id), "author", catalog.author(id));
  }

  @DeleteMapping("/books/{id}")
  public void retitle(@PathVariable int id) {
    catalog.retitle(id);
  }
}
