"""Read-side queries for History and Progress over the library's database."""
