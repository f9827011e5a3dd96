"""Templates shared by several platforms (rendered with each platform's settings)."""
