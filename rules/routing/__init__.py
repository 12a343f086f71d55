"""routing (MW7xx): the back-end lives under /back, on the same domain as the front."""
