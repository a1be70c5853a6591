"""Reading: settings and content, from files to typed entries.

`settings` reads site.toml; `frontmatter` and `yamltree` split and parse each content file
strictly, keeping every value's line; `fields` turns YAML nodes into typed values;
`content` lists the files and builds entries, with their translations. Every problem is
collected with its file, line and field; nothing here knows whether a reference resolves.
"""
