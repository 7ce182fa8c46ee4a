"""Plans -> a MkDocs Material site: plain Markdown pages plus the user's mkdocs.yml."""
