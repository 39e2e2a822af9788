"""Word: the layout contract shared by the renderer, the template builder and the importer."""
