"""Reports rendered for people (one self-contained HTML file with SVG charts), no Qt."""
