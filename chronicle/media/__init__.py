"""Media: images made at build time.

`images` resizes portraits and draws monogram avatars; `cards` makes the social cards
(drawn by `carddraw`, with `cardink`, `cardwrap` and `cardpng`);
`assets` gives static files fingerprinted names. Each keeps what it drew in `.cache/`.
"""
