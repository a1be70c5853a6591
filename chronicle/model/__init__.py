"""The site model: what the content means, checked as a whole.

`site` resolves references both ways, gathers tags and checks every route; `localize` is
one language's view of it for the templates; `timeline` lays out the story in years and
lanes; `i18n` holds the interface strings and writes dates; `lint` names what is allowed
but probably not meant.
"""
