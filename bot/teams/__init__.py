"""The Bot Framework edge: everything that touches the botbuilder SDK or the Teams wire format."""
