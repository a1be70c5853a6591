"""Media: images made at build time.

`images` resizes portraits and draws monogram avatars; `cards` draws the social cards;
`assets` gives static files fingerprinted names. Each keeps what it drew in `.cache/`.
"""
