"""The web shell: base layout, home page, preferences (elder mode, language) and static assets."""
