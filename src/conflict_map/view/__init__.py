"""HTML views and the one escaping layer: templates, the folium map, the text panel, offline browser assets."""
