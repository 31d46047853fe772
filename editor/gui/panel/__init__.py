"""The metadata panel and one module per kind of editor in it."""
