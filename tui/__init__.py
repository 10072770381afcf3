"""zhanggui's interfaces: the Textual console and the click command line."""
