"""Geography on the ellipsoid: geodesic distances, boundary layers, international borders."""
